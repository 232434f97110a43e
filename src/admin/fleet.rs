//! The admin's side of the fleet channel (`kioskctl push|status --broker`).

use std::collections::BTreeMap;
use std::time::Duration;

use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::Packet;
use rumqttc::v5::{AsyncClient, Event};

use crate::fleet::{ADMIN_MAX_PACKET, BrokerAccess, FleetError, SYNC_COMMAND, Topics, client_id};
use crate::kiosk::status::StatusReport;

/// How long to wait for the broker to answer at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// After subscribing, how long to wait for more retained statuses.
const SETTLE: Duration = Duration::from_millis(500);

/// Statuses on the broker: the kiosks', and what was skipped.
#[derive(Debug, Default)]
pub struct Statuses {
    /// Every kiosk's status, by kiosk id.
    pub reports: BTreeMap<String, StatusReport>,
    /// Messages on status topics that are not a kiosk's status, with why.
    pub skipped: Vec<String>,
}

impl Statuses {
    /// Takes one message of a status topic: a kiosk's report, or a line in
    /// [`Statuses::skipped`] saying why not.
    pub fn collect(&mut self, topics: &Topics, topic: &str, payload: &[u8]) {
        let Some(id) = topics.kiosk_of_status(topic) else {
            self.skipped
                .push(format!("{topic}: not a kiosk status topic"));
            return;
        };
        match serde_json::from_slice::<StatusReport>(payload) {
            Ok(report) if report.kiosk_id == id => {
                self.reports.insert(report.kiosk_id.clone(), report);
            }
            Ok(report) => self.skipped.push(format!(
                "{topic}: claims to be kiosk `{}`: a status is published only by its own kiosk",
                report.kiosk_id
            )),
            Err(error) => self
                .skipped
                .push(format!("{topic}: not a kiosk status ({error})")),
        }
    }
}

fn client(access: &BrokerAccess) -> (AsyncClient, rumqttc::v5::EventLoop) {
    AsyncClient::new(access.options(&client_id("kioskctl"), ADMIN_MAX_PACKET), 64)
}

/// Sends the sync command to these kiosks, or to every kiosk when `kiosk_ids`
/// is empty; returns once the broker has accepted every message.
pub async fn push(
    access: &BrokerAccess,
    topics: &Topics,
    kiosk_ids: &[String],
) -> Result<(), FleetError> {
    let broker = &access.broker;
    let (client, mut events) = client(access);
    let targets: Vec<String> = if kiosk_ids.is_empty() {
        vec![topics.fleet_command()]
    } else {
        kiosk_ids.iter().map(|id| topics.command(id)).collect()
    };
    for topic in &targets {
        client
            .publish(topic.as_str(), QoS::AtLeastOnce, false, SYNC_COMMAND)
            .await
            .map_err(|e| broker.connection_error(e))?;
    }
    let mut acknowledged = 0;
    let wait = async {
        while acknowledged < targets.len() {
            match events.poll().await {
                Ok(Event::Incoming(Packet::PubAck(_))) => acknowledged += 1,
                Ok(_) => {}
                Err(error) => return Err(broker.connection_error(error)),
            }
        }
        Ok(())
    };
    tokio::time::timeout(CONNECT_TIMEOUT, wait)
        .await
        .map_err(|_| broker.connection_error("no answer within 5 s"))??;
    let _ = client.disconnect().await;
    Ok(())
}

/// Every kiosk's retained status on the broker. Statuses larger than
/// [`ADMIN_MAX_PACKET`] are never delivered; ones that are not a kiosk's
/// report are skipped and named.
pub async fn statuses(access: &BrokerAccess, topics: &Topics) -> Result<Statuses, FleetError> {
    let broker = &access.broker;
    let (client, mut events) = client(access);
    client
        .subscribe(topics.all_statuses(), QoS::AtLeastOnce)
        .await
        .map_err(|e| broker.connection_error(e))?;
    let mut statuses = Statuses::default();
    let take = |statuses: &mut Statuses, topic: &[u8], payload: &[u8]| {
        statuses.collect(topics, &String::from_utf8_lossy(topic), payload);
    };
    let subscribed = async {
        loop {
            match events.poll().await {
                Ok(Event::Incoming(Packet::SubAck(_))) => return Ok(()),
                Ok(Event::Incoming(Packet::Publish(message))) => {
                    take(&mut statuses, &message.topic, &message.payload)
                }
                Ok(_) => {}
                Err(error) => return Err(broker.connection_error(error)),
            }
        }
    };
    tokio::time::timeout(CONNECT_TIMEOUT, subscribed)
        .await
        .map_err(|_| broker.connection_error("no answer within 5 s"))??;
    // Retained messages follow the subscription acknowledgement.
    let _ = tokio::time::timeout(SETTLE, async {
        while let Ok(event) = events.poll().await {
            if let Event::Incoming(Packet::Publish(message)) = event {
                take(&mut statuses, &message.topic, &message.payload);
            }
        }
    })
    .await;
    let _ = client.try_disconnect();
    Ok(statuses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_forged_statuses_are_skipped_and_named() {
        let topics = Topics::new("lobby");
        let mut statuses = Statuses::default();
        let report = StatusReport::gone("hall-1");
        statuses.collect(&topics, "lobby/hall-1/status", &report.to_json());
        statuses.collect(&topics, "lobby/hall-2/status", b"{ not json");
        statuses.collect(&topics, "lobby/ghost/status", &report.to_json());
        assert_eq!(statuses.reports.len(), 1);
        assert_eq!(statuses.skipped.len(), 2);
        assert!(statuses.skipped[0].starts_with("lobby/hall-2/status: not a kiosk status ("));
        assert!(statuses.skipped[1].contains("claims to be kiosk `hall-1`"));
    }
}
