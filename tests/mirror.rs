//! `kioskctl mirror` against fixture pages written for the purpose and
//! served by the project's test server: a paginated list (with a loop back
//! to page 1), detail pages with a merged-cell table, an image, pinyin
//! debris and inline styles, malformed HTML, an RSS feed, a 404 and a
//! page that never answers. Then a re-run (conditional requests, nothing
//! changed), an edited page, and the imported notices on a kiosk screen.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use lobby_kiosk::config::{Config, RepositoryConfig};
use lobby_kiosk::content::authoring::compile_folder;
use lobby_kiosk::content::clean::has_pinyin_debris;
use lobby_kiosk::emulator::{Emulator, default_start};
use lobby_kiosk::mirror::config::MirrorConfig;
use lobby_kiosk::mirror::{self, MirrorReport};
use lobby_kiosk::store::Store;
use lobby_kiosk::sync::{SyncEngine, SyncSettings};
use support::fault_server::{Fault, FaultServer, SOCKET_SLACK};
use support::kioskctl::kioskctl;
use support::repo_fixture::{Fixture, copy_dir};

fn fixture_site() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mirror-site"
    ))
}

/// The fixture site in `dir`, with a JPEG picture made for it.
fn serve_copy(dir: &Path) {
    copy_dir(fixture_site(), dir);
    let picture = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 120])
    });
    std::fs::create_dir_all(dir.join("images")).unwrap();
    image::DynamicImage::ImageRgb8(picture)
        .save_with_format(dir.join("images/venue.jpg"), image::ImageFormat::Jpeg)
        .unwrap();
}

fn config(server: &FaultServer) -> MirrorConfig {
    let site = server.url().to_string();
    let text = std::fs::read_to_string(fixture_site().join("mirror.toml"))
        .unwrap()
        .replace("SITE/", &site);
    MirrorConfig::parse(&text, Path::new("mirror.toml")).unwrap()
}

/// Every hand-written notice file and its bytes.
fn hand_written(content: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(content.join("notices"))
        .unwrap()
        .map(|entry| entry.unwrap())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("mirror-"))
        .map(|name| {
            let bytes = std::fs::read(content.join("notices").join(&name)).unwrap();
            (name, bytes)
        })
        .collect()
}

fn mirrored_files(content: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(content.join("notices"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("mirror-"))
        .map(|name| std::fs::read_to_string(content.join("notices").join(name)).unwrap())
        .collect();
    files.sort();
    files
}

async fn run(config: &MirrorConfig, content: &Path) -> MirrorReport {
    mirror::mirror(config, content, &|_| {})
        .await
        .expect("the mirror runs")
}

#[tokio::test]
async fn mirrors_columns_reports_bad_pages_and_updates_only_what_changed() {
    let fixture = Fixture::new().await;
    let site = tempfile::tempdir().unwrap();
    serve_copy(site.path());
    let server = FaultServer::start(site.path().to_owned()).await;
    server.inject("post_slow", Fault::Stall(0), None);
    let config = config(&server);
    let content = &fixture.content;
    let before = hand_written(content);

    let report = run(&config, content).await;
    assert_eq!(
        report.added.len(),
        5,
        "3 pages and 2 feed items: {report:#?}"
    );
    assert_eq!(report.failed.len(), 2, "{:#?}", report.failed);
    assert!(
        report
            .failed
            .iter()
            .any(|f| f.contains("post_404.html: the server answered 404")),
        "{:#?}",
        report.failed
    );
    assert!(
        report
            .failed
            .iter()
            .any(|f| f.contains("post_slow.html") && f.contains("timed out")),
        "{:#?}",
        report.failed
    );

    let files = mirrored_files(content);
    let joined = files.join("\n");
    assert!(!has_pinyin_debris(&joined), "pinyin debris cleaned");
    assert!(
        !joined.contains('\u{a0}') && !joined.contains("style="),
        "no NBSP or inline styles"
    );
    assert!(
        joined.contains("title = \"關於天河體育中心游泳館恢復開放的公告\""),
        "{joined}"
    );
    assert!(
        joined.contains("published = 2026-11-20T09:30:00"),
        "the page's date"
    );
    assert!(
        joined.contains("published = 2026-11-20T10:00:00"),
        "the feed's date, in site time"
    );
    assert!(
        joined.contains("rowspan = 2") && joined.contains("colspan = 2"),
        "merged cells kept"
    );
    assert!(joined.contains("**1,286**"), "malformed HTML still read");
    assert!(joined.contains("source_url = \"https://tyj.gz.gov.cn/zcjd/content/post_901.html\""));
    let image = files
        .iter()
        .find_map(|file| file.split("](assets/mirror/").nth(1))
        .and_then(|rest| rest.split(')').next())
        .expect("the picture is an asset");
    let png = std::fs::read(content.join("assets/mirror").join(image)).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "JPEG converted to PNG");

    let compiled = compile_folder(content, chrono::Utc::now()).expect("mirrored content validates");
    assert!(
        compiled
            .catalog
            .notices
            .iter()
            .any(|n| n.meta.source_url.as_deref()
                == Some("https://tyj.gz.gov.cn/zcjd/content/post_902.html"))
    );
    assert_eq!(
        hand_written(content),
        before,
        "hand-written notices untouched"
    );

    // A second run asks conditionally and changes nothing.
    let seen = server.log().len();
    let again = run(&config, content).await;
    assert_eq!(
        (again.added.len(), again.updated.len(), again.unchanged),
        (0, 0, 5),
        "{again:#?}"
    );
    let not_modified = server.log()[seen..]
        .iter()
        .filter(|(_, status)| *status == 304)
        .count();
    assert!(
        not_modified >= 5,
        "conditional requests answered 304: {:?}",
        &server.log()[seen..]
    );
    assert_eq!(mirrored_files(content), files);

    // An edited page updates its notice only.
    let page = site.path().join("tzgg/content/post_3.html");
    let edited = std::fs::read_to_string(&page)
        .unwrap()
        .replace("已全部报修", "已全部修复");
    std::fs::write(&page, edited).unwrap();
    let third = run(&config, content).await;
    assert_eq!(third.updated.len(), 1, "{third:#?}");
    assert!(third.updated[0].path().ends_with("post_3.html"));
    assert!(mirrored_files(content).join("\n").contains("revision = 2"));
    assert_eq!(hand_written(content), before);
}

/// Runs `kioskctl`, which must succeed; returns its standard output.
fn run_kioskctl(args: &[&std::ffi::OsStr]) -> String {
    let (code, stdout, stderr) = kioskctl(args);
    assert_eq!(code, 0, "kioskctl {args:?}: {stdout}{stderr}");
    stdout
}

#[test]
fn imported_notices_reach_the_kiosk_screen() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fixture = runtime.block_on(Fixture::new());
    let site = tempfile::tempdir().unwrap();
    serve_copy(site.path());
    let site_server = runtime.block_on(FaultServer::start(site.path().to_owned()));
    let config_file = site.path().join("mirror.toml");
    let config_text = std::fs::read_to_string(&config_file)
        .unwrap()
        .replace("SITE/", site_server.url().as_str());
    std::fs::write(&config_file, config_text).unwrap();

    // The admin's commands: mirror the site into the content folder, publish.
    let content = fixture.content.as_os_str();
    let mirrored = run_kioskctl(&[
        "mirror".as_ref(),
        content,
        "--config".as_ref(),
        config_file.as_os_str(),
    ]);
    assert!(
        mirrored.contains("6 added, 0 updated, 0 unchanged, 1 skipped"),
        "the 404 page is skipped: {mirrored}"
    );
    let published = run_kioskctl(&[
        "publish".as_ref(),
        content,
        "--repo".as_ref(),
        fixture.repo.root().as_os_str(),
        "--keys".as_ref(),
        fixture.keys.dir().as_os_str(),
    ]);
    assert!(published.contains("published version 1"), "{published}");

    let repo_server = runtime.block_on(async {
        let repo_server = FaultServer::start(fixture.repo.root().to_owned()).await;
        let settings = SyncSettings::for_base(&repo_server.url(), fixture.trusted_root()).unwrap();
        let engine = SyncEngine::new(settings, &fixture.work).unwrap();
        let mut store = Store::open(&fixture.store).unwrap();
        engine.sync_once(&mut store).await.expect("the kiosk syncs");
        repo_server
    });

    let config = Config {
        repository: Some(RepositoryConfig {
            url: repo_server.url().to_string(),
            root: fixture.repo.trust_anchor(),
            store: fixture.store.clone(),
            interval_minutes: 60,
            jitter_seconds: 0,
            backoff_max_minutes: 60,
        }),
        ..Config::demo()
    };
    let startup = lobby_kiosk::kiosk::startup::prepare(&config).expect("the kiosk starts");
    let mut emulator = Emulator::new(1080, 1920, startup, &config, default_start()).unwrap();
    emulator.tap_label("公告栏").unwrap();
    for title in [
        "广州市体育局关于2026年全民健身日活动安排的通知",
        "關於天河體育中心游泳館恢復開放的公告",
        "《广州市体育场馆开放管理办法》解读",
    ] {
        assert!(emulator.scroll_to(title), "{title} is on the notice board");
    }
    assert!(emulator.scroll_to("广州市体育局关于2026年全民健身日活动安排的通知"));
    emulator
        .tap_label("广州市体育局关于2026年全民健身日活动安排的通知")
        .unwrap();
    assert!(
        emulator.shows("各区体育局、各有关单位："),
        "the body is shown"
    );
}

/// A page whose body never ends, and a feed that declares a terabyte, fail
/// alone at the mirror's size limit: each is asked for once (a retry would
/// only read it again), at most the limit is read, the rest is mirrored.
#[tokio::test]
async fn endless_and_huge_pages_fail_at_the_size_limit_without_a_retry() {
    let fixture = Fixture::new().await;
    let site = tempfile::tempdir().unwrap();
    serve_copy(site.path());
    let server = FaultServer::start(site.path().to_owned()).await;
    server.inject("post_3", Fault::Endless, None);
    server.inject("rss.xml", Fault::HugeLength(1 << 40), None);
    server.inject("post_slow", Fault::Stall(0), None);
    let mut config = config(&server);
    config.fetch.max_bytes = 1024 * 1024;

    let report = run(&config, &fixture.content).await;
    let failed = report.failed.join("\n");
    assert!(
        failed.contains("post_3.html: refused: it is over the limit of 1.0 MiB"),
        "{failed}"
    );
    assert!(
        failed.contains("rss.xml: refused: it is 1048576.0 MiB and the limit is 1.0 MiB"),
        "{failed}"
    );
    let asked = |name: &str| {
        server
            .log()
            .iter()
            .filter(|(path, _)| path.contains(name))
            .count()
    };
    assert_eq!((asked("post_3"), asked("rss.xml")), (1, 1), "no retries");
    assert!(
        server.endless_bytes_sent() < 2 * SOCKET_SLACK,
        "the server got {} bytes of two endless bodies out",
        server.endless_bytes_sent()
    );
    assert!(
        report.added.len() >= 2,
        "the other pages are mirrored: {report:#?}"
    );
}
