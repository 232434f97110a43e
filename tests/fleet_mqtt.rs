//! The fleet channel against a real mosquitto on loopback: a kiosk's
//! retained status, `kioskctl push|status --broker`, status updates, and the
//! last-will that marks a kiosk whose connection died as offline.

mod support;

use std::sync::Arc;
use std::time::Duration;

use lobby_kiosk::admin;
use lobby_kiosk::config::FleetConfig;
use lobby_kiosk::fleet::{Broker, BrokerAccess, Topics};
use lobby_kiosk::kiosk::fleet::Fleet;
use lobby_kiosk::kiosk::status::ContentStatus;
use lobby_kiosk::kiosk::status::{StatusHandle, StatusReport};
use support::kioskctl::kioskctl;
use support::mosquitto::Mosquitto;
use support::sync_counter::SyncCounter;

struct Kiosk {
    fleet: Fleet,
    syncs: Arc<SyncCounter>,
    status: StatusHandle,
}

fn kiosk(broker: &str, id: &str) -> Kiosk {
    let syncs = SyncCounter::shared();
    let status = StatusHandle::default();
    status.set(ContentStatus {
        online: true,
        version: "v3".into(),
        ..ContentStatus::default()
    });
    let config = FleetConfig {
        broker: broker.to_owned(),
        topic_prefix: "lobby".into(),
        heartbeat_seconds: 1,
        username: None,
        password_file: None,
        ca_file: None,
        min_sync_interval_seconds: 0,
    };
    let fleet =
        Fleet::start(&config, id, status.clone(), syncs.clone()).expect("the fleet channel starts");
    Kiosk {
        fleet,
        syncs,
        status,
    }
}

/// The retained status of `id` once `done` holds (polling the broker), else the last one seen.
fn status_when(
    broker: &Mosquitto,
    id: &str,
    done: impl Fn(&StatusReport) -> bool,
) -> Option<StatusReport> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let access = BrokerAccess::anonymous(Broker::parse(&broker.url()).unwrap());
    let topics = Topics::new("lobby");
    let mut last = None;
    for _ in 0..60 {
        let reports = runtime
            .block_on(admin::fleet::statuses(&access, &topics))
            .unwrap()
            .reports;
        last = reports.get(id).cloned();
        if last.as_ref().is_some_and(&done) {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    last
}

fn wait_until(done: impl Fn() -> bool) -> bool {
    for _ in 0..100 {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn kioskctl_sees_and_pushes_kiosks_through_the_broker() {
    let work = tempfile::tempdir().unwrap();
    let broker = Mosquitto::start(work.path());
    let hall = kiosk(&broker.url(), "hall-3");
    let other = kiosk(&broker.url(), "hall-4");
    let seen = status_when(&broker, "hall-3", |r| r.running);
    assert!(seen.as_ref().is_some_and(|r| r.version == "v3"), "{seen:?}");
    assert!(status_when(&broker, "hall-4", |r| r.running).is_some());

    let (code, table, stderr) = kioskctl(&[
        "status",
        "--broker",
        &broker.url(),
        "--topic-prefix",
        "lobby",
    ]);
    assert_eq!(code, 0, "{table}{stderr}");
    let row = table
        .lines()
        .find(|l| l.starts_with("hall-3"))
        .expect("a row for hall-3");
    assert!(row.contains("online") && row.contains("v3"), "{table}");
    assert!(table.lines().any(|l| l.starts_with("hall-4")), "{table}");

    // One kiosk by id, then the whole fleet.
    let (code, out, stderr) = kioskctl(&[
        "push",
        "--broker",
        &broker.url(),
        "--topic-prefix",
        "lobby",
        "hall-3",
    ]);
    assert_eq!(code, 0, "{out}{stderr}");
    assert!(wait_until(|| hall.syncs.count() == 1), "hall-3 woken");
    assert_eq!(other.syncs.count(), 0, "hall-4 not addressed");
    let (code, _, stderr) =
        kioskctl(&["push", "--broker", &broker.url(), "--topic-prefix", "lobby"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(wait_until(
        || hall.syncs.count() == 2 && other.syncs.count() == 1
    ));

    // A status change is published at once.
    hall.status.set(ContentStatus {
        online: true,
        version: "v4".into(),
        ..ContentStatus::default()
    });
    assert!(
        status_when(&broker, "hall-3", |r| r.version == "v4").is_some_and(|r| r.version == "v4")
    );

    // A kiosk id without a status is reported, with a non-zero exit.
    let (code, table, _) = kioskctl(&[
        "status",
        "--broker",
        &broker.url(),
        "--topic-prefix",
        "lobby",
        "hall-9",
    ]);
    assert_eq!(code, 4);
    assert!(
        table.contains("hall-9") && table.contains("unknown"),
        "{table}"
    );

    // A kiosk shutting down says so itself.
    drop(other.fleet);
    let gone = status_when(&broker, "hall-4", |r| !r.running);
    assert!(gone.is_some_and(|r| !r.running));
}

/// Forwards TCP connections to the broker until cut; cutting closes every socket at once.
struct Proxy {
    port: u16,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Proxy {
    fn to(target_port: u16) -> Proxy {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let port = listener.local_addr().unwrap().port();
        runtime.spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                tokio::spawn(async move {
                    if let Ok(mut server) =
                        tokio::net::TcpStream::connect(("127.0.0.1", target_port)).await
                    {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Proxy {
            port,
            runtime: Some(runtime),
        }
    }

    /// The connection dies as if the kiosk lost power: no MQTT goodbye.
    fn cut(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

#[test]
fn a_kiosk_whose_connection_dies_shows_offline_by_its_last_will() {
    let work = tempfile::tempdir().unwrap();
    let broker = Mosquitto::start(work.path());
    let mut proxy = Proxy::to(broker.port());
    let _kiosk = kiosk(&format!("mqtt://127.0.0.1:{}", proxy.port), "hall-5");
    assert!(status_when(&broker, "hall-5", |r| r.running).is_some_and(|r| r.running));

    proxy.cut();
    let after = status_when(&broker, "hall-5", |r| !r.running);
    assert!(after.as_ref().is_some_and(|r| !r.running), "{after:?}");
    let (code, table, _) = kioskctl(&[
        "status",
        "--broker",
        &broker.url(),
        "--topic-prefix",
        "lobby",
        "hall-5",
    ]);
    assert_eq!(code, 4, "an offline kiosk makes status fail");
    let row = table
        .lines()
        .find(|l| l.starts_with("hall-5"))
        .expect("a row for hall-5");
    assert!(
        row.contains("offline") && row.contains("connection to the broker was lost"),
        "{table}"
    );
}
