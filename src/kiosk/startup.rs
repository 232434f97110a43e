//! What the kiosk shows when it starts: the embedded demo content, or the
//! store's verified content with a background sync from the repository.

use std::sync::mpsc::Receiver;
use std::time::Duration;

use super::status::{ContentStatus, StatusHandle};
use crate::config::{Config, RepositoryConfig};
use crate::content::{Catalog, LoadedContent, demo};
use crate::service_thread::ServiceThread;
use crate::store::Store;
use crate::sync::content::active_content;
use crate::sync::runner::{self, SyncEvent, SyncTrigger};
use crate::sync::schedule::Schedule;
use crate::sync::{SyncEngine, SyncSettings};

/// Content and sync as the kiosk starts.
pub struct Startup {
    /// Content to show now (None: nothing downloaded yet).
    pub content: Option<LoadedContent>,
    /// The kiosk's status. The sync thread applies its reports to it there,
    /// so the admin endpoint and the fleet channel see them without waiting
    /// for the UI.
    pub status: StatusHandle,
    /// The running background sync, when a repository is configured.
    pub sync: Option<BackgroundSync>,
}

/// The background sync: it runs until this is dropped.
pub struct BackgroundSync {
    /// The new content it activates, for the UI to show.
    pub contents: Receiver<Box<LoadedContent>>,
    /// Wakes it ("sync now") and says whether it runs.
    pub trigger: SyncTrigger,
    /// Its thread; dropping it stops the sync.
    pub thread: ServiceThread,
}

/// The kiosk cannot start with this configuration.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The store folder cannot be opened.
    #[error("cannot open the content store: {0}")]
    Store(#[from] crate::store::StoreError),
    /// The trust anchor cannot be read.
    #[error(
        "cannot read the trust anchor {path}: {source} (install the repository's root.json there)"
    )]
    TrustAnchor {
        /// Configured path.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The trust anchor is not a TUF root.json.
    #[error(
        "the trust anchor {path} is not a TUF root.json: {message} (install the root.json that `kioskctl init` wrote there)"
    )]
    TrustAnchorInvalid {
        /// Configured path.
        path: std::path::PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The repository URL is invalid.
    #[error("repository.url `{url}` is not a valid URL: {source}")]
    Url {
        /// Configured URL.
        url: String,
        /// Why.
        source: url::ParseError,
    },
    /// A sync period of 0 (`Config::parse` refuses it too; this guards a
    /// config built in code).
    #[error("{0} must be at least 1")]
    ZeroPeriod(&'static str),
    /// The sync thread could not start.
    #[error("cannot start the sync thread: {0}")]
    Thread(std::io::Error),
}

impl Startup {
    /// The embedded demo content, no sync.
    pub fn demo() -> Startup {
        Startup {
            content: Some(demo::content()),
            status: StatusHandle::new(ContentStatus::embedded_demo()),
            sync: None,
        }
    }

    /// `catalog` with the demo's assets, no sync: synthetic and stress
    /// content for tests and benchmarks.
    pub fn with_catalog(catalog: Catalog) -> Startup {
        Startup {
            content: Some(LoadedContent {
                catalog,
                ..demo::content()
            }),
            ..Startup::demo()
        }
    }
}

/// What the configured kiosk shows now, without starting a sync: the demo
/// when no repository is configured, otherwise the store's last verified
/// content (`kiosk emulate` shows this).
pub fn stored(config: &Config) -> Result<Startup, StartupError> {
    let Some(repository) = &config.repository else {
        return Ok(Startup::demo());
    };
    let (_, content, status) = open_store(repository)?;
    Ok(Startup {
        content,
        status: StatusHandle::new(status),
        sync: None,
    })
}

/// Prepares content: the demo when no repository is configured, otherwise
/// the store's last verified content (shown offline too) and a sync thread.
pub fn prepare(config: &Config) -> Result<Startup, StartupError> {
    let Some(repository) = &config.repository else {
        return Ok(Startup::demo());
    };
    let schedule = schedule(repository)?;
    let (store, content, status) = open_store(repository)?;
    let status = StatusHandle::new(status);
    let settings = sync_settings(repository)?;
    let sync = match SyncEngine::new(settings, &repository.store.join("sync")) {
        Ok(engine) => {
            let (sender, receiver) = std::sync::mpsc::channel();
            let shared = status.clone();
            let (trigger, thread) = runner::spawn(engine, store, schedule, move |report| {
                shared.update(|status| status.apply(&report));
                if let SyncEvent::Updated(active) = report.event {
                    // The UI is gone only when the kiosk is shutting down.
                    let _ = sender.send(Box::new(active.content));
                }
            })
            .map_err(StartupError::Thread)?;
            Some(BackgroundSync {
                contents: receiver,
                trigger,
                thread,
            })
        }
        Err(error) => {
            // The stored content is still shown; the status says why nothing syncs.
            status.update(|status| status.last_error = format!("sync cannot start: {error}"));
            None
        }
    };
    Ok(Startup {
        content,
        status,
        sync,
    })
}

/// The store with its last verified content and the status to show.
fn open_store(
    repository: &RepositoryConfig,
) -> Result<(Store, Option<LoadedContent>, ContentStatus), StartupError> {
    let store = Store::open(&repository.store)?;
    let mut status = ContentStatus {
        source: repository.url.clone(),
        ..ContentStatus::default()
    };
    if let Some(reason) = store.fallback_reason() {
        status.last_error =
            format!("the newest stored content was damaged and is not shown: {reason}");
    }
    let content = match active_content(&store) {
        Ok(Some(active)) => {
            status.version = format!("v{}", active.version);
            status.content_updated = Some(active.activated);
            Some(active.content)
        }
        Ok(None) => None,
        Err(error) => {
            status.last_error = format!("stored content cannot be shown: {error}");
            None
        }
    };
    Ok((store, content, status))
}

/// Sync settings of a repository configuration.
pub fn sync_settings(repository: &RepositoryConfig) -> Result<SyncSettings, StartupError> {
    let root = std::fs::read(&repository.root).map_err(|source| StartupError::TrustAnchor {
        path: repository.root.clone(),
        source,
    })?;
    serde_json::from_slice::<tough::schema::Signed<tough::schema::Root>>(&root).map_err(
        |error| StartupError::TrustAnchorInvalid {
            path: repository.root.clone(),
            message: error.to_string(),
        },
    )?;
    let mut base = repository.url.clone();
    if !base.ends_with('/') {
        base.push('/');
    }
    let url = url::Url::parse(&base).map_err(|source| StartupError::Url {
        url: repository.url.clone(),
        source,
    })?;
    SyncSettings::for_base(&url, root).map_err(|source| StartupError::Url {
        url: repository.url.clone(),
        source,
    })
}

/// The sync schedule of a repository configuration; a period of 0 is
/// refused, not made 1 (it would sync, or retry, over and over).
fn schedule(repository: &RepositoryConfig) -> Result<Schedule, StartupError> {
    let minutes = |key: &'static str, value: u32| match value {
        0 => Err(StartupError::ZeroPeriod(key)),
        minutes => Ok(Duration::from_secs(u64::from(minutes) * 60)),
    };
    Ok(Schedule {
        interval: minutes("repository.interval_minutes", repository.interval_minutes)?,
        jitter: Duration::from_secs(u64::from(repository.jitter_seconds)),
        backoff_cap: minutes(
            "repository.backoff_max_minutes",
            repository.backoff_max_minutes,
        )?,
        ..Schedule::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repository(interval_minutes: u32, backoff_max_minutes: u32) -> RepositoryConfig {
        RepositoryConfig {
            url: "https://example.org/repo/".into(),
            root: "/etc/lobby-kiosk/root.json".into(),
            store: "/var/lib/lobby-kiosk/store".into(),
            interval_minutes,
            jitter_seconds: 0,
            backoff_max_minutes,
        }
    }

    #[test]
    fn a_sync_period_of_zero_is_refused_not_made_one() {
        for (interval, backoff, key) in [
            (0, 30, "repository.interval_minutes"),
            (10, 0, "repository.backoff_max_minutes"),
        ] {
            match schedule(&repository(interval, backoff)) {
                Err(error) => assert_eq!(error.to_string(), format!("{key} must be at least 1")),
                Ok(_) => panic!("{key} = 0 was accepted"),
            }
        }
        let schedule = schedule(&repository(10, 30)).unwrap();
        assert_eq!(schedule.interval, Duration::from_secs(600));
        assert_eq!(schedule.backoff_cap, Duration::from_secs(1800));
    }
}
