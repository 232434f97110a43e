//! Test tool, not part of the kiosk: the board in a box. Boots the image
//! `scripts/board-image.sh` assembled (Debian arm64, systemd as PID 1, the
//! kiosk installed as docs/deploy.md says) in qemu-system-aarch64, touches it
//! through QMP and compares its display with the emulator's golden
//! screenshots. `scripts/board-box.sh` builds everything and runs it.
//!
//! A Rust tool rather than a script: the goldens, the image comparison and
//! the emulator that knows where every button is are the project's Rust
//! code, reused here as they are; QMP is JSON over a Unix socket
//! (serde_json), and the consoles are drained by threads.
//!
//! ```text
//! board-box --kernel vmlinuz --initrd rootfs.cpio --out DIR \
//!           --rotation 90 --calibration "0 1 0 -1 0 1"
//! ```

mod board;
mod console;
mod qmp;
mod scenario;
mod screen;
mod sound;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use board::BoardSpec;
use scenario::{References, Report, Sideways};

#[derive(Parser)]
#[command(about = "Test tool: boots the board image in QEMU, touches it, compares its screen")]
struct Args {
    /// The arm64 kernel image.
    #[arg(long)]
    kernel: PathBuf,
    /// The root file system (initramfs cpio).
    #[arg(long)]
    initrd: PathBuf,
    /// Folder for logs and screendumps.
    #[arg(long)]
    out: PathBuf,
    /// SLINT_KMS_ROTATION for the sideways panel (docs/deploy.md §4).
    #[arg(long)]
    rotation: u32,
    /// LIBINPUT_CALIBRATION_MATRIX that goes with it (docs/deploy.md §4).
    #[arg(long)]
    calibration: String,
    /// The emulator's golden screenshots.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/screenshots"))]
    screenshots: PathBuf,
    /// QEMU for the board.
    #[arg(long, default_value = "qemu-system-aarch64")]
    qemu: PathBuf,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut report = Report::default();
    match run(&args, &mut report) {
        Ok(()) => {
            println!("board-box: all checks passed");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("board-box: FAILED: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args, report: &mut Report) -> anyhow::Result<()> {
    let refs = References::load(&args.screenshots)?;
    let spec = |name: &str, size, kernel_args: &[&str]| BoardSpec {
        qemu: args.qemu.clone(),
        kernel: args.kernel.clone(),
        initrd: args.initrd.clone(),
        size,
        kernel_args: kernel_args.iter().map(|arg| arg.to_string()).collect(),
        dir: args.out.join(name),
    };
    let portrait = spec("portrait", (1080, 1920), &[]);
    scenario::image_size(&portrait, report)?;
    scenario::portrait(&portrait, &refs, report)?;
    let sideways = Sideways {
        degrees: args.rotation,
        calibration: args.calibration.clone(),
    };
    // This board's GPU and sound drivers are loaded late, by hand (the
    // box's stand-in for a board whose display driver is a slow module, and
    // for a USB speaker plugged in after the kiosk started).
    let late_drivers = spec("sideways", (1920, 1080), &[scenario::LATE_DRIVERS]);
    scenario::sideways(&late_drivers, &refs, &sideways, report)?;
    std::fs::write(
        args.out.join("figures.txt"),
        report.lines().join("\n") + "\n",
    )?;
    Ok(())
}
