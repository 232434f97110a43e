//! The admin's side of the fleet channel (`kioskctl push|status --broker`).

use std::collections::BTreeMap;
use std::time::Duration;

use rumqttc::{AsyncClient, Event, Packet, QoS};

use super::{Broker, FleetError, SYNC_COMMAND, Topics};
use crate::admin::status::StatusReport;

/// How long to wait for the broker to answer at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// After subscribing, how long to wait for more retained statuses.
const SETTLE: Duration = Duration::from_millis(500);

fn client(broker: &Broker) -> (AsyncClient, rumqttc::EventLoop) {
    let id = format!(
        "kioskctl-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    AsyncClient::new(broker.options(&id), 64)
}

/// Sends the sync command to these kiosks, or to every kiosk when `kiosk_ids`
/// is empty; returns once the broker has accepted every message.
pub async fn push(
    broker: &Broker,
    topics: &Topics,
    kiosk_ids: &[String],
) -> Result<(), FleetError> {
    let (client, mut events) = client(broker);
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

/// Every kiosk's retained status on the broker, by kiosk id.
pub async fn statuses(
    broker: &Broker,
    topics: &Topics,
) -> Result<BTreeMap<String, StatusReport>, FleetError> {
    let (client, mut events) = client(broker);
    client
        .subscribe(topics.all_statuses(), QoS::AtLeastOnce)
        .await
        .map_err(|e| broker.connection_error(e))?;
    let mut reports = BTreeMap::new();
    let subscribed = async {
        loop {
            match events.poll().await {
                Ok(Event::Incoming(Packet::SubAck(_))) => return Ok(()),
                Ok(Event::Incoming(Packet::Publish(message))) => {
                    collect(&mut reports, &message.payload)
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
                collect(&mut reports, &message.payload);
            }
        }
    })
    .await;
    let _ = client.try_disconnect();
    Ok(reports)
}

fn collect(reports: &mut BTreeMap<String, StatusReport>, payload: &[u8]) {
    match serde_json::from_slice::<StatusReport>(payload) {
        Ok(report) => {
            reports.insert(report.kiosk_id.clone(), report);
        }
        Err(error) => tracing::warn!("ignoring a status that is not a kiosk report: {error}"),
    }
}
