//! The console's fleet page with 1,000 kiosks (issue 18): 1,000 simulated
//! kiosks, each on its own connection to a private mosquitto, are all
//! listed in a real browser; one kiosk's change shows on the page (the
//! figure is printed next to the issue's 2 s); "sync now" reaches the one
//! kiosk asked and "sync all" every kiosk.

mod support;

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use lobby_kiosk::admin::console::{ConsoleOptions, serve};
use lobby_kiosk::fleet::Topics;
use support::browser::Browser;
use support::mosquitto::Mosquitto;
use support::simulated_kiosk::{SimulatedKiosk, access};

const KIOSKS: usize = 1000;

async fn rows(browser: &Browser) -> usize {
    browser
        .client
        .execute(
            "return document.querySelectorAll('#fleet tbody tr').length",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0) as usize
}

async fn eventually(what: &str, done: impl AsyncFn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done().await {
        assert!(Instant::now() < deadline, "{what} did not happen in 60 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_kiosks_are_listed_live_and_synced_from_the_page() {
    support::process::allow_many_open_files();
    let work = tempfile::tempdir().unwrap();
    let broker = Mosquitto::start(&work.path().join("broker"));
    let access = access(&broker);
    let topics = Topics::new("lobby");
    let mut kiosks = Vec::with_capacity(KIOSKS);
    for n in 0..KIOSKS {
        kiosks.push(SimulatedKiosk::connect(&access, &topics, format!("hall-{n:04}")).await);
    }
    let content = work.path().join("content");
    support::repo_fixture::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo"),
        &content,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let console = serve(
        listener,
        ConsoleOptions {
            content,
            repo: work.path().join("repo"),
            keys: work.path().join("keys"),
            password: None,
            fleet: Some((access.clone(), topics.clone())),
        },
    )
    .await
    .unwrap();
    let browser = Browser::start(1600, 1200).await;

    let opened = Instant::now();
    browser
        .client
        .goto(&format!("{}#/fleet", console.url()))
        .await
        .unwrap();
    eventually("the page listing every kiosk", async || {
        rows(&browser).await == KIOSKS
    })
    .await;
    println!(
        "fleet page: {KIOSKS} kiosks listed {:.2} s after the page was opened",
        opened.elapsed().as_secs_f64()
    );
    browser
        .wait_for_text("#fleet-status", "1000 台终端 kiosks")
        .await;
    browser
        .screenshot(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("target/console-screenshots/fleet.png"),
        )
        .await;

    // One kiosk shows v8: its row changes on the page.
    let changed = &kiosks[500];
    let row = format!(r#"#fleet tr[data-kiosk="{}"]"#, changed.id);
    let published = Instant::now();
    changed.shows(&topics, "v8").await;
    browser.wait_for_text(&row, "v8").await;
    println!(
        "fleet page: one kiosk's new status on the page {:.0} ms after it was published (budget 2000 ms)",
        published.elapsed().as_secs_f64() * 1000.0
    );
    assert_eq!(rows(&browser).await, KIOSKS);

    // Sync now for that kiosk, then for all.
    browser
        .find(&format!("{row} button.sync-one"))
        .await
        .click()
        .await
        .unwrap();
    eventually("the kiosk asked to sync", async || {
        changed.syncs.load(Ordering::SeqCst) == 1
    })
    .await;
    assert_eq!(
        kiosks[499].syncs.load(Ordering::SeqCst),
        0,
        "only the kiosk asked"
    );
    browser
        .client
        .find(Locator::Css("#fleet-sync-all"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text("#fleet-sync-status", "every kiosk")
        .await;
    eventually("every kiosk asked to sync", async || {
        kiosks
            .iter()
            .all(|kiosk| kiosk.syncs.load(Ordering::SeqCst) >= 1)
    })
    .await;
    browser.close().await;
    console.stop().await.unwrap();
}
