//! Test tool, not part of the kiosk: commits large, deterministic
//! generations into a content store so that `tests/store_stress.rs` can
//! SIGKILL it at random moments and check what a crash leaves behind.
//!
//! ```text
//! store-stress commit <STORE> --round N   open the store (prints "opened"),
//!                                         write round N's files, commit
//!                                         (switch, then garbage collection),
//!                                         print "committed <generation>"
//! store-stress manifest --round N         print round N's version and files
//!                                         as JSON, touching no store
//! ```
//!
//! Round N holds `--files` files of about `--bytes` in total, generated
//! from `--seed`; each round changes a third of them. Every tenth file is
//! staged on disk and added by streaming, like a downloaded asset. Log
//! lines (including the store's "switched to the new generation") go to
//! stdout.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use lobby_kiosk::store::{FileRef, Store};

#[derive(Parser)]
#[command(about = "Test tool: commits large deterministic generations into a content store")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Commits round N's generation into the store folder.
    Commit {
        /// The store folder.
        store: PathBuf,
        #[command(flatten)]
        content: Content,
    },
    /// Prints round N's version and files as JSON.
    Manifest {
        #[command(flatten)]
        content: Content,
    },
}

/// The generated content of one round.
#[derive(Args, Clone, Copy)]
struct Content {
    /// Which round's content.
    #[arg(long)]
    round: u64,
    /// Number of files.
    #[arg(long, default_value_t = 2000)]
    files: u64,
    /// Approximate total size in bytes.
    #[arg(long, default_value_t = 60_000_000)]
    bytes: u64,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

impl Content {
    fn version(&self) -> String {
        format!("round-{}", self.round)
    }

    fn path(index: u64) -> String {
        format!("assets/{:02}/{index:05}.bin", index % 32)
    }

    /// File `index`: its size is fixed, its bytes change every third round
    /// (a different third of the files each round).
    fn bytes_of(&self, index: u64) -> Vec<u8> {
        let average = (self.bytes / self.files.max(1)).max(2);
        let size = average / 2 + mix(self.seed ^ index) % average;
        let epoch = (self.round + index % 3) / 3;
        let mut state = mix(self.seed ^ mix(index) ^ mix(epoch.wrapping_add(0x5eed)));
        let mut bytes = Vec::with_capacity(size as usize + 8);
        while (bytes.len() as u64) < size {
            state = mix(state);
            bytes.extend_from_slice(&state.to_le_bytes());
        }
        bytes.truncate(size as usize);
        bytes
    }

    fn manifest(&self) -> BTreeMap<String, FileRef> {
        (0..self.files)
            .map(|index| (Content::path(index), FileRef::of(&self.bytes_of(index))))
            .collect()
    }
}

/// SplitMix64's finalizer: a good 64-bit mix for a deterministic stream.
fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn commit(dir: &Path, content: &Content) -> anyhow::Result<()> {
    let mut store = Store::open(dir)?;
    println!("opened");
    let staged = dir.with_extension("staged");
    let mut builder = store.begin(&content.version())?;
    for index in 0..content.files {
        let bytes = content.bytes_of(index);
        if index % 10 == 0 {
            std::fs::write(&staged, &bytes)
                .with_context(|| format!("cannot stage {}", staged.display()))?;
            builder.add_file(Content::path(index), &staged)?;
        } else {
            builder.add(Content::path(index), &bytes)?;
        }
    }
    let generation = builder.commit()?;
    println!("committed {}", generation.number);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stdout)
        .with_ansi(false)
        .init();
    match Cli::parse().command {
        Command::Commit { store, content } => commit(&store, &content),
        Command::Manifest { content } => {
            let manifest = serde_json::json!({
                "version": content.version(),
                "files": content.manifest(),
            });
            println!("{manifest}");
            Ok(())
        }
    }
}
