//! Starts the kiosk's admin services that its config asks for: the HTTP
//! admin endpoint and the fleet channel. Both read the kiosk's shared
//! status and can only wake the verified sync.

use std::sync::Arc;

use super::endpoint::{Endpoint, EndpointError};
use super::fleet::Fleet;
use super::status::{ContentStatus, StatusHandle};
use crate::config::Config;
use crate::fleet::FleetError;
use crate::sync::runner::{SyncControl, SyncRequest, SyncTrigger};

/// The running services; they stop when this is dropped.
pub struct AdminServices {
    /// The HTTP endpoint, when `[admin_endpoint]` is configured.
    pub endpoint: Option<Endpoint>,
    /// The MQTT fleet channel, when `[fleet]` is configured.
    pub fleet: Option<Fleet>,
}

/// A service could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServicesError {
    /// The endpoint.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The fleet channel.
    #[error(transparent)]
    Fleet(#[from] FleetError),
}

/// The sync of a kiosk that shows the embedded demo content: there is none.
pub(super) struct NoRepository;

impl SyncControl for NoRepository {
    fn sync_now(&self) -> SyncRequest {
        tracing::warn!("sync requested, but no [repository] is configured: nothing to sync");
        SyncRequest::NoRepository
    }

    fn running_since(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        None
    }
}

/// Logs the services that did not start and puts them in `status`, where
/// they stay until a restart, whatever later syncs do.
pub fn report_in_status(status: &mut ContentStatus, problems: &[ServicesError]) {
    for problem in problems {
        let message = format!("admin service not started: {problem}");
        tracing::error!("{message}");
        status.service_errors.push(message);
    }
}

/// Starts what `config` enables. `trigger` is the background sync (None when
/// the kiosk shows the embedded demo content: a sync request is then refused).
///
/// A service that cannot start (its port taken, a bad broker address) is
/// left out and its error returned: the kiosk keeps showing content
/// without it rather than blanking the screen.
pub fn start(
    config: &Config,
    status: &StatusHandle,
    trigger: Option<SyncTrigger>,
) -> (AdminServices, Vec<ServicesError>) {
    let sync: Arc<dyn SyncControl> = match trigger {
        Some(trigger) => Arc::new(trigger),
        None => Arc::new(NoRepository),
    };
    let mut errors = Vec::new();
    let endpoint = config.admin_endpoint.as_ref().and_then(|endpoint| {
        Endpoint::start(endpoint, &config.kiosk_id, status.clone(), sync.clone())
            .map_err(|error| errors.push(ServicesError::from(error)))
            .ok()
    });
    let fleet = config.fleet.as_ref().and_then(|fleet| {
        Fleet::start(fleet, &config.kiosk_id, status.clone(), sync.clone())
            .map_err(|error| errors.push(ServicesError::from(error)))
            .ok()
    });
    (AdminServices { endpoint, fleet }, errors)
}
