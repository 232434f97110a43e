//! `kiosk tuf-client`: the kiosk's TUF client behind the command-line
//! protocol of the TUF conformance suite (theupdateframework/tuf-conformance,
//! its CLIENT-CLI.md), so the suite tests the kiosk's own update path: the
//! same transport (limits, deadlines, conditional requests), tough
//! settings, trusted-metadata folder and target checks as `kiosk sync`
//! (`lobby_kiosk::sync::TufClient`).
//!
//! The metadata folder is the client's work folder, laid out like the
//! kiosk's sync folder: the trusted roles as received under non-versioned
//! names, tough's datastore in `tuf/`; `init` also saves the trust anchor
//! (the kiosk's `repository.root`) in `anchor/`.
//! `scripts/tuf-conformance.sh` runs the suite against it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};
use lobby_kiosk::store::{self, FileRef};
use lobby_kiosk::sync::{SyncSettings, TufClient};
use tough::TargetName;
use url::Url;

/// Options of `kiosk tuf-client` (they come before the action).
#[derive(Args)]
pub struct TufClientArgs {
    /// Folder of the trusted metadata (and the client's other state).
    #[arg(long)]
    metadata_dir: PathBuf,
    /// Base URL of the repository's metadata.
    #[arg(long)]
    metadata_url: Option<Url>,
    /// A target to download (repeatable; processed in order).
    #[arg(long = "target-name")]
    target_names: Vec<String>,
    /// Base URL of the repository's targets.
    #[arg(long)]
    target_base_url: Option<Url>,
    /// Folder the downloaded targets are written to.
    #[arg(long)]
    target_dir: Option<PathBuf>,
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Trust this root.json (copied into the metadata folder; no requests).
    Init {
        /// The initial trusted root.
        trusted_root: PathBuf,
    },
    /// Update the metadata by the TUF client workflow.
    Refresh,
    /// Update the metadata, then download each `--target-name`.
    Download,
}

/// Runs one action; any error means exit code 1.
pub fn run(args: TufClientArgs) -> anyhow::Result<()> {
    let TufClientArgs {
        metadata_dir,
        metadata_url,
        target_names,
        target_base_url,
        target_dir,
        action,
    } = args;
    match action {
        Action::Init { trusted_root } => {
            std::fs::create_dir_all(&metadata_dir)
                .with_context(|| format!("cannot create {}", metadata_dir.display()))?;
            let root = std::fs::read(&trusted_root)
                .with_context(|| format!("cannot read {}", trusted_root.display()))?;
            // The anchor plays kiosk.toml's `repository.root`; the copy
            // beside the other roles is the trusted root the kiosk keeps.
            std::fs::create_dir_all(metadata_dir.join(ANCHOR_DIR))
                .with_context(|| format!("cannot create {}", metadata_dir.display()))?;
            store::replace_file(&anchor_path(&metadata_dir), &root)?;
            store::replace_file(&metadata_dir.join("root.json"), &root)?;
            println!("tuf-client: trusting {}", trusted_root.display());
            Ok(())
        }
        Action::Refresh => {
            let metadata_url = metadata_url.context("refresh needs --metadata-url")?;
            let targets_url = metadata_url.join("../targets/")?;
            let client = client(&metadata_dir, metadata_url, targets_url)?;
            runtime()?.block_on(client.refresh())?;
            println!("tuf-client: metadata refreshed");
            Ok(())
        }
        Action::Download => {
            let metadata_url = metadata_url.context("download needs --metadata-url")?;
            let targets_url = target_base_url.context("download needs --target-base-url")?;
            let target_dir = target_dir.context("download needs --target-dir")?;
            let client = client(&metadata_dir, metadata_url, targets_url)?;
            runtime()?.block_on(download(&client, &target_names, &target_dir))
        }
    }
}

/// The folder of the trust anchor inside the metadata folder.
const ANCHOR_DIR: &str = "anchor";

fn anchor_path(metadata_dir: &Path) -> PathBuf {
    metadata_dir.join(ANCHOR_DIR).join("root.json")
}

/// The kiosk's client with its usual settings and the anchor `init` saved.
fn client(metadata_dir: &Path, metadata_url: Url, targets_url: Url) -> anyhow::Result<TufClient> {
    let root_path = anchor_path(metadata_dir);
    let root = std::fs::read(&root_path)
        .with_context(|| format!("cannot read {} (run init first)", root_path.display()))?;
    let settings = SyncSettings::new(with_slash(metadata_url), with_slash(targets_url), root);
    Ok(TufClient::new(settings, metadata_dir)?)
}

/// Refreshes, then downloads each target in order into `target_dir` under
/// its name, skipping one already there with the signed hash and length.
async fn download(client: &TufClient, names: &[String], target_dir: &Path) -> anyhow::Result<()> {
    let repository = client.refresh().await?;
    for raw in names {
        let name = TargetName::new(raw.as_str())
            .map_err(|error| anyhow::anyhow!("target name `{raw}`: {error}"))?;
        let target = repository
            .targets()
            .signed
            .find_target(&name, false)
            .map_err(|_| anyhow::anyhow!("the repository has no target `{raw}`"))?;
        let file = client.checked_target(&name, target)?;
        let path = target_dir.join(raw);
        if std::fs::read(&path).is_ok_and(|bytes| FileRef::of(&bytes) == file) {
            println!("tuf-client: {raw} is already downloaded");
            continue;
        }
        let bytes = client.fetch_target(&repository, &name, file.size).await?;
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
        }
        store::replace_file(&path, &bytes)?;
        println!("tuf-client: downloaded {raw}");
    }
    Ok(())
}

fn with_slash(url: Url) -> Url {
    if url.path().ends_with('/') {
        return url;
    }
    let mut url = url;
    url.set_path(&format!("{}/", url.path()));
    url
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
