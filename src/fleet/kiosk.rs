//! The kiosk's side of the fleet channel.

use std::sync::Arc;
use std::time::Duration;

use rumqttc::{AsyncClient, Event, LastWill, Packet, QoS};
use tokio::sync::oneshot;

use super::{Broker, FleetError, STATUS_COMMAND, SYNC_COMMAND, Topics};
use crate::admin::status::{StatusHandle, StatusReport};
use crate::config::FleetConfig;

/// Wait before polling again after a connection error (the client reconnects on the next poll).
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// The running fleet channel; publishes an offline status and disconnects when dropped.
pub struct Fleet {
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct Channel {
    kiosk_id: String,
    topics: Topics,
    status: StatusHandle,
    sync_now: Arc<dyn Fn() + Send + Sync>,
    heartbeat: Duration,
}

impl Fleet {
    /// Connects to the broker in a thread of its own (reconnecting as needed):
    /// commands call `sync_now` or republish the status, read from `status`.
    pub fn start(
        config: &FleetConfig,
        kiosk_id: &str,
        status: StatusHandle,
        sync_now: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<Fleet, FleetError> {
        let broker = Broker::parse(&config.broker)?;
        let channel = Channel {
            kiosk_id: kiosk_id.to_owned(),
            topics: Topics::new(&config.topic_prefix),
            status,
            sync_now,
            heartbeat: Duration::from_secs(u64::from(config.heartbeat_seconds.max(1))),
        };
        let mut options = broker.options(&format!("kiosk-{kiosk_id}"));
        options.set_last_will(LastWill::new(
            channel.topics.status(kiosk_id),
            StatusReport::gone(kiosk_id).to_json(),
            QoS::AtLeastOnce,
            true,
        ));
        let (shutdown, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("fleet".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(channel.run(options, stopped)),
                    Err(error) => tracing::error!("fleet channel: no runtime: {error}"),
                }
            })
            .map_err(FleetError::Start)?;
        Ok(Fleet {
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Channel {
    async fn run(self, options: rumqttc::MqttOptions, mut stopped: oneshot::Receiver<()>) {
        let (client, mut events) = AsyncClient::new(options, 16);
        let mut changes = self.status.subscribe();
        let mut heartbeat = tokio::time::interval(self.heartbeat);
        loop {
            tokio::select! {
                event = events.poll() => match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        for topic in [self.topics.command(&self.kiosk_id), self.topics.fleet_command()] {
                            if let Err(error) = client.try_subscribe(topic, QoS::AtLeastOnce) {
                                tracing::warn!("fleet channel: cannot subscribe: {error}");
                            }
                        }
                        self.publish_status(&client);
                    }
                    Ok(Event::Incoming(Packet::Publish(message))) => {
                        self.command(&client, &message.payload);
                    }
                    Ok(_) => {}
                    Err(error) => {
                        tracing::warn!("fleet channel: {error}; reconnecting");
                        tokio::time::sleep(RECONNECT_DELAY).await;
                    }
                },
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
                        while let Ok(event) = events.poll().await {
                            if matches!(event, Event::Outgoing(rumqttc::Outgoing::Disconnect)) {
                                break;
                            }
                        }
                    };
                    let _ = tokio::time::timeout(Duration::from_secs(2), flush).await;
                    return;
                }
            }
        }
    }

    fn command(&self, client: &AsyncClient, payload: &[u8]) {
        match std::str::from_utf8(payload).map(str::trim) {
            Ok(SYNC_COMMAND) => (self.sync_now)(),
            Ok(STATUS_COMMAND) => self.publish_status(client),
            _ => tracing::warn!(
                "fleet channel: unknown command {:?}",
                String::from_utf8_lossy(payload)
            ),
        }
    }

    fn publish_status(&self, client: &AsyncClient) {
        let report = StatusReport::running(&self.kiosk_id, &self.status.get(), chrono::Utc::now());
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
