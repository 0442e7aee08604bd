//! bcrypt hashing off the async workers.
//!
//! A hash at cost 12 takes ~250 ms of CPU. Hashes run on threads of their own behind a
//! semaphore sized to the cores, at a lower CPU priority (nice 10): a login storm queues here
//! and yields the CPU to every other request instead of starving the rest of the API.

use std::sync::Arc;

use tokio::sync::{OnceCell, Semaphore};

use crate::error::{AppError, AppResult};

#[derive(Clone)]
pub struct PasswordHasher {
    cost: u32,
    permits: Arc<Semaphore>,
    /// A hash of nothing in particular, verified when the username is unknown so that both
    /// answers take the same time.
    dummy: Arc<OnceCell<String>>,
}

impl PasswordHasher {
    pub fn new(cost: u32) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            cost,
            permits: Arc::new(Semaphore::new(cores)),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    pub fn cost(&self) -> u32 {
        self.cost
    }

    pub async fn hash(&self, password: &str) -> AppResult<String> {
        let cost = self.cost;
        let password = password.to_owned();
        self.blocking(move || bcrypt::hash(password, cost).map_err(AppError::internal))
            .await
    }

    /// True if `password` matches `hash`. A malformed stored hash counts as no match.
    pub async fn verify(&self, password: &str, hash: &str) -> AppResult<bool> {
        let password = password.to_owned();
        let hash = hash.to_owned();
        self.blocking(move || Ok(bcrypt::verify(password, &hash).unwrap_or(false)))
            .await
    }

    /// Spends the same time as a real verification, for unknown usernames.
    pub async fn verify_dummy(&self, password: &str) -> AppResult<()> {
        let dummy = self
            .dummy
            .get_or_try_init(|| self.hash("order-system dummy password"))
            .await?
            .clone();
        self.verify(password, &dummy).await.map(|_| ())
    }

    async fn blocking<T: Send + 'static>(&self, f: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        // A fresh thread per hash (microseconds, against a quarter second of hashing), so its
        // lowered priority never lingers on a thread that later serves something else.
        std::thread::Builder::new()
            .name("bcrypt".into())
            .spawn(move || {
                // SAFETY: gettid and setpriority on this thread's own id (on Linux the nice value
                // is per thread); raising one's niceness needs no privilege, and a failure only
                // leaves the default priority.
                unsafe {
                    libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10);
                }
                let _ = tx.send(f());
            })
            .map_err(AppError::internal)?;
        rx.await.map_err(AppError::internal)?
    }
}
