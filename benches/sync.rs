//! Sync benchmarks against nginx on loopback, printed next to their budgets:
//! bytes moved when one notice changes in a 10,000-item catalog, and full-sync
//! throughput as a ratio to curl fetching the same files from the same server.
//!
//! Run: `cargo bench --bench sync` (needs nginx and curl: scripts/install-test-deps.sh).

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use lobby_kiosk::content::synthetic;
use lobby_kiosk::repo::keys::KeyDir;
use lobby_kiosk::repo::layout;
use lobby_kiosk::repo::publish::{PublishOptions, RepoPaths, init_repository, publish_targets};
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::{SyncEngine, SyncSettings};
use support::nginx::Nginx;

const ITEMS: usize = 10_000;
const BIG_ASSETS: usize = 40;
const BIG_ASSET_BYTES: usize = 4 * 1024 * 1024;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(bench());
}

async fn bench() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = RepoPaths::new(dir.path().join("repo"));
    let keys = KeyDir::new(dir.path().join("keys"));
    init_repository(&repo, &keys, Duration::from_secs(3600 * 24 * 365))
        .await
        .expect("init");
    let mut catalog = synthetic::catalog(ITEMS);
    let catalog_targets = layout::split(&catalog);
    let catalog_bytes: usize = catalog_targets.values().map(Vec::len).sum();
    publish_targets(
        &catalog,
        catalog_targets,
        &repo,
        &keys,
        PublishOptions::default(),
    )
    .await
    .expect("publish v1");
    let nginx = Nginx::serve(repo.root(), &dir.path().join("nginx"));
    let root = std::fs::read(repo.trust_anchor()).expect("root.json");

    // One changed notice in a 10,000-item catalog.
    let settings = SyncSettings::for_base(&nginx.url(), root.clone()).expect("settings");
    let engine = SyncEngine::new(settings.clone(), &dir.path().join("work1")).expect("engine");
    let mut store = Store::open(&dir.path().join("store1")).expect("store");
    engine.sync_once(&mut store).await.expect("full sync");
    let before = engine.stats().bytes.load(Ordering::Relaxed);
    let index = catalog
        .notices
        .iter()
        .position(|n| n.id == "notice-01234")
        .expect("notice 1234");
    catalog.notices[index] = synthetic::notice(1234, 1);
    publish_targets(
        &catalog,
        layout::split(&catalog),
        &repo,
        &keys,
        PublishOptions::default(),
    )
    .await
    .expect("publish v2");
    engine
        .sync_once(&mut store)
        .await
        .expect("incremental sync");
    let moved = engine.stats().bytes.load(Ordering::Relaxed) - before;
    let share = moved as f64 / catalog_bytes as f64 * 100.0;
    println!(
        "one changed notice in a {ITEMS}-item catalog: {moved} bytes moved of {catalog_bytes} ({share:.2} %)   budget ≤ 1 %   {}",
        verdict(share <= 1.0)
    );

    // Full-sync throughput with large assets, against curl on the same files.
    let mut targets = layout::split(&catalog);
    for asset in 0..BIG_ASSETS {
        let bytes: Vec<u8> = (0..BIG_ASSET_BYTES as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(asset as u32) >> 11) as u8)
            .collect();
        targets.insert(format!("assets/video/{asset:02}.bin"), bytes);
    }
    let total: usize = targets.values().map(Vec::len).sum();
    publish_targets(&catalog, targets, &repo, &keys, PublishOptions::default())
        .await
        .expect("publish v3");
    let engine = SyncEngine::new(settings, &dir.path().join("work2")).expect("engine");
    let mut store = Store::open(&dir.path().join("store2")).expect("store");
    let started = Instant::now();
    engine
        .sync_once(&mut store)
        .await
        .expect("full sync with assets");
    let sync_time = started.elapsed();
    let sync_rate = total as f64 / sync_time.as_secs_f64();

    let urls = target_urls(&repo, &nginx.url());
    let curl_null = curl_rate(&urls, None, total);
    let curl_disk = curl_rate(&urls, Some(&dir.path().join("curl-files")), total);
    println!(
        "full sync of {:.0} MB from nginx: {:.0} MB/s; curl to /dev/null {:.0} MB/s ({:.0} %), curl to files + sync {:.0} MB/s ({:.0} %)   budget ≥ 50 % of curl   {}",
        total as f64 / 1e6,
        sync_rate / 1e6,
        curl_null / 1e6,
        sync_rate / curl_null * 100.0,
        curl_disk / 1e6,
        sync_rate / curl_disk * 100.0,
        verdict(sync_rate / curl_disk >= 0.5)
    );
}

/// Bytes per second curl gets for the same files, discarding them or
/// writing them to `folder` and syncing them to disk like the store does.
fn curl_rate(urls: &[String], folder: Option<&std::path::Path>, total: usize) -> f64 {
    let started = Instant::now();
    let mut curl = std::process::Command::new("curl");
    curl.arg("-sf");
    for (index, url) in urls.iter().enumerate() {
        let out = match folder {
            Some(folder) => {
                std::fs::create_dir_all(folder).expect("curl folder");
                folder.join(index.to_string()).display().to_string()
            }
            None => "/dev/null".to_owned(),
        };
        curl.args(["-o", &out, url]);
    }
    let status = curl.status().expect("curl runs (install curl)");
    assert!(status.success(), "curl failed");
    if folder.is_some() {
        let synced = std::process::Command::new("sync")
            .status()
            .expect("sync runs");
        assert!(synced.success());
    }
    total as f64 / started.elapsed().as_secs_f64()
}

fn verdict(ok: bool) -> &'static str {
    if ok { "OK" } else { "OVER BUDGET" }
}

/// URLs of every target file of the repository.
fn target_urls(repo: &RepoPaths, base: &url::Url) -> Vec<String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![repo.targets()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(repo.root()) {
                files.insert(relative.display().to_string(), ());
            }
        }
    }
    files
        .keys()
        .map(|relative| format!("{base}{relative}"))
        .collect()
}
