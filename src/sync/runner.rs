//! The kiosk's background sync: a thread with its own tokio runtime that
//! syncs on the schedule or when woken ("sync now"), and reports every
//! result (on that thread: the kiosk's status is updated there, the UI is
//! only sent new content).

use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, oneshot};

use super::content::{ActiveContent, active_content};
use super::schedule::{Schedule, random_fraction};
use super::{SyncEngine, SyncError, SyncOutcome};
use crate::service_thread::ServiceThread;
use crate::store::Store;

/// What a sync attempt came to.
pub enum SyncEvent {
    /// New content is active in the store.
    Updated(Box<ActiveContent>),
    /// The repository had nothing new.
    UpToDate {
        /// The version shown.
        version: String,
    },
    /// The sync failed; the shown content stays.
    Failed {
        /// What went wrong, in words.
        message: String,
        /// The failure was expired metadata: content may be out of date.
        expired: bool,
        /// The failure was reaching the server.
        offline: bool,
    },
}

/// One attempt's result with when it ended and the bytes moved so far.
pub struct SyncReport {
    /// What happened.
    pub event: SyncEvent,
    /// When the attempt ended.
    pub finished_at: chrono::DateTime<chrono::Utc>,
    /// Bytes received from the server since the kiosk started.
    pub bytes_received: u64,
}

/// What a "sync now" request did, for the one who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncRequest {
    /// A sync starts now.
    Started,
    /// A sync is running: one more starts when it ends (any number of
    /// requests meanwhile make that one sync).
    Queued {
        /// When the running sync started.
        running_since: chrono::DateTime<chrono::Utc>,
    },
    /// The kiosk has no repository to sync from.
    NoRepository,
}

impl std::fmt::Display for SyncRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncRequest::Started => f.write_str("sync started"),
            SyncRequest::Queued { running_since } => write!(
                f,
                "a sync is already running (since {}); one more starts when it ends",
                running_since.format("%H:%M:%S UTC")
            ),
            SyncRequest::NoRepository => {
                f.write_str("no repository configured: showing the embedded demo content")
            }
        }
    }
}

/// What the admin services may do with the sync: ask for one, and see
/// whether one is running.
pub trait SyncControl: Send + Sync {
    /// Asks for a sync now instead of at the next scheduled time.
    fn sync_now(&self) -> SyncRequest;
    /// When the running sync started (None: none is running).
    fn running_since(&self) -> Option<chrono::DateTime<chrono::Utc>>;
}

/// Wakes the sync thread.
#[derive(Clone)]
pub struct SyncTrigger {
    notify: Arc<Notify>,
    running_since: Arc<Mutex<Option<chrono::DateTime<chrono::Utc>>>>,
}

impl SyncControl for SyncTrigger {
    fn sync_now(&self) -> SyncRequest {
        // Read first, then wake: once woken, the sync thread marks itself
        // running at once, and this request would read its own sync as one
        // already running. A stored wake-up is one: requests during a sync
        // coalesce into the single sync that follows it.
        let running = self.running_since();
        self.notify.notify_one();
        match running {
            Some(running_since) => SyncRequest::Queued { running_since },
            None => SyncRequest::Started,
        }
    }

    fn running_since(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.running_since.lock().ok().and_then(|since| *since)
    }
}

impl SyncTrigger {
    fn set_running(&self, since: Option<chrono::DateTime<chrono::Utc>>) {
        if let Ok(mut running) = self.running_since.lock() {
            *running = since;
        }
    }
}

/// Starts the sync thread, which takes over the store (opened and verified
/// by the caller) and the engine; `report` is called on that thread after
/// every attempt. The sync stops when the returned thread is dropped, also
/// in the middle of an attempt (the store is built to be cut off at any
/// point: it keeps its last whole generation).
pub fn spawn(
    engine: SyncEngine,
    store: Store,
    schedule: Schedule,
    report: impl Fn(SyncReport) + Send + 'static,
) -> std::io::Result<(SyncTrigger, ServiceThread)> {
    let trigger = SyncTrigger {
        notify: Arc::new(Notify::new()),
        running_since: Arc::default(),
    };
    let running = trigger.clone();
    let thread = ServiceThread::spawn("sync", move |stopped| {
        run(engine, store, schedule, running, report, stopped)
    })?;
    Ok((trigger, thread))
}

/// Syncs until `stopped` completes. The store keeps its verified state and
/// the engine its conditional-request cache across attempts (unchanged
/// metadata is answered 304).
async fn run(
    engine: SyncEngine,
    mut store: Store,
    schedule: Schedule,
    trigger: SyncTrigger,
    report: impl Fn(SyncReport),
    mut stopped: oneshot::Receiver<()>,
) {
    let mut failures = 0u32;
    loop {
        trigger.set_running(Some(chrono::Utc::now()));
        let event = tokio::select! {
            event = attempt(&mut store, &engine) => event,
            _ = &mut stopped => return,
        };
        trigger.set_running(None);
        failures = if matches!(event, SyncEvent::Failed { .. }) {
            failures.saturating_add(1)
        } else {
            0
        };
        if let SyncEvent::Failed { message, .. } = &event {
            tracing::warn!("sync failed: {message}");
        }
        report(SyncReport {
            event,
            finished_at: chrono::Utc::now(),
            bytes_received: engine
                .stats()
                .bytes
                .load(std::sync::atomic::Ordering::Relaxed),
        });
        let delay = schedule.next_delay(failures, random_fraction());
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = trigger.notify.notified() => {}
            _ = &mut stopped => return,
        }
    }
}

fn failed(error: SyncError) -> SyncEvent {
    SyncEvent::Failed {
        expired: matches!(error, SyncError::Expired(_)),
        offline: matches!(error, SyncError::Network(_)),
        message: error.to_string(),
    }
}

async fn attempt(store: &mut Store, engine: &SyncEngine) -> SyncEvent {
    match engine.sync_once(store).await {
        Ok(SyncOutcome::UpToDate { version }) => SyncEvent::UpToDate {
            version: version.to_string(),
        },
        Ok(SyncOutcome::Updated { .. }) => match active_content(store) {
            Ok(Some(active)) => SyncEvent::Updated(Box::new(active)),
            Ok(None) => failed(SyncError::Malformed("the new generation is empty".into())),
            Err(error) => failed(SyncError::Malformed(error.to_string())),
        },
        Err(error) => failed(error),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn a_request_to_an_idle_sync_is_told_it_started_not_that_its_own_sync_runs() {
        let trigger = SyncTrigger {
            notify: Arc::new(Notify::new()),
            running_since: Arc::default(),
        };
        let rounds = 500;
        let (started, on_start) = mpsc::channel();
        let (finish, on_finish) = mpsc::channel::<()>();
        // The sync thread's loop as the trigger sees it: wait for a wake-up,
        // mark itself running at once, end when the test says so.
        let sync = trigger.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a runtime");
            for _ in 0..rounds {
                runtime.block_on(sync.notify.notified());
                sync.set_running(Some(chrono::Utc::now()));
                started.send(()).expect("the test waits");
                on_finish.recv().expect("the test ends the sync");
                sync.set_running(None);
            }
        });
        for round in 0..rounds {
            assert_eq!(trigger.sync_now(), SyncRequest::Started, "round {round}");
            on_start.recv().expect("the sync starts");
            finish.send(()).expect("the sync thread runs");
            while trigger.running_since().is_some() {
                std::thread::yield_now();
            }
        }
        thread.join().expect("the sync thread ends");
    }
}
