//! The admin console's live fleet table ([`FleetWatch`]) against a real
//! mosquitto: 1,000 simulated kiosks, each on its own MQTT connection with a
//! retained status and a last will as a kiosk's fleet channel makes them,
//! are all listed; a change of one shows; a kiosk whose connection dies goes
//! offline; a kiosk taken out of service (its retained status deleted)
//! leaves the table.

mod support;

use std::time::{Duration, Instant};

use chrono::Utc;
use lobby_kiosk::admin::fleet_watch::{
    Connection, DEFAULT_STALE_AFTER, FleetSnapshot, FleetWatch, KioskRow,
};
use lobby_kiosk::fleet::Topics;
use rumqttc::v5::mqttbytes::QoS;
use support::mosquitto::Mosquitto;
use support::simulated_kiosk::{SimulatedKiosk, access};

const KIOSKS: usize = 1000;
/// Generous: this is not a timing test (the figure is printed).
const DEADLINE: Duration = Duration::from_secs(60);

/// Waits for the table to satisfy `done`; the last snapshot either way.
async fn table_when(watch: &FleetWatch, done: impl Fn(&FleetSnapshot) -> bool) -> FleetSnapshot {
    let mut changes = watch.changes();
    let started = Instant::now();
    loop {
        let snapshot = watch.snapshot(Utc::now(), DEFAULT_STALE_AFTER);
        if done(&snapshot) || started.elapsed() > DEADLINE {
            return snapshot;
        }
        let _ = tokio::time::timeout(Duration::from_millis(500), changes.changed()).await;
    }
}

fn row<'s>(snapshot: &'s FleetSnapshot, id: &str) -> Option<&'s KioskRow> {
    snapshot.kiosks.iter().find(|row| row.kiosk_id == id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_kiosks_are_listed_and_their_changes_show() {
    support::process::allow_many_open_files();
    let work = tempfile::tempdir().unwrap();
    let broker = Mosquitto::start(work.path());
    let access = access(&broker);
    let topics = Topics::new("lobby");

    let mut kiosks = Vec::with_capacity(KIOSKS);
    for n in 0..KIOSKS {
        kiosks.push(SimulatedKiosk::connect(&access, &topics, format!("hall-{n:04}")).await);
    }
    let started = Instant::now();
    let watch = FleetWatch::start(access.clone(), topics.clone());
    let all = table_when(&watch, |s| s.kiosks.len() == KIOSKS).await;
    println!(
        "fleet table: {} kiosks listed {:.0} ms after the watch started",
        all.kiosks.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(all.kiosks.len(), KIOSKS, "{:?}", all.connection);
    assert_eq!(all.connection, Connection::Connected);
    assert!(all.skipped.is_empty(), "{:?}", all.skipped);
    for row in &all.kiosks {
        assert!(row.online && !row.stale, "{row:?}");
        assert_eq!(row.version, "v3");
        assert!(row.uptime_seconds.is_some_and(|s| s >= 0), "{row:?}");
    }

    // One kiosk syncs to v8: its row shows it (the issue asks for ≤ 2 s).
    let changed = &kiosks[500];
    let before = watch.snapshot(Utc::now(), DEFAULT_STALE_AFTER).revision;
    let published = Instant::now();
    changed.shows(&topics, "v8").await;
    let shown = table_when(&watch, |s| {
        row(s, &changed.id).is_some_and(|row| row.version == "v8")
    })
    .await;
    println!(
        "fleet table: one kiosk's new status shown {:.0} ms after it was published (budget 2000 ms)",
        published.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(row(&shown, &changed.id).unwrap().version, "v8");
    assert!(shown.revision > before);
    assert_eq!(shown.kiosks.len(), KIOSKS);

    // A kiosk whose connection dies: the broker publishes its last will.
    let dying = &kiosks[7];
    dying.events.abort();
    let offline = table_when(&watch, |s| row(s, &dying.id).is_some_and(|row| !row.online)).await;
    let dead = row(&offline, &dying.id).unwrap();
    assert!(!dead.online, "{dead:?}");
    assert!(dead.problems.contains("connection to the broker was lost"));

    // A kiosk taken out of service: its retained status deleted.
    let retired = &kiosks[9];
    retired
        .client
        .publish(
            topics.status(&retired.id),
            QoS::AtLeastOnce,
            true,
            Vec::new(),
        )
        .await
        .unwrap();
    let gone = table_when(&watch, |s| row(s, &retired.id).is_none()).await;
    assert!(row(&gone, &retired.id).is_none());
    assert_eq!(gone.kiosks.len(), KIOSKS - 1);

    // The table is not stale now, and all of it is stale later.
    let later = watch.snapshot(
        Utc::now() + chrono::Duration::seconds(600),
        DEFAULT_STALE_AFTER,
    );
    assert!(
        later
            .kiosks
            .iter()
            .filter(|row| row.online)
            .all(|row| row.stale)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broker_that_goes_away_is_shown_and_reconnected_to() {
    let work = tempfile::tempdir().unwrap();
    let broker = Mosquitto::start(work.path());
    let url = broker.url();
    let topics = Topics::new("lobby");
    let kiosk = SimulatedKiosk::connect(&access(&broker), &topics, "hall-1".into()).await;
    let watch = FleetWatch::start(access(&broker), topics.clone());
    let listed = table_when(&watch, |s| s.kiosks.len() == 1).await;
    assert_eq!(listed.connection, Connection::Connected);

    drop(kiosk);
    drop(broker);
    let lost = table_when(&watch, |s| matches!(s.connection, Connection::Lost(_))).await;
    let Connection::Lost(error) = &lost.connection else {
        panic!(
            "the table does not say the broker went away: {:?}",
            lost.connection
        );
    };
    assert!(
        error.contains("127.0.0.1"),
        "the error names the broker: {error}"
    );
    assert_eq!(lost.kiosks.len(), 1, "the last statuses stay shown");

    // The same port again: the watch reconnects and subscribes again.
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    let again = Mosquitto::start_on(work.path(), port);
    let kiosk = SimulatedKiosk::connect(&access(&again), &topics, "hall-2".into()).await;
    let back = table_when(&watch, |s| {
        s.connection == Connection::Connected && row(s, "hall-2").is_some()
    })
    .await;
    assert_eq!(back.connection, Connection::Connected);
    assert!(row(&back, "hall-2").is_some());
    drop(kiosk);
}
