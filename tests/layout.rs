//! The layout check (src/emulator/layout_check.rs) over every screen of the
//! demo content and of the stress content, at every text size and in
//! landscape: nothing overlaps, every page scrolls to its end above the
//! navigation bar, nothing is reachable only by a sideways drag, and every
//! item link opens its item.

use lobby_kiosk::config::Config;
use lobby_kiosk::content::{Catalog, Lang, demo, synthetic};
use lobby_kiosk::emulator::{Emulator, default_start, tour};
use lobby_kiosk::kiosk::startup::Startup;
use lobby_kiosk::ui::AppState;
use slint::ComponentHandle;

const PORTRAIT: (u32, u32) = (1080, 1920);
const LANDSCAPE: (u32, u32) = (1920, 1080);

/// Runs the tour over `catalog` in one language, text size and screen size.
fn tour(catalog: &Catalog, lang: Lang, scale: f32, (width, height): (u32, u32)) -> Vec<String> {
    let startup = Startup::with_catalog(catalog.clone());
    let mut emulator = Emulator::new(width, height, startup, &Config::demo(), default_start())
        .expect("the emulator starts");
    let state = emulator.ui().global::<AppState>();
    let index = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    state.invoke_set_language(index as i32);
    state.invoke_set_text_scale(scale);
    let report = tour::run(&mut emulator, catalog, default_start(), None).expect("the tour runs");
    assert!(report.screens > 10 && report.links > 10, "{report:?}");
    let name = format!("{lang} {scale}× {width}×{height}");
    report
        .problems
        .iter()
        .map(|p| format!("{name} {p}"))
        .collect()
}

fn assert_clean(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} layout problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn demo_content_lays_out_at_every_text_size() {
    let catalog = demo::catalog();
    let mut problems = Vec::new();
    for scale in [1.0, 1.25, 1.5] {
        problems.extend(tour(&catalog, Lang::ZhHans, scale, PORTRAIT));
    }
    problems.extend(tour(&catalog, Lang::En, 1.5, PORTRAIT));
    // At standard text too: English words are longer than the Chinese ones
    // the tiles and bars were drawn for.
    problems.extend(tour(&catalog, Lang::En, 1.0, PORTRAIT));
    assert_clean(problems);
}

#[test]
fn demo_content_lays_out_in_landscape() {
    let catalog = demo::catalog();
    let mut problems = tour(&catalog, Lang::ZhHans, 1.0, LANDSCAPE);
    problems.extend(tour(&catalog, Lang::ZhHant, 1.5, LANDSCAPE));
    // English words are the widest: the header's settings must all fit.
    problems.extend(tour(&catalog, Lang::En, 1.5, LANDSCAPE));
    assert_clean(problems);
}

#[test]
fn stress_content_lays_out_at_every_text_size_and_in_landscape() {
    let catalog = synthetic::stress_catalog();
    let mut problems = Vec::new();
    for scale in [1.0, 1.25, 1.5] {
        problems.extend(tour(&catalog, Lang::ZhHans, scale, PORTRAIT));
    }
    problems.extend(tour(&catalog, Lang::En, 1.5, PORTRAIT));
    problems.extend(tour(&catalog, Lang::ZhHans, 1.5, LANDSCAPE));
    assert_clean(problems);
}
