//! The real kiosk UI in the headless emulator: navigation, languages,
//! visitor settings and idle reset, admin access, touch-target sizes, text
//! fit, and golden screenshots.

use std::path::{Path, PathBuf};
use std::time::Duration;

use i_slint_backend_testing::AccessibleRole;
use lobby_kiosk::config::{Config, DEMO_PIN};
use lobby_kiosk::content::{Catalog, Lang, demo};
use lobby_kiosk::emulator::{Element, Emulator, Framebuffer, default_start};
use lobby_kiosk::ui::navigation::{Screen, Section};
use lobby_kiosk::ui::session::TEXT_SCALES;
use slint::ComponentHandle;

const WIDTH: u32 = 1080;
const HEIGHT: u32 = 1920;

fn start() -> Emulator {
    start_with(Config::demo())
}

fn start_with(config: Config) -> Emulator {
    start_sized(WIDTH, HEIGHT, config)
}

fn start_sized(width: u32, height: u32, config: Config) -> Emulator {
    Emulator::new(
        width,
        height,
        lobby_kiosk::kiosk::startup::Startup::demo(),
        &config,
        default_start(),
    )
    .expect("the emulator starts")
}

fn catalog() -> Catalog {
    demo::catalog()
}

fn tap(emulator: &mut Emulator, label: &str) {
    if let Err(error) = emulator.tap_label(label) {
        let labels = emulator.labels();
        panic!("{error}; visible labels: {labels:?}");
    }
}

#[test]
fn every_screen_is_reachable_by_taps_and_back_returns() {
    let mut emulator = start();
    let catalog = catalog();
    let now = default_start();
    let cases = [
        (
            "公告栏",
            Section::Notices,
            catalog.visible_notices(now)[0]
                .meta
                .title
                .text(Lang::ZhHans)
                .to_owned(),
        ),
        (
            "办事指南",
            Section::Guides,
            catalog.guides[0].meta.title.text(Lang::ZhHans).to_owned(),
        ),
        (
            "信息公开",
            Section::Disclosure,
            catalog.documents[0]
                .meta
                .title
                .text(Lang::ZhHans)
                .to_owned(),
        ),
        (
            "互动交流",
            Section::Interaction,
            catalog.faqs[0].question.text(Lang::ZhHans).to_owned(),
        ),
        (
            "场馆开放",
            Section::Venues,
            catalog.venues[0].name.text(Lang::ZhHans).to_owned(),
        ),
    ];
    for (tile, section, first_item) in cases {
        tap(&mut emulator, tile);
        assert!(
            matches!(emulator.app().screen(), Screen::List { section: s, .. } if s == section),
            "{tile}"
        );
        tap(&mut emulator, &first_item);
        let opened = emulator.app().screen();
        assert!(
            matches!(opened, Screen::Detail(_) | Screen::Guide(_)),
            "{tile}: {first_item} opened {opened:?}"
        );
        assert!(
            emulator.shows(&first_item) || section == Section::Venues,
            "{first_item} is shown"
        );
        tap(&mut emulator, "返回");
        assert!(
            matches!(emulator.app().screen(), Screen::List { .. }),
            "Back returns to the list"
        );
        tap(&mut emulator, "首页");
        assert_eq!(emulator.app().screen(), Screen::Home);
    }
    tap(&mut emulator, "搜索");
    assert_eq!(emulator.app().screen(), Screen::Search);
    tap(&mut emulator, "返回");
    assert_eq!(emulator.app().screen(), Screen::Home);
}

#[test]
fn home_has_no_back_button_and_every_other_page_has_one() {
    let mut emulator = start();
    assert!(!emulator.shows("返回"), "Back on Home leads nowhere");
    tap(&mut emulator, "公告栏");
    assert!(emulator.shows("返回"));
    tap(&mut emulator, "返回");
    assert_eq!(emulator.app().screen(), Screen::Home);
    assert!(!emulator.shows("返回"));
}

#[test]
fn a_guide_a_search_and_a_table_say_where_they_are() {
    let mut emulator = start();
    tap(&mut emulator, "办事指南");
    assert!(!emulator.shows("首页 › 办事指南"), "a list's title says it");
    let guide = catalog().guides[0].clone();
    tap(&mut emulator, guide.meta.title.text(Lang::ZhHans));
    assert!(emulator.shows("首页 › 办事指南"));
    tap(&mut emulator, "首页");
    tap(&mut emulator, "English");
    tap(&mut emulator, "Search");
    assert!(emulator.shows("Home › Search"));
}

#[test]
fn language_switch_changes_chrome_and_content() {
    let mut emulator = start();
    let catalog = catalog();
    let urgent = catalog.urgent_notices(default_start())[0];
    assert!(emulator.shows("公告栏"));
    tap(&mut emulator, "English");
    assert!(
        emulator.shows("Notices") && !emulator.shows("公告栏"),
        "chrome in English"
    );
    let english_title = urgent
        .meta
        .title
        .exact(Lang::En)
        .expect("the urgent demo notice has English");
    assert!(
        emulator.shows(&format!("Urgent notice: {english_title}")),
        "content in English"
    );
    tap(&mut emulator, "繁體中文");
    assert!(emulator.shows("公告欄"), "chrome in traditional Chinese");
    assert!(emulator.shows(&format!(
        "緊急通知: {}",
        urgent.meta.title.text(Lang::ZhHant)
    )));
    tap(&mut emulator, "简体中文");
    assert!(emulator.shows("公告栏"));
}

#[test]
fn idle_countdown_resets_language_size_contrast_and_page() {
    let mut emulator = start();
    tap(&mut emulator, "English");
    tap(&mut emulator, "Large");
    tap(&mut emulator, "High contrast");
    tap(&mut emulator, "Service guides");
    let settings = emulator.app().settings();
    assert_eq!(
        (settings.lang, settings.text_scale, settings.high_contrast),
        (Lang::En, TEXT_SCALES[1], true)
    );

    let idle = Config::demo().idle;
    emulator.advance(Duration::from_secs(u64::from(idle.timeout_seconds) + 2));
    assert!(emulator.shows("Continue"), "the countdown card is up");
    // Any touch continues the session.
    tap(&mut emulator, "Continue");
    assert!(!emulator.shows("Continue"));
    assert_eq!(emulator.app().settings().lang, Lang::En);

    emulator.advance(Duration::from_secs(
        u64::from(idle.timeout_seconds + idle.countdown_seconds) + 2,
    ));
    let settings = emulator.app().settings();
    assert_eq!(
        (settings.lang, settings.text_scale, settings.high_contrast),
        (Lang::ZhHans, 1.0, false)
    );
    assert_eq!(emulator.app().screen(), Screen::Home);
    assert!(emulator.shows("公告栏"));
}

#[test]
fn a_visitor_reading_a_guide_gets_longer_and_the_countdown_gives_20_seconds() {
    let mut emulator = start();
    let idle = Config::demo().idle;
    assert!(idle.countdown_seconds >= 20, "WCAG 2.2.1: at least 20 s");
    assert!(idle.reading_seconds > idle.timeout_seconds);
    tap(&mut emulator, "办事指南");
    let guide = catalog().guides[0].clone();
    tap(&mut emulator, guide.meta.title.text(Lang::ZhHans));
    assert_eq!(emulator.app().screen(), Screen::Guide(guide.id.clone()));

    // Past the time a list gets, and past its countdown: still reading.
    emulator.advance(Duration::from_secs(
        u64::from(idle.timeout_seconds + idle.countdown_seconds) + 2,
    ));
    assert!(!emulator.shows("继续使用"), "no countdown while reading");
    assert_eq!(emulator.app().screen(), Screen::Guide(guide.id.clone()));

    // The reading time is up: the countdown, and it is still there a
    // second before its end.
    emulator.advance(Duration::from_secs(u64::from(
        idle.reading_seconds - idle.timeout_seconds - idle.countdown_seconds - 1,
    )));
    assert!(
        emulator.shows("继续使用"),
        "the countdown after the reading time"
    );
    emulator.advance(Duration::from_secs(u64::from(idle.countdown_seconds) - 2));
    assert!(
        emulator.shows("继续使用"),
        "the countdown is up for its whole length"
    );
    emulator.advance(Duration::from_secs(3));
    assert_eq!(emulator.app().screen(), Screen::Home);
}

/// Leaves the kiosk untouched on Home until its attract loop is due.
fn idle_until_attract(emulator: &mut Emulator) {
    let attract = Config::demo().idle.attract_seconds;
    emulator.advance(Duration::from_secs(u64::from(attract) + 2));
}

fn attract_active(emulator: &Emulator) -> bool {
    emulator
        .ui()
        .global::<lobby_kiosk::ui::AppState>()
        .get_attract_active()
}

#[test]
fn attract_loop_starts_after_long_idle_and_a_touch_ends_it() {
    let mut emulator = start();
    idle_until_attract(&mut emulator);
    assert!(attract_active(&emulator));
    emulator.tap(540.0, 960.0);
    assert!(!attract_active(&emulator));
}

#[test]
fn golden_attract_loop_shows_what_the_kiosk_offers() {
    // In the site's default language: a visitor's choice ends with the
    // session, before the loop starts.
    for (name, width, height) in [
        ("attract.zh-Hans", WIDTH, HEIGHT),
        ("attract.landscape", HEIGHT, WIDTH),
    ] {
        let mut emulator = start_sized(width, height, Config::demo());
        idle_until_attract(&mut emulator);
        assert!(attract_active(&emulator), "{name}: the attract loop runs");
        emulator.render();
        assert_matches_reference(&mut emulator, name);
    }
}

#[test]
fn golden_read_aloud_on_a_guide() {
    // Speech mode on, a guide open by a double tap, its title touched: the
    // speech bar above the settings and the outline on what was spoken.
    let mut emulator = start();
    let pause = |emulator: &mut Emulator| emulator.advance(Duration::from_millis(600));
    let (x, y) = emulator
        .find("语音朗读")
        .expect("the speaker button")
        .centre();
    emulator.tap(x, y);
    let title = catalog().guides[0].meta.title.text(Lang::ZhHans).to_owned();
    for label in ["办事指南", title.as_str()] {
        pause(&mut emulator);
        let (x, y) = emulator.find(label).expect("on screen").centre();
        emulator.tap(x, y);
        emulator.tap(x, y);
    }
    pause(&mut emulator);
    let (x, y) = emulator.find(&title).expect("the guide's title").centre();
    emulator.tap(x, y);
    pause(&mut emulator);
    emulator.render();
    assert_matches_reference(&mut emulator, "guide.read-aloud");
}

#[test]
fn expired_notice_absent_and_urgent_banner_present() {
    let mut emulator = start();
    let catalog = catalog();
    let now = default_start();
    let local = catalog.local_time(now);
    let expired: Vec<String> = catalog
        .notices
        .iter()
        .filter(|n| !n.is_valid_at(local))
        .map(|n| n.meta.title.text(Lang::ZhHans).to_owned())
        .collect();
    assert!(!expired.is_empty());
    let urgent = catalog.urgent_notices(now)[0]
        .meta
        .title
        .text(Lang::ZhHans)
        .to_owned();
    assert!(emulator.shows(&format!("紧急通知: {urgent}")));
    tap(&mut emulator, "公告栏");
    let rows: Vec<String> = emulator
        .elements()
        .into_iter()
        .filter(|e| e.is_clickable())
        .map(|e| e.label)
        .collect();
    assert!(rows.contains(&urgent), "the urgent notice is listed");
    for title in expired {
        assert!(!rows.contains(&title), "expired notice `{title}` is listed");
    }
}

/// The urgent banner follows the clock, not taps: an urgent notice whose
/// validity ends leaves the banner within the second, on a kiosk nobody
/// touches.
#[test]
fn an_urgent_notice_leaves_the_banner_when_it_expires_without_a_tap() {
    let catalog = catalog();
    let urgent = catalog.urgent_notices(default_start())[0];
    let until = urgent
        .meta
        .valid_until
        .expect("the urgent demo notice ends")
        .0;
    let zone = catalog.site.time_zone;
    let ends = until
        .and_local_timezone(zone)
        .single()
        .expect("a plain local time")
        .with_timezone(&chrono::Utc);
    let mut emulator = Emulator::new(
        WIDTH,
        HEIGHT,
        lobby_kiosk::kiosk::startup::Startup::demo(),
        &Config::demo(),
        ends - chrono::Duration::seconds(20),
    )
    .expect("the emulator starts");
    let banner = format!("紧急通知: {}", urgent.meta.title.text(Lang::ZhHans));
    assert!(emulator.shows(&banner), "shown before it ends");
    emulator.advance(Duration::from_secs(19));
    assert!(emulator.shows(&banner), "shown until it ends");
    emulator.advance(Duration::from_secs(3));
    assert!(!emulator.shows(&banner), "still shown after it ended");
}

fn hold_department_name(emulator: &mut Emulator, duration: Duration) {
    let (x, y) = emulator.find("广州市体育局").expect("the name").centre();
    emulator.long_press(x, y, duration);
}

fn enter_pin(emulator: &mut Emulator, pin: &str) {
    for digit in pin.chars() {
        tap(emulator, &digit.to_string());
    }
    tap(emulator, "确认");
}

#[test]
fn admin_panel_needs_the_hidden_gesture_and_pin_and_locks_after_three_tries() {
    let mut emulator = start();
    // A tap or a short hold never opens the PIN pad.
    let (x, y) = emulator.find("广州市体育局").expect("the name").centre();
    emulator.tap(x, y);
    hold_department_name(&mut emulator, Duration::from_secs(1));
    assert!(!emulator.shows("确认"));

    hold_department_name(&mut emulator, Duration::from_millis(3200));
    assert!(emulator.shows("确认"), "the PIN pad opens");
    for _ in 0..3 {
        enter_pin(&mut emulator, "1111");
    }
    assert_ne!(emulator.app().screen(), Screen::Admin);
    assert!(
        emulator.shows("已锁定，请 60 秒后再试"),
        "the lock says how long"
    );
    // Locked, the keys are greyed and deaf: nothing is entered.
    tap(&mut emulator, "1");
    assert!(emulator.shows("已输入 0 位"), "a locked key enters nothing");
    enter_pin(&mut emulator, DEMO_PIN);
    assert_ne!(
        emulator.app().screen(),
        Screen::Admin,
        "locked even for the right PIN"
    );
    emulator.advance(Duration::from_secs(30));
    assert!(
        emulator.shows("已锁定，请 30 秒后再试"),
        "the lock counts down"
    );

    emulator.advance(Duration::from_secs(31));
    assert!(
        !emulator.shows("已锁定，请 1 秒后再试"),
        "the lock has ended by itself"
    );
    tap(&mut emulator, "1");
    assert!(emulator.shows("已输入 1 位"), "the keys work again");
    tap(&mut emulator, "清除");
    if !emulator.shows("确认") {
        hold_department_name(&mut emulator, Duration::from_millis(3200));
    }
    enter_pin(&mut emulator, DEMO_PIN);
    assert_eq!(emulator.app().screen(), Screen::Admin);
    assert!(emulator.shows("立即同步"));
}

#[test]
fn the_admin_panel_speaks_the_visitors_language() {
    use slint::Model;
    for (index, lang) in Lang::ALL.into_iter().enumerate() {
        let emulator = start();
        let state = emulator.ui().global::<lobby_kiosk::ui::AppState>();
        state.invoke_set_language(index as i32);
        state.invoke_submit_pin(DEMO_PIN.into());
        assert_eq!(emulator.app().screen(), Screen::Admin);
        let lines = emulator
            .ui()
            .global::<lobby_kiosk::ui::Content>()
            .get_admin_status();
        let line = |row: usize| {
            let line = lines.row_data(row).expect("an admin line");
            (line.label.to_string(), line.text.to_string())
        };
        let expected = match lang {
            Lang::ZhHans => [("终端", "kiosk-demo"), ("在线", "否")],
            Lang::ZhHant => [("終端", "kiosk-demo"), ("在線", "否")],
            Lang::En => [("Kiosk", "kiosk-demo"), ("Online", "no")],
        };
        let shown = [line(0), line(5)];
        let shown: Vec<(&str, &str)> = shown
            .iter()
            .map(|(l, t)| (l.as_str(), t.as_str()))
            .collect();
        assert_eq!(shown, expected, "{lang}");
    }
}

/// A status report repaints the status strip, not the page under it: the
/// page's models stay as they are (before, every report presented the page
/// again, and Slint rebuilt and repainted all of it).
#[test]
fn a_status_report_repaints_the_status_strip_not_the_page() {
    let mut emulator = start();
    let guide = catalog().guides[0].id.clone();
    emulator
        .ui()
        .global::<lobby_kiosk::ui::AppState>()
        .invoke_open_item(guide.as_str().into());
    emulator.render();
    let mut status = emulator.app().status();
    status.online = !status.online;
    emulator.app().set_status(status);
    let repainted = emulator.render();
    let strip = u64::from(WIDTH) * 56;
    assert!(repainted > 0, "the strip shows the change");
    assert!(
        repainted <= strip,
        "a status report repainted {repainted} pixels; the status strip has {strip}"
    );
}

#[test]
fn pin_messages_are_in_the_visitors_language() {
    for (index, lang) in Lang::ALL.into_iter().enumerate() {
        let emulator = start();
        let state = emulator.ui().global::<lobby_kiosk::ui::AppState>();
        state.invoke_set_language(index as i32);
        state.invoke_submit_pin("1111".into());
        let rejected = state.get_pin_message().to_string();
        state.invoke_submit_pin("1111".into());
        state.invoke_submit_pin("1111".into());
        let locked = state.get_pin_message().to_string();
        let expected = match lang {
            Lang::ZhHans => ["PIN 错误，还可尝试 2 次", "已锁定，请 60 秒后再试"],
            Lang::ZhHant => ["PIN 錯誤，還可嘗試 2 次", "已鎖定，請 60 秒後再試"],
            Lang::En => ["Wrong PIN, 2 tries left", "Locked for 60 s"],
        };
        assert_eq!([rejected.as_str(), locked.as_str()], expected, "{lang}");
    }
}

/// Visits every kind of screen, calling `check` on each.
fn visit_every_screen(emulator: &mut Emulator, check: &mut dyn FnMut(&mut Emulator, &str)) {
    let catalog = catalog();
    let ui = emulator.ui().clone_strong();
    check(emulator, "home");
    for (page, name) in [
        (lobby_kiosk::ui::Page::Notices, "notices"),
        (lobby_kiosk::ui::Page::Guides, "guides"),
        (lobby_kiosk::ui::Page::Disclosure, "disclosure"),
        (lobby_kiosk::ui::Page::Interaction, "interaction"),
        (lobby_kiosk::ui::Page::Venues, "venues"),
        (lobby_kiosk::ui::Page::Search, "search"),
    ] {
        ui.global::<lobby_kiosk::ui::AppState>()
            .invoke_navigate(page);
        check(emulator, name);
        ui.global::<lobby_kiosk::ui::AppState>().invoke_home();
    }
    let ids = [
        catalog.notices[0].id.clone(),
        catalog.guides[0].id.clone(),
        "annual-report-2019".to_owned(),
        catalog.faqs[0].id.clone(),
        catalog.venues[0].id.clone(),
    ];
    for id in ids {
        ui.global::<lobby_kiosk::ui::AppState>()
            .invoke_open_item(id.as_str().into());
        check(emulator, &id);
    }
    ui.global::<lobby_kiosk::ui::Content>()
        .invoke_open_table_view(1);
    check(emulator, "table");
    ui.global::<lobby_kiosk::ui::AppState>().invoke_home();
}

#[test]
fn touch_targets_are_big_and_text_stays_on_screen_at_every_size() {
    let sizes = TEXT_SCALES.map(|scale| (scale, WIDTH, HEIGHT));
    // Landscape must lay out too.
    for (scale, width, height) in sizes.into_iter().chain([(1.0, HEIGHT, WIDTH)]) {
        let mut emulator = start_sized(width, height, Config::demo());
        emulator
            .ui()
            .global::<lobby_kiosk::ui::AppState>()
            .invoke_set_text_scale(scale);
        let mut problems = Vec::new();
        visit_every_screen(&mut emulator, &mut |emulator, screen| {
            emulator.render();
            let elements = emulator.elements();
            let (page_top, page_bottom) = emulator.page_area();
            // Below this the page is covered (the "more below" strip).
            let shown_bottom = lobby_kiosk::emulator::layout_check::visible_bottom(emulator);
            let scrollers: Vec<_> = elements
                .iter()
                .filter(|e| e.description == "scroll-x")
                .cloned()
                .collect();
            for element in &elements {
                if element.width <= 0.0 || element.height <= 0.0 {
                    continue;
                }
                if element.is_clickable() && (element.width < 88.0 || element.height < 88.0) {
                    problems.push(format!(
                        "{scale}× {screen}: `{}` is {:.0}×{:.0}",
                        element.label, element.width, element.height
                    ));
                }
                let (cx, cy) = element.centre();
                let in_scroller = scrollers
                    .iter()
                    .any(|s| cy >= s.y && cy <= s.y + s.height && cx >= s.x - 1.0);
                let fits = element.x >= -0.5 && element.x + element.width <= width as f32 + 0.5;
                // Text that starts inside a button must end inside it too.
                if element.role == Some(AccessibleRole::Text)
                    && !element.label.is_empty()
                    && !(element.y >= shown_bottom && element.y < page_bottom)
                {
                    // Only buttons wholly inside the page area (not cut by
                    // scrolling) or wholly below it (the bars).
                    let visible = |c: &&Element| {
                        (c.y >= page_top && c.y + c.height <= page_bottom) || c.y >= page_bottom
                    };
                    // The button drawn where the text starts: the last in
                    // tree order (a scrolled button under a panel is earlier).
                    let spills = elements
                        .iter()
                        .rev()
                        .filter(|c| c.is_clickable())
                        .filter(visible)
                        .find(|c| {
                            element.x >= c.x - 0.5
                                && element.y >= c.y - 0.5
                                && element.x < c.x + c.width
                                && element.y <= c.y + c.height
                        })
                        .is_some_and(|c| {
                            element.x + element.width > c.x + c.width + 0.5
                                || element.y + element.height > c.y + c.height + 0.5
                        });
                    if spills {
                        problems.push(format!(
                            "{scale}× {width}×{height} {screen}: text `{}` spills out of its button",
                            element.label
                        ));
                    }
                }
                if element.role == Some(AccessibleRole::Text) && !in_scroller && !fits {
                    problems.push(format!(
                        "{scale}× {screen}: text `{}` overflows the screen ({:.0}..{:.0})",
                        element.label,
                        element.x,
                        element.x + element.width
                    ));
                }
            }
        });
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/screenshots")
}

/// Compares the current screen with a committed reference (regenerated with
/// `UPDATE_SCREENSHOTS=1`); the rendering is deterministic, the tolerance
/// absorbs anti-aliasing differences between CPUs.
fn assert_matches_reference(emulator: &mut Emulator, name: &str) {
    let path = screenshot_dir().join(format!("{name}.png"));
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        std::fs::create_dir_all(screenshot_dir()).unwrap();
        emulator.screenshot(&path).unwrap();
        return;
    }
    let reference = Framebuffer::load_png(&path)
        .unwrap_or_else(|e| panic!("{e}: run UPDATE_SCREENSHOTS=1 cargo test --test emulator"));
    let difference = emulator.screen().difference(&reference, 24);
    if difference > 0.002 {
        let actual = std::env::temp_dir().join(format!("{name}.actual.png"));
        emulator.screenshot(&actual).unwrap();
        panic!(
            "{name}: {:.2}% of pixels differ from {} (actual: {})",
            difference * 100.0,
            path.display(),
            actual.display()
        );
    }
}

#[test]
fn golden_screenshots_in_three_languages() {
    let catalog = catalog();
    let urgent = catalog.urgent_notices(default_start())[0].id.clone();
    let guide = catalog
        .guides
        .iter()
        .find(|g| g.meta.title.is_authored(Lang::En))
        .expect("a guide in English")
        .id
        .clone();
    for (index, lang) in Lang::ALL.into_iter().enumerate() {
        let mut emulator = start();
        let ui = emulator.ui().clone_strong();
        let state = ui.global::<lobby_kiosk::ui::AppState>();
        state.invoke_set_language(index as i32);
        assert_matches_reference(&mut emulator, &format!("home.{lang}"));
        state.invoke_open_item(urgent.as_str().into());
        assert_matches_reference(&mut emulator, &format!("notice.{lang}"));
        state.invoke_home();
        state.invoke_open_item(guide.as_str().into());
        assert_matches_reference(&mut emulator, &format!("guide.{lang}"));
        state.invoke_home();
        state.invoke_open_item("annual-report-2019".into());
        // A long document's sections, to open it at one.
        assert_matches_reference(&mut emulator, &format!("report.{lang}"));
        ui.global::<lobby_kiosk::ui::Content>()
            .invoke_open_table_view(1);
        assert_matches_reference(&mut emulator, &format!("report-table.{lang}"));
        // Answers nobody translated say so in English.
        state.invoke_navigate(lobby_kiosk::ui::Page::Interaction);
        assert_matches_reference(&mut emulator, &format!("contact.{lang}"));
    }
}

#[test]
fn golden_notice_board_after_tapping_its_tile() {
    // The board in a box (scripts/board-box.sh) taps the same tile on the
    // emulated board and compares its screen with this one.
    let mut emulator = start();
    tap(&mut emulator, "公告栏");
    assert_matches_reference(&mut emulator, "notices.zh-Hans");
}

#[test]
fn golden_screenshots_of_landscape_high_contrast_and_large_text() {
    let mut landscape = start_sized(HEIGHT, WIDTH, Config::demo());
    assert_matches_reference(&mut landscape, "home.landscape");

    let mut emulator = start();
    let ui = emulator.ui().clone_strong();
    let state = ui.global::<lobby_kiosk::ui::AppState>();
    state.invoke_set_high_contrast(true);
    assert_matches_reference(&mut emulator, "home.high-contrast");
    state.invoke_set_high_contrast(false);
    state.invoke_set_text_scale(1.5);
    state.invoke_navigate(lobby_kiosk::ui::Page::Notices);
    assert_matches_reference(&mut emulator, "notices.text-150");
    state.invoke_open_item("annual-report-2019".into());
    ui.global::<lobby_kiosk::ui::Content>()
        .invoke_open_table_view(1);
    assert_matches_reference(&mut emulator, "report-table.cards-150");
}

/// The demo guide with the longest name list, scrolled to its end (the
/// related questions fully above the navigation bar), and the stress
/// guide's top and end, in portrait, at 150 % and in landscape.
#[test]
fn golden_screenshots_of_guides_scrolled_to_their_end() {
    use lobby_kiosk::content::synthetic;
    use lobby_kiosk::emulator::layout_check;

    let stress = || lobby_kiosk::kiosk::startup::Startup::with_catalog(synthetic::stress_catalog());
    let cases = [
        (
            "high-risk-sports-license",
            1.0,
            (WIDTH, HEIGHT),
            "guide-end",
        ),
        (
            "high-risk-sports-license",
            1.5,
            (WIDTH, HEIGHT),
            "guide-end.text-150",
        ),
        (
            "high-risk-sports-license",
            1.0,
            (HEIGHT, WIDTH),
            "guide-end.landscape",
        ),
        ("stress-guide", 1.0, (WIDTH, HEIGHT), "stress-guide"),
        (
            "stress-guide",
            1.5,
            (WIDTH, HEIGHT),
            "stress-guide.text-150",
        ),
        (
            "stress-guide",
            1.5,
            (HEIGHT, WIDTH),
            "stress-guide.landscape",
        ),
    ];
    for (id, scale, (width, height), name) in cases {
        let startup = if id.starts_with("stress") {
            stress()
        } else {
            lobby_kiosk::kiosk::startup::Startup::demo()
        };
        let mut emulator =
            Emulator::new(width, height, startup, &Config::demo(), default_start()).unwrap();
        let state = emulator.ui().global::<lobby_kiosk::ui::AppState>();
        state.invoke_set_text_scale(scale);
        state.invoke_open_item(id.into());
        if id.starts_with("stress") {
            assert_matches_reference(&mut emulator, &format!("{name}.top"));
        }
        // The check scrolls to the end and leaves the page there.
        let problems = layout_check::check_screen(&mut emulator, name);
        assert!(problems.is_empty(), "{problems:#?}");
        assert_matches_reference(&mut emulator, &format!("{name}.end"));
    }
}

#[test]
fn a_guide_summary_value_stays_under_its_label_beside_a_tall_neighbour() {
    use lobby_kiosk::content::synthetic;

    let startup = lobby_kiosk::kiosk::startup::Startup::with_catalog(synthetic::stress_catalog());
    let mut emulator = Emulator::new(WIDTH, HEIGHT, startup, &Config::demo(), default_start())
        .expect("the emulator starts");
    let state = emulator.ui().global::<lobby_kiosk::ui::AppState>();
    state.invoke_set_text_scale(1.5);
    state.invoke_open_item("stress-guide".into());
    // 到现场次数 … 2 次, beside a place that runs over many lines.
    for _ in 0..10 {
        if emulator
            .find("2 次")
            .is_some_and(|v| v.y > 160.0 && v.y + v.height < 1744.0)
        {
            break;
        }
        emulator.swipe((540.0, 1400.0), (540.0, 900.0), Duration::from_millis(400));
    }
    let label = emulator.find("到现场次数").expect("the label");
    let value = emulator.find("2 次").expect("the value");
    let gap = value.y - (label.y + label.height);
    assert!(
        (0.0..=8.0).contains(&gap),
        "the value is {gap:.0} px below its label"
    );
}

#[test]
fn a_channel_found_by_search_opens_its_own_page() {
    let mut emulator = start();
    tap(&mut emulator, "搜索");
    for key in ["j", "z", "x", "x"] {
        tap(&mut emulator, key);
    }
    tap(&mut emulator, "局长信箱");
    assert_eq!(
        emulator.app().screen(),
        Screen::Detail("director-mailbox".into())
    );
    assert_eq!(
        emulator
            .ui()
            .global::<lobby_kiosk::ui::AppState>()
            .get_page(),
        lobby_kiosk::ui::Page::Detail,
        "not Home"
    );
    assert!(emulator.shows("局长信箱"));
}

#[test]
fn a_wide_table_pages_sideways_to_its_last_column_by_buttons() {
    use lobby_kiosk::content::blocks::Block;

    let catalog = catalog();
    let report = catalog
        .documents
        .iter()
        .find(|d| d.id == "annual-report-2019")
        .expect("the annual report");
    let tables: Vec<_> = report
        .body
        .get(Lang::ZhHans)
        .into_iter()
        .flatten()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    let last_header = tables[1]
        .header
        .last()
        .and_then(|row| row.last())
        .map(|cell| cell.text.clone())
        .expect("a header");
    let mut emulator = start();
    let ui = emulator.ui().clone_strong();
    ui.global::<lobby_kiosk::ui::AppState>()
        .invoke_open_item("annual-report-2019".into());
    ui.global::<lobby_kiosk::ui::Content>()
        .invoke_open_table_view(1);
    let on_screen = |emulator: &Emulator| {
        emulator.find(&last_header).is_some_and(|cell| {
            cell.x >= 0.0 && cell.x + cell.width <= WIDTH as f32 && cell.width > 0.0
        })
    };
    assert!(!on_screen(&emulator), "the last column starts off screen");
    for _ in 0..10 {
        if on_screen(&emulator) {
            break;
        }
        tap(&mut emulator, "向右滚动");
    }
    assert!(
        on_screen(&emulator),
        "`{last_header}` reached by the button"
    );
    tap(&mut emulator, "按行查看");
    assert!(emulator.shows("按表格查看"), "the card view, on request");
}

/// The report's table of requests (the disclosure template), opened full
/// screen.
fn open_report_requests_table(emulator: &mut Emulator) {
    let ui = emulator.ui().clone_strong();
    ui.global::<lobby_kiosk::ui::AppState>()
        .invoke_open_item("annual-report-2019".into());
    ui.global::<lobby_kiosk::ui::Content>()
        .invoke_open_table_view(1);
}

#[test]
fn a_wide_tables_total_stays_beside_its_labels_and_its_group_headers_stay_whole() {
    let mut emulator = start();
    open_report_requests_table(&mut emulator);
    let on_screen =
        |e: &lobby_kiosk::emulator::Element| e.x >= 0.0 && e.x + e.width <= WIDTH as f32;
    // The total, four swipes away in the report, shows from the start.
    let total = emulator.find("总计").expect("the total's header");
    assert!(on_screen(&total), "the total column shows first: {total:?}");
    assert!(
        emulator.find("22").is_some_and(|e| on_screen(&e)),
        "the first row's total"
    );
    // The corner heads the labels; its note reads above the table.
    assert!(emulator.shows("项目"), "the corner is a label");
    assert!(emulator.shows("ⓘ 本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"));
    // The labels take under half the width.
    let labels_end = emulator
        .find("一、本年新收政府信息公开申请数量")
        .map(|e| e.x + e.width)
        .expect("a row label");
    assert!(
        labels_end < WIDTH as f32 / 2.0,
        "labels end at {labels_end}"
    );
    // Every group header is whole, right of the pinned columns, wherever
    // the grid is scrolled to.
    let pinned_end = total.x + total.width;
    let mut last_x = f32::MAX;
    for step in 0..12 {
        for group in ["申请人情况", "法人或其他组织"] {
            let header = emulator.find(group).expect("a group header");
            assert!(
                on_screen(&header) && header.x >= pinned_end - 1.0,
                "`{group}` cut at step {step}: {header:?}, the pinned columns end at {pinned_end}"
            );
        }
        let x = emulator.find("商业企业").map_or(0.0, |e| e.x);
        if x == last_x {
            break;
        }
        last_x = x;
        tap(&mut emulator, "向右滚动");
    }
}

#[test]
fn the_report_table_in_english_says_it_is_shown_in_chinese() {
    let mut emulator = start();
    tap(&mut emulator, "English");
    open_report_requests_table(&mut emulator);
    assert!(
        emulator.shows("This page is not yet available in English and is shown in Chinese."),
        "the Chinese table is labelled for an English reader"
    );
}

#[test]
fn a_long_document_lists_its_sections_and_opens_at_the_one_tapped() {
    let mut emulator = start();
    let ui = emulator.ui().clone_strong();
    let state = ui.global::<lobby_kiosk::ui::AppState>();
    state.invoke_open_item("annual-report-2019".into());
    assert!(
        emulator.shows("本文目录（共 6 节）"),
        "the report's six sections"
    );
    let third = "三、收到和处理政府信息公开申请情况";
    let section = emulator.find(third).expect("the third section");
    assert!(section.is_clickable(), "a row to tap: {section:?}");
    tap(&mut emulator, third);
    // The section is the page: its title, under the report's trail.
    assert_eq!(state.get_page(), lobby_kiosk::ui::Page::Detail);
    let title = emulator.find(third).expect("the section's title");
    assert!(!title.is_clickable() && title.y < 500.0, "{title:?}");
    assert!(emulator.shows("首页 › 信息公开 › 广州市体育局2019年政府信息公开工作年度报告"));
    assert!(
        !emulator.shows("二、主动公开政府信息情况"),
        "the sections before it left out"
    );
    assert!(!emulator.shows("本文目录（共 6 节）"));
    assert!(emulator.scroll_to("查看表格 →"), "its table");
    tap(&mut emulator, "返回");
    assert!(
        emulator.shows("本文目录（共 6 节）"),
        "Back returns to the list"
    );
    // A short notice has none.
    let urgent = catalog().urgent_notices(default_start())[0].id.clone();
    state.invoke_open_item(urgent.as_str().into());
    assert!(
        !emulator
            .elements()
            .iter()
            .any(|e| e.label.starts_with("本文目录"))
    );
}

#[test]
fn an_untranslated_guide_in_english_says_so_and_counts_copies_in_english() {
    use slint::Model;

    let catalog = catalog();
    let guide = catalog
        .guides
        .iter()
        .find(|g| !g.meta.title.is_authored(Lang::En))
        .expect("a guide without English");
    let mut emulator = start();
    tap(&mut emulator, "English");
    emulator
        .ui()
        .global::<lobby_kiosk::ui::AppState>()
        .invoke_open_item(guide.id.as_str().into());
    assert!(emulator.shows("This page is not yet available in English and is shown in Chinese."));
    // The materials as the page shows them (further down the page).
    let details: Vec<String> = emulator
        .ui()
        .global::<lobby_kiosk::ui::Content>()
        .get_guide()
        .materials
        .iter()
        .map(|material| material.detail.to_string())
        .collect();
    assert!(
        details.iter().any(|d| d.starts_with("1 copy · ")),
        "{details:?}"
    );
    assert!(!details.iter().any(|d| d.contains("1 copies")));

    // The traditional view of a guide written in simplified says it was converted.
    tap(&mut emulator, "繁體中文");
    assert!(emulator.shows("本頁繁體中文由簡體自動轉換。"));
}

#[test]
fn a_five_megabyte_paragraph_opens_a_page_at_a_time() {
    use lobby_kiosk::content::synthetic;
    use slint::Model;

    let mut catalog = catalog();
    catalog
        .notices
        .push(synthetic::long_paragraph_notice(5_000_000 / 3));
    let startup = lobby_kiosk::kiosk::startup::Startup::with_catalog(catalog);
    let mut emulator = Emulator::new(WIDTH, HEIGHT, startup, &Config::demo(), default_start())
        .expect("the emulator starts");
    let ui = emulator.ui().clone_strong();
    ui.global::<lobby_kiosk::ui::AppState>()
        .invoke_open_item("long-paragraph".into());
    emulator.render();
    let shown = |ui: &lobby_kiosk::ui::KioskWindow| {
        ui.global::<lobby_kiosk::ui::Content>()
            .get_detail()
            .blocks
            .iter()
            .map(|b| b.text.chars().count())
            .sum::<usize>()
    };
    let first = shown(&ui);
    assert!(
        first <= lobby_kiosk::ui::long_text::PAGE_CHARS,
        "{first} characters laid out"
    );
    let more = ui
        .global::<lobby_kiosk::ui::Content>()
        .get_detail()
        .more
        .to_string();
    assert!(more.starts_with("继续阅读"), "{more}");
    ui.global::<lobby_kiosk::ui::Content>().invoke_show_more();
    assert!(shown(&ui) > first, "read on shows more");
}

#[test]
fn long_lists_show_a_page_then_more_on_request_and_back_keeps_them() {
    use lobby_kiosk::content::synthetic;
    use lobby_kiosk::ui::pages::LIST_PAGE;
    use slint::Model;

    let catalog = synthetic::catalog(100);
    let visible = catalog.visible_notices(default_start()).len();
    assert!(visible > 2 * LIST_PAGE, "{visible} notices visible");
    let startup = lobby_kiosk::kiosk::startup::Startup::with_catalog(catalog);
    let mut emulator = Emulator::new(WIDTH, HEIGHT, startup, &Config::demo(), default_start())
        .expect("the emulator starts");
    let rows = |emulator: &Emulator| {
        emulator
            .ui()
            .global::<lobby_kiosk::ui::Content>()
            .get_items()
            .row_count()
    };
    tap(&mut emulator, "公告栏");
    assert_eq!(rows(&emulator), LIST_PAGE);

    // The visitor scrolls to the end of the list and asks for more.
    let more = format!("显示更多（还有 {} 条）", visible - LIST_PAGE);
    for _ in 0..40 {
        if emulator.find(&more).is_some_and(|button| {
            let (top, bottom) = emulator.page_area();
            button.y > top && button.y + button.height < bottom
        }) {
            break;
        }
        emulator.swipe((540.0, 1400.0), (540.0, 300.0), Duration::from_millis(200));
    }
    tap(&mut emulator, &more);
    assert_eq!(rows(&emulator), 2 * LIST_PAGE);

    // Opening a notice and coming back keeps the longer list; Home resets it.
    let first = emulator
        .ui()
        .global::<lobby_kiosk::ui::Content>()
        .get_items()
        .row_data(0)
        .expect("a first row");
    emulator
        .ui()
        .global::<lobby_kiosk::ui::AppState>()
        .invoke_open_item(first.id.clone());
    tap(&mut emulator, "返回");
    assert_eq!(rows(&emulator), 2 * LIST_PAGE);
    tap(&mut emulator, "首页");
    tap(&mut emulator, "公告栏");
    assert_eq!(
        rows(&emulator),
        LIST_PAGE,
        "a new visit starts with one page"
    );
}

#[test]
fn search_shows_a_page_of_results_then_more_and_a_new_query_starts_again() {
    use lobby_kiosk::content::synthetic;
    use lobby_kiosk::ui::SearchState;
    use lobby_kiosk::ui::search_view::RESULTS_PAGE;
    use slint::Model;

    // Every synthetic notice's title ends in （第N号）: "hao" finds them all.
    let startup = lobby_kiosk::kiosk::startup::Startup::with_catalog(synthetic::catalog(100));
    let mut emulator = Emulator::new(WIDTH, HEIGHT, startup, &Config::demo(), default_start())
        .expect("the emulator starts");
    tap(&mut emulator, "搜索");
    fn search(emulator: &Emulator) -> SearchState<'_> {
        emulator.ui().global::<SearchState>()
    }
    let rows = |emulator: &Emulator| search(emulator).get_results().row_count();
    search(&emulator).invoke_type_text("hao".into());
    let total = search(&emulator).get_total() as usize;
    assert!(total > 2 * RESULTS_PAGE, "{total} results");
    assert_eq!(rows(&emulator), RESULTS_PAGE);
    let more = format!("显示更多（还有 {} 条）", total - RESULTS_PAGE);
    // The visitor scrolls the results (above the keyboard) to their end.
    for _ in 0..30 {
        if emulator.find(&more).is_some() {
            break;
        }
        emulator.swipe((540.0, 850.0), (540.0, 450.0), Duration::from_millis(200));
    }
    tap(&mut emulator, &more);
    assert_eq!(rows(&emulator), 2 * RESULTS_PAGE);
    search(&emulator).invoke_backspace();
    assert_eq!(rows(&emulator), RESULTS_PAGE, "a new query shows one page");
}

fn search_query(emulator: &Emulator) -> String {
    emulator
        .ui()
        .global::<lobby_kiosk::ui::SearchState>()
        .get_query()
        .to_string()
}

#[test]
fn typing_bszn_on_the_keyboard_finds_guides_and_opens_the_first() {
    let mut emulator = start();
    let catalog = catalog();
    tap(&mut emulator, "搜索");
    assert_eq!(emulator.app().screen(), Screen::Search);
    for key in ["b", "s", "z", "n"] {
        tap(&mut emulator, key);
    }
    assert_eq!(search_query(&emulator), "bszn");
    let first = &catalog.guides[0];
    let title = first.meta.title.text(Lang::ZhHans);
    assert!(emulator.shows(title), "the first guide is listed");
    tap(&mut emulator, title);
    assert_eq!(emulator.app().screen(), Screen::Guide(first.id.clone()));
    assert!(emulator.shows(title));

    // Back to the results, edit the query, then let the idle reset wipe it.
    tap(&mut emulator, "返回");
    tap(&mut emulator, "退格");
    assert_eq!(search_query(&emulator), "bsz");
    tap(&mut emulator, "清除");
    assert_eq!(search_query(&emulator), "");
    tap(&mut emulator, "x");
    tap(&mut emulator, "z");
    tap(&mut emulator, "q");
    tap(&mut emulator, "j");
    assert!(emulator.shows("互动交流"), "no results offers help");
    let idle = Config::demo().idle;
    emulator.advance(Duration::from_secs(
        u64::from(idle.timeout_seconds + idle.countdown_seconds) + 2,
    ));
    assert_eq!(emulator.app().screen(), Screen::Home);
    assert_eq!(search_query(&emulator), "");
}

#[test]
fn golden_screenshots_of_search_results_portrait_and_landscape() {
    for (mut emulator, name) in [
        (start(), "search.zh-Hans"),
        // Landscape: results beside the keyboard, not squeezed above it.
        (
            start_sized(HEIGHT, WIDTH, Config::demo()),
            "search.landscape",
        ),
    ] {
        let ui = emulator.ui().clone_strong();
        ui.global::<lobby_kiosk::ui::AppState>()
            .invoke_navigate(lobby_kiosk::ui::Page::Search);
        ui.global::<lobby_kiosk::ui::SearchState>()
            .invoke_type_text("changguan".into());
        assert_matches_reference(&mut emulator, name);
    }
}

#[test]
fn sync_now_without_a_repository_is_reported_to_the_admin_status_too() {
    let emulator = start();
    let shared = emulator.app().status_handle();
    emulator
        .ui()
        .global::<lobby_kiosk::ui::AppState>()
        .invoke_admin_sync_now();
    let message = "no repository configured: showing the embedded demo content";
    assert_eq!(emulator.app().status().last_error, message);
    assert_eq!(
        shared.get().last_error,
        message,
        "the same status for /status and MQTT"
    );
}

/// The recorded writing (tests/fixtures/handwriting/characters.toml).
fn recorded_writing() -> Vec<lobby_kiosk::handwriting::recorded::Recorded> {
    lobby_kiosk::handwriting::recorded::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handwriting/characters.toml"),
    )
    .expect("the recorded writing loads")
}

/// The search page with the handwriting pad open, in `lang`; None (the
/// reason printed) where libzinnia or its model is missing.
fn handwriting_pad(lang: Lang) -> Option<Emulator> {
    let mut emulator = start();
    let ui = emulator.ui().clone_strong();
    let state = ui.global::<lobby_kiosk::ui::AppState>();
    state.invoke_set_language(lang.index() as i32);
    state.invoke_navigate(lobby_kiosk::ui::Page::Search);
    emulator.render();
    let handwriting = match lang {
        Lang::ZhHans => "手写",
        Lang::ZhHant => "手寫",
        Lang::En => "Handwriting",
    };
    tap(&mut emulator, handwriting);
    let search = ui.global::<lobby_kiosk::ui::SearchState>();
    let unavailable = search.get_handwriting_unavailable();
    if !unavailable.is_empty() {
        eprintln!("skipped: {unavailable}");
        return None;
    }
    Some(emulator)
}

/// Writes strokes `strokes` of `character` on the pad with the emulator's
/// touch injection; returns the candidates shown after each.
fn write_strokes(
    emulator: &mut Emulator,
    character: &lobby_kiosk::handwriting::recorded::Recorded,
    strokes: std::ops::Range<usize>,
) -> Vec<Vec<String>> {
    let pad = emulator
        .elements()
        .into_iter()
        .find(|e| matches!(e.label.as_str(), "手写板" | "手寫板" | "Handwriting pad"))
        .expect("the pad shows");
    let mut shown = Vec::new();
    for stroke in &character.scaled(pad.width)[strokes] {
        let points: Vec<(f32, f32)> = stroke.iter().map(|p| (pad.x + p.x, pad.y + p.y)).collect();
        emulator.stroke(&points);
        let search = emulator.ui().global::<lobby_kiosk::ui::SearchState>();
        let candidates: Vec<String> = slint::Model::iter(&search.get_candidates())
            .map(|c| c.to_string())
            .collect();
        for candidate in &candidates {
            assert!(
                emulator.shows(candidate),
                "candidate {candidate} is a button on the pad"
            );
        }
        shown.push(candidates);
    }
    shown
}

#[test]
fn handwriting_recorded_characters_through_touch_give_their_candidates() {
    for lang in [Lang::ZhHans, Lang::ZhHant] {
        let Some(mut emulator) = handwriting_pad(lang) else {
            return;
        };
        for character in recorded_writing() {
            let script = character.script.lang();
            let offered = match (character.script, lang) {
                // A zh-Hant visitor writing a shape both scripts share gets
                // its traditional form (the same character).
                (lobby_kiosk::handwriting::recorded::Script::Both, _) => character.text.clone(),
                _ if script == lang => character.text.clone(),
                _ => continue,
            };
            let shown = write_strokes(&mut emulator, &character, 0..character.strokes.len());
            assert_eq!(shown.len(), character.strokes.len());
            assert!(
                shown.iter().all(|c| !c.is_empty()),
                "{}: candidates after every stroke",
                character.text
            );
            let last = shown.last().expect("a stroke");
            assert_eq!(
                last.contains(&offered),
                character.recognized,
                "{} ({lang}) offered {last:?}",
                character.text
            );
            tap(
                &mut emulator,
                if lang == Lang::ZhHans {
                    "重写"
                } else {
                    "重寫"
                },
            );
            let search = emulator.ui().global::<lobby_kiosk::ui::SearchState>();
            assert_eq!(search.get_ink(), "", "rewrite wipes the pad");
            assert_eq!(slint::Model::row_count(&search.get_candidates()), 0);
        }
    }
}

#[test]
fn a_handwritten_candidate_joins_the_query_and_the_keyboard_still_types() {
    let Some(mut emulator) = handwriting_pad(Lang::ZhHans) else {
        return;
    };
    assert!(emulator.app().handwriting_model_open());
    let characters = recorded_writing();
    let ten = characters
        .iter()
        .find(|c| c.text == "十")
        .expect("十 is recorded");
    write_strokes(&mut emulator, ten, 0..2);
    tap(&mut emulator, "十");
    assert_eq!(search_query(&emulator), "十");
    let search = emulator.ui().global::<lobby_kiosk::ui::SearchState>();
    assert_eq!(search.get_ink(), "", "a picked candidate wipes the pad");
    tap(&mut emulator, "拼音");
    assert!(
        !emulator.app().handwriting_model_open(),
        "the keyboard closes the model"
    );
    tap(&mut emulator, "a");
    assert_eq!(search_query(&emulator), "十a");
    tap(&mut emulator, "退格");
    tap(&mut emulator, "手写");
    assert!(emulator.app().handwriting_model_open());
    emulator
        .ui()
        .global::<lobby_kiosk::ui::AppState>()
        .invoke_home();
    emulator.render();
    assert!(
        !emulator.app().handwriting_model_open(),
        "leaving the page closes the model"
    );
}

#[test]
fn the_empty_search_page_offers_popular_searches_that_run_when_tapped() {
    let mut emulator = start();
    emulator
        .ui()
        .global::<lobby_kiosk::ui::AppState>()
        .invoke_navigate(lobby_kiosk::ui::Page::Search);
    emulator.render();
    assert!(emulator.shows("热门搜索"));
    let chip = emulator
        .find("游泳")
        .expect("the site's popular search shows");
    assert!(chip.is_clickable() && chip.height >= 88.0 && chip.width >= 88.0);
    tap(&mut emulator, "游泳");
    assert_eq!(search_query(&emulator), "游泳");
    let search = emulator.ui().global::<lobby_kiosk::ui::SearchState>();
    assert!(
        search.get_total() > 0,
        "游泳 finds something in the demo content"
    );
    assert!(
        !emulator.shows("热门搜索"),
        "results replace the popular searches"
    );
}

#[test]
fn golden_screenshots_of_the_empty_search_page_and_the_handwriting_pad() {
    for lang in Lang::ALL {
        let mut emulator = start();
        let state = emulator.ui().global::<lobby_kiosk::ui::AppState>();
        state.invoke_set_language(lang.index() as i32);
        state.invoke_navigate(lobby_kiosk::ui::Page::Search);
        assert_matches_reference(&mut emulator, &format!("search-empty.{lang}"));
    }
    let mut large = start();
    let state = large.ui().global::<lobby_kiosk::ui::AppState>();
    state.invoke_set_text_scale(1.5);
    state.invoke_navigate(lobby_kiosk::ui::Page::Search);
    assert_matches_reference(&mut large, "search-empty.text-150");

    let characters = recorded_writing();
    let middle = characters
        .iter()
        .find(|c| c.text == "中")
        .expect("中 is recorded");
    for lang in Lang::ALL {
        let Some(mut emulator) = handwriting_pad(lang) else {
            return;
        };
        write_strokes(&mut emulator, middle, 0..middle.strokes.len());
        assert_matches_reference(&mut emulator, &format!("search-handwriting.{lang}"));
    }
    let Some(mut large) = handwriting_pad(Lang::ZhHans) else {
        return;
    };
    large
        .ui()
        .global::<lobby_kiosk::ui::AppState>()
        .invoke_set_text_scale(1.5);
    write_strokes(&mut large, middle, 0..middle.strokes.len());
    assert_matches_reference(&mut large, "search-handwriting.text-150");
}

#[test]
fn english_screens_put_english_punctuation_after_english_words() {
    let mut emulator = start();
    tap(&mut emulator, "English");
    let mut problems = Vec::new();
    let mut check = |emulator: &mut Emulator, screen: &str| {
        // The whole page: it is laid out as far as it is scrolled.
        for _ in 0..12 {
            for element in emulator.elements() {
                let chars: Vec<char> = element.label.chars().collect();
                // "Window：C12" or "safe，the": a Chinese mark after a Latin letter.
                if chars.windows(2).any(|pair| {
                    pair[0].is_ascii_alphabetic() && matches!(pair[1], '：' | '，' | '；' | '。')
                }) {
                    let problem = format!("{screen}: `{}`", element.label);
                    if !problems.contains(&problem) {
                        problems.push(problem);
                    }
                }
            }
            emulator.swipe((540.0, 1300.0), (540.0, 500.0), Duration::from_millis(200));
            emulator.advance(Duration::from_millis(300));
        }
    };
    visit_every_screen(&mut emulator, &mut check);
    for guide in catalog().guides {
        emulator
            .ui()
            .global::<lobby_kiosk::ui::AppState>()
            .invoke_open_item(guide.id.as_str().into());
        check(&mut emulator, &guide.id);
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn back_from_a_table_returns_to_the_place_in_the_report() {
    let mut emulator = start();
    let ui = emulator.ui().clone_strong();
    let state = ui.global::<lobby_kiosk::ui::AppState>();
    state.invoke_open_item("annual-report-2019".into());
    emulator.render();
    assert!(emulator.scroll_to("查看表格 →"), "the report has a table");
    let left_at = state.get_page_scroll();
    assert!(left_at < -100.0, "the table is further down ({left_at})");
    tap(&mut emulator, "查看表格 →");
    assert_eq!(
        state.get_page(),
        lobby_kiosk::ui::Page::Table,
        "the table opens"
    );
    tap(&mut emulator, "返回");
    assert_eq!(state.get_page(), lobby_kiosk::ui::Page::Detail);
    assert_eq!(
        state.get_page_scroll(),
        left_at,
        "back where the visitor left"
    );
    assert!(emulator.shows("查看表格 →"));
}
