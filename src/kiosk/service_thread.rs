//! A service that runs on a thread of its own with a single-threaded tokio
//! runtime, and stops when its handle is dropped: the admin endpoint and the
//! fleet channel both run this way.

use std::future::Future;

use tokio::sync::oneshot;

/// The running service's thread; dropping it asks the service to stop (its
/// `stopped` receiver completes) and waits for the thread to end.
pub struct ServiceThread {
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ServiceThread {
    /// Starts thread `name`, which runs the future `service` makes from the
    /// receiver that completes when this handle is dropped. A runtime that
    /// cannot start is logged (the kiosk keeps showing content without it).
    pub fn spawn<F, S>(name: &str, service: S) -> std::io::Result<ServiceThread>
    where
        S: FnOnce(oneshot::Receiver<()>) -> F + Send + 'static,
        F: Future<Output = ()>,
    {
        let (shutdown, stopped) = oneshot::channel();
        let label = name.to_owned();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(service(stopped)),
                    Err(error) => tracing::error!("{label}: cannot start its runtime: {error}"),
                }
            })?;
        Ok(ServiceThread {
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

impl Drop for ServiceThread {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
