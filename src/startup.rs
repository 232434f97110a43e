//! What the kiosk shows when it starts: the embedded demo content, or the
//! store's verified content with a background sync from the repository.

use std::sync::mpsc::Receiver;
use std::time::Duration;

use crate::config::{Config, RepositoryConfig};
use crate::content::{LoadedContent, demo};
use crate::store::Store;
use crate::sync::content::active_content;
use crate::sync::runner::{self, SyncReport, SyncTrigger};
use crate::sync::schedule::Schedule;
use crate::sync::{SyncEngine, SyncSettings};
use crate::ui::app::ContentStatus;
use crate::ui::{KioskWindow, fonts};

/// Content and sync as the kiosk starts.
pub struct Startup {
    /// Content to show now (None: nothing downloaded yet).
    pub content: Option<LoadedContent>,
    /// The initial status line.
    pub status: ContentStatus,
    /// The running background sync, when a repository is configured.
    pub sync: Option<(Receiver<SyncReport>, SyncTrigger)>,
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
    /// The sync thread could not start.
    #[error("cannot start the sync thread: {0}")]
    Thread(std::io::Error),
}

impl Startup {
    /// The embedded demo content, no sync.
    pub fn demo() -> Startup {
        Startup {
            content: Some(demo::content()),
            status: ContentStatus::embedded_demo(),
            sync: None,
        }
    }
}

/// Prepares content: the demo when no repository is configured, otherwise
/// the store's last verified content (shown offline too) and a sync thread.
pub fn prepare(config: &Config) -> Result<Startup, StartupError> {
    let Some(repository) = &config.repository else {
        return Ok(Startup::demo());
    };
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
        Ok(Some((version, content))) => {
            status.version = format!("v{version}");
            Some(content)
        }
        Ok(None) => None,
        Err(error) => {
            status.last_error = format!("stored content cannot be shown: {error}");
            None
        }
    };
    let settings = sync_settings(repository)?;
    let sync = match SyncEngine::new(settings, &repository.store.join("sync")) {
        Ok(engine) => {
            let (sender, receiver) = std::sync::mpsc::channel();
            let trigger = runner::spawn(engine, store, schedule(repository), move |event| {
                let _ = sender.send(event);
            })
            .map_err(StartupError::Thread)?;
            Some((receiver, trigger))
        }
        Err(error) => {
            // The stored content is still shown; the status says why nothing syncs.
            status.last_error = format!("sync cannot start: {error}");
            None
        }
    };
    Ok(Startup {
        content,
        status,
        sync,
    })
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

fn schedule(repository: &RepositoryConfig) -> Schedule {
    Schedule {
        interval: Duration::from_secs(u64::from(repository.interval_minutes.max(1)) * 60),
        jitter: Duration::from_secs(u64::from(repository.jitter_seconds)),
        backoff_cap: Duration::from_secs(u64::from(repository.backoff_max_minutes.max(1)) * 60),
        ..Schedule::default()
    }
}

/// Opens the kiosk window on the desktop (or the board) with the bundled
/// fonts. The 1080×1920 design does not fit most desktops: it is shown at
/// half size unless `SLINT_SCALE_FACTOR` is set (the board runs at 1.0).
/// Call before any other thread starts.
pub fn desktop_window(config: &Config) -> Result<KioskWindow, slint::PlatformError> {
    fonts::install(&config.font_dir());
    if std::env::var_os("SLINT_SCALE_FACTOR").is_none() {
        // SAFETY: called before the UI and any other thread start.
        unsafe { std::env::set_var("SLINT_SCALE_FACTOR", "0.5") };
    }
    KioskWindow::new()
}
