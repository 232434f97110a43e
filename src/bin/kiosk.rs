//! The kiosk: runs the UI in a desktop window (or on the board), or runs
//! the same UI headless in the emulator and writes screenshots: a script,
//! or a tour of every screen with the layout check.

use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use slint::ComponentHandle;

use lobby_kiosk::config::Config;
use lobby_kiosk::kiosk::services;
use lobby_kiosk::kiosk::startup;
#[cfg(feature = "board")]
use lobby_kiosk::platform::display;
use lobby_kiosk::platform::watchdog;
use lobby_kiosk::secret::hash_secret;
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::SyncEngine;
use lobby_kiosk::ui::app::KioskApp;
use lobby_kiosk::ui::clock::SystemClock;
use lobby_kiosk::ui::window;

#[cfg(feature = "emulator")]
#[path = "kiosk/emulate.rs"]
mod emulate;
#[path = "kiosk/tuf_client.rs"]
mod tuf_client;

/// Lobby kiosk: self-service information terminal.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Configuration file (see kiosk-config/kiosk.toml); without it the kiosk
    /// shows the embedded demo content.
    #[arg(long, short)]
    config: Option<PathBuf>,
    /// Test hook, never set on a real kiosk: the UI's wall clock stands
    /// still at this instant (RFC 3339), so the board in a box
    /// (scripts/board-box.sh) shows what the emulator's golden screenshots show.
    #[arg(
        long,
        env = "LOBBY_KIOSK_TEST_CLOCK",
        hide = true,
        value_name = "RFC3339"
    )]
    test_clock: Option<DateTime<Utc>>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the kiosk headless and write PNGs: what the configured kiosk shows
    /// (its store, or the demo without a repository), or an authoring folder
    /// with --content (nothing is published).
    #[cfg(feature = "emulator")]
    Emulate(emulate::EmulateArgs),
    /// Sync once from the configured repository and exit.
    Sync,
    /// Print the SHA-256 of a PIN (`admin.pin_sha256`) or of an admin endpoint
    /// token (`admin_endpoint.token_sha256`) for kiosk.toml.
    HashPin {
        /// The PIN or token.
        pin: String,
    },
    /// The kiosk's TUF client behind the TUF conformance suite's command
    /// line (init / refresh / download); see scripts/tuf-conformance.sh.
    TufClient(Box<tuf_client::TufClientArgs>),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kiosk: {}", in_words(&error));
            ExitCode::FAILURE
        }
    }
}

/// An error with its causes, each said once: most of our messages already
/// include their cause, which the chain would repeat.
fn in_words(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text = format!("{text}: {cause}");
        }
    }
    text
}

fn run(args: Args) -> anyhow::Result<()> {
    let config = match &args.config {
        Some(path) => Config::load(path)?,
        None => Config::demo(),
    };
    match args.command {
        Some(Command::TufClient(args)) => tuf_client::run(*args),
        Some(Command::HashPin { pin }) => {
            println!("{}", hash_secret(&pin));
            Ok(())
        }
        #[cfg(feature = "emulator")]
        Some(Command::Emulate(args)) => emulate::run(args, &config),
        Some(Command::Sync) => sync_once(&config),
        None => run_window(&config, args.test_clock),
    }
}

fn run_window(config: &Config, test_clock: Option<DateTime<Utc>>) -> anyhow::Result<()> {
    // At boot the GPU's driver can still be loading: wait for it rather
    // than fail and be restarted by systemd with a black screen.
    #[cfg(feature = "board")]
    display::wait_for_display(&display::DISPLAY_DEVICES, display::DISPLAY_WAIT)?;
    let window = window::desktop_window(config)?;
    let startup = startup::prepare(config)?;
    let shared = startup.status.clone();
    let app = KioskApp::new(
        window,
        startup.content,
        startup.status,
        config,
        Rc::new(test_clock.map_or_else(SystemClock::default, SystemClock::fixed_at)),
    );
    KioskApp::attach_configured_speech(&app, &config.speech);
    let trigger = startup.sync.as_ref().map(|sync| sync.trigger.clone());
    // The sync runs until the window closes.
    let _sync = startup.sync.map(|sync| {
        app.attach_sync(sync.contents, sync.trigger);
        sync.thread
    });
    let _watchdog = watchdog::start();
    // The endpoint and the fleet channel run until the window closes. One
    // that cannot start is reported; the kiosk keeps showing content.
    let (_services, problems) = services::start(config, &shared, trigger);
    app.update_status(|status| services::report_in_status(status, &problems));
    app.window().run().context("the UI event loop failed")?;
    Ok(())
}

/// One sync into the configured store, for installation checks and tests.
fn sync_once(config: &Config) -> anyhow::Result<()> {
    let repository = config
        .repository
        .as_ref()
        .context("no [repository] in the config: nothing to sync from")?;
    let settings = startup::sync_settings(repository)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut store = Store::open(&repository.store)?;
    let engine = SyncEngine::new(settings, &repository.store.join("sync"))?;
    let outcome = runtime.block_on(engine.sync_once(&mut store))?;
    println!("{outcome:?}");
    Ok(())
}
