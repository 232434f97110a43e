//! Crash safety: a `kiosk sync` process is SIGKILLed at 200+ random moments
//! across large syncs (downloads, the generation switch, and the garbage
//! collection after it); after every kill the store opens with exactly the
//! old or the new generation, complete and hash-valid.

mod support;

use std::collections::BTreeMap;
use std::process::Command;
use std::time::Instant;

use lobby_kiosk::content::demo;
use lobby_kiosk::repo::layout;
use lobby_kiosk::repo::publish::{PublishOptions, publish_targets};
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::schedule::random_fraction;
use support::fault_server::FaultServer;
use support::repo_fixture::Fixture;

const ASSETS: usize = 24;
const ASSET_BYTES: usize = 192 * 1024;
const KILLS: usize = 200;

/// Catalog targets plus bulk assets; `round` changes a third of the assets.
fn targets(round: usize) -> BTreeMap<String, Vec<u8>> {
    let mut targets = layout::split(&demo::catalog());
    for index in 0..ASSETS {
        let generation = if index % 3 == 0 { round } else { 0 };
        let seed = (index * 7919 + generation * 104_729) as u32;
        let bytes: Vec<u8> = (0..ASSET_BYTES as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 13) as u8)
            .collect();
        targets.insert(format!("assets/bulk/{index:03}.bin"), bytes);
    }
    targets
}

fn write_config(
    path: &std::path::Path,
    url: &str,
    root: &std::path::Path,
    store: &std::path::Path,
) {
    let text = format!(
        "kiosk_id = \"crash-test\"\n[repository]\nurl = \"{url}\"\nroot = \"{}\"\nstore = \"{}\"\n",
        root.display(),
        store.display()
    );
    std::fs::write(path, text).unwrap();
}

#[test]
fn sigkill_at_random_moments_leaves_old_or_new_generation() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fixture = runtime.block_on(Fixture::new());
    let catalog = demo::catalog();
    let publish = |round: usize| {
        runtime
            .block_on(publish_targets(
                &catalog,
                targets(round),
                &fixture.repo,
                &fixture.keys,
                PublishOptions::default(),
            ))
            .unwrap()
            .version
    };
    publish(0);
    let server = runtime.block_on(FaultServer::start(fixture.repo.root().to_owned()));
    let config = fixture.work.join("kiosk.toml");
    std::fs::create_dir_all(&fixture.work).unwrap();
    write_config(
        &config,
        server.url().as_str(),
        &fixture.repo.trust_anchor(),
        &fixture.store,
    );
    let kiosk = env!("CARGO_BIN_EXE_kiosk");
    let sync = || {
        Command::new(kiosk)
            .args(["--config", &config.display().to_string(), "sync"])
            .output()
            .unwrap()
    };

    // One uninterrupted sync measures how long a large sync takes.
    let started = Instant::now();
    let first = sync();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let full = started.elapsed();

    let mut outcomes = BTreeMap::<&str, usize>::new();
    let mut round = 0;
    for kill in 0..KILLS {
        let before = Store::open(&fixture.store)
            .unwrap()
            .active()
            .map(|g| g.version.clone());
        round += 1;
        let new_version = publish(round).to_string();
        let delay = full.mul_f64(1.2 * random_fraction());
        let mut child = Command::new(kiosk)
            .args(["--config", &config.display().to_string(), "sync"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();

        let store = Store::open(&fixture.store).unwrap();
        assert!(
            store.fallback_reason().is_none(),
            "kill {kill}: {:?}",
            store.fallback_reason()
        );
        let active = store
            .active()
            .expect("a generation is active")
            .version
            .clone();
        assert!(
            Some(&active) == before.as_ref() || active == new_version,
            "kill {kill}: active {active}, before {before:?}, new {new_version}"
        );
        *outcomes
            .entry(if active == new_version { "new" } else { "old" })
            .or_default() += 1;
        // Every file of the active generation is present and hash-valid.
        let generation = store.active().unwrap();
        assert!(generation.files.len() >= ASSETS);
        for file in generation.files.values() {
            store
                .read(file)
                .unwrap_or_else(|e| panic!("kill {kill}: {e}"));
        }
    }
    eprintln!("{KILLS} kills over a {full:?} sync: {outcomes:?}");
    assert!(
        outcomes.get("old").copied().unwrap_or(0) > 10,
        "kills landed during downloads: {outcomes:?}"
    );
    assert!(
        outcomes.get("new").copied().unwrap_or(0) > 10,
        "kills landed after the switch (GC): {outcomes:?}"
    );
}
