//! The fleet channel against others on the broker, on a private mosquitto
//! locked down as `docs/deploy.md` says (password file, per-kiosk ACLs, a
//! TLS listener): strangers cannot connect; a compromised kiosk cannot
//! forge another's status or command the fleet, nor take over a kiosk's
//! session; a burst of "sync now" is one sync; retained and oversize
//! commands make no reconnection loop; unknown commands cannot flood the
//! log; kioskctl skips, and names, statuses it cannot use.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lobby_kiosk::config::FleetConfig;
use lobby_kiosk::kiosk::fleet::Fleet;
use lobby_kiosk::kiosk::status::ContentStatus;
use lobby_kiosk::kiosk::status::StatusHandle;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::Packet;
use rumqttc::v5::{AsyncClient, Event, MqttOptions};
use support::kioskctl::kioskctl;
use support::mosquitto::{Mosquitto, SecureBroker};
use support::sync_counter::SyncCounter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, Registry};

/// Counts warnings logged by this test binary.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if *event.metadata().level() <= tracing::Level::WARN
            && let Ok(mut lines) = self.0.lock()
        {
            lines.push(format!("{:?}", event));
        }
    }
}

const USERS: [(&str, &str); 3] = [
    ("kioskctl", "admin-secret"),
    ("hall-7", "hall-7-secret"),
    ("hall-8", "hall-8-secret"),
];

fn kiosk(
    broker: &SecureBroker,
    id: &str,
    min_sync_interval_seconds: u32,
) -> (Fleet, Arc<SyncCounter>) {
    let syncs = SyncCounter::shared();
    let status = StatusHandle::default();
    status.set(ContentStatus {
        online: true,
        version: "v5".into(),
        ..ContentStatus::default()
    });
    let config = FleetConfig {
        broker: broker.tls_url(),
        topic_prefix: "lobby".into(),
        heartbeat_seconds: 30,
        username: Some(id.to_owned()),
        password_file: Some(broker.password_file(id)),
        ca_file: Some(broker.ca_file.clone()),
        min_sync_interval_seconds,
    };
    let fleet = Fleet::start(&config, id, status, syncs.clone()).expect("the fleet channel starts");
    (fleet, syncs)
}

/// A raw MQTT 5 client on the broker's plain port (credentials optional).
struct Client {
    client: AsyncClient,
    runtime: tokio::runtime::Runtime,
    events: Option<rumqttc::v5::EventLoop>,
}

impl Client {
    fn connect(broker: &SecureBroker, id: &str, user: Option<(&str, &str)>) -> (Client, bool) {
        let mut options = MqttOptions::new(id, "127.0.0.1", broker.broker.port());
        options.set_keep_alive(Duration::from_secs(5));
        if let Some((user, password)) = user {
            options.set_credentials(user, password);
        }
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let (client, mut events) = AsyncClient::new(options, 10_000);
        let accepted = runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(5), async {
                loop {
                    match events.poll().await {
                        Ok(Event::Incoming(Packet::ConnAck(_))) => return true,
                        Ok(_) => {}
                        Err(_) => return false,
                    }
                }
            })
            .await
            .unwrap_or(false)
        });
        (
            Client {
                client,
                runtime,
                events: Some(events),
            },
            accepted,
        )
    }

    /// Publishes, and keeps the connection going while the broker takes it.
    fn publish(&mut self, topic: &str, retain: bool, payload: Vec<u8>) {
        let client = self.client.clone();
        let topic = topic.to_owned();
        self.runtime.block_on(async move {
            client
                .publish(topic, QoS::AtLeastOnce, retain, payload)
                .await
                .unwrap();
        });
        self.pump(Duration::from_millis(300));
    }

    fn pump(&mut self, time: Duration) {
        if let Some(mut events) = self.events.take() {
            let events = self.runtime.block_on(async move {
                let _ = tokio::time::timeout(time, async { while events.poll().await.is_ok() {} })
                    .await;
                events
            });
            self.events = Some(events);
        }
    }
}

fn kioskctl_status(broker: &SecureBroker) -> (i32, String, String) {
    let password = broker.password_file("kioskctl");
    kioskctl(&[
        "status",
        "--broker",
        &broker.tls_url(),
        "--broker-user",
        "kioskctl",
        "--broker-password-file",
        password.to_str().unwrap(),
        "--broker-ca",
        broker.ca_file.to_str().unwrap(),
        "--topic-prefix",
        "lobby",
    ])
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

/// How often a client whose id starts with `prefix` connected.
fn connections(broker: &SecureBroker, prefix: &str) -> usize {
    broker
        .log()
        .lines()
        .filter(|line| {
            line.contains("New client connected") && line.contains(&format!(" as {prefix}"))
        })
        .count()
}

#[test]
fn strangers_and_a_compromised_kiosk_cannot_steer_or_fool_the_fleet() {
    let warnings = Warnings::default();
    tracing::subscriber::set_global_default(Registry::default().with(warnings.clone()))
        .expect("the only subscriber of this test binary");
    let work = tempfile::tempdir().unwrap();
    let broker = Mosquitto::start_secure(work.path(), &USERS);
    let (_hall, syncs) = kiosk(&broker, "hall-7", 10);
    assert!(
        wait_until(|| connections(&broker, "kiosk-hall-7-") == 1),
        "the kiosk connects over TLS with its credentials: {}",
        broker.log()
    );
    let (code, table, stderr) = kioskctl_status(&broker);
    assert_eq!(code, 0, "{table}{stderr}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("hall-7") && l.contains("v5")),
        "{table}"
    );

    // Anonymous and wrong-password clients are turned away.
    assert!(
        !Client::connect(&broker, "stranger", None).1,
        "anonymous refused"
    );
    assert!(!Client::connect(&broker, "stranger", Some(("hall-7", "guess"))).1);

    // A compromised kiosk: its own credentials, someone else's topics and client id.
    let (mut rogue, accepted) =
        Client::connect(&broker, "kiosk-hall-7", Some(("hall-8", "hall-8-secret")));
    assert!(accepted);
    let forged = br#"{"kiosk_id":"hall-7","running":true,"repository_reachable":true,"out_of_date":false,"version":"v999","last_success":null,"last_error":"","reported_at":"2030-01-01T00:00:00Z"}"#;
    rogue.publish("lobby/hall-7/status", true, forged.to_vec());
    rogue.publish("lobby/ghost/status", true, forged.to_vec());
    rogue.publish("lobby/hall-8/status", true, forged.to_vec());
    rogue.publish("lobby/all/cmd", false, b"sync".to_vec());
    rogue.publish("lobby/hall-7/cmd", false, b"sync".to_vec());
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(syncs.count(), 0, "a kiosk cannot command the fleet");
    assert!(
        !broker
            .log()
            .contains("already connected, closing old connection")
            || connections(&broker, "kiosk-hall-7-") == 1,
        "nobody can guess the kiosk's client id and kick it off"
    );
    let (code, table, stderr) = kioskctl_status(&broker);
    assert_eq!(code, 0, "{table}{stderr}");
    assert!(
        !table.contains("v999") && !table.contains("ghost"),
        "{table}"
    );
    assert!(
        stderr.contains("skipped lobby/hall-8/status: claims to be kiosk `hall-7`"),
        "{stderr}"
    );

    // The admin's own user, in a hurry: 200 "sync now" are one sync now and
    // one when the interval is over.
    let (mut admin, accepted) =
        Client::connect(&broker, "admin-script", Some(("kioskctl", "admin-secret")));
    assert!(accepted);
    for _ in 0..200 {
        let client = admin.client.clone();
        admin.runtime.block_on(async move {
            client
                .publish("lobby/all/cmd", QoS::AtLeastOnce, false, "sync")
                .await
                .unwrap();
        });
    }
    admin.pump(Duration::from_secs(2));
    assert_eq!(syncs.count(), 1, "a burst is one sync at once");

    // Retained commands (one oversize) never run and never make a kiosk
    // reconnect, also for a kiosk that connects after them.
    admin.publish("lobby/hall-8/cmd", true, b"sync".to_vec());
    admin.publish("lobby/all/cmd", true, vec![b'x'; 64 * 1024]);
    let (_late, late_syncs) = kiosk(&broker, "hall-8", 10);
    assert!(
        wait_until(|| connections(&broker, "kiosk-hall-8-") == 1),
        "the late kiosk connects once: {}",
        broker.log()
    );
    // Unknown commands, by the thousand: a few log lines.
    let before = warnings.0.lock().unwrap().len();
    for i in 0..5000 {
        let client = admin.client.clone();
        admin.runtime.block_on(async move {
            client
                .publish(
                    "lobby/hall-7/cmd",
                    QoS::AtMostOnce,
                    false,
                    format!("reboot {i}"),
                )
                .await
                .unwrap();
        });
    }
    admin.pump(Duration::from_secs(3));
    let logged = warnings.0.lock().unwrap().len() - before;
    assert!(logged <= 3, "{logged} warnings for 5,000 unknown commands");
    for prefix in ["kiosk-hall-7-", "kiosk-hall-8-"] {
        assert_eq!(
            connections(&broker, prefix),
            1,
            "no reconnection: {}",
            broker.log()
        );
    }
    assert_eq!(late_syncs.count(), 0, "a retained command does not run");
    let mut waited = 0;
    while syncs.count() < 2 && waited < 300 {
        std::thread::sleep(Duration::from_millis(50));
        waited += 1;
    }
    assert_eq!(
        syncs.count(),
        2,
        "the burst's second sync, after the interval"
    );
}

/// A kiosk starting up connects once: its status and heartbeat, ready at
/// start, must not cut off the connection being made (they did, about one
/// start in two: the broker saw two connections, the first closed mid-way).
#[test]
fn a_starting_kiosk_connects_once() {
    let work = tempfile::tempdir().unwrap();
    let broker = Mosquitto::start_secure(work.path(), &USERS);
    for started in 1..=8 {
        let (kiosk, _syncs) = kiosk(&broker, "hall-7", 10);
        assert!(
            wait_until(|| connections(&broker, "kiosk-hall-7-") >= started),
            "start {started}: {}",
            broker.log()
        );
        std::thread::sleep(Duration::from_millis(300));
        drop(kiosk);
        assert_eq!(
            connections(&broker, "kiosk-hall-7-"),
            started,
            "start {started} connected more than once: {}",
            broker.log()
        );
    }
}
