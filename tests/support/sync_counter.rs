//! A stand-in for the kiosk's sync in admin-service tests: counts the
//! "sync now" requests it gets, and can pretend a sync is running.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use lobby_kiosk::sync::runner::{SyncControl, SyncRequest};

/// Counts sync requests.
#[derive(Default)]
pub struct SyncCounter {
    requests: AtomicUsize,
    running_since: Mutex<Option<chrono::DateTime<chrono::Utc>>>,
}

impl SyncCounter {
    /// A new counter, shared.
    pub fn shared() -> Arc<SyncCounter> {
        Arc::default()
    }

    /// Requests so far.
    pub fn count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Pretends a sync runs (or not).
    pub fn set_running(&self, running: bool) {
        if let Ok(mut since) = self.running_since.lock() {
            *since = running.then(chrono::Utc::now);
        }
    }
}

impl SyncControl for SyncCounter {
    fn sync_now(&self) -> SyncRequest {
        self.requests.fetch_add(1, Ordering::SeqCst);
        match self.running_since() {
            Some(running_since) => SyncRequest::Queued { running_since },
            None => SyncRequest::Started,
        }
    }

    fn running_since(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.running_since.lock().ok().and_then(|since| *since)
    }
}
