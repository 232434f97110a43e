//! A service that runs on a thread of its own with a single-threaded tokio
//! runtime, and stops when its handle is dropped: the background sync, the
//! admin endpoint and the fleet channel all run this way.

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
    /// receiver that completes when this handle is dropped. Fails when the
    /// runtime or the thread cannot start (the caller says so; the kiosk
    /// keeps showing content without the service).
    pub fn spawn<F, S>(name: &str, service: S) -> std::io::Result<ServiceThread>
    where
        S: FnOnce(oneshot::Receiver<()>) -> F + Send + 'static,
        F: Future<Output = ()>,
    {
        let (shutdown, stopped) = oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || runtime.block_on(service(stopped)))?;
        Ok(ServiceThread {
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

impl Drop for ServiceThread {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // Fails only when the service already ended by itself.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("a service thread panicked");
        }
    }
}
