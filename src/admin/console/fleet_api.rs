//! The fleet routes: the live table of kiosks from their retained MQTT
//! status ([`crate::admin::fleet_watch`]), answered at once or, with
//! `?after=<revision>`, as soon as it changes (long polling: a page sees a
//! kiosk's change within a second of the broker delivering it), and "sync
//! now" for some kiosks or all.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::ConsoleState;
use super::routes::{ApiError, JsonBody};
use crate::admin::fleet;
use crate::admin::fleet_watch::{DEFAULT_STALE_AFTER, FleetSnapshot, FleetWatch};
use crate::fleet::{BrokerAccess, Topics};

/// Longest a long poll waits for a change.
const LONG_POLL: Duration = Duration::from_secs(20);

/// The console's side of the fleet: the live table and how to send commands.
pub struct FleetConsole {
    /// The live table.
    pub watch: FleetWatch,
    /// How to reach the broker.
    pub access: BrokerAccess,
    /// The fleet's topics.
    pub topics: Topics,
}

impl FleetConsole {
    /// Watches the fleet on the broker (in the current tokio runtime).
    pub fn start(access: BrokerAccess, topics: Topics) -> FleetConsole {
        FleetConsole {
            watch: FleetWatch::start(access.clone(), topics.clone()),
            access,
            topics,
        }
    }
}

/// `?after=<revision>`: wait for a table newer than that.
#[derive(Debug, Deserialize)]
pub struct After {
    after: Option<u64>,
}

fn fleet_of(state: &ConsoleState) -> Result<&FleetConsole, ApiError> {
    state.fleet.as_ref().ok_or(ApiError::NotConfigured(
        "the console was started without --broker: no fleet to show",
    ))
}

/// `GET /api/fleet[?after=N]`: the table (after a change past revision N,
/// or after [`LONG_POLL`]).
pub(super) async fn table(
    State(state): State<Arc<ConsoleState>>,
    Query(after): Query<After>,
) -> Result<Json<FleetSnapshot>, ApiError> {
    let fleet = fleet_of(&state)?;
    if let Some(seen) = after.after {
        let mut changes = fleet.watch.changes();
        let _ =
            tokio::time::timeout(LONG_POLL, changes.wait_for(|revision| *revision > seen)).await;
    }
    Ok(Json(fleet.watch.snapshot(Utc::now(), DEFAULT_STALE_AFTER)))
}

/// The kiosks to sync now.
#[derive(Debug, Deserialize)]
pub struct SyncNow {
    /// Kiosk ids; empty: every kiosk.
    pub kiosks: Vec<String>,
}

/// What was asked of the kiosks.
#[derive(Debug, Serialize)]
pub struct Asked {
    /// The kiosks asked, or empty for all.
    pub kiosks: Vec<String>,
}

/// `POST /api/fleet/sync`: asks the kiosks named (or all) to sync now.
pub(super) async fn sync_now(
    State(state): State<Arc<ConsoleState>>,
    JsonBody(asked): JsonBody<SyncNow>,
) -> Result<Json<Asked>, ApiError> {
    let fleet = fleet_of(&state)?;
    for id in &asked.kiosks {
        if !crate::content::authoring::is_valid_id(id) {
            return Err(ApiError::BadRequest(format!("`{id}` is not a kiosk id")));
        }
    }
    fleet::push(&fleet.access, &fleet.topics, &asked.kiosks)
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    Ok(Json(Asked {
        kiosks: asked.kiosks,
    }))
}
