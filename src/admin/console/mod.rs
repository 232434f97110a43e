//! `kioskctl console`: a local web app for the people who publish content.
//! This slice lists every item of the authoring folder with the validator's
//! findings, and edits notices and documents in the three languages,
//! writing the same files admins edit by hand.
//!
//! [`serve`] runs it on a listener the caller bound (a test binds port 0);
//! the modules: [`auth`] (password, sessions, CSRF), [`routes`] (the page
//! and its JSON API), [`content_api`] (lists and findings),
//! [`editable`] (the kinds with a form, behind one interface),
//! [`markdown_form`], [`guide_form`] and [`entries_form`] (form ↔ files), [`toml_values`] (TOML values ↔ form
//! fields), [`toml_entry`] (a TOML table ↔ a form's entry), [`paths`] (safe ids, writes inside the folder).

pub mod auth;
pub mod content_api;
pub mod editable;
pub mod entries_form;
pub mod fleet_api;
pub mod guide_form;
pub mod markdown_form;
pub mod new_item;
pub mod paths;
pub mod preview_api;
pub mod publish_api;
pub mod routes;
pub mod toml_entry;
pub mod toml_values;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::emulator::preview::PreviewRenderer;
use crate::fleet::{BrokerAccess, Topics};
use auth::{Access, AdminPassword, LoginAttempts, Sessions, random_token};
use fleet_api::FleetConsole;
use paths::ContentRoot;

/// What the console serves, and to whom.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// The authoring folder (the only folder the console writes).
    pub content: PathBuf,
    /// The repository folder publishing writes.
    pub repo: PathBuf,
    /// The folder of the role keys: never read for the browser, and refused
    /// inside the content folder (it would be published with it).
    pub keys: PathBuf,
    /// The admin password: required on any address but loopback, and
    /// then asked for by a login page.
    pub password: Option<AdminPassword>,
    /// The fleet's broker and topics, for the fleet table.
    pub fleet: Option<(BrokerAccess, Topics)>,
}

/// The console could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// A non-loopback address without a password.
    #[error(
        "{0} is reachable from other machines: set an admin password first (--password-file, holding the hash `kiosk hash-pin PASSWORD` prints), or listen on 127.0.0.1"
    )]
    PasswordRequired(SocketAddr),
    /// The content folder cannot be opened.
    #[error("cannot open the content folder {path}: {source}")]
    Content {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The keys are inside the content folder.
    #[error(
        "the key folder {0} is inside the content folder: move it out (the content folder is published, keys must never be)"
    )]
    KeysInsideContent(PathBuf),
    /// The listener or the server failed.
    #[error("the console's server failed: {0}")]
    Server(std::io::Error),
}

/// What the routes share.
pub struct ConsoleState {
    /// The content folder.
    pub content: ContentRoot,
    /// The repository folder publishing writes.
    pub repo: PathBuf,
    /// The role keys' folder (read only to sign, on this machine).
    pub keys: PathBuf,
    /// Renders the kiosk's screens for the preview.
    pub preview: PreviewRenderer,
    /// The fleet table, with `--broker`.
    pub fleet: Option<FleetConsole>,
    /// Who may come in.
    pub access: Access,
    /// Held while a save checks and writes files.
    pub save_lock: Mutex<()>,
}

/// A running console; [`ConsoleHandle::stop`] stops it.
pub struct ConsoleHandle {
    address: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl ConsoleHandle {
    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Its page's address.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Stops it (open requests are finished first).
    pub async fn stop(self) -> Result<(), ConsoleError> {
        // Sending fails only when the server has stopped already.
        let _ = self.shutdown.send(());
        Self::finished(self.task).await
    }

    /// Waits until the server stops (it runs until the process ends).
    pub async fn wait(self) -> Result<(), ConsoleError> {
        let ConsoleHandle { shutdown, task, .. } = self;
        let finished = Self::finished(task).await;
        drop(shutdown);
        finished
    }

    async fn finished(task: JoinHandle<std::io::Result<()>>) -> Result<(), ConsoleError> {
        match task.await {
            Ok(result) => result.map_err(ConsoleError::Server),
            Err(error) => Err(ConsoleError::Server(std::io::Error::other(error))),
        }
    }
}

/// Serves the console on `listener` until stopped.
pub async fn serve(
    listener: TcpListener,
    options: ConsoleOptions,
) -> Result<ConsoleHandle, ConsoleError> {
    let address = listener.local_addr().map_err(ConsoleError::Server)?;
    let access = match options.password {
        Some(password) => Access::Login {
            password,
            sessions: Sessions::default(),
            attempts: LoginAttempts::default(),
        },
        None if address.ip().is_loopback() => Access::Open {
            csrf: random_token().map_err(ConsoleError::Server)?,
        },
        None => return Err(ConsoleError::PasswordRequired(address)),
    };
    let content = ContentRoot::open(&options.content).map_err(|source| ConsoleError::Content {
        path: options.content.clone(),
        source,
    })?;
    if let Ok(keys) = std::fs::canonicalize(&options.keys)
        && std::fs::canonicalize(content.path()).is_ok_and(|content| keys.starts_with(content))
    {
        return Err(ConsoleError::KeysInsideContent(options.keys));
    }
    let state = Arc::new(ConsoleState {
        content,
        repo: options.repo,
        keys: options.keys,
        preview: PreviewRenderer::start(Config::demo()),
        fleet: options
            .fleet
            .map(|(access, topics)| FleetConsole::start(access, topics)),
        access,
        save_lock: Mutex::new(()),
    });
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = axum::serve(listener, routes::router(state)).with_graceful_shutdown(async {
        // A dropped handle stops the server too.
        let _ = stopped.await;
    });
    let task = tokio::spawn(async move { server.await });
    Ok(ConsoleHandle {
        address,
        shutdown,
        task,
    })
}
