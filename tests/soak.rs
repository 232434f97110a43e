//! The UI soak: random taps and swipes across every screen in the
//! emulator, with idle resets, the attract loop and content swaps in
//! between. Nothing may panic or log a warning or error, and anonymous
//! memory (heap: where a leak shows) after the run must stay within 5 % of
//! that after the first 1,000 events; PSS is reported beside it (it also
//! moves with font pages other processes map, so it is no leak check).
//!
//! CI runs a short soak; the long one is
//! `SOAK_EVENTS=100000 cargo test --release --test soak -- --nocapture`
//! (`SOAK_SEED` repeats a run).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lobby_kiosk::config::{Config, IdleConfig};
use lobby_kiosk::content::{Lang, LoadedContent, demo};
use lobby_kiosk::emulator::memory::MemoryUsage;
use lobby_kiosk::emulator::{Emulator, default_start};
use lobby_kiosk::kiosk::startup::Startup;
use slint::ComponentHandle;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, Registry};

const WIDTH: u32 = 1080;
const HEIGHT: u32 = 1920;
/// Events before memory is first measured (caches warm, screens seen).
const WARM_UP: usize = 1_000;
/// Events of the CI run.
const SHORT_RUN: usize = 2_000;
/// Events between content swaps.
const SWAP_EVERY: usize = 400;
/// Events between long idle periods.
const IDLE_EVERY: usize = 650;

/// Collects every warning and error logged.
#[derive(Clone, Default)]
struct Complaints(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> Layer<S> for Complaints {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if *event.metadata().level() <= tracing::Level::WARN {
            let mut message = Message(format!("{}: ", event.metadata().level()));
            event.record(&mut message);
            if let Ok(mut complaints) = self.0.lock() {
                complaints.push(message.0);
            }
        }
    }
}

struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

/// The demo content with one notice retitled and another withdrawn, so
/// that swaps change what is on screen and remove an item a visitor may
/// be reading.
fn edited_demo() -> LoadedContent {
    let mut content = demo::content();
    let notices = &mut content.catalog.notices;
    let title = notices[0].meta.title.slot_mut(Lang::ZhHans);
    *title = title.take().map(|title| format!("（更新）{title}"));
    notices.remove(1);
    content
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// One random visitor action.
fn act(emulator: &mut Emulator, rng: &mut fastrand::Rng) {
    let roll = rng.u32(0..100);
    if roll < 65 {
        let buttons: Vec<_> = emulator
            .elements()
            .into_iter()
            .filter(|e| {
                e.is_clickable()
                    && e.x >= 0.0
                    && e.y >= 0.0
                    && e.x + e.width <= WIDTH as f32
                    && e.y + e.height <= HEIGHT as f32
            })
            .collect();
        if let Some(button) = rng.choice(buttons) {
            let (x, y) = button.centre();
            emulator.tap(x, y);
            return;
        }
    }
    let point = |rng: &mut fastrand::Rng| (rng.u32(0..WIDTH) as f32, rng.u32(0..HEIGHT) as f32);
    if roll < 85 {
        let (x, y) = point(rng);
        emulator.tap(x, y);
    } else {
        let from = point(rng);
        let to = point(rng);
        let duration = Duration::from_millis(rng.u64(80..600));
        emulator.swipe(from, to, duration);
    }
}

#[test]
fn random_taps_and_swipes_with_resets_and_swaps_leak_nothing() {
    let complaints = Complaints::default();
    tracing::subscriber::set_global_default(Registry::default().with(complaints.clone()))
        .expect("the only subscriber of this test binary");
    let events = env_number("SOAK_EVENTS", SHORT_RUN as u64) as usize;
    let seed = env_number("SOAK_SEED", 2026);
    let mut rng = fastrand::Rng::with_seed(seed);
    // Pages being read get no longer than lists here: every idle period
    // ends in a reset wherever the random walk left the visitor.
    let demo = Config::demo();
    let config = Config {
        idle: IdleConfig {
            reading_seconds: demo.idle.timeout_seconds,
            ..demo.idle.clone()
        },
        ..demo
    };
    let mut emulator = Emulator::new(WIDTH, HEIGHT, Startup::demo(), &config, default_start())
        .expect("the emulator starts");

    let mut warm = None;
    let mut screens = std::collections::BTreeSet::new();
    for event in 1..=events.max(WARM_UP + 1) {
        act(&mut emulator, &mut rng);
        screens.insert(format!(
            "{:?}",
            emulator
                .ui()
                .global::<lobby_kiosk::ui::AppState>()
                .get_page()
        ));
        if event % SWAP_EVERY == 0 {
            let content = if (event / SWAP_EVERY) % 2 == 1 {
                edited_demo()
            } else {
                demo::content()
            };
            emulator.app().set_content(content);
        }
        if event % IDLE_EVERY == 0 {
            // Long enough for the idle reset and, every other time, for
            // the attract loop when the visit left Home clean.
            let idle = &config.idle;
            let reset = idle.timeout_seconds + idle.countdown_seconds + 2;
            let seconds = if (event / IDLE_EVERY) % 2 == 1 {
                reset
            } else {
                idle.attract_seconds.max(reset) + 20
            };
            emulator.advance(Duration::from_secs(u64::from(seconds)));
        }
        if event == WARM_UP {
            warm = MemoryUsage::current();
        }
    }
    let warm = warm.expect("memory after the warm-up");
    let end = MemoryUsage::current().expect("memory at the end");
    let growth = |end: u64, warm: u64| (end as f64 / warm.max(1) as f64 - 1.0) * 100.0;
    println!(
        "soak: {events} events (seed {seed}), anonymous {:.1} MiB after {WARM_UP}, {:.1} MiB at the end ({:+.2} %); PSS {:.1} → {:.1} MiB ({:+.2} %); pages seen: {screens:?}",
        warm.anon_mib(),
        end.anon_mib(),
        growth(end.anon_kib, warm.anon_kib),
        warm.pss_mib(),
        end.pss_mib(),
        growth(end.pss_kib, warm.pss_kib)
    );

    let logged = complaints.0.lock().map(|c| c.clone()).unwrap_or_default();
    assert!(logged.is_empty(), "warnings or errors logged: {logged:#?}");
    if let Err(leak) = end.leaked_since(&warm, 0.05) {
        panic!("{leak}");
    }
    for page in [
        "Home",
        "Notices",
        "Guides",
        "Disclosure",
        "Interaction",
        "Venues",
        "Detail",
        "Guide",
    ] {
        assert!(
            screens.contains(page),
            "the soak never reached {page}: {screens:?}"
        );
    }
}
