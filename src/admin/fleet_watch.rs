//! The live fleet table of the admin console: every kiosk's retained status
//! on the broker, kept up to date by one subscription ([`FleetWatch`]), and
//! the rows a page shows ([`KioskRow`]), stale kiosks marked.
//!
//! [`super::fleet::statuses`] reads the statuses once for `kioskctl status`;
//! the watch stays subscribed, reconnects when the broker goes away, and
//! counts its changes so that a page can wait for the next one
//! ([`FleetWatch::changes`]). What a hostile publisher can make it hold is
//! bounded: at most [`MAX_KIOSKS`] kiosks (each status at most
//! [`ADMIN_MAX_PACKET`] bytes, the broker delivers nothing larger) and the
//! last [`MAX_SKIPPED`] messages it skipped.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::Packet;
use rumqttc::v5::{AsyncClient, Event};
use serde::Serialize;
use tokio::sync::watch;

use super::fleet::Statuses;
use crate::fleet::{ADMIN_MAX_PACKET, BrokerAccess, Topics, client_id};
use crate::kiosk::status::StatusReport;

/// Kiosks the table holds at most; statuses of more are skipped.
pub const MAX_KIOSKS: usize = 10_000;

/// Skipped messages kept (the newest), for the page to name.
pub const MAX_SKIPPED: usize = 50;

/// A running kiosk whose last status is older than this is stale: three
/// heartbeats at the default `[fleet] heartbeat_seconds` (30) missed.
pub const DEFAULT_STALE_AFTER: Duration = Duration::from_secs(90);

/// First wait before reconnecting; it doubles up to [`MAX_RECONNECT_DELAY`].
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Longest wait between reconnection attempts.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(30);

/// The fleet as the broker's retained statuses show it, kept up to date in
/// a task of the tokio runtime it was started on; stopped when dropped.
pub struct FleetWatch {
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

struct Shared {
    fleet: Mutex<Fleet>,
    /// Counts every change of `fleet`.
    changes: watch::Sender<u64>,
}

#[derive(Default)]
struct Fleet {
    statuses: Statuses,
    skipped_total: u64,
    connection: Connection,
}

/// The watch's connection to the broker.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(tag = "state", content = "error", rename_all = "snake_case")]
pub enum Connection {
    /// Not connected yet.
    #[default]
    Connecting,
    /// Connected and subscribed to every status.
    Connected,
    /// The connection failed or was lost, with why; it is retried.
    Lost(String),
}

/// What the fleet table shows at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct FleetSnapshot {
    /// Every kiosk, by id.
    pub kiosks: Vec<KioskRow>,
    /// The connection to the broker.
    pub connection: Connection,
    /// The newest messages that were not a kiosk's status, with why.
    pub skipped: Vec<String>,
    /// How many messages were skipped in all.
    pub skipped_total: u64,
    /// The change count this snapshot shows (see [`FleetWatch::changes`]).
    pub revision: u64,
}

/// One kiosk in the fleet table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KioskRow {
    /// The kiosk's id.
    pub kiosk_id: String,
    /// Running (false: the broker published its last will).
    pub online: bool,
    /// Running, but its last status is older than the stale limit.
    pub stale: bool,
    /// Since when a sync runs, if one does.
    pub syncing_since: Option<DateTime<Utc>>,
    /// The content version it shows.
    pub version: String,
    /// When a sync last succeeded.
    pub last_sync: Option<DateTime<Utc>>,
    /// Its problems in words (last error, services, read-aloud), `; `-joined.
    pub problems: String,
    /// Seconds since it started, as of its last status.
    pub uptime_seconds: Option<i64>,
    /// When its last status was made.
    pub reported_at: DateTime<Utc>,
}

impl KioskRow {
    /// The row of `report`, stale when it is older than `stale_after` at `now`.
    pub fn from_report(report: &StatusReport, now: DateTime<Utc>, stale_after: Duration) -> Self {
        let age = now.signed_duration_since(report.reported_at);
        let stale_after = chrono::Duration::from_std(stale_after).unwrap_or(chrono::Duration::MAX);
        KioskRow {
            kiosk_id: report.kiosk_id.clone(),
            online: report.running,
            stale: report.running && age > stale_after,
            syncing_since: report.syncing_since,
            version: report.version.clone(),
            last_sync: report.last_success,
            problems: report.problems().join("; "),
            uptime_seconds: report.started_at.map(|started| {
                report
                    .reported_at
                    .signed_duration_since(started)
                    .num_seconds()
            }),
            reported_at: report.reported_at,
        }
    }
}

impl FleetWatch {
    /// Subscribes to every status under `topics` on the broker, in a task
    /// of the current tokio runtime. Connection errors do not end it: they
    /// show in [`FleetSnapshot::connection`] and it reconnects.
    pub fn start(access: BrokerAccess, topics: Topics) -> FleetWatch {
        let shared = Arc::new(Shared {
            fleet: Mutex::default(),
            changes: watch::Sender::new(0),
        });
        let task = tokio::spawn(watch_broker(access, topics, Arc::clone(&shared)));
        FleetWatch { shared, task }
    }

    /// The table at `now`: running kiosks whose last status is older than
    /// `stale_after` are marked stale.
    pub fn snapshot(&self, now: DateTime<Utc>, stale_after: Duration) -> FleetSnapshot {
        let revision = *self.shared.changes.borrow();
        let fleet = self.shared.lock();
        FleetSnapshot {
            kiosks: fleet
                .statuses
                .reports
                .values()
                .map(|report| KioskRow::from_report(report, now, stale_after))
                .collect(),
            connection: fleet.connection.clone(),
            skipped: fleet.statuses.skipped.clone(),
            skipped_total: fleet.skipped_total,
            revision,
        }
    }

    /// A receiver of the change count: `changed().await` returns after the
    /// next change of the table or of the connection.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.shared.changes.subscribe()
    }
}

impl Drop for FleetWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Fleet> {
        // A panic while holding it left a consistent table: each change
        // is one insert or remove.
        self.fleet.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn change(&self, change: impl FnOnce(&mut Fleet)) {
        change(&mut self.lock());
        self.changes.send_modify(|count| *count += 1);
    }
}

impl Fleet {
    /// Takes one message of a status topic.
    fn take(&mut self, topics: &Topics, topic: &str, payload: &[u8]) {
        let kiosk = topics.kiosk_of_status(topic);
        let before = self.statuses.skipped.len();
        match kiosk {
            // An empty retained message deletes the status: the kiosk was
            // taken out of service.
            Some(id) if payload.is_empty() => {
                self.statuses.reports.remove(id);
            }
            Some(id)
                if self.statuses.reports.len() >= MAX_KIOSKS
                    && !self.statuses.reports.contains_key(id) =>
            {
                self.statuses.skipped.push(format!(
                    "{topic}: more than {MAX_KIOSKS} kiosks; this one is not shown"
                ));
            }
            _ => self.statuses.collect(topics, topic, payload),
        }
        let added = self.statuses.skipped.len() - before;
        self.skipped_total += added as u64;
        let excess = self.statuses.skipped.len().saturating_sub(MAX_SKIPPED);
        self.statuses.skipped.drain(..excess);
    }
}

/// Keeps `shared` up to date from the broker until the task is aborted.
async fn watch_broker(access: BrokerAccess, topics: Topics, shared: Arc<Shared>) {
    let options = access.options(&client_id("kioskctl-console"), ADMIN_MAX_PACKET);
    let (client, mut events) = AsyncClient::new(options, 64);
    let mut delay = RECONNECT_DELAY;
    // The error last logged: a broker that stays away is logged once.
    let mut logged: Option<String> = None;
    loop {
        match events.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                // A clean session each time: subscribe again.
                if let Err(error) = client.try_subscribe(topics.all_statuses(), QoS::AtLeastOnce) {
                    let error = access.broker.connection_error(error).to_string();
                    shared.change(|fleet| fleet.connection = Connection::Lost(error));
                    continue;
                }
                delay = RECONNECT_DELAY;
                logged = None;
                shared.change(|fleet| fleet.connection = Connection::Connected);
            }
            Ok(Event::Incoming(Packet::Publish(message))) => {
                let topic = String::from_utf8_lossy(&message.topic);
                shared.change(|fleet| fleet.take(&topics, &topic, &message.payload));
            }
            Ok(_) => {}
            Err(error) => {
                let error = access.broker.connection_error(error).to_string();
                if logged.as_ref() != Some(&error) {
                    tracing::warn!("fleet table: {error}; retrying in {} s", delay.as_secs());
                    logged = Some(error.clone());
                }
                shared.change(|fleet| fleet.connection = Connection::Lost(error));
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_RECONNECT_DELAY);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kiosk::status::{ContentStatus, StatusHandle};

    fn report(id: &str, at: DateTime<Utc>) -> StatusReport {
        let status = StatusHandle::new(ContentStatus {
            version: "v3".into(),
            ..ContentStatus::default()
        });
        StatusReport::running(id, &status, None, at)
    }

    #[test]
    fn rows_mark_stale_running_kiosks_and_show_uptime() {
        let now = Utc::now();
        let fresh = KioskRow::from_report(&report("a", now), now, DEFAULT_STALE_AFTER);
        assert!(fresh.online && !fresh.stale);
        assert!(fresh.uptime_seconds.is_some_and(|s| s >= 0));
        let old = now - chrono::Duration::seconds(600);
        let stale = KioskRow::from_report(&report("b", old), now, DEFAULT_STALE_AFTER);
        assert!(stale.stale);
        let mut gone = StatusReport::gone("c");
        gone.reported_at = old;
        let gone = KioskRow::from_report(&gone, now, DEFAULT_STALE_AFTER);
        assert!(
            !gone.online && !gone.stale,
            "an offline kiosk is offline, not stale"
        );
        assert!(gone.problems.contains("connection to the broker was lost"));
    }

    #[test]
    fn an_empty_retained_status_removes_the_kiosk() {
        let topics = Topics::new("lobby");
        let mut fleet = Fleet::default();
        let json = report("hall-1", Utc::now()).to_json();
        fleet.take(&topics, "lobby/hall-1/status", &json);
        assert_eq!(fleet.statuses.reports.len(), 1);
        fleet.take(&topics, "lobby/hall-1/status", b"");
        assert!(fleet.statuses.reports.is_empty());
        assert_eq!(fleet.skipped_total, 0);
    }

    #[test]
    fn a_flood_of_kiosks_and_garbage_stays_bounded() {
        let topics = Topics::new("lobby");
        let mut fleet = Fleet::default();
        let now = Utc::now();
        for n in 0..MAX_KIOSKS + 5 {
            let id = format!("k{n}");
            fleet.take(&topics, &topics.status(&id), &report(&id, now).to_json());
        }
        for _ in 0..MAX_SKIPPED * 3 {
            fleet.take(&topics, "lobby/x/status", b"{ not json");
        }
        assert_eq!(fleet.statuses.reports.len(), MAX_KIOSKS);
        assert_eq!(fleet.statuses.skipped.len(), MAX_SKIPPED);
        assert_eq!(fleet.skipped_total, 5 + MAX_SKIPPED as u64 * 3);
        // A kiosk already shown still updates when the table is full.
        let mut newer = report("k0", now);
        newer.version = "v4".into();
        fleet.take(&topics, &topics.status("k0"), &newer.to_json());
        assert_eq!(fleet.statuses.reports["k0"].version, "v4");
    }
}
