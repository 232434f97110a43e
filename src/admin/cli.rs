//! `kioskctl`: the admin's command line for content, repository and kiosks.
//! The binary (`src/bin/kioskctl.rs`) only parses arguments and calls [`run`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use super::client::{KioskClient, KioskError};
use crate::content::authoring::{Diagnostics, validate_folder};
use crate::fleet::{BrokerAccess, FleetError, Topics};
use crate::kiosk::status::StatusReport;
use crate::repo::RepoError;
use crate::repo::history::{PublishedVersion, republish, versions};
use crate::repo::keys::{KeyDir, role_name};
use crate::repo::publish::{
    ChangeReport, PublishOptions, RepoPaths, init_repository, plan_folder, publish_folder,
};
use crate::repo::rotate::rotate_key;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  failure (files, keys, repository, broker), with what to do
  2  wrong command-line usage
  3  the content folder has errors (each printed as file:line:col: message)
  4  one or more kiosks could not be reached, refused, or are offline";

/// Lobby kiosk admin tool: write, check, publish and push content; see which kiosk shows what.
#[derive(Parser, Debug)]
#[command(name = "kioskctl", version, about, after_help = EXIT_CODES)]
pub struct Args {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the publisher's role keys are.
#[derive(clap::Args, Debug)]
pub struct KeysArg {
    /// Folder of the publisher's private role keys (root.key, targets.key, …).
    #[arg(long, default_value = "keys", env = "KIOSKCTL_KEYS")]
    pub keys: PathBuf,
}

/// How long a publication stays fresh.
#[derive(clap::Args, Debug)]
pub struct LifetimeArg {
    /// Days timestamp.json stays valid (kiosks call content out of date after that).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u64).range(1..))]
    pub timestamp_days: u64,
}

/// How to reach the fleet's MQTT broker.
#[derive(clap::Args, Debug)]
pub struct BrokerArgs {
    /// Go through this MQTT broker (mqtt://host:port, or mqtts://host:port
    /// for TLS).
    #[arg(id = "broker", long = "broker")]
    pub url: Option<String>,
    /// User name on the broker.
    #[arg(id = "broker_user", long = "broker-user", env = "KIOSKCTL_BROKER_USER")]
    pub user: Option<String>,
    /// File holding the broker password (one line).
    #[arg(
        id = "broker_password_file",
        long = "broker-password-file",
        env = "KIOSKCTL_BROKER_PASSWORD_FILE"
    )]
    pub password_file: Option<PathBuf>,
    /// For mqtts://: PEM file of the CA that signed the broker's certificate
    /// (without it, the system's roots).
    #[arg(id = "broker_ca", long = "broker-ca")]
    pub ca: Option<PathBuf>,
    /// First level of the fleet's MQTT topics (fleet.topic_prefix in kiosk.toml).
    #[arg(long, default_value = "kiosk")]
    pub topic_prefix: String,
}

impl BrokerArgs {
    /// The broker's access and topics, when a broker is given.
    pub fn access(&self) -> Result<Option<(BrokerAccess, Topics)>, CliError> {
        let Some(url) = &self.url else {
            return Ok(None);
        };
        let access = BrokerAccess::from_files(
            url,
            self.user.as_deref(),
            self.password_file.as_deref(),
            self.ca.as_deref(),
        )?;
        Ok(Some((access, Topics::new(&self.topic_prefix))))
    }
}

/// How to reach kiosks.
#[derive(clap::Args, Debug)]
pub struct KioskArgs {
    /// Kiosks: admin endpoint addresses (http://host:port or host:port), or
    /// kiosk ids with --broker (none: every kiosk).
    pub kiosks: Vec<String>,
    #[command(flatten)]
    /// The broker, instead of the kiosks' endpoints.
    pub broker: BrokerArgs,
    /// Bearer token of the kiosks' admin endpoints.
    #[arg(long, env = "KIOSKCTL_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// kioskctl's commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the four TUF role keys (owner-only files) where missing.
    #[command(after_help = EXIT_CODES)]
    Keygen {
        #[command(flatten)]
        /// Key folder.
        keys: KeysArg,
    },
    /// Create a new repository and the root.json kiosks trust (creates missing keys).
    #[command(after_help = EXIT_CODES)]
    Init {
        /// The repository folder to create.
        #[arg(long)]
        repo: PathBuf,
        #[command(flatten)]
        /// Key folder.
        keys: KeysArg,
        /// Days root.json stays valid.
        #[arg(long, default_value_t = 365)]
        root_days: u64,
    },
    /// Replace one role's key: writes root.json version N+1 signed as TUF requires; publish afterwards.
    #[command(after_help = EXIT_CODES)]
    RotateKey {
        /// The role: root, targets, snapshot or timestamp.
        #[arg(value_parser = parse_role)]
        role: tough::schema::RoleType,
        /// The repository folder.
        #[arg(long)]
        repo: PathBuf,
        #[command(flatten)]
        /// Key folder.
        keys: KeysArg,
        /// Days the new root.json stays valid.
        #[arg(long, default_value_t = 365)]
        root_days: u64,
    },
    /// Check a content folder: every error as file:line:col, and warnings.
    #[command(after_help = EXIT_CODES)]
    Validate {
        /// The authoring folder.
        content: PathBuf,
    },
    /// Build, sign and write a new repository version from a content folder.
    #[command(after_help = EXIT_CODES)]
    Publish {
        /// The authoring folder.
        content: PathBuf,
        /// The repository folder (made with `kioskctl init`).
        #[arg(long)]
        repo: PathBuf,
        #[command(flatten)]
        /// Key folder.
        keys: KeysArg,
        #[command(flatten)]
        /// Metadata lifetime.
        lifetime: LifetimeArg,
        /// Also publish assets that no item uses (by default they are left out).
        #[arg(long)]
        include_unused_assets: bool,
        /// Only say what would be published and what kiosks would download;
        /// sign and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// List the published versions, newest first, with what each changed.
    #[command(after_help = EXIT_CODES)]
    History {
        /// The repository folder.
        #[arg(long)]
        repo: PathBuf,
    },
    /// Publish an earlier version's content again, as a new version (kiosks
    /// take it as the newest; rollback protection stays intact).
    #[command(after_help = EXIT_CODES)]
    Republish {
        /// The version whose content to publish again (see `kioskctl history`).
        version: u64,
        /// The repository folder.
        #[arg(long)]
        repo: PathBuf,
        #[command(flatten)]
        /// Key folder.
        keys: KeysArg,
        #[command(flatten)]
        /// Metadata lifetime.
        lifetime: LifetimeArg,
    },
    /// Import the department site's columns (HTML list pages, RSS/Atom feeds) as notices.
    ///
    /// Writes only notices/mirror-*.md and assets/mirror/ in the content
    /// folder; pages that fail are reported and skipped. Check and publish
    /// the result as usual. See docs/authoring.md, section 15.
    #[command(after_help = EXIT_CODES)]
    Mirror {
        /// The authoring folder to import into.
        content: PathBuf,
        /// The mirror configuration: which columns, which selectors.
        #[arg(long, default_value = "mirror.toml")]
        config: PathBuf,
    },
    /// Show the real kiosk UI in a desktop window on a content folder, reloading on changes.
    #[command(after_help = EXIT_CODES)]
    Preview {
        /// The authoring folder.
        content: PathBuf,
    },
    #[cfg(feature = "emulator")]
    /// Serve the admin console: a web page to find, check and edit content (see README, "Admin console").
    ///
    /// On 127.0.0.1 (the default) it is open to this machine's user; any
    /// other address needs --password-file, and then asks for the password.
    #[command(after_help = EXIT_CODES)]
    Console {
        /// The authoring folder (the only folder the console writes).
        #[arg(long)]
        content: PathBuf,
        /// The repository folder (made with `kioskctl init`).
        #[arg(long)]
        repo: PathBuf,
        #[command(flatten)]
        /// Key folder (never read for the browser).
        keys: KeysArg,
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// File holding the hex SHA-256 of the admin password, as `kiosk
        /// hash-pin PASSWORD` prints it; required on any address but loopback.
        #[arg(long, env = "KIOSKCTL_CONSOLE_PASSWORD_FILE")]
        password_file: Option<PathBuf>,
        #[command(flatten)]
        /// The fleet table's broker.
        broker: BrokerArgs,
    },
    /// Make kiosks sync now.
    #[command(after_help = EXIT_CODES)]
    Push {
        #[command(flatten)]
        /// Kiosks.
        target: KioskArgs,
    },
    /// Table of kiosk id, online/offline, content version, last successful sync, last error.
    #[command(after_help = EXIT_CODES)]
    Status {
        #[command(flatten)]
        /// Kiosks.
        target: KioskArgs,
    },
}

fn parse_role(text: &str) -> Result<tough::schema::RoleType, String> {
    crate::repo::keys::ROLES
        .into_iter()
        .find(|role| role_name(*role) == text)
        .ok_or_else(|| format!("`{text}` is not a role: use root, targets, snapshot or timestamp"))
}

/// A kioskctl command that failed; [`CliError::exit_code`] is the process's exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Content errors.
    #[error("{count} error(s) in the content folder: fix them and run again", count = .0.errors().count())]
    Content(Diagnostics),
    /// Repository or key failure.
    #[error(transparent)]
    Repo(RepoError),
    /// Broker failure.
    #[error(transparent)]
    Fleet(#[from] FleetError),
    /// Some kiosks failed (each already reported).
    #[error("{0} kiosk(s) could not be reached, refused, or are offline (see above)")]
    Kiosks(usize),
    /// Missing argument or setting.
    #[error("{0}")]
    Usage(String),
    /// The preview window failed.
    #[error(transparent)]
    Preview(#[from] super::preview::PreviewError),
    /// The mirror configuration is unusable.
    #[error(transparent)]
    MirrorConfig(#[from] crate::mirror::config::ConfigError),
    /// The mirror could not run.
    #[error(transparent)]
    Mirror(#[from] crate::mirror::MirrorError),
    #[cfg(feature = "emulator")]
    /// The admin console could not start or failed.
    #[error(transparent)]
    Console(#[from] super::console::ConsoleError),
    #[cfg(feature = "emulator")]
    /// The console's password file is unusable.
    #[error(transparent)]
    Password(#[from] super::console::auth::PasswordError),
    /// A runtime could not start.
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
}

impl From<RepoError> for CliError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::Content(invalid) => CliError::Content(invalid.diagnostics),
            other => CliError::Repo(other),
        }
    }
}

impl CliError {
    /// The documented exit code (see `kioskctl --help`).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Content(_) => 3,
            CliError::Kiosks(_) => 4,
            CliError::Usage(_) => 2,
            _ => 1,
        }
    }
}

/// Runs one command, printing results on stdout and findings on stderr.
pub fn run(args: Args) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    runtime.block_on(run_async(args.command))
}

async fn run_async(command: Command) -> Result<(), CliError> {
    match command {
        Command::Keygen { keys } => {
            let created = KeyDir::new(&keys.keys).generate_missing()?;
            if created.is_empty() {
                println!(
                    "all four role keys already exist in {}",
                    keys.keys.display()
                );
            }
            for path in created {
                println!("created {}", path.display());
            }
            Ok(())
        }
        Command::Init {
            repo,
            keys,
            root_days,
        } => {
            let anchor = init_repository(
                &RepoPaths::new(&repo),
                &KeyDir::new(&keys.keys),
                days(root_days),
            )
            .await?;
            println!(
                "created repository {}\ninstall {} on every kiosk (repository.root in kiosk.toml); keep {} private",
                repo.display(),
                anchor.display(),
                keys.keys.display()
            );
            Ok(())
        }
        Command::RotateKey {
            role,
            repo,
            keys,
            root_days,
        } => {
            let rotation = rotate_key(
                &RepoPaths::new(&repo),
                &KeyDir::new(&keys.keys),
                role,
                days(root_days),
            )
            .await?;
            println!(
                "new {} key; root.json is now version {} (kiosks follow it on their next sync)\nold key kept as {}: destroy it once every kiosk has synced\nnow run `kioskctl publish` so the repository is signed with the new key",
                role_name(role),
                rotation.root_version,
                rotation.retired_key.display()
            );
            Ok(())
        }
        Command::Validate { content } => validate(&content),
        Command::Publish {
            content,
            repo,
            keys,
            lifetime,
            include_unused_assets,
            dry_run,
        } => {
            let spinner = spinner(format!("publishing {}", content.display()));
            let options = PublishOptions {
                timestamp_lifetime: days(lifetime.timestamp_days),
                include_unused_assets,
                ..PublishOptions::default()
            };
            let repo = RepoPaths::new(&repo);
            let result = if dry_run {
                plan_folder(&content, &repo, options)
            } else {
                publish_folder(&content, &repo, &KeyDir::new(&keys.keys), options).await
            };
            spinner.finish_and_clear();
            let (report, warnings) = match result {
                Ok(published) => published,
                Err(RepoError::Content(invalid)) => {
                    eprint!("{}", invalid.diagnostics);
                    return Err(CliError::Content(invalid.diagnostics));
                }
                Err(error) => return Err(error.into()),
            };
            eprint!("{warnings}");
            print!("{}", describe(&report, !dry_run));
            Ok(())
        }
        Command::History { repo } => {
            print!("{}", history_table(&versions(&RepoPaths::new(&repo))?));
            Ok(())
        }
        Command::Republish {
            version,
            repo,
            keys,
            lifetime,
        } => {
            let options = PublishOptions {
                timestamp_lifetime: days(lifetime.timestamp_days),
                ..PublishOptions::default()
            };
            let report = republish(
                &RepoPaths::new(&repo),
                &KeyDir::new(&keys.keys),
                version,
                options,
            )
            .await?;
            print!("{}", describe(&report, true));
            Ok(())
        }
        // The window's event loop runs on this (the main) thread until it closes.
        Command::Preview { content } => Ok(super::preview::run(&content)?),
        Command::Mirror { content, config } => mirror(&content, &config).await,
        Command::Push { target } => push(&target).await,
        Command::Status { target } => status(&target).await,
        #[cfg(feature = "emulator")]
        Command::Console {
            content,
            repo,
            keys,
            listen,
            password_file,
            broker,
        } => {
            let password = password_file
                .map(|file| super::console::auth::AdminPassword::from_file(&file))
                .transpose()?;
            console(
                super::console::ConsoleOptions {
                    content,
                    repo,
                    keys: keys.keys,
                    password,
                    fleet: broker.access()?,
                },
                listen,
            )
            .await
        }
    }
}

/// Serves the admin console until the process is stopped.
#[cfg(feature = "emulator")]
async fn console(
    options: super::console::ConsoleOptions,
    listen: std::net::SocketAddr,
) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(super::console::ConsoleError::Server)?;
    let login = if options.password.is_some() {
        "with a login"
    } else {
        "open to this machine"
    };
    let handle = super::console::serve(listener, options).await?;
    println!(
        "admin console at {} ({login}); stop with Ctrl-C",
        handle.url()
    );
    Ok(handle.wait().await?)
}

fn days(days: u64) -> Duration {
    Duration::from_secs(days.saturating_mul(24 * 3600))
}

fn spinner(message: String) -> ProgressBar {
    let spinner = ProgressBar::new_spinner().with_message(message);
    spinner.enable_steady_tick(Duration::from_millis(100));
    spinner
}

async fn mirror(content: &Path, config: &Path) -> Result<(), CliError> {
    let config = crate::mirror::config::MirrorConfig::load(config)?;
    let spinner = spinner(format!("mirroring into {}", content.display()));
    let progress = spinner.clone();
    let report = crate::mirror::mirror(&config, content, &move |page| {
        progress.set_message(page.to_owned());
    })
    .await;
    spinner.finish_and_clear();
    let report = report?;
    for failure in &report.failed {
        eprintln!("skipped: {failure}");
    }
    for url in &report.added {
        println!("+ {url}");
    }
    for url in &report.updated {
        println!("~ {url}");
    }
    println!(
        "{} added, {} updated, {} unchanged, {} skipped; next: kioskctl validate {} and kioskctl publish",
        report.added.len(),
        report.updated.len(),
        report.unchanged,
        report.failed.len(),
        content.display()
    );
    Ok(())
}

fn validate(content: &Path) -> Result<(), CliError> {
    let diagnostics = validate_folder(content, chrono::Utc::now());
    eprint!("{diagnostics}");
    if diagnostics.has_errors() {
        return Err(CliError::Content(diagnostics));
    }
    println!(
        "{}: no errors, {} warning(s)",
        content.display(),
        diagnostics.warnings().count()
    );
    Ok(())
}

/// The change report as admins read it.
pub fn describe(report: &ChangeReport, published: bool) -> String {
    let (done, download) = if published {
        ("published", "kiosks download")
    } else {
        ("would publish", "kiosks would download about")
    };
    let mut text = format!(
        "{done} version {}: {} added, {} changed, {} removed ({} of {} files new; {download} {})\n",
        report.version,
        report.added.len(),
        report.changed.len(),
        report.removed.len(),
        report.new_targets,
        report.total_targets,
        bytes(report.download_bytes())
    );
    for (mark, items) in [
        ("+", &report.added),
        ("~", &report.changed),
        ("-", &report.removed),
    ] {
        for item in items {
            text.push_str(&format!("  {mark} {item}\n"));
        }
    }
    text
}

/// A byte count as people read it (B, kB, MB; powers of 1000).
fn bytes(count: u64) -> String {
    match count {
        0..1_000 => format!("{count} B"),
        1_000..1_000_000 => format!("{:.1} kB", count as f64 / 1e3),
        _ => format!("{:.1} MB", count as f64 / 1e6),
    }
}

/// The published versions as a table, newest first.
pub fn history_table(versions: &[PublishedVersion]) -> String {
    let mut text =
        String::from("VERSION  PUBLISHED             ADDED  CHANGED  REMOVED  DOWNLOAD  NOTE\n");
    for v in versions {
        let published = v.published_at.map_or("—".into(), |at| {
            at.format("%Y-%m-%d %H:%M:%SZ").to_string()
        });
        let note = v
            .republished_from
            .map_or(String::new(), |from| format!("content of version {from}"));
        let line = format!(
            "{:<7}  {published:<20}  {:<5}  {:<7}  {:<7}  {:<8}  {note}",
            v.version,
            v.added,
            v.changed,
            v.removed,
            bytes(v.download_bytes)
        );
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn token(target: &KioskArgs) -> Result<String, CliError> {
    target.token.clone().ok_or_else(|| {
        CliError::Usage(
            "no token: pass --token or set KIOSKCTL_TOKEN to the kiosks' admin endpoint token"
                .into(),
        )
    })
}

async fn push(target: &KioskArgs) -> Result<(), CliError> {
    if let Some((access, topics)) = target.broker.access()? {
        super::fleet::push(&access, &topics, &target.kiosks).await?;
        let broker = &access.broker;
        if target.kiosks.is_empty() {
            println!(
                "sync requested from every kiosk via {}:{}",
                broker.host, broker.port
            );
        } else {
            println!("sync requested from {}", target.kiosks.join(", "));
        }
        return Ok(());
    }
    let client = KioskClient::new(&token(target)?);
    let results = for_each_kiosk(&target.kiosks, "pushing", |kiosk| client.push(kiosk)).await?;
    let mut failed = 0;
    for (kiosk, result) in results {
        match result {
            Ok(message) => println!("{kiosk}: {message}"),
            Err(error) => {
                failed += 1;
                eprintln!("{error}");
            }
        }
    }
    if failed > 0 {
        return Err(CliError::Kiosks(failed));
    }
    Ok(())
}

async fn for_each_kiosk<'a, T, F, Fut>(
    kiosks: &'a [String],
    what: &str,
    call: F,
) -> Result<Vec<(&'a String, Result<T, KioskError>)>, CliError>
where
    F: Fn(&'a str) -> Fut,
    Fut: std::future::Future<Output = Result<T, KioskError>>,
{
    if kiosks.is_empty() {
        return Err(CliError::Usage(
            "name at least one kiosk address (or use --broker to reach every kiosk)".into(),
        ));
    }
    let bar = ProgressBar::new(kiosks.len() as u64).with_message(what.to_owned());
    if let Ok(style) = ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}") {
        bar.set_style(style);
    }
    let calls = kiosks.iter().map(|kiosk| {
        let bar = bar.clone();
        let call = &call;
        async move {
            let result = call(kiosk).await;
            bar.inc(1);
            (kiosk, result)
        }
    });
    let results = futures::future::join_all(calls).await;
    bar.finish_and_clear();
    Ok(results)
}

/// One row of the status table.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRow {
    /// Kiosk id (or its address when it did not answer).
    pub kiosk: String,
    /// "online", "offline" or "unknown".
    pub state: String,
    /// Content version.
    pub version: String,
    /// Last successful sync.
    pub last_sync: String,
    /// Last error.
    pub last_error: String,
}

impl StatusRow {
    fn from_report(report: &StatusReport) -> Self {
        StatusRow {
            kiosk: report.kiosk_id.clone(),
            state: match (report.running, report.syncing_since) {
                (false, _) => "offline".into(),
                (true, None) => "online".into(),
                (true, Some(since)) => {
                    format!("online, syncing since {}", since.format("%H:%M:%SZ"))
                }
            },
            version: or_dash(&report.version),
            last_sync: report.last_success.map_or("—".into(), |at| {
                at.format("%Y-%m-%d %H:%M:%SZ").to_string()
            }),
            last_error: or_dash(&report.problems().join("; ")),
        }
    }

    fn missing(kiosk: &str, state: &str, error: String) -> Self {
        StatusRow {
            kiosk: kiosk.to_owned(),
            state: state.into(),
            version: "—".into(),
            last_sync: "—".into(),
            last_error: error,
        }
    }
}

fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "—".into()
    } else {
        text.to_owned()
    }
}

/// The rows as an aligned text table with a header.
pub fn table(rows: &[StatusRow]) -> String {
    let header = ["KIOSK", "STATE", "VERSION", "LAST SYNC", "LAST ERROR"];
    let cells: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.kiosk.as_str(),
                &r.state,
                &r.version,
                &r.last_sync,
                &r.last_error,
            ]
        })
        .collect();
    let width = |i: usize| {
        cells
            .iter()
            .map(|c| c[i].chars().count())
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..4).map(width).collect();
    let line = |c: [&str; 5]| {
        let mut text = String::new();
        for (i, cell) in c.iter().enumerate().take(4) {
            text.push_str(&format!("{cell:<w$}  ", w = widths[i]));
        }
        text.push_str(c[4]);
        text.trim_end().to_owned() + "\n"
    };
    let mut text = line(header);
    for c in cells {
        text.push_str(&line(c));
    }
    text
}

async fn status(target: &KioskArgs) -> Result<(), CliError> {
    let rows = if let Some((access, topics)) = target.broker.access()? {
        let statuses = super::fleet::statuses(&access, &topics).await?;
        for skipped in &statuses.skipped {
            eprintln!("skipped {skipped}");
        }
        let reports = statuses.reports;
        if target.kiosks.is_empty() {
            reports.values().map(StatusRow::from_report).collect()
        } else {
            target
                .kiosks
                .iter()
                .map(|id| match reports.get(id) {
                    Some(report) => StatusRow::from_report(report),
                    None => StatusRow::missing(
                        id,
                        "unknown",
                        "no status on the broker: check the kiosk id and its [fleet] config".into(),
                    ),
                })
                .collect()
        }
    } else {
        let client = KioskClient::new(&token(target)?);
        for_each_kiosk(&target.kiosks, "asking", |kiosk| client.status(kiosk))
            .await?
            .into_iter()
            .map(|(kiosk, result)| match result {
                Ok(report) => StatusRow::from_report(&report),
                Err(error) => StatusRow::missing(kiosk, "offline", error.to_string()),
            })
            .collect::<Vec<_>>()
    };
    print!("{}", table(&rows));
    let bad = rows
        .iter()
        .filter(|row| !row.state.starts_with("online"))
        .count();
    if bad > 0 {
        return Err(CliError::Kiosks(bad));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns_and_marks_missing_values() {
        let rows = vec![
            StatusRow::from_report(&StatusReport {
                kiosk_id: "hall-1".into(),
                running: true,
                repository_reachable: true,
                out_of_date: false,
                version: "v12".into(),
                content_updated: None,
                last_success: None,
                last_error: String::new(),
                service_errors: Vec::new(),
                speech_unavailable: String::new(),
                syncing_since: None,
                started_at: None,
                reported_at: chrono::Utc::now(),
            }),
            StatusRow::missing("10.0.0.9:8470", "offline", "cannot reach".into()),
        ];
        let text = table(&rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        let column = lines[0].find("STATE").unwrap();
        assert_eq!(lines[1].find("online"), Some(column));
        assert_eq!(lines[2].find("offline"), Some(column));
        assert!(
            lines[1].contains("v12") && lines[1].ends_with('—'),
            "{text}"
        );
    }

    #[test]
    fn exit_codes_follow_the_documentation() {
        assert_eq!(CliError::Content(Diagnostics::default()).exit_code(), 3);
        assert_eq!(CliError::Kiosks(2).exit_code(), 4);
        assert_eq!(CliError::Usage("x".into()).exit_code(), 2);
        assert!(EXIT_CODES.contains("3  the content folder has errors"));
    }

    #[test]
    fn every_command_documents_itself_and_the_exit_codes() {
        use clap::CommandFactory;
        let mut command = Args::command();
        command.build();
        let names: Vec<String> = command
            .get_subcommands()
            .map(|sub| sub.get_name().to_owned())
            .collect();
        assert!(names.len() >= 8, "{names:?}");
        for sub in command.get_subcommands_mut() {
            let help = sub.render_long_help().to_string();
            if sub.get_name() == "help" {
                continue;
            }
            assert!(
                sub.get_about().is_some(),
                "{} has no description",
                sub.get_name()
            );
            assert!(help.contains("Exit codes:"), "{}: {help}", sub.get_name());
        }
    }

    #[test]
    fn roles_by_name() {
        assert_eq!(parse_role("targets"), Ok(tough::schema::RoleType::Targets));
        assert!(parse_role("admin").unwrap_err().contains("not a role"));
    }
}
