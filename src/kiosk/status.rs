//! The kiosk's status: what it shows about content and sync, how a sync
//! report changes it, one shared, thread-safe handle that the sync thread
//! updates, the UI shows and writes its own changes to, and the admin
//! endpoint and the fleet channel read, and the JSON report they send.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::sync::runner::{SyncEvent, SyncReport};

/// What the status strip and admin panel show about content and sync.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentStatus {
    /// Whether the last sync reached the repository.
    pub online: bool,
    /// Content is older than the repository allows (expired metadata).
    pub out_of_date: bool,
    /// Where the content came from ("embedded demo content", a repository URL).
    pub source: String,
    /// Version of the content.
    pub version: String,
    /// When the shown content became active on this kiosk (None: the
    /// embedded demo, or nothing downloaded yet).
    pub content_updated: Option<DateTime<Utc>>,
    /// The last error, in words.
    pub last_error: String,
    /// When a sync last succeeded.
    pub last_success: Option<DateTime<Utc>>,
    /// Bytes received from the repository since start.
    pub bytes_received: u64,
    /// Admin services that could not start, in words; unlike `last_error`
    /// a sync does not clear them.
    pub service_errors: Vec<String>,
    /// Why read-aloud cannot speak (no espeak-ng, no voice, no sound
    /// device), in words; empty when it can.
    pub speech_unavailable: String,
}

/// The version the embedded demo content goes by.
const DEMO_VERSION: &str = "demo";

impl ContentStatus {
    /// The status when showing the content embedded in the binary.
    pub fn embedded_demo() -> Self {
        ContentStatus {
            source: "embedded demo content".into(),
            version: DEMO_VERSION.into(),
            ..ContentStatus::default()
        }
    }

    /// Whether the content shown is the demo embedded in the binary.
    pub fn is_embedded_demo(&self) -> bool {
        self.version == DEMO_VERSION
    }

    fn succeeded(&mut self, version: &str, at: DateTime<Utc>) {
        self.online = true;
        self.out_of_date = false;
        self.version = format!("v{version}");
        self.last_error.clear();
        self.last_success = Some(at);
    }

    /// Takes in what a sync attempt reported: its outcome and the bytes
    /// received so far. (Only the status: the new content of an update is
    /// for whoever shows it.)
    pub fn apply(&mut self, report: &SyncReport) {
        self.bytes_received = report.bytes_received;
        match &report.event {
            SyncEvent::Updated(active) => {
                self.content_updated = Some(active.activated);
                self.succeeded(&active.version, report.finished_at);
            }
            SyncEvent::UpToDate { version } => self.succeeded(version, report.finished_at),
            SyncEvent::Failed {
                message,
                expired,
                offline,
            } => {
                self.online = !offline;
                self.out_of_date = self.out_of_date || *expired;
                self.last_error = message.clone();
            }
        }
    }
}

/// The kiosk's status, shared by the sync thread (which applies its
/// reports), the UI (which shows it) and the admin services (which report
/// it). Cloning shares it.
#[derive(Clone)]
pub struct StatusHandle {
    sender: Arc<watch::Sender<ContentStatus>>,
    /// When the kiosk made its handle, at its start: its uptime counts from here.
    started_at: DateTime<Utc>,
}

impl Default for StatusHandle {
    fn default() -> Self {
        StatusHandle::new(ContentStatus::default())
    }
}

impl StatusHandle {
    /// A handle holding `status`.
    pub fn new(status: ContentStatus) -> Self {
        StatusHandle {
            sender: Arc::new(watch::Sender::new(status)),
            started_at: Utc::now(),
        }
    }

    /// When the handle was made (the kiosk's start).
    pub fn started_at(&self) -> DateTime<Utc> {
        self.started_at
    }

    /// Replaces the status.
    pub fn set(&self, status: ContentStatus) {
        self.update(|current| *current = status);
    }

    /// Changes the status in place, in one step that no other change
    /// interleaves; subscribers wake only when it really changed.
    pub fn update(&self, change: impl FnOnce(&mut ContentStatus)) {
        self.sender.send_if_modified(|current| {
            let before = current.clone();
            change(current);
            *current != before
        });
    }

    /// The current status.
    pub fn get(&self) -> ContentStatus {
        self.sender.borrow().clone()
    }

    /// A receiver woken on every change.
    pub fn subscribe(&self) -> watch::Receiver<ContentStatus> {
        self.sender.subscribe()
    }
}

/// What a kiosk reports on `GET /status` and on its MQTT status topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    /// The kiosk's `kiosk_id`.
    pub kiosk_id: String,
    /// The kiosk is running (false only in the broker's last-will message).
    pub running: bool,
    /// The last sync reached the content repository.
    pub repository_reachable: bool,
    /// The shown content is older than the repository allows (expired metadata).
    pub out_of_date: bool,
    /// Version of the shown content (`v7`, `demo`, or empty before the first sync).
    pub version: String,
    /// When the shown content became active on the kiosk (None: the demo,
    /// or nothing downloaded yet).
    #[serde(default)]
    pub content_updated: Option<DateTime<Utc>>,
    /// When a sync last succeeded.
    pub last_success: Option<DateTime<Utc>>,
    /// The last error, in words (empty when the last sync succeeded).
    pub last_error: String,
    /// Admin services that could not start (they stay until a restart).
    #[serde(default)]
    pub service_errors: Vec<String>,
    /// Why read-aloud cannot speak, in words; empty when it can.
    #[serde(default)]
    pub speech_unavailable: String,
    /// When the sync now running started (None: none is running).
    #[serde(default)]
    pub syncing_since: Option<DateTime<Utc>>,
    /// When the kiosk started (None: a kiosk older than this field, or the
    /// broker's last-will message); its uptime is `reported_at` minus this.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// When this report was made.
    pub reported_at: DateTime<Utc>,
}

impl StatusReport {
    /// The report of a running kiosk with the status `handle` holds, whose
    /// sync runs since `syncing_since` (None: it is idle).
    pub fn running(
        kiosk_id: &str,
        handle: &StatusHandle,
        syncing_since: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Self {
        let status = handle.get();
        StatusReport {
            kiosk_id: kiosk_id.to_owned(),
            running: true,
            repository_reachable: status.online,
            out_of_date: status.out_of_date,
            version: status.version.clone(),
            content_updated: status.content_updated,
            last_success: status.last_success,
            last_error: status.last_error.clone(),
            service_errors: status.service_errors.clone(),
            speech_unavailable: status.speech_unavailable.clone(),
            syncing_since,
            started_at: Some(handle.started_at()),
            reported_at: now,
        }
    }

    /// The report the broker publishes when the kiosk's connection dies.
    pub fn gone(kiosk_id: &str) -> Self {
        StatusReport {
            kiosk_id: kiosk_id.to_owned(),
            running: false,
            repository_reachable: false,
            out_of_date: false,
            version: String::new(),
            content_updated: None,
            last_success: None,
            last_error: "the kiosk's connection to the broker was lost".into(),
            service_errors: Vec::new(),
            speech_unavailable: String::new(),
            syncing_since: None,
            started_at: None,
            reported_at: Utc::now(),
        }
    }

    /// Its problems in words: the last error, services that could not
    /// start, why read-aloud cannot speak; the empty ones left out.
    pub fn problems(&self) -> Vec<&str> {
        std::iter::once(self.last_error.as_str())
            .chain(self.service_errors.iter().map(String::as_str))
            .chain(std::iter::once(self.speech_unavailable.as_str()))
            .filter(|problem| !problem.is_empty())
            .collect()
    }

    /// The report as JSON bytes.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handle_shares_changes_and_wakes_only_on_real_changes() {
        let handle = StatusHandle::default();
        let reader = handle.clone();
        let mut changes = reader.subscribe();
        let status = ContentStatus {
            version: "v3".into(),
            online: true,
            ..ContentStatus::default()
        };
        handle.set(status.clone());
        assert_eq!(reader.get(), status);
        assert!(changes.has_changed().unwrap());
        changes.mark_unchanged();
        handle.set(status);
        assert!(!changes.has_changed().unwrap(), "same status, no wake-up");
    }

    #[test]
    fn sync_reports_update_the_status_without_a_screen() {
        let mut status = ContentStatus::embedded_demo();
        let failed = SyncReport {
            event: SyncEvent::Failed {
                message: "cannot reach the repository".into(),
                expired: true,
                offline: true,
            },
            finished_at: Utc::now(),
            bytes_received: 10,
        };
        status.apply(&failed);
        assert!(!status.online && status.out_of_date);
        assert_eq!(status.last_error, "cannot reach the repository");
        assert_eq!(status.bytes_received, 10);
        let up_to_date = SyncReport {
            event: SyncEvent::UpToDate {
                version: "7".into(),
            },
            finished_at: Utc::now(),
            bytes_received: 20,
        };
        status.apply(&up_to_date);
        assert!(status.online && !status.out_of_date && status.last_error.is_empty());
        assert_eq!(status.version, "v7");
        assert_eq!(status.last_success, Some(up_to_date.finished_at));
    }

    #[test]
    fn report_round_trips_as_json() {
        let status = ContentStatus {
            version: "v2".into(),
            last_error: "cannot reach".into(),
            ..ContentStatus::default()
        };
        let report = StatusReport::running("hall-1", &StatusHandle::new(status), None, Utc::now());
        let back: StatusReport = serde_json::from_slice(&report.to_json()).unwrap();
        assert_eq!(back, report);
        assert!(!StatusReport::gone("hall-1").running);
    }
}
