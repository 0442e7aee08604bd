//! Serving threads: a current-thread tokio runtime per core, each serving the connections it is
//! handed to the end, like nginx's workers. One accept loop hands connections out in turn.
//!
//! Why not tokio's multi-threaded runtime: with 1000 busy connections on 2 cores its tasks
//! overflow the workers' local queues into a global one, where they wait; a plain axum
//! hello-world answered with a p99 of 35-40 ms there, and of ~15 ms (with ~20% more requests
//! per second) on threads like these. Why one accept loop: threads accepting for themselves
//! from one socket split a burst of connections unevenly (the idle one takes most), and
//! SO_REUSEPORT would let a second server bind the same port without an error. The database,
//! bcrypt and background work keep their own threads and the main runtime.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

/// One serving thread per core the process may use (cgroup quotas and affinity included).
pub fn count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The connections handed to one serving thread.
pub struct Incoming {
    rx: mpsc::UnboundedReceiver<(std::net::TcpStream, SocketAddr)>,
    local: SocketAddr,
}

impl Incoming {
    /// The next connection, on this thread's runtime; `None` once the accept loop has stopped.
    pub async fn next(&mut self) -> Option<(TcpStream, SocketAddr)> {
        loop {
            let (stream, peer) = self.rx.recv().await?;
            match TcpStream::from_std(stream) {
                Ok(stream) => return Some((stream, peer)),
                Err(err) => tracing::warn!(error = %err, %peer, "could not take over a connection"),
            }
        }
    }
}

impl axum::serve::Listener for Incoming {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        match self.next().await {
            Some(connection) => connection,
            // The accept loop stops with the server; the graceful stop ends this serve.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// Accepts on `listener` until `stop` turns true, and runs `serve` once on each serving thread
/// with the connections handed to it and `stop`, on which it should finish its connections.
/// The returned task ends when every thread's `serve` has returned, with the first error.
pub fn spawn<F, Fut>(
    name: &str,
    listener: TcpListener,
    mut stop: watch::Receiver<bool>,
    serve: F,
) -> anyhow::Result<JoinHandle<anyhow::Result<()>>>
where
    F: Fn(Incoming, watch::Receiver<bool>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + 'static,
{
    let local = listener.local_addr()?;
    let serve = Arc::new(serve);
    let (mut threads, mut finished) = (Vec::new(), Vec::new());
    for i in 0..count() {
        let (tx, rx) = mpsc::unbounded_channel();
        let (done, finished_rx) = oneshot::channel();
        let (serve, stop) = (serve.clone(), stop.clone());
        std::thread::Builder::new()
            .name(format!("{name}-{i}"))
            .spawn(move || {
                let _ = done.send(run(Incoming { rx, local }, stop, serve.as_ref()));
            })
            .context("cannot start a serving thread")?;
        threads.push(tx);
        finished.push(finished_rx);
    }
    tokio::spawn(async move {
        for next in (0..threads.len()).cycle() {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                _ = stop.wait_for(|s| *s) => break,
            };
            let handed = accepted.and_then(|(stream, peer)| Ok((stream.into_std()?, peer)));
            match handed {
                Ok(connection) => {
                    let _ = threads[next].send(connection);
                }
                Err(err) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    });
    Ok(tokio::spawn(async move {
        for thread in finished {
            thread.await.context("a serving thread panicked")??;
        }
        Ok(())
    }))
}

fn run<F, Fut>(incoming: Incoming, stop: watch::Receiver<bool>, serve: &F) -> anyhow::Result<()>
where
    F: Fn(Incoming, watch::Receiver<bool>) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        // Each thread hands back what its own requests freed (see memory::trim_when_idle).
        let trimmer = tokio::spawn(crate::memory::trim_when_idle());
        let served = serve(incoming, stop).await;
        trimmer.abort();
        served
    })
}
