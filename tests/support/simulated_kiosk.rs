//! Simulated kiosks for the fleet tests: each its own MQTT connection with
//! a retained status and a last will, as a kiosk's fleet channel makes
//! them, polled by a task of its own; the sync commands it receives are
//! counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;
use lobby_kiosk::fleet::{Broker, BrokerAccess, KIOSK_MAX_PACKET, Topics, client_id};
use lobby_kiosk::kiosk::status::{ContentStatus, StatusHandle, StatusReport};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{LastWill, Packet};
use rumqttc::v5::{AsyncClient, Event};

use super::mosquitto::Mosquitto;

/// One simulated kiosk; its connection ends when dropped.
pub struct SimulatedKiosk {
    /// Its kiosk id.
    pub id: String,
    /// Its MQTT client.
    pub client: AsyncClient,
    /// Sync commands received.
    pub syncs: Arc<AtomicUsize>,
    /// The task polling its connection.
    pub events: tokio::task::JoinHandle<()>,
}

/// Anonymous access to `broker`.
pub fn access(broker: &Mosquitto) -> BrokerAccess {
    BrokerAccess::anonymous(Broker::parse(&broker.url()).unwrap())
}

/// The status of a running kiosk `id` showing `version`.
pub fn report(id: &str, version: &str) -> StatusReport {
    let status = StatusHandle::new(ContentStatus {
        online: true,
        version: version.into(),
        ..ContentStatus::default()
    });
    StatusReport::running(id, &status, None, Utc::now())
}

impl Drop for SimulatedKiosk {
    fn drop(&mut self) {
        self.events.abort();
    }
}

impl SimulatedKiosk {
    /// Connects kiosk `id`, publishes its retained status (version v3) and
    /// subscribes to its and the fleet's commands; returns once the broker accepted it.
    pub async fn connect(access: &BrokerAccess, topics: &Topics, id: String) -> SimulatedKiosk {
        let mut options = access.options(&client_id(&id), KIOSK_MAX_PACKET);
        options.set_last_will(LastWill::new(
            topics.status(&id),
            StatusReport::gone(&id).to_json(),
            QoS::AtLeastOnce,
            true,
            None,
        ));
        let (client, mut events) = AsyncClient::new(options, 8);
        client
            .publish(
                topics.status(&id),
                QoS::AtLeastOnce,
                true,
                report(&id, "v3").to_json(),
            )
            .await
            .unwrap();
        for commands in [topics.command(&id), topics.fleet_command()] {
            client.subscribe(commands, QoS::AtLeastOnce).await.unwrap();
        }
        // Connected before the next one comes: a thousand at once overflow
        // mosquitto's listen backlog, and the kernel's SYN retries then take
        // half a minute, which is not what the tests are about.
        loop {
            match events.poll().await {
                Ok(Event::Incoming(Packet::ConnAck(_))) => break,
                Ok(_) => {}
                Err(error) => panic!("simulated kiosk {id} cannot connect: {error}"),
            }
        }
        let syncs = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&syncs);
        let events = tokio::spawn(async move {
            while let Ok(event) = events.poll().await {
                if let Event::Incoming(Packet::Publish(message)) = event
                    && message.payload.as_ref() == b"sync"
                {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        SimulatedKiosk {
            id,
            client,
            syncs,
            events,
        }
    }

    /// Publishes a new retained status showing `version`.
    pub async fn shows(&self, topics: &Topics, version: &str) {
        self.client
            .publish(
                topics.status(&self.id),
                QoS::AtLeastOnce,
                true,
                report(&self.id, version).to_json(),
            )
            .await
            .unwrap();
    }
}
