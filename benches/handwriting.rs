//! Handwriting benchmark, printed next to its budget: the time from a
//! stroke's end to its candidates (classifying the ink written so far, as
//! the pad does after each stroke) over the recorded characters, and the
//! memory a recognizer with its model open adds.
//!
//! Run: `cargo bench --bench handwriting` (needs `libzinnia0` and
//! `tegaki-zinnia-simplified-chinese`; says so and exits otherwise).

use std::path::Path;
use std::time::{Duration, Instant};

use lobby_kiosk::emulator::memory::MemoryUsage;
use lobby_kiosk::handwriting::recorded;
use lobby_kiosk::handwriting::{DEFAULT_MODEL, Recognizer, in_script, probe};

const BUDGET_P99: Duration = Duration::from_millis(50);
/// The candidates the pad shows.
const SHOWN: usize = 10;
/// The pad's side in the portrait layout (logical px).
const PAD: f32 = 560.0;
/// Each character is written this many times.
const ROUNDS: usize = 30;

fn main() {
    let model = Path::new(DEFAULT_MODEL);
    let zinnia = match probe(model) {
        Ok(zinnia) => zinnia,
        Err(why) => {
            println!("handwriting bench skipped: {why}");
            return;
        }
    };
    let characters = recorded::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handwriting/characters.toml"),
    )
    .expect("the recorded characters load");

    let before = MemoryUsage::current();
    let started = Instant::now();
    let mut recognizer = Recognizer::open(zinnia, model).expect("the model opens");
    let opened = started.elapsed();
    // The first classification touches the model's pages.
    let first = Instant::now();
    recognizer
        .classify(&characters[0].ink(PAD, 1), SHOWN)
        .expect("classified");
    let first = first.elapsed();
    let after = MemoryUsage::current();

    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        for character in &characters {
            for strokes in 1..=character.strokes.len() {
                // The ink is built as the pad builds it, point by point,
                // outside the timing: the finger's movement is not latency.
                let ink = character.ink(PAD, strokes);
                let started = Instant::now();
                let found = recognizer.classify(&ink, SHOWN).expect("classified");
                let shown = in_script(found, character.script.lang());
                times.push(started.elapsed());
                std::hint::black_box(shown);
            }
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let (p50, p99, max) = (at(0.5), at(0.99), times[times.len() - 1]);
    println!(
        "handwriting: {} strokes classified ({} characters × {ROUNDS}), {SHOWN} candidates each",
        times.len(),
        characters.len()
    );
    println!("  model opened in {opened:.1?}, first classification {first:.1?}");
    println!(
        "  stroke → candidates: p50 {p50:.2?}, p99 {p99:.2?}, max {max:.2?} (budget p99 ≤ {BUDGET_P99:?}) {}",
        if p99 <= BUDGET_P99 { "OK" } else { "OVER" }
    );
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "  memory added by the open recognizer: anonymous {:+.1} MiB, RSS {:+.1} MiB, PSS {:+.1} MiB (the model file is {:.1} MiB, mapped)",
            after.anon_mib() - before.anon_mib(),
            (after.rss_kib as f64 - before.rss_kib as f64) / 1024.0,
            after.pss_mib() - before.pss_mib(),
            std::fs::metadata(model).map_or(0.0, |m| m.len() as f64 / 1024.0 / 1024.0),
        );
    }
    if let (Some(before), Some(used)) = (before, MemoryUsage::current()) {
        println!(
            "  after {} classifications: anonymous {:+.1} MiB against before opening",
            times.len() + 1,
            used.anon_mib() - before.anon_mib(),
        );
    }
    drop(recognizer);
    if let (Some(before), Some(closed)) = (before, MemoryUsage::current()) {
        println!(
            "  after closing it: anonymous {:+.1} MiB, RSS {:+.1} MiB against before opening",
            closed.anon_mib() - before.anon_mib(),
            (closed.rss_kib as f64 - before.rss_kib as f64) / 1024.0,
        );
    }
}
