//! Waiting for the board's display at start.
//!
//! At boot systemd can start the kiosk before udev has loaded the GPU's
//! driver and handed `/dev/dri/card*` to the `video` group. Slint's linuxkms
//! backend then fails at once ("Could not create an egl display"), systemd
//! restarts the kiosk, and every such start counts towards the unit's start
//! limit while the screen stays black. The kiosk instead waits, a bounded
//! time, for a display device it can open, and says so in `systemctl status`.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sd_notify::NotifyState;

/// A kind of display device: files in `dir` named `prefix` and a number.
#[derive(Debug, Clone, Copy)]
pub struct DeviceKind<'a> {
    /// The directory the kernel puts them in.
    pub dir: &'a str,
    /// The name before the number.
    pub prefix: &'a str,
}

/// Where a display can appear, in the order Slint's linuxkms software
/// renderer tries them: DRM devices, then legacy framebuffers.
pub const DISPLAY_DEVICES: [DeviceKind<'static>; 2] = [
    DeviceKind {
        dir: "/dev/dri",
        prefix: "card",
    },
    DeviceKind {
        dir: "/dev",
        prefix: "fb",
    },
];

/// How long to wait for a display at most: well inside the unit's
/// `TimeoutStartSec=60`, so the failure is ours and says what is missing.
pub const DISPLAY_WAIT: Duration = Duration::from_secs(40);

/// How often to look again while waiting.
const POLL: Duration = Duration::from_millis(100);

/// No display device could be opened in time.
#[derive(Debug, thiserror::Error)]
#[error(
    "no display: no device this kiosk can open after {} s ({last}); \
     is the GPU's driver loaded, and is the kiosk's user in the `video` group?",
    waited.as_secs()
)]
pub struct NoDisplay {
    /// How long the kiosk waited.
    pub waited: Duration,
    /// What the last look found, naming the places looked in.
    pub last: String,
}

/// Waits until a device of one of `kinds` opens for reading and writing,
/// as the linuxkms backend will open it; returns its path. Looks every
/// 100 ms for at most `timeout`; logs (and tells systemd) once when it has
/// to wait.
pub fn wait_for_display(kinds: &[DeviceKind<'_>], timeout: Duration) -> Result<PathBuf, NoDisplay> {
    let started = Instant::now();
    let mut told = false;
    loop {
        let last = match openable_device(kinds) {
            Ok(device) => {
                if told {
                    tracing::info!(
                        "display {} ready after {:.1} s",
                        device.display(),
                        started.elapsed().as_secs_f64()
                    );
                }
                return Ok(device);
            }
            Err(why) => why,
        };
        if started.elapsed() >= timeout {
            return Err(NoDisplay {
                waited: started.elapsed(),
                last,
            });
        }
        if !told {
            told = true;
            let status = format!("waiting for the display: {last}");
            tracing::info!("{status}; waiting up to {} s", timeout.as_secs());
            if let Err(error) = sd_notify::notify(&[NotifyState::Status(&status)]) {
                tracing::warn!("cannot notify systemd: {error}");
            }
        }
        std::thread::sleep(POLL);
    }
}

/// The first device of `kinds` that opens read-write, or why there is none.
fn openable_device(kinds: &[DeviceKind<'_>]) -> Result<PathBuf, String> {
    let mut why = Vec::new();
    for kind in kinds {
        let dir = Path::new(kind.dir);
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) => {
                why.push(format!("{}: {error}", dir.display()));
                continue;
            }
        };
        let mut devices: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.path())
            .filter(|path| is_numbered(path, kind.prefix))
            .collect();
        devices.sort();
        if devices.is_empty() {
            why.push(format!("no {}* in {}", kind.prefix, dir.display()));
        }
        for device in devices {
            match OpenOptions::new().read(true).write(true).open(&device) {
                Ok(_) => return Ok(device),
                Err(error) => why.push(format!("{}: {error}", device.display())),
            }
        }
    }
    Err(why.join("; "))
}

/// Whether the file's name is `prefix` and a number (`card0`, `fb1`).
fn is_numbered(path: &Path, prefix: &str) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.strip_prefix(prefix))
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds of device in a test's own folders.
    fn kinds<'a>(dri: &'a str, dev: &'a str) -> [DeviceKind<'a>; 2] {
        [
            DeviceKind {
                dir: dri,
                prefix: "card",
            },
            DeviceKind {
                dir: dev,
                prefix: "fb",
            },
        ]
    }

    fn text(path: &Path) -> String {
        path.display().to_string()
    }

    #[test]
    fn a_card_that_is_there_is_found_at_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        std::fs::write(dir.path().join("card0"), "").unwrap();
        let card =
            wait_for_display(&kinds(&text(dir.path()), &text(dir.path())), Duration::ZERO).unwrap();
        assert_eq!(card, dir.path().join("card0"));
    }

    #[test]
    fn a_legacy_framebuffer_is_a_display_too() {
        let dri = tempfile::tempdir().unwrap();
        let dev = tempfile::tempdir().unwrap();
        std::fs::write(dev.path().join("fbcon"), "").unwrap();
        std::fs::write(dev.path().join("fb0"), "").unwrap();
        let found =
            wait_for_display(&kinds(&text(dri.path()), &text(dev.path())), Duration::ZERO).unwrap();
        assert_eq!(found, dev.path().join("fb0"));
    }

    #[test]
    fn a_card_that_appears_later_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let card = dir.path().join("card1");
        let writer = {
            let card = card.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                std::fs::write(card, "").unwrap();
            })
        };
        let found = wait_for_display(
            &kinds(&text(dir.path()), &text(dir.path())),
            Duration::from_secs(30),
        )
        .unwrap();
        writer.join().unwrap();
        assert_eq!(found, card);
    }

    #[test]
    fn no_device_is_an_error_naming_where_it_looked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        let missing = dir.path().join("no-dev");
        let error = wait_for_display(
            &kinds(&text(dir.path()), &text(&missing)),
            Duration::from_millis(250),
        )
        .unwrap_err();
        let message = error.to_string();
        let dri = text(dir.path());
        assert!(message.contains(&format!("no card* in {dri}")), "{message}");
        assert!(message.contains(&text(&missing)), "{message}");
    }
}
