//! Waiting for the board's display at start.
//!
//! At boot systemd can start the kiosk before udev has loaded the GPU's
//! driver and handed `/dev/dri/card*` to the `video` group. Slint's linuxkms
//! backend then fails at once ("Could not create an egl display"), systemd
//! restarts the kiosk, and every such start counts towards the unit's start
//! limit while the screen stays black. The kiosk instead waits, a bounded
//! time, for a DRM device it can open, and says so in `systemctl status`.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sd_notify::NotifyState;

/// Where the kernel puts DRM devices.
pub const DRM_DIR: &str = "/dev/dri";

/// How long to wait for a display at most: well inside the unit's
/// `TimeoutStartSec=60`, so the failure is ours and says what is missing.
pub const DISPLAY_WAIT: Duration = Duration::from_secs(40);

/// How often to look again while waiting.
const POLL: Duration = Duration::from_millis(100);

/// No DRM device could be opened in time.
#[derive(Debug, thiserror::Error)]
#[error(
    "no display: {} has no DRM device (card*) this kiosk can open after {} s ({last}); \
     is the GPU's driver loaded, and is the kiosk's user in the `video` group?",
    dir.display(),
    waited.as_secs()
)]
pub struct NoDisplay {
    /// The directory searched.
    pub dir: PathBuf,
    /// How long the kiosk waited.
    pub waited: Duration,
    /// What the last look found.
    pub last: String,
}

/// Waits until a `card*` device in `dir` opens for reading and writing, as
/// the linuxkms backend will open it; returns its path. Looks every 100 ms
/// for at most `timeout`; logs (and tells systemd) once when it has to wait.
pub fn wait_for_display(dir: &Path, timeout: Duration) -> Result<PathBuf, NoDisplay> {
    let started = Instant::now();
    let mut told = false;
    loop {
        let last = match openable_card(dir) {
            Ok(card) => {
                if told {
                    tracing::info!(
                        "display {} ready after {:.1} s",
                        card.display(),
                        started.elapsed().as_secs_f64()
                    );
                }
                return Ok(card);
            }
            Err(why) => why,
        };
        if started.elapsed() >= timeout {
            return Err(NoDisplay {
                dir: dir.to_path_buf(),
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

/// The first `card*` in `dir` that opens read-write, or why there is none.
fn openable_card(dir: &Path) -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let mut cards: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("card"))
        })
        .collect();
    cards.sort();
    let mut refused = Vec::new();
    for card in cards {
        match OpenOptions::new().read(true).write(true).open(&card) {
            Ok(_) => return Ok(card),
            Err(error) => refused.push(format!("{}: {error}", card.display())),
        }
    }
    if refused.is_empty() {
        Err(format!("no card* in {}", dir.display()))
    } else {
        Err(refused.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_that_is_there_is_found_at_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        std::fs::write(dir.path().join("card0"), "").unwrap();
        let card = wait_for_display(dir.path(), Duration::ZERO).unwrap();
        assert_eq!(card, dir.path().join("card0"));
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
        let found = wait_for_display(dir.path(), Duration::from_secs(30)).unwrap();
        writer.join().unwrap();
        assert_eq!(found, card);
    }

    #[test]
    fn no_card_is_an_error_naming_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        let error = wait_for_display(dir.path(), Duration::from_millis(250)).unwrap_err();
        let text = error.to_string();
        assert!(text.contains(&dir.path().display().to_string()), "{text}");
        assert!(text.contains("no card*"), "{text}");
    }

    #[test]
    fn a_missing_directory_is_waited_for_then_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("dri");
        let error = wait_for_display(&missing, Duration::from_millis(150)).unwrap_err();
        assert!(
            error.last.contains(&missing.display().to_string()),
            "{error}"
        );
    }
}
