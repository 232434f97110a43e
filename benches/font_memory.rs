//! Memory of the kiosk in the emulator with its CJK font memory-mapped (the
//! shipped setup: fonts.conf, see src/ui/fonts.rs) versus read into the heap
//! (Slint's SLINT_DEFAULT_FONT/SLINT_FONT_PATH, which `std::fs::read`s each
//! file). Each variant runs in its own process (this binary again), renders
//! Home and the service guides in 简 / 繁 / EN and reports its RSS, PSS and
//! anonymous (private, not file-backed) memory.
//!
//! Run: `cargo bench --bench font_memory`.

use std::process::Command;

use lobby_kiosk::config::Config;
use lobby_kiosk::emulator::memory::MemoryUsage;
use lobby_kiosk::emulator::{self, Emulator};
use lobby_kiosk::kiosk::startup::Startup;
use lobby_kiosk::ui::fonts;

/// Selects the variant in the child process.
const MODE: &str = "FONT_MEMORY_MODE";

fn main() {
    match std::env::var(MODE).as_deref() {
        Ok(mode) => child(mode == "heap"),
        Err(_) => parent(),
    }
}

fn parent() {
    let exe = std::env::current_exe().expect("own path");
    let measure = |mode: &str| -> MemoryUsage {
        let output = Command::new(&exe)
            .env(MODE, mode)
            .output()
            .expect("run the measuring child");
        assert!(
            output.status.success(),
            "{mode} child failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        let kib: Vec<u64> = text
            .split_whitespace()
            .map(|n| n.parse().expect("KiB figure"))
            .collect();
        MemoryUsage {
            rss_kib: kib[0],
            pss_kib: kib[1],
            anon_kib: kib[2],
        }
    };
    let mapped = measure("mapped");
    let heap = measure("heap");
    println!("font_memory (KiB)         RSS       PSS Anonymous");
    for (name, usage) in [
        ("font mapped (shipped)", mapped),
        ("font read into heap", heap),
    ] {
        println!(
            "{name:<21} {:>9} {:>9} {:>9}",
            usage.rss_kib, usage.pss_kib, usage.anon_kib
        );
    }
    let font_kib: u64 = [fonts::REGULAR, fonts::BOLD]
        .iter()
        .map(|file| {
            std::fs::metadata(Config::demo().font_dir().join(file))
                .expect("font file")
                .len()
                / 1024
        })
        .sum();
    println!(
        "mapped font saves {} KiB of anonymous memory; budget: the font files' {font_kib} KiB",
        heap.anon_kib as i64 - mapped.anon_kib as i64
    );
}

/// Renders a few screens and prints "RSS PSS anonymous" in KiB.
fn child(heap: bool) {
    let config = Config::demo();
    if heap {
        let dir = config.font_dir();
        // SAFETY: single-threaded, before Slint starts.
        unsafe {
            std::env::set_var("SLINT_DEFAULT_FONT", dir.join(fonts::REGULAR));
            std::env::set_var("SLINT_FONT_PATH", dir.join(fonts::BOLD));
        }
    }
    let mut emulator = Emulator::new(
        1080,
        1920,
        Startup::demo(),
        &config,
        emulator::default_start(),
    )
    .expect("emulator");
    for language in ["繁體中文", "English", "简体中文"] {
        emulator.tap_label(language).expect("language button");
        emulator.render();
    }
    emulator.tap_label("办事指南").expect("guides");
    emulator.render();
    let usage = MemoryUsage::current().expect("/proc/self/smaps_rollup");
    println!("{} {} {}", usage.rss_kib, usage.pss_kib, usage.anon_kib);
}
