//! What the box checks on the booted board: the first frame, touch,
//! read-aloud heard on the speaker, the admin gesture, restarts by systemd,
//! and a sideways-mounted panel.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use lobby_kiosk::config::{Config, DEMO_PIN};
use lobby_kiosk::content::{Lang, demo};
use lobby_kiosk::emulator::{self, Emulator, Framebuffer};
use lobby_kiosk::kiosk::startup::Startup;
use lobby_kiosk::ui::Speech;
use lobby_kiosk::ui::navigation::Screen;
use slint::ComponentHandle;

use crate::board::{Board, BoardSpec, Seen};
use crate::screen::Rotation;
use crate::sound::{self, Heard, Quiet};

/// The line the box's drop-in prints once systemd has the kiosk's READY=1.
const READY: &str = "BOARDBOX: lobby-kiosk ready, pid ";
/// What systemd logs when the unit's start limit is reached.
const GAVE_UP: &str = "lobby-kiosk.service: Start request repeated too quickly";
/// What systemd logs once the harness's root shell runs.
const SHELL_STARTED: &str = "Started board-box-console.service";
/// The kernel argument that keeps udev from loading the GPU's and the sound
/// card's drivers at boot; the harness loads them by hand (`modprobe`
/// ignores the list for a module it is named).
pub const LATE_DRIVERS: &str = "modprobe.blacklist=virtio_gpu,snd_hda_intel";
/// What the kiosk logs when it starts without a sound device.
const NO_SOUND_DEVICE: &str = "speech mode is unavailable: no sound device";
/// What the kiosk logs when one appears later.
const SOUND_DEVICE_APPEARED: &str = "a sound device appeared: read-aloud is available";
/// What the kiosk tells systemd (`StatusText=`) while it waits for a display.
const WAITING_FOR_DISPLAY: &str = "waiting for the display";
/// How long the display stays away once the kiosk waits for it.
const DISPLAY_LATE_BY: Duration = Duration::from_secs(5);
/// The accessible label of the PIN pad's OK key.
const PIN_OK: &str = "确认";
/// The portrait panel's size.
const PORTRAIT: (u32, u32) = (1080, 1920);
/// Boot to the kiosk's READY=1, at most (TCG on a loaded 2-core machine).
const BOOT_TIMEOUT: Duration = Duration::from_secs(240);
/// A screen to appear after an event, at most.
const SCREEN_TIMEOUT: Duration = Duration::from_secs(60);
/// A restart by systemd (RestartSec=2 plus the kiosk's start), at most.
const RESTART_TIMEOUT: Duration = Duration::from_secs(120);
/// The watchdog (WatchdogSec=30) to fire, at most.
const WATCHDOG_TIMEOUT: Duration = Duration::from_secs(90);
/// A shell command in the guest, at most.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the admin gesture holds the department name (the UI wants 3 s).
const ADMIN_HOLD: Duration = Duration::from_millis(3500);
/// How long the bottom-edge hold switches speech mode off (the UI wants 3 s).
const SPEECH_HOLD: Duration = Duration::from_millis(3500);
/// The accessible label of the speaker button.
const SPEECH_BUTTON: &str = "语音朗读";
/// Speech to be heard after a tap, at most (espeak-ng under TCG).
const SOUND_TIMEOUT: Duration = Duration::from_secs(60);
/// The speaker silent this long: what was being said has ended.
const QUIET: Duration = Duration::from_millis(1500);
/// The greeting of speech mode to end, at most (it plays in real time).
const GREETING_TIMEOUT: Duration = Duration::from_secs(120);

/// What the board is expected to show, and where to touch it, from the
/// emulator: its golden screenshots and its accessibility tree.
pub struct References {
    /// tests/screenshots/home.zh-Hans.png.
    pub home: Framebuffer,
    /// tests/screenshots/notices.zh-Hans.png (after tapping 公告栏).
    pub notices: Framebuffer,
    /// tests/screenshots/home.landscape.png (1920×1080).
    pub landscape_home: Framebuffer,
    /// The emulator's Home in speech mode, after tapping the speaker button.
    pub speech_on: Framebuffer,
    /// Then after a tap on 公告栏: spoken, outlined, not opened.
    pub speech_focus: Framebuffer,
    /// The emulator's screen after holding the department name.
    pub pin_pad: Framebuffer,
    /// The emulator's admin panel after the demo PIN.
    pub admin: Framebuffer,
    /// Where the PIN pad's keys for the demo PIN and its OK key are.
    pub pin_keys: Vec<(f32, f32)>,
    /// Centre of the 公告栏 tile.
    pub notice_tile: (f32, f32),
    /// Centre of the Back button.
    pub back: (f32, f32),
    /// Centre of the department name (the admin gesture).
    pub department_name: (f32, f32),
    /// Centre of the speaker button.
    pub speech_button: (f32, f32),
    /// On the bottom edge, the status strip (the speech-mode hold).
    pub bottom_edge: (f32, f32),
}

impl References {
    /// Loads the goldens and runs the emulator for positions and the PIN pad.
    pub fn load(screenshots: &Path) -> anyhow::Result<References> {
        let golden = |name: &str| {
            Framebuffer::load_png(&screenshots.join(format!("{name}.png"))).context(
                "a golden screenshot is missing (UPDATE_SCREENSHOTS=1 cargo test --test emulator)",
            )
        };
        let mut emulator = Emulator::new(
            PORTRAIT.0,
            PORTRAIT.1,
            Startup::demo(),
            &Config::demo(),
            emulator::default_start(),
        )?;
        let centre = |emulator: &Emulator, label: &str| {
            emulator
                .find(label)
                .map(|element| element.centre())
                .with_context(|| format!("the emulator shows no `{label}`"))
        };
        let site_name = demo::catalog().site.name.text(Lang::ZhHans).to_string();
        let notice_tile = centre(&emulator, "公告栏")?;
        let department_name = centre(&emulator, &site_name)?;
        // Home has no Back button: it is where Back leads.
        emulator.tap(notice_tile.0, notice_tile.1);
        let back = centre(&emulator, "返回")?;
        emulator.tap(back.0, back.1);
        if emulator.app().screen() != Screen::Home {
            bail!("the emulator's Back from the notice board does not return Home");
        }
        let speech_button = centre(&emulator, SPEECH_BUTTON)?;
        emulator.tap(speech_button.0, speech_button.1);
        let speech_on = emulator.screen().clone();
        emulator.tap(notice_tile.0, notice_tile.1);
        let speech_focus = emulator.screen().clone();
        if emulator.app().screen() != Screen::Home {
            bail!(
                "in the emulator's speech mode, one tap on 公告栏 opens it instead of speaking it"
            );
        }
        let bottom_edge = (PORTRAIT.0 as f32 / 2.0, PORTRAIT.1 as f32 - 10.0);
        emulator.long_press(bottom_edge.0, bottom_edge.1, SPEECH_HOLD);
        if emulator.ui().global::<Speech>().get_active() {
            bail!("the emulator stays in speech mode after the bottom-edge hold");
        }
        emulator.long_press(
            department_name.0,
            department_name.1,
            Duration::from_millis(3200),
        );
        if !emulator.shows(PIN_OK) {
            bail!("the emulator shows no PIN pad after holding `{site_name}`");
        }
        let pin_pad = emulator.screen().clone();
        let keys: Vec<String> = DEMO_PIN
            .chars()
            .map(String::from)
            .chain([PIN_OK.to_string()])
            .collect();
        let pin_keys = keys
            .iter()
            .map(|key| centre(&emulator, key))
            .collect::<anyhow::Result<Vec<_>>>()?;
        for &(x, y) in &pin_keys {
            emulator.tap(x, y);
        }
        if emulator.app().screen() != Screen::Admin {
            bail!("the emulator's admin panel does not open with the demo PIN");
        }
        Ok(References {
            home: golden("home.zh-Hans")?,
            notices: golden("notices.zh-Hans")?,
            landscape_home: golden("home.landscape")?,
            speech_on,
            speech_focus,
            pin_pad,
            admin: emulator.screen().clone(),
            pin_keys,
            notice_tile,
            back,
            department_name,
            speech_button,
            bottom_edge,
        })
    }
}

/// Figures and comparisons of one run, printed at the end.
#[derive(Default)]
pub struct Report {
    lines: Vec<String>,
}

impl Report {
    fn figure(&mut self, what: &str, value: String) {
        println!("board-box: {what}: {value}");
        self.lines.push(format!("{what}: {value}"));
    }

    fn seen(&mut self, what: &str, seen: &Seen) {
        self.figure(
            what,
            format!(
                "{:.2} s (a dump every {:.2} s), {:.3} % of pixels differ",
                seen.after.as_secs_f64(),
                seen.poll.as_secs_f64(),
                seen.difference * 100.0
            ),
        );
    }

    fn heard(&mut self, what: &str, heard: &Heard) {
        self.figure(
            what,
            format!(
                "{:.2} s, peak {:.1} dBFS",
                heard.after.as_secs_f64(),
                heard.peak_dbfs
            ),
        );
    }

    fn played(&mut self, what: &str, heard: &Heard, quiet: &Quiet) {
        let seconds = sound::seconds_between(heard.at, quiet.sound_ends);
        self.figure(what, format!("{seconds:.1} s"));
    }

    /// Every figure, one per line.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }
}

/// The kiosk's process id from a READY line.
fn ready_pid(line: &str) -> anyhow::Result<u32> {
    line.split(READY)
        .nth(1)
        .and_then(|rest| rest.trim().parse().ok())
        .with_context(|| format!("no pid in the READY line `{line}`"))
}

/// Waits for the next READY line after `from`; returns the pid and the
/// position after the line.
fn wait_ready(board: &Board, from: usize, timeout: Duration) -> anyhow::Result<(u32, usize)> {
    let (line, next) = board
        .serial
        .wait_for_line(&[READY, GAVE_UP], from, timeout)?;
    if line.contains(GAVE_UP) {
        bail!(
            "systemd gave up starting the kiosk; its last messages:\n{}",
            kiosk_messages(board, from)
        );
    }
    Ok((ready_pid(&line)?, next))
}

/// The last dozen lines the kiosk and systemd wrote about it on the serial
/// console after `from`.
fn kiosk_messages(board: &Board, from: usize) -> String {
    let text = board.serial.text();
    let lines: Vec<&str> = text
        .get(from..)
        .unwrap_or_default()
        .lines()
        .filter(|line| line.contains("lobby-kiosk") || line.contains("by-kiosk"))
        .collect();
    lines[lines.len().saturating_sub(12)..].join("\n")
}

/// The kiosk's unit as systemd sees it.
struct Unit {
    /// `ActiveState=`: activating, active, failed …
    active: String,
    /// `NRestarts=`: restarts since boot.
    restarts: u32,
    /// `StatusText=`: what the kiosk last told systemd.
    status: String,
}

impl Unit {
    fn read(board: &mut Board) -> anyhow::Result<Unit> {
        let shown = board.shell.run(
            "systemctl show -p ActiveState -p NRestarts -p StatusText lobby-kiosk",
            COMMAND_TIMEOUT,
        )?;
        let value = |key: &str| {
            shown
                .lines()
                .find_map(|line| line.trim().strip_prefix(key)?.strip_prefix('='))
                .unwrap_or_default()
                .to_string()
        };
        let restarts = value("NRestarts");
        Ok(Unit {
            active: value("ActiveState"),
            restarts: restarts
                .parse()
                .with_context(|| format!("systemctl shows NRestarts=`{restarts}`"))?,
            status: value("StatusText"),
        })
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ActiveState={} NRestarts={} StatusText=`{}`",
            self.active, self.restarts, self.status
        )
    }
}

/// On a board booted with [`LATE_DRIVERS`]: the kiosk must wait for
/// the display, neither failing nor being restarted, until the harness
/// loads the driver 5 s after the kiosk said it waits.
fn late_display(board: &mut Board, report: &mut Report) -> anyhow::Result<()> {
    board
        .serial
        .wait_for_line(&[SHELL_STARTED], 0, BOOT_TIMEOUT)?;
    let deadline = Instant::now() + SCREEN_TIMEOUT;
    let waiting = loop {
        let unit = Unit::read(board)?;
        if unit.restarts != 0 || unit.active == "failed" {
            bail!(
                "with no display yet the kiosk failed ({unit}); its messages:\n{}",
                kiosk_messages(board, 0)
            );
        }
        if unit.status.contains(WAITING_FOR_DISPLAY) {
            break unit;
        }
        if Instant::now() > deadline {
            bail!(
                "the kiosk never said it waits for the display ({unit}); its messages:\n{}",
                kiosk_messages(board, 0)
            );
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    std::thread::sleep(DISPLAY_LATE_BY);
    let unit = Unit::read(board)?;
    if unit.restarts != 0 || unit.active != "activating" {
        bail!(
            "the kiosk stopped waiting for the display ({unit}); its messages:\n{}",
            kiosk_messages(board, 0)
        );
    }
    board.shell.run("modprobe virtio_gpu", COMMAND_TIMEOUT)?;
    report.figure(
        &format!(
            "display driver loaded {} s after the kiosk waited",
            DISPLAY_LATE_BY.as_secs()
        ),
        format!(
            "no restart meanwhile; the kiosk told systemd `{}`",
            waiting.status
        ),
    );
    Ok(())
}

/// On a board booted with [`LATE_DRIVERS`], once the display is there: the
/// kiosk starts without a sound device (read-aloud unavailable, and it says
/// so), then finds the sound card the harness loads, without a restart.
fn late_sound_card(board: &mut Board, report: &mut Report) -> anyhow::Result<()> {
    let (_, after) = board
        .serial
        .wait_for_line(&[NO_SOUND_DEVICE], 0, BOOT_TIMEOUT)
        .with_context(|| {
            format!(
                "the kiosk did not say that it started without a sound device; its messages:\n{}",
                kiosk_messages(board, 0)
            )
        })?;
    board.shell.run("modprobe snd_hda_intel", COMMAND_TIMEOUT)?;
    let loaded = Instant::now();
    board
        .serial
        .wait_for_line(&[SOUND_DEVICE_APPEARED], after, SCREEN_TIMEOUT)
        .with_context(|| {
            format!(
                "the kiosk did not find the sound card loaded after its start; its messages:\n{}",
                kiosk_messages(board, 0)
            )
        })?;
    let restarts = Unit::read(board)?.restarts;
    if restarts != 0 {
        bail!("systemd restarted the kiosk {restarts} times while it waited for a sound card");
    }
    report.figure(
        "sound card loaded after the kiosk started → read-aloud offered",
        format!(
            "{:.1} s, no restart (the kiosk looks every 2 s)",
            loaded.elapsed().as_secs_f64()
        ),
    );
    Ok(())
}

/// Boots to the kiosk's first frame; returns its pid and the serial position.
fn boot_to_first_frame(
    board: &mut Board,
    reference: &Framebuffer,
    name: &str,
    report: &mut Report,
) -> anyhow::Result<(u32, usize)> {
    let (pid, next) = wait_ready(board, 0, BOOT_TIMEOUT)?;
    report.figure(
        &format!("{name}: boot to READY=1"),
        format!("{:.2} s", board.uptime().as_secs_f64()),
    );
    let since = Instant::now() - board.uptime();
    let seen = board.wait_for_screen(name, reference, since, SCREEN_TIMEOUT)?;
    report.seen(&format!("{name}: boot to first frame"), &seen);
    Ok((pid, next))
}

/// The portrait panel: first frame, touch, Back, the admin gesture, a
/// killed kiosk and a hung one (watchdog) restarted by systemd.
pub fn portrait(spec: &BoardSpec, refs: &References, report: &mut Report) -> anyhow::Result<()> {
    let mut board = Board::boot(spec)?;
    let (pid, mut serial_at) = boot_to_first_frame(&mut board, &refs.home, "home", report)?;
    let at_boot = Unit::read(&mut board)?.restarts;
    report.figure(
        "systemd restarts before the first frame",
        if at_boot == 0 {
            "0".to_string()
        } else {
            format!(
                "{at_boot}; the kiosk's messages:\n{}",
                kiosk_messages(&board, 0)
            )
        },
    );

    let status = board.shell.run(
        &format!("grep -E '^(Uid|Groups|VmRSS)' /proc/{pid}/status; grep '^Pss:' /proc/{pid}/smaps_rollup; id lobby-kiosk"),
        COMMAND_TIMEOUT,
    )?;
    report.figure(
        "kiosk process in the guest",
        status.split_whitespace().collect::<Vec<_>>().join(" "),
    );

    let since = tap(&mut board, refs.notice_tile)?;
    let seen = board.wait_for_screen("notices", &refs.notices, since, SCREEN_TIMEOUT)?;
    report.seen("tap 公告栏 → notice board (touch to frame)", &seen);

    let since = tap(&mut board, refs.back)?;
    let seen = board.wait_for_screen("back-home", &refs.home, since, SCREEN_TIMEOUT)?;
    report.seen("tap 返回 → Home (touch to frame)", &seen);

    read_aloud(&mut board, refs, report)?;

    board.hold(refs.department_name, ADMIN_HOLD)?;
    let since = Instant::now();
    let seen = board.wait_for_screen("pin-pad", &refs.pin_pad, since, SCREEN_TIMEOUT)?;
    report.seen(
        "hold the department name 3.5 s → PIN pad (release to frame)",
        &seen,
    );

    // The PIN the installation hashed into kiosk.toml (docs/deploy.md §3).
    for &key in &refs.pin_keys {
        board.tap(key)?;
        std::thread::sleep(Duration::from_millis(200));
    }
    let since = Instant::now();
    let seen = board.wait_for_screen("admin", &refs.admin, since, SCREEN_TIMEOUT)?;
    report.seen("PIN 2468 + 确认 → admin panel (last key to frame)", &seen);

    // A crash: SIGKILL (SIGTERM would be a clean stop, not restarted by
    // Restart=on-failure).
    board
        .shell
        .run(&format!("kill -KILL {pid}"), COMMAND_TIMEOUT)?;
    let since = Instant::now();
    let (restarted, next) = wait_ready(&board, serial_at, RESTART_TIMEOUT)?;
    serial_at = next;
    if restarted == pid {
        bail!("the READY line after the kill names the killed pid {pid}");
    }
    let seen = board.wait_for_screen("after-kill", &refs.home, since, RESTART_TIMEOUT)?;
    report.seen("kill -KILL → restarted by systemd, Home again", &seen);

    // A hung kiosk: stopped, it no longer feeds the watchdog.
    board
        .shell
        .run(&format!("kill -STOP {restarted}"), COMMAND_TIMEOUT)?;
    let since = Instant::now();
    let (line, _) =
        board
            .serial
            .wait_for_line(&["Watchdog timeout"], serial_at, WATCHDOG_TIMEOUT)?;
    report.figure(
        "kill -STOP → watchdog fired",
        format!("{:.1} s: {}", since.elapsed().as_secs_f64(), line.trim()),
    );
    let (third, _) = wait_ready(&board, serial_at, RESTART_TIMEOUT)?;
    if third == restarted {
        bail!("the READY line after the watchdog names the hung pid {restarted}");
    }
    let seen = board.wait_for_screen("after-watchdog", &refs.home, since, RESTART_TIMEOUT)?;
    report.seen("kill -STOP → watchdog restart, Home again", &seen);
    let restarts = Unit::read(&mut board)?.restarts - at_boot;
    if restarts != 2 {
        bail!(
            "systemd counts {restarts} restarts of lobby-kiosk after the first frame, expected 2 (the kill and the watchdog); its messages:\n{}",
            kiosk_messages(&board, 0)
        );
    }
    report.figure(
        "systemd restarts after the first frame (kill, watchdog)",
        restarts.to_string(),
    );
    Ok(())
}

/// The rotation a portrait panel mounted sideways gets, as docs/deploy.md gives it.
pub struct Sideways {
    /// `SLINT_KMS_ROTATION` in degrees.
    pub degrees: u32,
    /// `LIBINPUT_CALIBRATION_MATRIX` for it.
    pub calibration: String,
}

/// A 1920×1080 panel: the landscape UI (after a late display driver, when
/// the board was booted with [`LATE_DRIVERS`]), then docs/deploy.md §4
/// run in the guest (drop-in, udev rule, reload, restart): the portrait UI
/// turned, and a touch on the tile under the finger opens it.
pub fn sideways(
    spec: &BoardSpec,
    refs: &References,
    sideways: &Sideways,
    report: &mut Report,
) -> anyhow::Result<()> {
    let rotation = Rotation::from_degrees(sideways.degrees).with_context(|| {
        format!(
            "SLINT_KMS_ROTATION={} is not 0, 90, 180 or 270",
            sideways.degrees
        )
    })?;
    let mut board = Board::boot(spec)?;
    if spec.kernel_args.iter().any(|arg| arg == LATE_DRIVERS) {
        late_display(&mut board, report)?;
        late_sound_card(&mut board, report)?;
    }
    let (_, serial_at) =
        boot_to_first_frame(&mut board, &refs.landscape_home, "landscape-home", report)?;
    let restarts = Unit::read(&mut board)?.restarts;
    if restarts != 0 {
        bail!(
            "systemd restarted the kiosk {restarts} times before its first frame; its messages:\n{}",
            kiosk_messages(&board, 0)
        );
    }

    let degrees = sideways.degrees;
    let matrix = &sideways.calibration;
    let steps = [
        // What `systemctl edit lobby-kiosk` writes.
        format!(
            "mkdir -p /etc/systemd/system/lobby-kiosk.service.d && printf '[Service]\\nEnvironment=SLINT_KMS_ROTATION={degrees}\\n' >/etc/systemd/system/lobby-kiosk.service.d/override.conf && systemctl daemon-reload"
        ),
        format!(
            "sed -i 's/ENV{{LIBINPUT_CALIBRATION_MATRIX}}=\"[^\"]*\"/ENV{{LIBINPUT_CALIBRATION_MATRIX}}=\"{matrix}\"/' /etc/udev/rules.d/99-lobby-kiosk-touch.rules"
        ),
        "udevadm control --reload && udevadm trigger --subsystem-match=input && udevadm settle"
            .to_string(),
    ];
    for step in &steps {
        board.shell.run(step, COMMAND_TIMEOUT)?;
    }
    let since = Instant::now();
    board
        .shell
        .run("systemctl restart lobby-kiosk", RESTART_TIMEOUT)?;
    let applied = board.shell.run(
        "for device in /dev/input/event*; do udevadm info $device; done | grep CALIBRATION",
        COMMAND_TIMEOUT,
    )?;
    if !applied.contains(matrix.as_str()) {
        bail!(
            "the touch device has `{}`, not the calibration matrix {matrix}",
            applied.trim()
        );
    }
    report.figure(
        "udev calibration on the touch device",
        applied.trim().to_string(),
    );
    wait_ready(&board, serial_at, RESTART_TIMEOUT)?;
    let turned_home = rotation.turn(&refs.home);
    let seen = board.wait_for_screen("rotated-home", &turned_home, since, RESTART_TIMEOUT)?;
    report.seen(
        &format!("SLINT_KMS_ROTATION={degrees}: portrait Home turned, restart to frame"),
        &seen,
    );

    let finger = rotation.turn_point(refs.notice_tile, PORTRAIT);
    let since = tap(&mut board, finger)?;
    let turned_notices = rotation.turn(&refs.notices);
    let seen = board
        .wait_for_screen("rotated-notices", &turned_notices, since, SCREEN_TIMEOUT)
        .with_context(|| {
            format!(
                "a tap at panel ({:.0}, {:.0}), on the 公告栏 tile of the turned picture, did not open the notice board: the calibration matrix {matrix} does not turn touch the way SLINT_KMS_ROTATION={degrees} turns the picture",
                finger.0, finger.1
            )
        })?;
    report.seen(
        "rotated: tap on the 公告栏 tile under the finger → notice board",
        &seen,
    );
    Ok(())
}

/// Read-aloud on the board's speaker: the speaker button switches speech
/// mode on (its greeting is heard), a tap on 公告栏 then speaks it (heard
/// again after the greeting ended) without opening it, and the bottom-edge
/// hold switches speech mode off (Home as before).
fn read_aloud(board: &mut Board, refs: &References, report: &mut Report) -> anyhow::Result<()> {
    let speaker = board.speaker();
    let from = speaker.len();
    let since = tap(board, refs.speech_button)?;
    let seen = board.wait_for_screen("speech-on", &refs.speech_on, since, SCREEN_TIMEOUT)?;
    report.seen("tap 语音朗读 → speech mode (touch to frame)", &seen);
    let heard = speaker.wait_for_sound(from, since, SOUND_TIMEOUT)?;
    report.heard(
        "tap 语音朗读 → its greeting heard on the speaker (touch to sound in the WAV)",
        &heard,
    );
    let quiet = speaker.wait_for_quiet(heard.at, QUIET, GREETING_TIMEOUT)?;
    report.played("speech mode's greeting, as played", &heard, &quiet);

    let since = tap(board, refs.notice_tile)?;
    let heard = speaker.wait_for_sound(quiet.len, since, SOUND_TIMEOUT)?;
    report.heard(
        "speech mode: tap 公告栏 → \"按钮 公告栏，…\" (role, label, hint) heard (touch to sound in the WAV)",
        &heard,
    );
    let seen = board.wait_for_screen("speech-focus", &refs.speech_focus, since, SCREEN_TIMEOUT)?;
    report.seen("speech mode: tap 公告栏 → outlined, not opened", &seen);
    let quiet = speaker.wait_for_quiet(heard.at, QUIET, GREETING_TIMEOUT)?;
    report.played("\"按钮 公告栏，…\", as played", &heard, &quiet);

    board.hold(refs.bottom_edge, SPEECH_HOLD)?;
    let since = Instant::now();
    let seen = board.wait_for_screen("speech-off", &refs.home, since, SCREEN_TIMEOUT)?;
    report.seen("hold the bottom edge 3.5 s → speech mode off, Home", &seen);
    Ok(())
}

/// Taps and returns when the finger was lifted.
fn tap(board: &mut Board, at: (f32, f32)) -> anyhow::Result<Instant> {
    board.tap(at)?;
    Ok(Instant::now())
}

/// Reports the sizes of what boots.
pub fn image_size(spec: &BoardSpec, report: &mut Report) -> anyhow::Result<()> {
    let size = |path: &Path| {
        std::fs::metadata(path)
            .map(|m| m.len())
            .with_context(|| format!("cannot read {}", path.display()))
    };
    let (kernel, rootfs) = (size(&spec.kernel)?, size(&spec.initrd)?);
    report.figure(
        "image",
        format!(
            "kernel {:.1} MiB + root file system (uncompressed cpio) {:.1} MiB",
            kernel as f64 / 1048576.0,
            rootfs as f64 / 1048576.0
        ),
    );
    Ok(())
}
