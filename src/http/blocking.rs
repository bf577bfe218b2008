//! Where the protocol core runs: off the async workers (diesel, RSA and argon2 block), on one of two thread pools.
//!
//! Most requests go to the core pool, a bounded set of threads shared by all workers. When more requests are in
//! flight than it has threads, the rest queue and a thread takes the next one as soon as it is done, without going
//! to sleep in between. A thread per request (actix's own blocking pool, up to 512 per worker) instead wakes a
//! thread for every request and puts it back to sleep after it: two context switches per request, which cost a
//! token request more than its JSON and HTTP together (`benches/load.sh`, issue 9's note).
//!
//! Requests whose core may check a password (sign-in, the account page, an invitation) go to actix's pool instead:
//! an argon2id check holds its thread for tens of milliseconds, and waiting for one of the bounded check slots
//! (`PasswordChecker`) holds it longer, which would stall every token request queued behind it.

use actix_web::web;
use tokio::runtime::{Builder, Handle, Runtime};

use crate::error::{Failure, InternalError};

/// The core pool. Dropping it lets running calls finish on their own (a runtime cannot be dropped on a worker).
pub struct CorePool {
    runtime: Option<Runtime>,
    handle: Handle,
    threads: usize,
}

impl CorePool {
    pub fn new(threads: usize) -> std::io::Result<CorePool> {
        let threads = threads.max(1);
        // The core runs on the runtime's blocking threads; its one async worker runs what the core starts in the
        // background on the current runtime (back-channel logout deliveries: network and timers, so enable_all).
        let runtime = Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(threads)
            .enable_all()
            .thread_name("tessera-core")
            .build()?;
        let handle = runtime.handle().clone();
        Ok(CorePool { runtime: Some(runtime), handle, threads })
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// A handle to give to [`blocking`]; cheap to clone.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }
}

impl Drop for CorePool {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Runs `f` on the core pool (see the module's comment).
pub async fn blocking<T, F>(pool: Handle, f: F) -> Result<T, Failure>
where
    F: FnOnce() -> Result<T, Failure> + Send + 'static,
    T: Send + 'static,
{
    // Keep the request's span (request id, client_id) on the log lines the blocking work emits.
    let span = tracing::Span::current();
    match pool.spawn_blocking(move || span.in_scope(f)).await {
        Ok(result) => result,
        Err(e) => Err(InternalError::new("core pool task", anyhow::anyhow!("{e}")).into()),
    }
}

/// Runs `f`, which may check a password, on actix's blocking pool (a thread per call; see the module's comment).
pub async fn blocking_with_password_check<T, F>(f: F) -> Result<T, Failure>
where
    F: FnOnce() -> Result<T, Failure> + Send + 'static,
    T: Send + 'static,
{
    let span = tracing::Span::current();
    match web::block(move || span.in_scope(f)).await {
        Ok(result) => result,
        Err(e) => Err(InternalError::new("blocking task", anyhow::anyhow!("{e}")).into()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// The most calls that ran at once when `calls` calls were made together on a pool of `threads`.
    async fn most_at_once(threads: usize, calls: usize) -> usize {
        let pool = CorePool::new(threads).unwrap();
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks = (0..calls).map(|_| {
            let (running, most) = (running.clone(), most.clone());
            blocking(pool.handle(), move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
                running.fetch_sub(1, Ordering::SeqCst);
                Ok(())
            })
        });
        for result in futures_util::future::join_all(tasks).await {
            result.unwrap();
        }
        most.load(Ordering::SeqCst)
    }

    #[actix_web::test]
    async fn the_core_pool_runs_at_most_its_threads_at_once_and_queues_the_rest() {
        assert_eq!(most_at_once(1, 4).await, 1);
        assert_eq!(most_at_once(2, 6).await, 2);
    }

    #[actix_web::test]
    async fn a_panic_in_the_core_is_an_internal_error_and_the_pool_goes_on() {
        let pool = CorePool::new(1).unwrap();
        let failed = blocking(pool.handle(), || -> Result<(), Failure> { panic!("boom") }).await;
        assert!(matches!(failed, Err(Failure::Internal(_))), "{failed:?}");
        assert_eq!(blocking(pool.handle(), || Ok(7)).await.unwrap(), 7);
    }
}
