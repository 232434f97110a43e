//! The admin console's preview: an item of unpublished content as the kiosk
//! shows it, rendered headless by the emulator into a PNG, in the language,
//! text size, contrast and orientation asked for ([`View`]).
//!
//! Slint's UI lives on one thread, so [`PreviewRenderer`] keeps one emulator
//! on a thread of its own and renders there, one request at a time; a
//! request with the same orientation as the last reuses the emulator and
//! only swaps its content, which keeps a preview well under a second.

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use slint::ComponentHandle;

use super::framebuffer::ImageError;
use super::{Emulator, EmulatorError};
use crate::config::Config;
use crate::content::{Lang, LoadedContent};
use crate::kiosk::startup::Startup;
use crate::kiosk::status::{ContentStatus, StatusHandle};
use crate::ui::AppState;

/// How the preview shows the kiosk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// The visitor's language.
    pub lang: Lang,
    /// Text size: 1.0, 1.25 or 1.5 (others are clamped by the UI).
    pub text_scale: f32,
    /// The high-contrast theme.
    pub high_contrast: bool,
    /// A 1920×1080 panel instead of the portrait 1080×1920.
    pub landscape: bool,
}

impl Default for View {
    fn default() -> Self {
        View {
            lang: Lang::ZhHans,
            text_scale: 1.0,
            high_contrast: false,
            landscape: false,
        }
    }
}

impl View {
    /// The panel's size in pixels.
    pub fn size(&self) -> (u32, u32) {
        if self.landscape {
            (1920, 1080)
        } else {
            (1080, 1920)
        }
    }
}

/// Longest a caller waits for one preview (a first one starts the kiosk UI,
/// well under a second here; a hung render must not hold a request for ever).
pub const RENDER_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// A preview that could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    /// The content has no item with this id.
    #[error("the content has no item `{0}` to preview")]
    NoSuchItem(String),
    /// The emulator could not start.
    #[error("the preview cannot start the kiosk UI: {0}")]
    Emulator(#[from] EmulatorError),
    /// The screen could not be encoded.
    #[error("the preview cannot encode the screen: {0}")]
    Image(#[from] ImageError),
    /// The renderer's thread is gone.
    #[error("the preview renderer has stopped")]
    Stopped,
    /// The renderer did not answer within [`RENDER_DEADLINE`].
    #[error("the preview took longer than {} s; try again", RENDER_DEADLINE.as_secs())]
    TooSlow,
}

struct Job {
    content: LoadedContent,
    item: Option<String>,
    view: View,
    reply: Sender<Result<Vec<u8>, PreviewError>>,
}

/// Renders previews on a thread of its own; stopped when dropped.
pub struct PreviewRenderer {
    jobs: Option<Sender<Job>>,
    worker: Option<JoinHandle<()>>,
}

impl PreviewRenderer {
    /// Starts the renderer with the kiosk configuration `config` (its fonts).
    pub fn start(config: Config) -> PreviewRenderer {
        let (jobs, received) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("preview".to_owned())
            .spawn(move || render_jobs(&config, &received))
            .map_err(|error| tracing::error!("the preview thread cannot start: {error}"))
            .ok();
        PreviewRenderer {
            jobs: Some(jobs),
            worker,
        }
    }

    /// `item` of `content` (None: Home) as the kiosk shows it in `view`, as
    /// PNG bytes. Blocks until rendered, at most [`RENDER_DEADLINE`] (call
    /// it from a blocking task).
    pub fn render(
        &self,
        content: LoadedContent,
        item: Option<String>,
        view: View,
    ) -> Result<Vec<u8>, PreviewError> {
        if let Some(id) = &item
            && content.catalog.item(id).is_none()
        {
            return Err(PreviewError::NoSuchItem(id.clone()));
        }
        let (reply, answer) = mpsc::channel();
        let job = Job {
            content,
            item,
            view,
            reply,
        };
        let jobs = self.jobs.as_ref().ok_or(PreviewError::Stopped)?;
        jobs.send(job).map_err(|_| PreviewError::Stopped)?;
        match answer.recv_timeout(RENDER_DEADLINE) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(PreviewError::TooSlow),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(PreviewError::Stopped),
        }
    }
}

impl Drop for PreviewRenderer {
    fn drop(&mut self) {
        // Closing the channel ends the worker's loop.
        self.jobs = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn render_jobs(config: &Config, jobs: &Receiver<Job>) {
    let mut emulator: Option<Emulator> = None;
    while let Ok(job) = jobs.recv() {
        let result = render(config, &mut emulator, job.content, job.item, job.view);
        let _ = job.reply.send(result);
    }
}

fn render(
    config: &Config,
    current: &mut Option<Emulator>,
    content: LoadedContent,
    item: Option<String>,
    view: View,
) -> Result<Vec<u8>, PreviewError> {
    let (width, height) = view.size();
    let emulator = match current.take() {
        Some(emulator) if emulator.size() == (width, height) => {
            emulator.app().set_content(content);
            current.insert(emulator)
        }
        _ => {
            let startup = Startup {
                content: Some(content),
                status: StatusHandle::new(ContentStatus {
                    source: "admin console preview".into(),
                    version: "preview".into(),
                    ..ContentStatus::default()
                }),
                sync: None,
            };
            let emulator = Emulator::new(width, height, startup, config, chrono::Utc::now())?;
            current.insert(emulator)
        }
    };
    let ui = emulator.ui().clone_strong();
    let state = ui.global::<AppState>();
    state.invoke_reset_session();
    state.invoke_set_language(view.lang.index() as i32);
    state.invoke_set_text_scale(view.text_scale);
    state.invoke_set_high_contrast(view.high_contrast);
    state.invoke_home();
    if let Some(id) = item {
        state.invoke_open_item(id.into());
    }
    emulator.render();
    Ok(emulator.screen().encode_png()?)
}
