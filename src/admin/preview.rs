//! `kioskctl preview`: the real kiosk UI in a desktop window on an authoring
//! folder, recompiled when a file changes.
//!
//! Changes are found by polling the folder's file list, sizes and mtimes
//! once a second rather than with inotify (the `notify` crate): an authoring
//! folder holds a few hundred files, so a poll costs well under a
//! millisecond; it needs no extra dependency; and it also sees changes on
//! network shares and editors' save-by-rename, where inotify watches are lost.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, SystemTime};

use slint::ComponentHandle;

use crate::config::Config;
use crate::content::{LoadedContent, folder};
use crate::kiosk::status::{ContentStatus, StatusHandle};
use crate::ui::app::KioskApp;
use crate::ui::clock::SystemClock;
use crate::ui::speech_mode::SpeechMode;
use crate::ui::window;

/// How often the folder is checked for changes.
const POLL: Duration = Duration::from_secs(1);

/// The preview could not run.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    /// The folder does not exist.
    #[error("preview: {0} is not a folder: give the authoring folder (the one holding site.toml)")]
    NotAFolder(PathBuf),
    /// The window could not open.
    #[error("preview: {0}")]
    Open(#[from] window::WindowError),
    /// The window's event loop failed.
    #[error("preview: the window failed: {0}")]
    Window(#[from] slint::PlatformError),
}

/// Every file under `dir` with its size and mtime, sorted: equal fingerprints, no change.
fn fingerprint(dir: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                pending.push(entry.path());
            } else {
                let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                files.push((entry.path(), meta.len(), modified));
            }
        }
    }
    files.sort();
    files
}

/// Compiles the folder; errors are printed and reported in the status.
fn load(dir: &Path) -> Result<LoadedContent, String> {
    match folder::load(dir, chrono::Utc::now()) {
        Ok((content, warnings)) => {
            eprint!("{warnings}");
            Ok(content)
        }
        Err(invalid) => {
            eprint!("{}", invalid.diagnostics);
            Err(format!(
                "{} error(s) in {}: the previous content stays until they are fixed",
                invalid.diagnostics.errors().count(),
                dir.display()
            ))
        }
    }
}

fn status(dir: &Path, error: Option<String>) -> ContentStatus {
    ContentStatus {
        source: dir.display().to_string(),
        version: "preview".into(),
        last_error: error.unwrap_or_default(),
        ..ContentStatus::default()
    }
}

/// Opens the window and runs until it is closed.
pub fn run(dir: &Path) -> Result<(), PreviewError> {
    if !dir.is_dir() {
        return Err(PreviewError::NotAFolder(dir.to_owned()));
    }
    let config = Config::demo();
    let window = window::desktop_window(&config)?;
    let (content, error) = match load(dir) {
        Ok(content) => (Some(content), None),
        Err(error) => (None, Some(error)),
    };
    let app = KioskApp::new(
        window,
        content,
        StatusHandle::new(status(dir, error)),
        &config,
        Rc::new(SystemClock::default()),
    );
    app.attach_speech(SpeechMode::configured(&config.speech));
    let folder = dir.to_owned();
    let mut seen = fingerprint(&folder);
    let weak = Rc::downgrade(&app);
    let timer = slint::Timer::default();
    timer.start(slint::TimerMode::Repeated, POLL, move || {
        let now = fingerprint(&folder);
        if now == seen {
            return;
        }
        seen = now;
        let Some(app) = weak.upgrade() else { return };
        match load(&folder) {
            Ok(content) => {
                eprintln!("reloaded {}", folder.display());
                app.set_content(content);
                app.set_status(status(&folder, None));
            }
            Err(error) => app.set_status(status(&folder, Some(error))),
        }
    });
    app.window().run()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_changes_with_an_edit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("notices")).unwrap();
        std::fs::write(dir.path().join("notices/a.md"), "one").unwrap();
        let before = fingerprint(dir.path());
        assert_eq!(before, fingerprint(dir.path()));
        std::fs::write(dir.path().join("notices/a.md"), "three").unwrap();
        assert_ne!(before, fingerprint(dir.path()));
    }
}
