//! Search benchmark, printed next to its budget: time per keystroke while
//! typing queries letter by letter over a 10,000-item catalog, and the
//! index's memory.
//!
//! Run: `cargo bench --bench search`.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lobby_kiosk::content::synthetic;
use lobby_kiosk::search::{SearchIndex, Typing};

const ITEMS: usize = 10_000;
const BUDGET_P99: Duration = Duration::from_millis(5);
/// Each query is typed this many times.
const ROUNDS: usize = 20;
/// Results the search page shows (the rest are counted).
const SHOWN: usize = 50;
/// Typed letter by letter; each prefix is one keystroke's search.
const QUERIES: [&str; 8] = [
    "bszn",
    "changguan",
    "场馆",
    "2019",
    "tiyu chang",
    "gonggao",
    "xfq",
    "marathon",
];

fn main() {
    let catalog = synthetic::catalog(ITEMS);
    let items = catalog.notices.len()
        + catalog.guides.len()
        + catalog.documents.len()
        + catalog.faqs.len()
        + catalog.venues.len()
        + catalog.channels.len();
    let started = Instant::now();
    let index = SearchIndex::build(&catalog);
    let build = started.elapsed();
    let local = NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("valid date");

    // Each keystroke searched as the kiosk does (typed: only what the
    // query found a key earlier), and over the whole catalog.
    let (mut typed_samples, mut whole_samples) = (Vec::new(), Vec::new());
    let mut found = 0;
    for query in QUERIES {
        let mut slowest = Duration::ZERO;
        for _ in 0..ROUNDS {
            let mut typing = Typing::default();
            let mut typed = String::new();
            for c in query.chars() {
                typed.push(c);
                let started = Instant::now();
                let results = index.search_typed(&mut typing, &catalog, &typed, local, SHOWN);
                let took = started.elapsed();
                slowest = slowest.max(took);
                typed_samples.push(took);
                found += results.total;
                let started = Instant::now();
                let whole = index.search(&catalog, &typed, local, SHOWN);
                whole_samples.push(started.elapsed());
                assert_eq!(results, whole, "{typed:?}: typed and whole searches differ");
            }
        }
        println!(
            "  {query:12} slowest keystroke {:.2} ms",
            slowest.as_secs_f64() * 1e3
        );
    }
    let keystrokes = typed_samples.len();
    for (what, samples, budget) in [
        ("as typed", typed_samples, Some(BUDGET_P99)),
        ("whole catalog", whole_samples, None),
    ] {
        let (p50, p99, max) = percentiles(samples);
        let judged = budget.map_or("no budget".to_owned(), |budget| {
            format!(
                "budget p99 ≤ {} ms   {}",
                budget.as_millis(),
                if p99 <= budget { "OK" } else { "OVER BUDGET" }
            )
        });
        println!(
            "search per keystroke, {what}, {items} items ({keystrokes} keystrokes, {found} hits in all): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms   {judged}",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
        );
    }
    println!(
        "search index: built in {:.0} ms, {:.1} MB on the heap (estimate: capacities of its strings, vectors and tables)",
        build.as_secs_f64() * 1e3,
        index.heap_bytes() as f64 / 1e6
    );
}

/// The p50, p99 and maximum of `samples`.
fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.50), at(0.99), at(1.0))
}
