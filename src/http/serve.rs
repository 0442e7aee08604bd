//! The one accept loop of plain HTTP and HTTPS, with one set of limits for both: a cap on open
//! connections, a time limit on the TLS handshake, on request headers (which for HTTP/1.1 also
//! bounds an idle keep-alive connection) and on a connection that makes no request at all,
//! a request body that stops arriving (408, see [`limit_body`]), and a graceful stop.
//!
//! At the cap, a new connection takes the place of the one that has been idle longest (no
//! request in flight: a keep-alive connection between requests, or a client that has sent
//! nothing); only when every connection is busy is it refused. So thousands of idle or
//! slowloris sockets cannot keep real clients out, and the server never runs out of file
//! descriptors (see [`raise_fd_limit`]).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use super::threads::Incoming;
use crate::error::AppError;

/// Bounds on what one client can hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Open connections per listener.
    pub max_connections: usize,
    /// To finish the TLS handshake.
    pub handshake_timeout: Duration,
    /// To send a request's headers; for HTTP/1.1 counted from the end of the previous answer,
    /// so it is also how long a keep-alive connection may sit idle.
    pub header_timeout: Duration,
    /// How long a connection may go without a request in flight (HTTP/2, and HTTP/1.1 as a
    /// backstop); before its first request, `header_timeout` applies instead.
    pub idle_timeout: Duration,
    /// How long a request body may stop arriving before the request gets 408.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 4096,
            handshake_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(10),
        }
    }
}

/// One open connection, as the cap and the idle timer see it.
struct Conn {
    in_flight: AtomicUsize,
    requests: AtomicU64,
    /// Milliseconds since [`Connections::epoch`] when the last request ended (or it opened).
    idle_since: AtomicU64,
    evicting: AtomicBool,
    evict: Notify,
}

/// The open connections of one listener, shared by all its serving threads.
pub struct Connections {
    limit: usize,
    epoch: Instant,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Conn>>>,
}

impl Connections {
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit: limit.max(1),
            epoch: Instant::now(),
            next_id: AtomicU64::new(0),
            open: Mutex::new(HashMap::new()),
        })
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// A place for a new connection: free, or made by closing the longest-idle connection.
    /// `None` when every connection is busy.
    fn admit(self: &Arc<Self>) -> Option<Admitted> {
        let mut open = self.open.lock().ok()?;
        let counted = open.values().filter(|c| !c.evicting.load(Ordering::Relaxed)).count();
        if counted >= self.limit {
            let idlest = open
                .values()
                .filter(|c| c.in_flight.load(Ordering::Acquire) == 0 && !c.evicting.load(Ordering::Relaxed))
                .min_by_key(|c| c.idle_since.load(Ordering::Relaxed))?;
            idlest.evicting.store(true, Ordering::Relaxed);
            idlest.evict.notify_one();
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn {
            in_flight: AtomicUsize::new(0),
            requests: AtomicU64::new(0),
            idle_since: AtomicU64::new(self.now_ms()),
            evicting: AtomicBool::new(false),
            evict: Notify::new(),
        });
        open.insert(id, conn.clone());
        Some(Admitted {
            connections: self.clone(),
            id,
            conn,
        })
    }

    /// How many connections are open now.
    pub fn len(&self) -> usize {
        self.open.lock().map(|o| o.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A connection's place under the cap, given back when it is dropped.
struct Admitted {
    connections: Arc<Connections>,
    id: u64,
    conn: Arc<Conn>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Ok(mut open) = self.connections.open.lock() {
            open.remove(&self.id);
        }
    }
}

/// Marks a request in flight until its answer's body has been sent (or dropped).
struct InFlight {
    conn: Arc<Conn>,
    connections: Arc<Connections>,
}

impl InFlight {
    fn start(conn: &Arc<Conn>, connections: &Arc<Connections>) -> Self {
        conn.in_flight.fetch_add(1, Ordering::AcqRel);
        conn.requests.fetch_add(1, Ordering::Relaxed);
        Self {
            conn: conn.clone(),
            connections: connections.clone(),
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.conn.idle_since.store(self.connections.now_ms(), Ordering::Relaxed);
        self.conn.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// An answer's body that keeps its request counted as in flight until it is done.
struct Tracked {
    inner: Body,
    _in_flight: InFlight,
}

impl HttpBody for Tracked {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `app` on the connections handed to this thread until `stop` turns true, then lets
/// open requests finish for up to `grace`. With `tls`, every connection is TLS first.
pub async fn serve(
    mut incoming: Incoming,
    app: Router,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    connections: Arc<Connections>,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let mut tasks = JoinSet::new();
    let mut refused_logged = Instant::now() - Duration::from_secs(60);
    loop {
        let accepted = tokio::select! {
            accepted = incoming.next() => accepted,
            Some(_) = tasks.join_next() => continue,
            _ = stop.wait_for(|s| *s) => break,
        };
        // None: the accept loop stopped, which it does only with the server.
        let Some((tcp, peer)) = accepted else { break };
        let Some(admitted) = connections.admit() else {
            if refused_logged.elapsed() > Duration::from_secs(10) {
                tracing::warn!(%peer, max = limits.max_connections, "every connection is busy; refusing new ones");
                refused_logged = Instant::now();
            }
            continue;
        };
        if tls.is_some() {
            // Handshake records go out at once; plain HTTP leaves Nagle on (see app.rs).
            let _ = tcp.set_nodelay(true);
        }
        let job = connection(
            tcp,
            peer,
            app.clone(),
            tls.clone(),
            limits,
            admitted,
            stop.clone(),
            grace,
        );
        tasks.spawn(job);
    }
    drop(incoming);
    let finished = tokio::time::timeout(grace + Duration::from_secs(1), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(?grace, "connections still open after the grace period were cut off");
    }
}

#[derive(Clone, Copy)]
enum Protocol {
    /// Plain: HTTP/1.1, or HTTP/2 with prior knowledge (h2c).
    Any,
    Http1,
    Http2,
}

#[allow(clippy::too_many_arguments)]
async fn connection(
    tcp: TcpStream,
    peer: SocketAddr,
    app: Router,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    admitted: Admitted,
    stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let service = {
        let (conn, connections) = (admitted.conn.clone(), admitted.connections.clone());
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            let in_flight = InFlight::start(&conn, &connections);
            req.extensions_mut().insert(ConnectInfo(peer));
            let answer = app.clone().oneshot(req.map(Body::new));
            async move {
                let response = answer.await?;
                Ok::<_, std::convert::Infallible>(response.map(|inner| {
                    Body::new(Tracked {
                        inner,
                        _in_flight: in_flight,
                    })
                }))
            }
        })
    };
    match tls {
        None => {
            drive(
                TokioIo::new(tcp),
                Protocol::Any,
                service,
                &admitted,
                limits,
                stop,
                grace,
            )
            .await
        }
        Some(acceptor) => {
            let stream = match tokio::time::timeout(limits.handshake_timeout, acceptor.accept(tcp)).await {
                Ok(Ok(stream)) => stream,
                Ok(Err(err)) => return tracing::debug!(%peer, error = %err, "TLS handshake failed"),
                Err(_) => return tracing::debug!(%peer, "TLS handshake timed out"),
            };
            let protocol = match stream.get_ref().1.alpn_protocol() {
                Some(b"h2") => Protocol::Http2,
                // An ACME tls-alpn-01 validation only needs the handshake.
                Some(b"acme-tls/1") => return,
                _ => Protocol::Http1,
            };
            drive(TokioIo::new(stream), protocol, service, &admitted, limits, stop, grace).await
        }
    }
}

/// Runs one connection to its end: until the client closes it, it sits idle too long, it is
/// evicted for a new one, or the server stops (then its requests get up to `grace`).
#[allow(clippy::too_many_arguments)]
async fn drive<I, S>(
    io: TokioIo<I>,
    protocol: Protocol,
    service: S,
    admitted: &Admitted,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: hyper::service::Service<
            hyper::Request<hyper::body::Incoming>,
            Response = Response,
            Error = std::convert::Infallible,
        > + Send
        + 'static,
    S::Future: Send + 'static,
{
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    builder.http2().timer(TokioTimer::new()).max_concurrent_streams(100);
    let builder = match protocol {
        Protocol::Any => builder,
        Protocol::Http1 => builder.http1_only(),
        Protocol::Http2 => builder.http2_only(),
    };
    let connection = builder.serve_connection_with_upgrades(io, service);
    tokio::pin!(connection);
    let (conn, connections) = (&*admitted.conn, &admitted.connections);
    let idle_limit = |conn: &Conn| {
        if conn.requests.load(Ordering::Relaxed) == 0 {
            limits.header_timeout
        } else {
            limits.idle_timeout
        }
    };
    let timer = tokio::time::sleep(idle_limit(conn));
    tokio::pin!(timer);
    // Once closing: the time by which the connection is dropped, finished or not.
    let mut closing = false;
    loop {
        tokio::select! {
            ended = connection.as_mut() => {
                if let Err(err) = ended {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
                return;
            }
            _ = conn.evict.notified(), if !closing => {
                connection.as_mut().graceful_shutdown();
                closing = true;
                timer.as_mut().reset(tokio::time::Instant::now() + Duration::from_secs(1));
            }
            _ = stop.wait_for(|s| *s), if !closing => {
                connection.as_mut().graceful_shutdown();
                closing = true;
                timer.as_mut().reset(tokio::time::Instant::now() + grace);
            }
            _ = &mut timer => {
                if closing {
                    return;
                }
                let limit = idle_limit(conn);
                let idle_for = Duration::from_millis(connections.now_ms().saturating_sub(conn.idle_since.load(Ordering::Relaxed)));
                let busy = conn.in_flight.load(Ordering::Acquire) > 0;
                if !busy && idle_for >= limit {
                    connection.as_mut().graceful_shutdown();
                    closing = true;
                    timer.as_mut().reset(tokio::time::Instant::now() + Duration::from_secs(1));
                } else {
                    let wait = if busy { limit } else { limit - idle_for };
                    timer.as_mut().reset(tokio::time::Instant::now() + wait);
                }
            }
        }
    }
}

/// The largest body any route takes (CSV imports); a request that declares more is refused
/// before a byte of it is read.
pub const MAX_BODY: u64 = crate::transfer::import::MAX_IMPORT_BYTES as u64;

/// Middleware: a request body that declares more than [`MAX_BODY`] gets 413 at once, and one
/// that stops arriving for `body_timeout` gets 408; both close the connection.
pub async fn limit_body(State(timeout): State<Duration>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return closing(
            AppError::PayloadTooLarge {
                limit: MAX_BODY as usize,
            }
            .into_response(),
        );
    }
    let stalled = Arc::new(AtomicBool::new(false));
    let flag = stalled.clone();
    let req = req.map(move |inner| {
        Body::new(Stall {
            inner,
            timeout,
            sleep: None,
            stalled: flag,
        })
    });
    let response = next.run(req).await;
    if stalled.load(Ordering::Acquire) {
        return closing(AppError::RequestTimeout("the request body stopped arriving".into()).into_response());
    }
    response
}

fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// A request body that fails once no data has come for `timeout`.
struct Stall {
    inner: Body,
    timeout: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    stalled: Arc<AtomicBool>,
}

impl HttpBody for Stall {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                self.sleep = None;
                Poll::Ready(frame)
            }
            Poll::Pending => {
                let timeout = self.timeout;
                let sleep = self.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                if sleep.as_mut().poll(cx).is_ready() {
                    self.stalled.store(true, Ordering::Release);
                    return Poll::Ready(Some(Err(axum::Error::new("the request body stopped arriving"))));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Lets the process hold as many sockets as the system allows (the soft limit is often 1024,
/// below the connection cap), and returns the cap that fits under the limit.
pub fn raise_fd_limit(wanted_connections: usize) -> usize {
    // Files the server needs besides connections: database, WAL, logs, listeners, backups.
    const RESERVE: u64 = 64;
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit read and write the one struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return wanted_connections;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = limit.rlim_max;
            }
        }
    }
    // Two listeners (HTTP and HTTPS) may each fill their cap.
    let fits = (limit.rlim_cur.saturating_sub(RESERVE) / 2).max(1) as usize;
    if fits < wanted_connections {
        tracing::warn!(
            wanted = wanted_connections,
            fits,
            "the open-files limit (ulimit -n, LimitNOFILE=) is too low for the connection cap; capping at what fits"
        );
    }
    wanted_connections.min(fits)
}
