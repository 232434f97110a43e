//! One boot of the emulated board: qemu-system-aarch64 (TCG) with a
//! virtio-gpu display, one virtio-multitouch device, a sound card whose
//! output QEMU writes to a WAV file, no network, the serial console and a
//! virtio console drained, and QMP for screendumps and touch.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use lobby_kiosk::emulator::Framebuffer;

use crate::console::Console;
use crate::qmp::Qmp;
use crate::screen;
use crate::sound::{self, Capture};

/// The file in a boot's folder that the board's speaker plays into.
const SPEAKER_WAV: &str = "speaker.wav";

/// Pause between two dumps while waiting for a picture.
const POLL: Duration = Duration::from_millis(20);

/// What to boot.
pub struct BoardSpec {
    /// qemu-system-aarch64.
    pub qemu: PathBuf,
    /// The arm64 kernel image.
    pub kernel: PathBuf,
    /// The root file system (initramfs).
    pub initrd: PathBuf,
    /// The display's size in pixels.
    pub size: (u32, u32),
    /// Words added to the kernel's command line.
    pub kernel_args: Vec<String>,
    /// Sockets, logs and screendumps of this boot.
    pub dir: PathBuf,
}

/// A running board.
pub struct Board {
    child: Child,
    /// QEMU's machine protocol.
    pub qmp: Qmp,
    /// The serial console: kernel, systemd and the journal.
    pub serial: Console,
    /// A root shell on the virtio console (/dev/hvc0).
    pub shell: Console,
    started: Instant,
    size: (u32, u32),
    dir: PathBuf,
}

/// A picture the display showed.
pub struct Seen {
    /// Time from the event waited on to the first dump that showed it.
    pub after: Duration,
    /// Share of pixels that differ from the reference.
    pub difference: f64,
    /// Time between two dumps while waiting (the resolution of `after`).
    pub poll: Duration,
}

impl Board {
    /// Starts QEMU paused, attaches to its sockets, then lets the guest run.
    pub fn boot(spec: &BoardSpec) -> anyhow::Result<Board> {
        std::fs::create_dir_all(&spec.dir)
            .with_context(|| format!("cannot create {}", spec.dir.display()))?;
        let socket = |name: &str| spec.dir.join(name);
        for name in ["qmp.sock", "serial.sock", "shell.sock"] {
            let _ = std::fs::remove_file(socket(name));
        }
        let chardev = |id: &str, name: &str| {
            format!(
                "socket,id={id},path={},server=on,wait=off",
                socket(name).display()
            )
        };
        let (width, height) = spec.size;
        let mut command = Command::new(&spec.qemu);
        command
            .args([
                "-M",
                "virt",
                "-cpu",
                "cortex-a72",
                "-smp",
                "2",
                "-m",
                "1024",
            ])
            .args([
                "-accel",
                "tcg,thread=multi",
                "-nodefaults",
                "-no-user-config",
            ])
            .args(["-display", "none", "-nic", "none", "-no-reboot", "-S"])
            .arg("-kernel")
            .arg(&spec.kernel)
            .arg("-initrd")
            .arg(&spec.initrd)
            .arg("-append")
            .arg(
                [
                    "console=ttyAMA0 rdinit=/lib/systemd/systemd panic=-1 quiet",
                    "systemd.show_status=0 systemd.journald.forward_to_console=1",
                ]
                .into_iter()
                .chain(spec.kernel_args.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" "),
            )
            .args([
                "-device",
                &format!("virtio-gpu-pci,xres={width},yres={height}"),
            ])
            .args([
                "-device",
                "virtio-multitouch-pci",
                "-device",
                "virtio-rng-pci",
            ])
            // The speaker: an Intel HD Audio controller with an output codec
            // (bookworm's arm64 kernel has no virtio-snd driver), played
            // into a WAV file.
            .args([
                "-audiodev",
                &format!(
                    "wav,id=speaker,path={},{}",
                    spec.dir.join(SPEAKER_WAV).display(),
                    sound::FORMAT
                ),
                "-device",
                "ich9-intel-hda",
                "-device",
                "hda-output,audiodev=speaker",
            ])
            .args([
                "-device",
                "virtio-serial-pci",
                "-device",
                "virtconsole,chardev=shell",
            ])
            .args(["-chardev", &chardev("shell", "shell.sock")])
            .args(["-chardev", &chardev("serial", "serial.sock")])
            .args(["-serial", "chardev:serial"])
            .arg("-qmp")
            .arg(format!(
                "unix:{},server=on,wait=off",
                socket("qmp.sock").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(
                std::fs::File::create(spec.dir.join("qemu.stderr"))
                    .context("cannot create qemu.stderr")?,
            );
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {}", spec.qemu.display()))?;
        let attached = attach(&spec.dir, &mut child);
        let (qmp, serial, shell) = match attached {
            Ok(attached) => attached,
            Err(error) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(error);
            }
        };
        let mut board = Board {
            child,
            qmp,
            serial,
            shell,
            started: Instant::now(),
            size: spec.size,
            dir: spec.dir.clone(),
        };
        board.qmp.cont()?;
        board.started = Instant::now();
        Ok(board)
    }

    /// What the board's speaker has played.
    pub fn speaker(&self) -> Capture {
        Capture::at(&self.dir.join(SPEAKER_WAV))
    }

    /// Time since the guest started running.
    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// The display's current picture, as QEMU's raw PPM.
    fn dump(&mut self) -> anyhow::Result<Vec<u8>> {
        let path = self.dir.join("screendump.ppm");
        self.qmp.screendump(&path)?;
        std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))
    }

    /// A short tap at display pixel (x, y).
    pub fn tap(&mut self, (x, y): (f32, f32)) -> anyhow::Result<()> {
        self.hold((x, y), Duration::from_millis(80))
    }

    /// Holds a finger at display pixel (x, y) for `duration`.
    pub fn hold(&mut self, (x, y): (f32, f32), duration: Duration) -> anyhow::Result<()> {
        self.qmp.touch_down(x, y, self.size)?;
        std::thread::sleep(duration);
        self.qmp.touch_up(x, self.size)?;
        Ok(())
    }

    /// Dumps the display until it matches `reference` (within the golden
    /// screenshots' tolerance); keeps the matching dump as `name`.png. On
    /// timeout the last dump stays there and the error names it.
    pub fn wait_for_screen(
        &mut self,
        name: &str,
        reference: &Framebuffer,
        since: Instant,
        timeout: Duration,
    ) -> anyhow::Result<Seen> {
        let waiting = Instant::now();
        let mut dumps = 0;
        // An unchanged dump is not decoded and compared again.
        let mut previous: Option<(Vec<u8>, Framebuffer, f64)> = None;
        loop {
            let ppm = self.dump()?;
            dumps += 1;
            let seen_before = previous.take().filter(|(bytes, _, _)| *bytes == ppm);
            let (screen, difference) = match seen_before {
                Some((_, screen, difference)) => (screen, difference),
                None => {
                    let screen = screen::from_ppm(&ppm)?;
                    let difference = screen::difference(&screen, reference);
                    (screen, difference)
                }
            };
            let path = self.dir.join(format!("{name}.png"));
            if difference <= screen::MAX_DIFFERENCE {
                let (after, poll) = (since.elapsed(), waiting.elapsed() / dumps);
                screen.save_png(&path)?;
                return Ok(Seen {
                    after,
                    difference,
                    poll,
                });
            }
            if since.elapsed() > timeout {
                screen.save_png(&path)?;
                let blank = if screen::is_blank(&screen) {
                    " (the display is black)"
                } else {
                    ""
                };
                bail!(
                    "{name}: the display does not show the expected screen after {} s: \
                     {:.2} % of pixels differ (at most {:.2} % may){blank}; see {}",
                    timeout.as_secs(),
                    difference * 100.0,
                    screen::MAX_DIFFERENCE * 100.0,
                    path.display()
                );
            }
            previous = Some((ppm, screen, difference));
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Board {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for QEMU's sockets and connects to all three.
fn attach(dir: &Path, child: &mut Child) -> anyhow::Result<(Qmp, Console, Console)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let sockets = ["qmp.sock", "serial.sock", "shell.sock"].map(|name| dir.join(name));
    while !sockets.iter().all(|socket| socket.exists()) {
        if let Some(status) = child.try_wait()? {
            bail!(
                "qemu exited with {status} before opening its sockets (see {})",
                dir.join("qemu.stderr").display()
            );
        }
        if Instant::now() > deadline {
            bail!("qemu did not open its sockets in {}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let qmp = Qmp::connect(&sockets[0])?;
    let serial = Console::attach("serial console", &sockets[1], &dir.join("serial.log"))?;
    let shell = Console::attach("harness console", &sockets[2], &dir.join("shell.log"))?;
    Ok((qmp, serial, shell))
}
