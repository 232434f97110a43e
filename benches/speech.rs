//! Speech-mode benchmark, printed next to the budgets of the read-aloud
//! issue: a tap in speech mode to the start of speech, frame times while
//! espeak-ng speaks, and the memory the engine costs.
//!
//! The tap is measured in two parts that add up: the kiosk's side in the
//! emulator at 1080×1920 (the finger lifts → the element found, its phrase
//! built, handed to the speaker, the frame with its outline painted), and
//! the engine's side with the real espeak-ng (process start → the whole
//! button phrase synthesized, an upper bound on its first sound: espeak-ng
//! speaks a phrase as soon as its first clause is synthesized).
//!
//! Run: `cargo bench --bench speech` (needs `espeak-ng`; the engine parts
//! say so and are skipped without it).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use lobby_kiosk::config::Config;
use lobby_kiosk::content::Lang;
use lobby_kiosk::emulator::memory::MemoryUsage;
use lobby_kiosk::emulator::{Emulator, default_start};
use lobby_kiosk::kiosk::startup::Startup;
use lobby_kiosk::speech::{Espeak, EspeakSpeaker, Settings, Utterance, Voices};

const BUDGET_TAP: Duration = Duration::from_millis(150);
const TAPS: usize = 40;
const SYNTHESES: usize = 10;
const REPAINTS: usize = 200;

fn main() {
    let mut emulator = Emulator::new(
        1080,
        1920,
        Startup::demo(),
        &Config::demo(),
        default_start(),
    )
    .expect("emulator");
    let mut kiosk_side = tap_to_speaker(&mut emulator);
    let kiosk_p99 = report("tap → speaker told, kiosk side (emulator)", &mut kiosk_side);

    let espeak = match Espeak::find(Voices::default()) {
        Ok(espeak) => espeak,
        Err(why) => {
            println!("speech engine parts skipped: {why}");
            return;
        }
    };
    let mut engine_worst = Duration::ZERO;
    for (phrase, lang) in [
        ("按钮 公告栏", Lang::ZhHans),
        ("按鈕 公告欄", Lang::ZhHant),
        ("Button Notices", Lang::En),
    ] {
        let mut times = synthesis_times(&espeak, &Utterance::new(phrase, lang));
        let p99 = report(
            &format!("espeak-ng start → {phrase:?} synthesized ({lang})"),
            &mut times,
        );
        engine_worst = engine_worst.max(p99);
    }
    let total = kiosk_p99 + engine_worst;
    println!(
        "{:<60} {:>8.1} ms   budget ≤ {} ms   {}",
        "tap → start of speech (p99 kiosk + p99 slowest voice)",
        ms(total),
        BUDGET_TAP.as_millis(),
        verdict(total <= BUDGET_TAP)
    );

    frames_while_speaking(&mut emulator, &espeak);
    memory(&espeak);
}

/// Speech mode on, then taps alternating between two Home tiles (each tap
/// speaks something new): the time from the finger lifting to the frame
/// after the speaker was told.
fn tap_to_speaker(emulator: &mut Emulator) -> Vec<Duration> {
    let button = emulator
        .find("语音朗读")
        .expect("the speaker button")
        .centre();
    emulator.tap(button.0, button.1);
    let tiles = ["公告栏", "办事指南"].map(|label| {
        emulator
            .find(label)
            .unwrap_or_else(|| panic!("the {label} tile"))
            .centre()
    });
    let mut times = Vec::new();
    for round in 0..TAPS {
        let (x, y) = tiles[round % 2];
        // Past the double-tap window: each tap is a new first tap.
        emulator.advance(Duration::from_millis(600));
        emulator.press(x, y);
        emulator.advance(Duration::from_millis(80));
        let told = emulator.spoken().len();
        let started = Instant::now();
        emulator.release(x, y);
        emulator.render();
        let elapsed = started.elapsed();
        assert_eq!(emulator.spoken().len(), told + 1, "the tap was spoken");
        times.push(elapsed);
    }
    times
}

/// espeak-ng's time for `utterance`, from process start to its WAV written.
fn synthesis_times(espeak: &Espeak, utterance: &Utterance) -> Vec<Duration> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let wav = dir.path().join("phrase.wav");
    (0..SYNTHESES)
        .map(|_| {
            let started = Instant::now();
            espeak
                .synthesize_wav(utterance, Settings::default(), &wav)
                .expect("espeak-ng synthesizes");
            started.elapsed()
        })
        .collect()
}

/// Full repaints of a guide page, quiet and while espeak-ng synthesizes a
/// long text over and over on another thread (the engine's CPU load, as
/// while it speaks).
fn frames_while_speaking(emulator: &mut Emulator, espeak: &Espeak) {
    emulator.tap_label("首页").expect("Home");
    let (x, y) = emulator.find("语音朗读").expect("speaker button").centre();
    emulator.advance(Duration::from_millis(600));
    emulator.tap(x, y);
    let mut quiet = repaints(emulator);
    report("full repaint, quiet (speech mode on)", &mut quiet);

    let speaking = Arc::new(AtomicBool::new(true));
    let worker = {
        let speaking = Arc::clone(&speaking);
        let espeak = espeak.clone();
        std::thread::spawn(move || {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let text = lobby_kiosk::content::demo::catalog().guides[0]
                .meta
                .title
                .text(Lang::ZhHans)
                .repeat(20);
            let utterance = Utterance::new(&text, Lang::ZhHans);
            let mut spoken = 0;
            while speaking.load(Ordering::Relaxed) {
                espeak
                    .synthesize_wav(
                        &utterance,
                        Settings::default(),
                        &dir.path().join("long.wav"),
                    )
                    .expect("espeak-ng synthesizes");
                spoken += 1;
            }
            spoken
        })
    };
    let mut loud = repaints(emulator);
    speaking.store(false, Ordering::Relaxed);
    let spoken = worker.join().expect("the engine thread");
    report(
        &format!("full repaint while espeak-ng speaks ({spoken} long phrases)"),
        &mut loud,
    );
}

fn repaints(emulator: &mut Emulator) -> Vec<Duration> {
    (0..REPAINTS)
        .map(|_| {
            emulator.invalidate();
            let started = Instant::now();
            emulator.render();
            started.elapsed()
        })
        .collect()
}

/// What the engine costs: the kiosk's own memory with a speaker started
/// (a worker thread), and the peak resident size of an espeak-ng process
/// speaking a long Chinese text (its voice data and dictionaries).
fn memory(espeak: &Espeak) {
    let before = MemoryUsage::current();
    let speaker = EspeakSpeaker::start(espeak.clone());
    let after = MemoryUsage::current();
    drop(speaker);
    if let (Some(before), Some(after)) = (before, after) {
        println!(
            "{:<60} anonymous {:+.2} MiB, PSS {:+.2} MiB",
            "memory added to the kiosk by a started speaker",
            after.anon_mib() - before.anon_mib(),
            after.pss_mib() - before.pss_mib()
        );
    }
    // The largest child waited for so far is an espeak-ng: its peak RSS.
    // SAFETY: getrusage fills the struct it is given and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above; RUSAGE_CHILDREN is a valid `who`.
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0 {
        println!(
            "{:<60} peak RSS {:.1} MiB (a separate process, only while speaking)",
            "espeak-ng speaking (largest child so far)",
            usage.ru_maxrss as f64 / 1024.0
        );
    }
}

/// Prints p50, p99 and the worst of `times`; returns the p99.
fn report(what: &str, times: &mut [Duration]) -> Duration {
    times.sort();
    let at = |fraction: f64| times[((times.len() - 1) as f64 * fraction).round() as usize];
    let (p50, p99) = (at(0.5), at(0.99));
    println!(
        "{what:<60} p50 {:.2} ms, p99 {:.2} ms, worst {:.2} ms (n = {})",
        ms(p50),
        ms(p99),
        ms(times[times.len() - 1]),
        times.len()
    );
    p99
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn verdict(within: bool) -> &'static str {
    if within { "ok" } else { "OVER BUDGET" }
}
