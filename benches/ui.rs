//! UI benchmarks in the emulator at 1080×1920, printed next to the
//! product's budgets: process start to first frame, a full repaint of Home and of the
//! longest detail page (the 2019 annual report), a tap's partial repaint,
//! memory (PSS) with the demo content and with 10,000 extra notices, and,
//! over those 10,000 notices, what a visitor feels: a key tap on the search
//! keyboard to the repainted results, and a sync report to its frame.
//!
//! Run: `cargo bench --bench ui` (release build). Start-up and memory are
//! measured in fresh child processes (this binary, re-run with a mode
//! argument) so that nothing measured earlier is counted.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lobby_kiosk::config::Config;
use lobby_kiosk::content::{Lang, LoadedContent, demo, synthetic};
use lobby_kiosk::emulator::memory::MemoryUsage;
use lobby_kiosk::emulator::{Emulator, default_start};
use lobby_kiosk::kiosk::startup::Startup;
use lobby_kiosk::ui::{AppState, BlockData, Content};
use slint::{ComponentHandle, ModelRc, VecModel};

const WIDTH: u32 = 1080;
const HEIGHT: u32 = 1920;
const REPAINTS: usize = 60;
const STARTS: usize = 15;
const SYNTHETIC_NOTICES: usize = 10_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--first-frame") => {
            let _emulator = start(demo::content());
            println!("first frame");
        }
        Some("--long-body") => long_body_child(args.get(2).map(String::as_str) == Some("whole")),
        Some("--memory") => {
            let content = match args.get(2).map(String::as_str) {
                Some("10k") => LoadedContent {
                    catalog: synthetic::catalog(SYNTHETIC_NOTICES),
                    ..demo::content()
                },
                _ => demo::content(),
            };
            let mut emulator = start(content);
            visit_every_section(&mut emulator);
            let usage = MemoryUsage::current().expect("/proc/self/smaps_rollup");
            println!("{} {}", usage.rss_kib, usage.pss_kib);
        }
        _ => parent(),
    }
}

fn start(content: LoadedContent) -> Emulator {
    let startup = Startup {
        content: Some(content),
        ..Startup::demo()
    };
    Emulator::new(WIDTH, HEIGHT, startup, &Config::demo(), default_start()).expect("emulator")
}

fn tap(emulator: &mut Emulator, label: &str) {
    emulator
        .tap_label(label)
        .unwrap_or_else(|error| panic!("{error}"));
}

/// Opens every section's list and the annual report, then returns Home.
fn visit_every_section(emulator: &mut Emulator) {
    for section in ["公告栏", "办事指南", "信息公开", "互动交流", "场馆开放"] {
        tap(emulator, section);
        tap(emulator, "首页");
    }
    open_annual_report(emulator);
    tap(emulator, "首页");
}

fn open_annual_report(emulator: &mut Emulator) {
    let report = demo::catalog()
        .documents
        .iter()
        .find(|d| d.id == "annual-report-2019")
        .map(|d| d.meta.title.text(Lang::ZhHans).to_owned())
        .expect("the demo has the 2019 annual report");
    tap(emulator, "信息公开");
    tap(emulator, &report);
}

fn parent() {
    println!("UI benchmarks, emulator {WIDTH}×{HEIGHT}, release build\n");
    // Memory first: later children would share (and halve the PSS of) the
    // font pages this process maps once it starts an emulator itself.
    memory();
    first_frame();
    repaints();
    keystrokes_and_sync_reports();
    long_body();
}

/// Rounds of typing each query (then clearing it) on the search keyboard.
const TYPING_ROUNDS: usize = 10;
const QUERIES: [&str; 4] = ["bszn", "tzgg", "gzxx", "jsjc"];
const SYNC_REPORTS: usize = 100;

/// Over the 10,000 extra notices: from the finger lifting off a key of the
/// search keyboard to the repainted frame with the new results, and from a
/// sync report (status only, and new content) to its repainted frame.
fn keystrokes_and_sync_reports() {
    let mut emulator = start(LoadedContent {
        catalog: synthetic::catalog(SYNTHETIC_NOTICES),
        ..demo::content()
    });
    tap(&mut emulator, "搜索");
    let (mut keystrokes, mut handling, mut frames) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..TYPING_ROUNDS {
        for query in QUERIES {
            for key in query.chars().map(String::from) {
                let (x, y) = emulator
                    .find(&key)
                    .unwrap_or_else(|| panic!("the keyboard has no key {key}"))
                    .centre();
                emulator.press(x, y);
                emulator.advance(Duration::from_millis(80));
                let started = Instant::now();
                emulator.release(x, y);
                let handled = Instant::now();
                emulator.render();
                keystrokes.push(started.elapsed());
                handling.push(handled - started);
                frames.push(handled.elapsed());
                emulator.advance(Duration::from_millis(20));
            }
            tap(&mut emulator, "清除");
        }
    }
    report_percentiles(
        &format!("key tap → repainted results, {SYNTHETIC_NOTICES} notices"),
        &mut keystrokes,
        Some(Duration::from_millis(8)),
    );
    report_percentiles("  of which the tap (query, models)", &mut handling, None);
    report_percentiles("  of which the frame (layout, paint)", &mut frames, None);

    tap(&mut emulator, "首页");
    let mut status_reports = Vec::new();
    for second in 0..SYNC_REPORTS {
        let mut status = emulator.app().status();
        status.online = second % 2 == 0;
        status.last_success = Some(default_start() + chrono::Duration::seconds(second as i64));
        let started = Instant::now();
        emulator.app().set_status(status);
        emulator.render();
        status_reports.push(started.elapsed());
    }
    report_percentiles(
        "sync report (status) → frame, Home",
        &mut status_reports,
        Some(Duration::from_millis(16)),
    );

    let mut new_content = Vec::new();
    for _ in 0..SYNC_REPORTS / 10 {
        let content = LoadedContent {
            catalog: synthetic::catalog(SYNTHETIC_NOTICES),
            ..demo::content()
        };
        let started = Instant::now();
        emulator.app().set_content(content);
        emulator.render();
        new_content.push(started.elapsed());
    }
    report_percentiles(
        "sync report (new content) → frame, Home",
        &mut new_content,
        None,
    );
}

/// Characters of the long paragraph: 5 MB of UTF-8 Chinese.
const LONG_PARAGRAPH_CHARS: usize = 5_000_000 / 3;
const LONG_BODY_RUNS: usize = 3;

/// Opens the long notice in a fresh child: the time to its first frame and
/// the memory then. `whole`: the paragraph as one text item (the old layout).
fn long_body_child(whole: bool) {
    let notice = synthetic::long_paragraph_notice(LONG_PARAGRAPH_CHARS);
    let text = notice
        .body
        .zh_hans
        .as_ref()
        .and_then(|blocks| blocks.first())
        .map(|block| match block {
            lobby_kiosk::content::blocks::Block::Paragraph { spans } => {
                lobby_kiosk::content::blocks::plain_text(spans)
            }
            _ => String::new(),
        })
        .unwrap_or_default();
    let mut catalog = demo::catalog();
    catalog.notices.push(notice);
    let mut emulator = start(LoadedContent {
        catalog,
        ..demo::content()
    });
    let before = MemoryUsage::current().expect("/proc/self/smaps_rollup");
    let ui = emulator.ui().clone_strong();
    let started = Instant::now();
    ui.global::<AppState>()
        .invoke_open_item("long-paragraph".into());
    if whole {
        let content = ui.global::<Content>();
        let mut detail = content.get_detail();
        detail.blocks = ModelRc::new(VecModel::from(vec![BlockData {
            kind: "paragraph".into(),
            text: text.as_str().into(),
            ..BlockData::default()
        }]));
        detail.more = "".into();
        content.set_detail(detail);
    }
    let opened = started.elapsed();
    emulator.render();
    let elapsed = started.elapsed();
    let after = MemoryUsage::current().expect("/proc/self/smaps_rollup");
    println!(
        "{} {} {} {}",
        elapsed.as_micros(),
        opened.as_micros(),
        before.pss_kib,
        after.pss_kib
    );
}

fn long_body() {
    let exe = std::env::current_exe().expect("own path");
    for (mode, what) in [
        (
            "chunked",
            "open a 5 MB paragraph (chunks, a page at a time)",
        ),
        ("whole", "open a 5 MB paragraph as one text (before)"),
    ] {
        let mut times = Vec::new();
        let mut memory = Vec::new();
        for _ in 0..LONG_BODY_RUNS {
            let output = Command::new(&exe)
                .args(["--long-body", mode])
                .output()
                .expect("child runs");
            let text = String::from_utf8_lossy(&output.stdout);
            let numbers: Vec<u64> = text
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            let [micros, opened, before, after] = numbers[..] else {
                panic!("long-body child printed {text:?}");
            };
            times.push(Duration::from_micros(micros));
            memory.push((
                opened as f64 / 1000.0,
                before as f64 / 1024.0,
                after as f64 / 1024.0,
            ));
        }
        // Two frames at 60 Hz: a stall a visitor does not notice.
        report(what, &mut times, Duration::from_millis(33));
        let runs: Vec<String> = memory
            .iter()
            .map(|(opened, before, after)| {
                format!("{opened:.1} ms to present, PSS {before:.0} → {after:.0} MiB")
            })
            .collect();
        println!("{:<52} {}", "", runs.join("; "));
    }
}

fn first_frame() {
    let exe = std::env::current_exe().expect("own path");
    let mut times = Vec::new();
    for _ in 0..STARTS {
        let started = Instant::now();
        let mut child = Command::new(&exe)
            .arg("--first-frame")
            .stdout(Stdio::piped())
            .spawn()
            .expect("child starts");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("child output");
        times.push(started.elapsed());
        assert_eq!(line.trim(), "first frame");
        let _ = child.wait();
    }
    report(
        "process start → first frame",
        &mut times,
        Duration::from_millis(200),
    );
}

fn repaints() {
    let mut emulator = start(demo::content());
    let mut home = full_repaints(&mut emulator);
    report("full repaint, Home", &mut home, Duration::from_millis(16));

    // A tap's partial repaint: the frame after a finger lands on a tile
    // (its pressed state), then the tap completes and Back returns Home.
    let tile = emulator.find("公告栏").expect("the notice tile").centre();
    let mut partial = Vec::new();
    let mut pixels = 0;
    for _ in 0..REPAINTS {
        emulator.press(tile.0, tile.1);
        let started = Instant::now();
        pixels = emulator.render();
        partial.push(started.elapsed());
        emulator.release(tile.0, tile.1);
        emulator.advance(Duration::from_millis(50));
        tap(&mut emulator, "首页");
    }
    report(
        &format!(
            "partial repaint after a tap ({:.1} % of the screen)",
            pixels as f64 * 100.0 / f64::from(WIDTH * HEIGHT)
        ),
        &mut partial,
        Duration::from_millis(4),
    );

    open_annual_report(&mut emulator);
    let mut detail = full_repaints(&mut emulator);
    report(
        "full repaint, annual report detail",
        &mut detail,
        Duration::from_millis(16),
    );
}

/// Times full repaints of the current screen.
fn full_repaints(emulator: &mut Emulator) -> Vec<Duration> {
    (0..REPAINTS)
        .map(|_| {
            emulator.invalidate();
            let started = Instant::now();
            let pixels = emulator.render();
            let elapsed = started.elapsed();
            assert_eq!(pixels, u64::from(WIDTH * HEIGHT), "a full repaint");
            elapsed
        })
        .collect()
}

fn memory() {
    let exe = std::env::current_exe().expect("own path");
    for (mode, what, budget_mib) in [
        ("demo", "memory (PSS), demo content", 40.0),
        ("10k", "memory (PSS), 10,000 extra notices", 80.0),
    ] {
        let output = Command::new(&exe)
            .args(["--memory", mode])
            .output()
            .expect("child runs");
        let text = String::from_utf8_lossy(&output.stdout);
        let numbers: Vec<f64> = text
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        let [rss_kib, pss_kib] = numbers[..] else {
            panic!("memory child printed {text:?}");
        };
        let pss = pss_kib / 1024.0;
        println!(
            "{what:<52} {pss:>8.1} MiB   (RSS {:.1} MiB)   budget ≤ {budget_mib} MiB   {}",
            rss_kib / 1024.0,
            verdict(pss <= budget_mib)
        );
    }
}

/// Prints the median and worst of `times` against `budget` (judged on the median).
fn report(what: &str, times: &mut [Duration], budget: Duration) {
    times.sort();
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    println!(
        "{what:<52} {:>8.2} ms   (worst {:.2} ms, n = {})   budget ≤ {} ms   {}",
        ms(median),
        ms(worst),
        times.len(),
        budget.as_millis(),
        verdict(median <= budget)
    );
}

/// Prints the p50 and p99 of `times` against `budget` (judged on the p99;
/// `None`: a figure the budget table of the README, under "Performance and
/// endurance", gives none: the parts of a key tap, the frame after new content).
fn report_percentiles(what: &str, times: &mut [Duration], budget: Option<Duration>) {
    times.sort();
    let at = |fraction: f64| times[((times.len() - 1) as f64 * fraction).round() as usize];
    let (p50, p99) = (at(0.5), at(0.99));
    let judged = budget.map_or_else(
        || "no budget".to_owned(),
        |budget| {
            format!(
                "budget p99 ≤ {} ms   {}",
                budget.as_millis(),
                verdict(p99 <= budget)
            )
        },
    );
    println!(
        "{what:<52} p50 {:.2} ms, p99 {:.2} ms (n = {})   {judged}",
        ms(p50),
        ms(p99),
        times.len(),
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn verdict(within: bool) -> &'static str {
    if within { "ok" } else { "OVER BUDGET" }
}
