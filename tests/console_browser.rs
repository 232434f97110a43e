//! The admin console in a real browser (headless Chromium through
//! WebDriver), end to end: create a notice through the form, see the
//! validation error at its field, fix it, see the preview, publish it into
//! the repository nginx serves, sync a kiosk from nginx and see the notice
//! on the emulated kiosk's screen. Screenshots of the console's pages go to
//! `target/console-screenshots/` (the README's come from there).

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::Locator;
use lobby_kiosk::admin::console::{ConsoleOptions, serve};
use lobby_kiosk::config::Config;
use lobby_kiosk::emulator::Emulator;
use lobby_kiosk::kiosk::startup::Startup;
use lobby_kiosk::kiosk::status::StatusHandle;
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::content::active_content;
use lobby_kiosk::sync::{SyncEngine, SyncOutcome, SyncSettings};
use support::browser::Browser;
use support::nginx::Nginx;
use support::repo_fixture::Fixture;

const NEW_ID: &str = "gym-reopening";
const TITLE: &str = "天河体育中心体育馆十二月二十一日恢复开放";

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/console-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_made_in_the_browser_is_previewed_published_and_shown_by_a_kiosk() {
    let fixture = Fixture::new().await;
    fixture.publish().await;
    let nginx = Nginx::serve(fixture.repo.root(), &fixture.work.join("nginx"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let console = serve(
        listener,
        ConsoleOptions {
            content: fixture.content.clone(),
            repo: fixture.repo.root().to_owned(),
            keys: fixture.keys.dir().to_owned(),
            password: None,
            fleet: None,
        },
    )
    .await
    .unwrap();
    let browser = Browser::start(1600, 1200).await;
    let shots = screenshots();

    // The list; a new notice by its id.
    browser.client.goto(&console.url()).await.unwrap();
    browser.wait_for_text("#list-status", "items").await;
    browser.screenshot(&shots.join("list.png")).await;
    browser
        .find("#new-id")
        .await
        .send_keys(NEW_ID)
        .await
        .unwrap();
    browser
        .find("#new-notice button")
        .await
        .click()
        .await
        .unwrap();

    // Its form: the empty title is an error at the title's field.
    let title_error = browser
        .find(r#".field.has-error[data-field^="title"] .field-problems li.error"#)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !title_error.is_empty(),
        "the empty title is an error at its field"
    );
    browser.screenshot(&shots.join("edit-error.png")).await;

    // Fixed: the error goes, the preview comes.
    let title = browser.find("#text-title-zh-Hans").await;
    title.send_keys(TITLE).await.unwrap();
    let body = browser.find("#text-body-zh-Hans").await;
    body.send_keys("体育馆消防设施检修完成，自十二月二十一日起恢复开放。")
        .await
        .unwrap();
    browser.wait_for_text("#preview-status", "Updated").await;
    let errors = browser
        .client
        .find_all(Locator::Css(".field.has-error"))
        .await
        .unwrap();
    assert!(
        errors.is_empty(),
        "no error left after the title is written"
    );
    let width = browser
        .client
        .execute(
            "return document.getElementById('preview-image').naturalWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        width,
        serde_json::json!(1080),
        "the preview is the kiosk's portrait screen"
    );
    // Scrolled to the top, as the admin sees it on arrival.
    browser
        .client
        .execute("window.scrollTo(0, 0)", vec![])
        .await
        .unwrap();
    browser.screenshot(&shots.join("edit-preview.png")).await;

    // Saved, then published after the change report.
    browser
        .find("#edit-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    browser.wait_for_text("#save-status", "Saved").await;
    browser
        .client
        .goto(&format!("{}#/publish", console.url()))
        .await
        .unwrap();
    let summary = browser.wait_for_text("#plan-summary", "Version 2").await;
    assert!(summary.contains("1 added"), "{summary}");
    browser
        .wait_for_text("#plan-items", &format!("notice/{NEW_ID}"))
        .await;
    browser.screenshot(&shots.join("publish.png")).await;
    browser
        .find("#publish-confirm")
        .await
        .click()
        .await
        .unwrap();
    browser.find("#publish-button").await.click().await.unwrap();
    browser
        .wait_for_text("#publish-status", "Published version 2")
        .await;
    browser.wait_for_text("#history tbody", "2").await;
    browser.screenshot(&shots.join("history.png")).await;
    browser.close().await;
    console.stop().await.unwrap();

    // A kiosk syncs from nginx and shows the notice.
    let settings = SyncSettings::for_base(&nginx.url(), fixture.trusted_root()).unwrap();
    let engine = SyncEngine::new(settings, &fixture.work).unwrap();
    let mut store = Store::open(&fixture.store).unwrap();
    let synced = engine.sync_once(&mut store).await.unwrap();
    assert!(
        matches!(synced, SyncOutcome::Updated { version: 2, .. }),
        "{synced:?}"
    );
    let content = active_content(&store).unwrap().expect("content is active");
    tokio::task::spawn_blocking(move || {
        let startup = Startup {
            content: Some(content.content),
            status: StatusHandle::default(),
            sync: None,
        };
        let mut kiosk =
            Emulator::new(1080, 1920, startup, &Config::demo(), chrono::Utc::now()).unwrap();
        kiosk.tap_label("公告栏").unwrap();
        kiosk.advance(Duration::from_millis(300));
        assert!(
            kiosk.shows(TITLE),
            "the kiosk's notice board shows the new notice: {:?}",
            kiosk.labels()
        );
        kiosk
            .screenshot(&screenshots().join("kiosk-notices.png"))
            .unwrap();
    })
    .await
    .unwrap();
}
