//! Resident memory of the kiosk in the emulator with its CJK font
//! memory-mapped (the shipped setup: fonts.conf, see src/ui/fonts.rs)
//! versus read into the heap (Slint's SLINT_DEFAULT_FONT/SLINT_FONT_PATH,
//! which `std::fs::read`s each file). Each variant runs in its own process
//! (this binary again), renders Home and a service guide in 简 / 繁 / EN and
//! reports VmRSS, RssAnon and RssFile from /proc/self/status.
//!
//! Run: `cargo bench --bench font_memory`.

use std::process::Command;

use lobby_kiosk::config::Config;
use lobby_kiosk::emulator::{self, Emulator};
use lobby_kiosk::startup::Startup;
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
    let measure = |mode: &str| -> [u64; 3] {
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
        let numbers: Vec<u64> = text
            .split_whitespace()
            .map(|n| n.parse().expect("kB figure"))
            .collect();
        [numbers[0], numbers[1], numbers[2]]
    };
    let mapped = measure("mapped");
    let heap = measure("heap");
    println!("font_memory (kB)      VmRSS   RssAnon   RssFile");
    println!(
        "font mapped (shipped) {:>6} {:>9} {:>9}",
        mapped[0], mapped[1], mapped[2]
    );
    println!(
        "font read into heap   {:>6} {:>9} {:>9}",
        heap[0], heap[1], heap[2]
    );
    let font_kb: u64 = [fonts::REGULAR, fonts::BOLD]
        .iter()
        .map(|file| {
            std::fs::metadata(Config::demo().font_dir().join(file))
                .expect("font file")
                .len()
                / 1024
        })
        .sum();
    println!(
        "mapped font saves {} kB of private memory (RssAnon); budget: the font files' {font_kb} kB",
        heap[1] as i64 - mapped[1] as i64
    );
}

/// Renders a few screens and prints "VmRSS RssAnon RssFile" in kB.
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
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing in /proc/self/status"))
    };
    println!(
        "{} {} {}",
        field("VmRSS:"),
        field("RssAnon:"),
        field("RssFile:")
    );
}
