//! The kiosk's background sync: a thread with its own tokio runtime that
//! syncs on the schedule or when woken ("sync now"), and reports every
//! result to the UI.

use std::sync::Arc;

use tokio::sync::Notify;

use super::content::active_content;
use super::schedule::{Schedule, random_fraction};
use super::{SyncEngine, SyncError, SyncOutcome};
use crate::content::LoadedContent;
use crate::store::Store;

/// What the sync thread tells the UI.
pub enum SyncEvent {
    /// New content is active in the store.
    Updated {
        /// The repository version.
        version: String,
        /// The content to show.
        content: Box<LoadedContent>,
    },
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

/// Wakes the sync thread.
#[derive(Clone)]
pub struct SyncTrigger(Arc<Notify>);

impl SyncTrigger {
    /// Starts a sync now instead of at the next scheduled time.
    pub fn sync_now(&self) {
        self.0.notify_one();
    }
}

/// Starts the sync thread, which takes over the store (opened and verified
/// by the caller) and the engine; `report` is called on that thread after
/// every attempt.
pub fn spawn(
    engine: SyncEngine,
    store: Store,
    schedule: Schedule,
    report: impl Fn(SyncReport) + Send + 'static,
) -> std::io::Result<SyncTrigger> {
    let notify = Arc::new(Notify::new());
    let trigger = SyncTrigger(notify.clone());
    std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    report(SyncReport {
                        finished_at: chrono::Utc::now(),
                        bytes_received: 0,
                        event: SyncEvent::Failed {
                            message: format!("cannot start the sync runtime: {error}"),
                            expired: false,
                            offline: true,
                        },
                    });
                    return;
                }
            };
            runtime.block_on(run(engine, store, schedule, notify, report));
        })?;
    Ok(trigger)
}

/// Syncs until the process ends. The store keeps its verified state and
/// the engine its conditional-request cache across attempts (unchanged
/// metadata is answered 304).
async fn run(
    engine: SyncEngine,
    mut store: Store,
    schedule: Schedule,
    notify: Arc<Notify>,
    report: impl Fn(SyncReport),
) {
    let mut failures = 0u32;
    loop {
        let event = attempt(&mut store, &engine).await;
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
            _ = notify.notified() => {}
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
            Ok(Some((version, content))) => SyncEvent::Updated {
                version,
                content: Box::new(content),
            },
            Ok(None) => failed(SyncError::Malformed("the new generation is empty".into())),
            Err(error) => failed(SyncError::Malformed(error.to_string())),
        },
        Err(error) => failed(error),
    }
}
