//! The kiosk's side of the fleet channel.

use std::sync::Arc;
use std::time::Duration;

use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{LastWill, Packet, Publish};
use rumqttc::v5::{AsyncClient, Event};
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::status::{StatusHandle, StatusReport};
use crate::config::FleetConfig;
use crate::fleet::{BrokerAccess, Command, FleetError, KIOSK_MAX_PACKET, Topics, client_id};
use crate::log_limit::{LogLimit, left_out};
use crate::service_thread::ServiceThread;
use crate::sync::runner::{SyncControl, SyncRequest};

/// First wait before polling again after a connection error (the client
/// reconnects on the next poll); it doubles up to [`MAX_RECONNECT_DELAY`].
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// Longest wait between reconnection attempts.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(60);

/// How often a rate-limited log line may appear.
const LOG_PERIOD: Duration = Duration::from_secs(60);

/// The running fleet channel; publishes an offline status and disconnects when dropped.
pub struct Fleet {
    _thread: ServiceThread,
}

struct Channel {
    kiosk_id: String,
    topics: Topics,
    status: StatusHandle,
    sync: Arc<dyn SyncControl>,
    heartbeat: Duration,
    pacer: SyncPacer,
    ignored: LogLimit,
}

impl Fleet {
    /// Connects to the broker in a thread of its own (reconnecting as needed):
    /// commands ask `sync` for a sync or republish the status, read from `status`.
    pub fn start(
        config: &FleetConfig,
        kiosk_id: &str,
        status: StatusHandle,
        sync: Arc<dyn SyncControl>,
    ) -> Result<Fleet, FleetError> {
        if config.heartbeat_seconds == 0 {
            // tokio's interval panics on a period of 0; making it 1 would hide the mistake.
            return Err(FleetError::ZeroPeriod("fleet.heartbeat_seconds"));
        }
        let access = BrokerAccess::from_files(
            &config.broker,
            config.username.as_deref(),
            config.password_file.as_deref(),
            config.ca_file.as_deref(),
        )?;
        let channel = Channel {
            kiosk_id: kiosk_id.to_owned(),
            topics: Topics::new(&config.topic_prefix),
            status,
            sync,
            heartbeat: Duration::from_secs(u64::from(config.heartbeat_seconds)),
            pacer: SyncPacer::new(Duration::from_secs(u64::from(
                config.min_sync_interval_seconds,
            ))),
            ignored: LogLimit::new(LOG_PERIOD),
        };
        let mut options =
            access.options(&client_id(&format!("kiosk-{kiosk_id}")), KIOSK_MAX_PACKET);
        options.set_last_will(LastWill::new(
            channel.topics.status(kiosk_id),
            StatusReport::gone(kiosk_id).to_json(),
            QoS::AtLeastOnce,
            true,
            None,
        ));
        let thread = ServiceThread::spawn("fleet", move |stopped| channel.run(options, stopped))
            .map_err(FleetError::Start)?;
        Ok(Fleet { _thread: thread })
    }
}

/// Sync commands at most one per interval: the first of a burst syncs at
/// once, the rest of it make one more sync when the interval is over.
///
/// Hand-written (a few lines): governor's limiters refuse what is over the
/// quota, while a refused "sync now" must not be lost, only merged.
struct SyncPacer {
    interval: Duration,
    last: Option<Instant>,
    pending: bool,
}

impl SyncPacer {
    fn new(interval: Duration) -> Self {
        SyncPacer {
            interval,
            last: None,
            pending: false,
        }
    }

    /// A sync command arrived at `now`: whether to sync now (otherwise one
    /// is pending for [`SyncPacer::due`]).
    fn request(&mut self, now: Instant) -> bool {
        match self.last {
            Some(last) if now < last + self.interval => {
                self.pending = true;
                false
            }
            _ => {
                self.last = Some(now);
                true
            }
        }
    }

    /// When the pending sync is due (None: none is pending).
    fn due(&self) -> Option<Instant> {
        self.pending.then(|| {
            self.last
                .map_or_else(Instant::now, |last| last + self.interval)
        })
    }

    /// The pending sync runs now.
    fn run_pending(&mut self, now: Instant) {
        self.pending = false;
        self.last = Some(now);
    }
}

impl Channel {
    async fn run(mut self, options: rumqttc::v5::MqttOptions, mut stopped: oneshot::Receiver<()>) {
        let (client, events) = AsyncClient::new(options, 16);
        // The event loop runs in a task of its own: polling it inside the
        // `select!` below would drop a connection being made whenever the
        // heartbeat or a status change came first (the broker then saw two
        // connections at every other start).
        let (forward, mut incoming) = tokio::sync::mpsc::channel(16);
        let poller = tokio::spawn(poll_events(events, forward));
        let mut changes = self.status.subscribe();
        let mut heartbeat = tokio::time::interval(self.heartbeat);
        loop {
            let due = self.pacer.due();
            tokio::select! {
                event = incoming.recv() => match event {
                    Some(Event::Incoming(Packet::ConnAck(_))) => {
                        for topic in [self.topics.command(&self.kiosk_id), self.topics.fleet_command()] {
                            if let Err(error) = client.try_subscribe(topic, QoS::AtLeastOnce) {
                                tracing::warn!("fleet channel: cannot subscribe: {error}");
                            }
                        }
                        self.publish_status(&client);
                    }
                    Some(Event::Incoming(Packet::Publish(message))) => {
                        self.command(&client, &message);
                    }
                    Some(_) => {}
                    None => return,
                },
                _ = tokio::time::sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => {
                    self.pacer.run_pending(Instant::now());
                    self.sync_now(&client);
                }
                changed = changes.changed() => {
                    if changed.is_ok() {
                        self.publish_status(&client);
                    }
                }
                _ = heartbeat.tick() => self.publish_status(&client),
                _ = &mut stopped => {
                    // A clean goodbye does not trigger the last-will: say it ourselves.
                    let _ = client.try_publish(
                        self.topics.status(&self.kiosk_id),
                        QoS::AtLeastOnce,
                        true,
                        StatusReport::gone(&self.kiosk_id).to_json(),
                    );
                    let _ = client.try_disconnect();
                    let flush = async {
                        while let Some(event) = incoming.recv().await {
                            if matches!(event, Event::Outgoing(rumqttc::Outgoing::Disconnect)) {
                                break;
                            }
                        }
                    };
                    let _ = tokio::time::timeout(Duration::from_secs(2), flush).await;
                    poller.abort();
                    return;
                }
            }
        }
    }

    fn command(&mut self, client: &AsyncClient, message: &Publish) {
        // A retained command would run again on every reconnection: commands
        // are for now, never stored.
        let command = (!message.retain)
            .then(|| Command::parse(&message.payload))
            .flatten();
        match command {
            Some(Command::Sync) => {
                if self.pacer.request(Instant::now()) {
                    self.sync_now(client);
                }
            }
            Some(Command::Status) => self.publish_status(client),
            None => {
                if let Some(count) = self.ignored.allow() {
                    let shown: String = String::from_utf8_lossy(&message.payload)
                        .chars()
                        .take(40)
                        .collect();
                    tracing::warn!(
                        "fleet channel: ignored a {}command of {} bytes ({shown:?}){}",
                        if message.retain { "retained " } else { "" },
                        message.payload.len(),
                        left_out(count)
                    );
                }
            }
        }
    }

    fn sync_now(&self, client: &AsyncClient) {
        let request = self.sync.sync_now();
        if let SyncRequest::Queued { .. } = request {
            tracing::info!("fleet channel: {request}");
            // The report says since when a sync is running.
            self.publish_status(client);
        }
    }

    fn publish_status(&self, client: &AsyncClient) {
        let report = StatusReport::running(
            &self.kiosk_id,
            &self.status,
            self.sync.running_since(),
            chrono::Utc::now(),
        );
        if let Err(error) = client.try_publish(
            self.topics.status(&self.kiosk_id),
            QoS::AtLeastOnce,
            true,
            report.to_json(),
        ) {
            tracing::warn!("fleet channel: cannot publish the status: {error}");
        }
    }
}

/// Polls the client's event loop and forwards its events until the
/// channel closes; after a connection error it waits (doubling up to
/// [`MAX_RECONNECT_DELAY`]) before the next poll reconnects.
async fn poll_events(
    mut events: rumqttc::v5::EventLoop,
    forward: tokio::sync::mpsc::Sender<Event>,
) {
    let mut reconnect_delay = RECONNECT_DELAY;
    let connection_errors = LogLimit::new(LOG_PERIOD);
    loop {
        match events.poll().await {
            Ok(event) => {
                if matches!(event, Event::Incoming(Packet::ConnAck(_))) {
                    reconnect_delay = RECONNECT_DELAY;
                }
                if forward.send(event).await.is_err() {
                    return;
                }
            }
            Err(error) => {
                if let Some(count) = connection_errors.allow() {
                    tracing::warn!(
                        "fleet channel: {error}; reconnecting in {} s{}",
                        reconnect_delay.as_secs(),
                        left_out(count)
                    );
                }
                tokio::time::sleep(reconnect_delay).await;
                reconnect_delay = (reconnect_delay * 2).min(MAX_RECONNECT_DELAY);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_sync_commands_is_one_sync_now_and_one_after_the_interval() {
        let mut pacer = SyncPacer::new(Duration::from_secs(10));
        let start = Instant::now();
        assert!(pacer.request(start));
        assert_eq!(pacer.due(), None);
        for i in 1..200 {
            assert!(!pacer.request(start + Duration::from_millis(i)));
        }
        assert_eq!(pacer.due(), Some(start + Duration::from_secs(10)));
        pacer.run_pending(start + Duration::from_secs(10));
        assert_eq!(pacer.due(), None);
        assert!(
            pacer.request(start + Duration::from_secs(21)),
            "a quiet fleet syncs at once"
        );
    }

    #[test]
    fn a_heartbeat_of_zero_is_refused_not_made_one() {
        let config = FleetConfig {
            broker: "mqtt://127.0.0.1:1".into(),
            topic_prefix: "kiosk".into(),
            heartbeat_seconds: 0,
            username: None,
            password_file: None,
            ca_file: None,
            min_sync_interval_seconds: 0,
        };
        let sync = Arc::new(crate::kiosk::services::NoRepository);
        match Fleet::start(&config, "hall-1", StatusHandle::default(), sync) {
            Err(error) => assert_eq!(
                error.to_string(),
                "fleet channel: fleet.heartbeat_seconds must be at least 1"
            ),
            Ok(_) => panic!("fleet.heartbeat_seconds = 0 was accepted"),
        }
    }
}
