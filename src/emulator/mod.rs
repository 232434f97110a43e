//! The emulator: the real kiosk UI rendered headless by Slint's software
//! renderer into a [`Framebuffer`], with touch injection by coordinates or
//! by accessible label, a mocked clock, and PNG screenshots.

pub mod framebuffer;
pub mod layout_check;
pub mod memory;
mod platform;
pub mod preview;
pub mod script;
pub mod tour;

use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use embedded_graphics::pixelcolor::Rgb888;
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{Circle, PrimitiveStyle};
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{PointerEventButton, WindowEvent};
use slint::{ComponentHandle, LogicalPosition, PhysicalSize};

pub use framebuffer::Framebuffer;

use crate::config::Config;
use crate::kiosk::startup::Startup;
use crate::reach::Mounting;
use crate::service_thread::ServiceThread;
use crate::speech::{Event, RecordingSpeaker, Speaker, Spoken, Unavailable};
use crate::ui::app::KioskApp;
use crate::ui::clock::Clock;
use crate::ui::last_line::WORD_JOINER;
use crate::ui::speech_mode::SpeechMode;
use crate::ui::{KioskWindow, fonts};

/// How often time is stepped when advancing, so 1-second timers fire each second.
const TIME_STEP: Duration = Duration::from_millis(250);

/// The mocked clock: a fixed start instant plus the emulator's elapsed time.
pub struct MockClock {
    start: DateTime<Utc>,
}

impl Clock for MockClock {
    fn now(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::from_std(platform::elapsed()).unwrap_or_default()
    }

    fn elapsed(&self) -> Duration {
        platform::elapsed()
    }
}

/// Something the emulator could not do.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    /// Slint could not create the window.
    #[error("cannot start the UI: {0}")]
    Platform(#[from] slint::PlatformError),
    /// No visible element has this accessible label.
    #[error("no visible element labelled `{0}` on this screen")]
    NoSuchLabel(String),
    /// The element exists but is outside the screen.
    #[error("element `{label}` is off-screen at ({x:.0}, {y:.0}); scroll to it first")]
    OffScreen {
        /// Its label.
        label: String,
        /// Its centre.
        x: f32,
        /// Its centre.
        y: f32,
    },
    /// A screenshot could not be written.
    #[error(transparent)]
    Image(#[from] framebuffer::ImageError),
}

/// One element of the accessibility tree, in window coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// `accessible-label`, without word joiners ([`crate::ui::last_line`]).
    pub label: String,
    /// `accessible-role`.
    pub role: Option<AccessibleRole>,
    /// `accessible-description`.
    pub description: String,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Element {
    /// Whether the element can be pressed.
    pub fn is_clickable(&self) -> bool {
        self.role == Some(AccessibleRole::Button)
    }

    /// The centre point.
    pub fn centre(&self) -> (f32, f32) {
        (self.x + self.width / 2.0, self.y + self.height / 2.0)
    }
}

/// The default start instant of an emulator session: 2026-11-25 09:30 in Guangzhou.
pub fn default_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 1, 30, 0)
        .single()
        .unwrap_or_default()
}

/// A running kiosk UI without a display.
pub struct Emulator {
    app: Rc<KioskApp>,
    window: Rc<MinimalSoftwareWindow>,
    framebuffer: Framebuffer,
    touches: Vec<Point>,
    show_touches: bool,
    full_repaint_pending: bool,
    /// How the emulated panel is mounted (where its reach zone is).
    mounting: Mounting,
    /// What speech mode would have spoken (instead of a sound device).
    speaker: Arc<RecordingSpeaker>,
    /// The rate and volume speech mode starts at.
    speech_settings: crate::speech::Settings,
    /// The background sync's thread, stopped when the emulator is dropped.
    _sync: Option<ServiceThread>,
}

impl Emulator {
    /// Starts the kiosk UI at `width` × `height` with the given content and sync.
    pub fn new(
        width: u32,
        height: u32,
        startup: Startup,
        config: &Config,
        start: DateTime<Utc>,
    ) -> Result<Self, EmulatorError> {
        fonts::install(&config.font_dir());
        let window = platform::prepare_window()?;
        let ui = KioskWindow::new()?;
        window.set_size(PhysicalSize::new(width, height));
        let app = KioskApp::new(
            ui,
            startup.content,
            startup.status,
            config,
            Rc::new(MockClock { start }),
        );
        let sync = startup.sync.map(|sync| {
            app.attach_sync(sync.contents, sync.trigger);
            sync.thread
        });
        let speaker = Arc::new(RecordingSpeaker::new(config.speech.voices.clone()));
        let speech_settings = config.speech.settings();
        app.attach_speech(if config.speech.enabled {
            SpeechMode::new(Ok(speaker.clone() as Arc<dyn Speaker>), speech_settings)
        } else {
            SpeechMode::disabled()
        });
        app.window().show()?;
        let mut emulator = Emulator {
            app,
            window,
            framebuffer: Framebuffer::new(width, height),
            touches: Vec::new(),
            show_touches: false,
            full_repaint_pending: false,
            mounting: config.mounting.mounting(),
            speaker,
            speech_settings,
            _sync: sync,
        };
        emulator.render();
        Ok(emulator)
    }

    /// What speech mode spoke so far, in order (utterance, language, voice).
    pub fn spoken(&self) -> Vec<Spoken> {
        self.speaker.spoken()
    }

    /// Everything speech mode told its speaker so far (utterances, stops,
    /// pauses), in order.
    pub fn speech_events(&self) -> Vec<Event> {
        self.speaker.events()
    }

    /// Lets what is being spoken come to its end, as real speech would after
    /// a while (the recorder has no audio to run out).
    pub fn finish_speaking(&mut self) {
        self.speaker.finish();
        self.advance(Duration::from_millis(600));
    }

    /// Makes speech unavailable for `why`, as on a kiosk without a sound
    /// device or voice.
    pub fn lose_speech(&mut self, why: Unavailable) {
        self.app
            .attach_speech(SpeechMode::new(Err(why), self.speech_settings));
        self.render();
    }

    /// The reach zone on the emulated screen as mounted: its top and bottom,
    /// in pixels from the top.
    pub fn reach_zone(&self) -> (f32, f32) {
        let (width, height) = self.size();
        self.mounting.zone(width > height).in_pixels(height as f32)
    }

    /// Where the page shows, between the header and the bars below it: its
    /// top and bottom, in pixels from the top (the whole window when no page
    /// shows).
    pub fn page_area(&self) -> (f32, f32) {
        layout_check::page_root(self).map_or((0.0, self.size().1 as f32), |page| {
            let top = page.absolute_position().y;
            (top, top + page.size().height)
        })
    }

    /// The kiosk app, for swapping content or reading its state.
    pub fn app(&self) -> &KioskApp {
        &self.app
    }

    /// The Slint window component.
    pub fn ui(&self) -> &KioskWindow {
        self.app.window()
    }

    /// Draws touch points into screenshots from now on.
    pub fn show_touches(&mut self, show: bool) {
        self.show_touches = show;
    }

    /// Renders what changed; returns the number of repainted pixels.
    pub fn render(&mut self) -> u64 {
        let width = self.framebuffer.width() as usize;
        let framebuffer = &mut self.framebuffer;
        let full = std::mem::take(&mut self.full_repaint_pending);
        let mut repainted = 0;
        self.window.draw_if_needed(|renderer| {
            if full {
                // A new buffer has no old pixels to keep: everything is drawn.
                renderer.set_repaint_buffer_type(RepaintBufferType::NewBuffer);
            }
            let region = renderer.render(framebuffer.pixels_mut(), width);
            if full {
                renderer.set_repaint_buffer_type(RepaintBufferType::ReusedBuffer);
            }
            repainted = region
                .iter()
                .map(|(_, size)| u64::from(size.width) * u64::from(size.height))
                .sum();
        });
        repainted
    }

    /// Makes the next [`Emulator::render`] repaint the whole screen, as a
    /// display with a fresh buffer would.
    pub fn invalidate(&mut self) {
        self.full_repaint_pending = true;
        self.window.request_redraw();
    }

    /// The framebuffer after rendering.
    pub fn screen(&mut self) -> &Framebuffer {
        self.render();
        &self.framebuffer
    }

    /// Renders and writes a PNG (with touch points when enabled).
    pub fn screenshot(&mut self, path: &Path) -> Result<(), EmulatorError> {
        self.render();
        if self.show_touches && !self.touches.is_empty() {
            let mut overlay = self.framebuffer.clone();
            for point in &self.touches {
                let _ = Circle::with_center(*point, 44)
                    .into_styled(PrimitiveStyle::with_stroke(Rgb888::new(255, 0, 200), 6))
                    .draw(&mut overlay);
            }
            overlay.save_png(path)?;
        } else {
            self.framebuffer.save_png(path)?;
        }
        Ok(())
    }

    /// Moves the mocked clock forward, firing timers as real time would.
    pub fn advance(&mut self, by: Duration) {
        let mut left = by;
        while !left.is_zero() {
            let step = left.min(TIME_STEP);
            platform::advance(step);
            left -= step;
        }
        self.render();
    }

    fn dispatch(&self, event: WindowEvent) {
        self.ui().window().dispatch_event(event);
    }

    /// Puts a finger down at (x, y), without rendering (see [`Emulator::render`]).
    pub fn press(&mut self, x: f32, y: f32) {
        let position = LogicalPosition::new(x, y);
        self.touches.push(Point::new(x as i32, y as i32));
        self.dispatch(WindowEvent::PointerMoved { position });
        self.dispatch(WindowEvent::PointerPressed {
            position,
            button: PointerEventButton::Left,
        });
    }

    /// Lifts the finger at (x, y), without rendering.
    pub fn release(&mut self, x: f32, y: f32) {
        let position = LogicalPosition::new(x, y);
        self.dispatch(WindowEvent::PointerReleased {
            position,
            button: PointerEventButton::Left,
        });
        self.dispatch(WindowEvent::PointerExited);
    }

    /// A short tap at (x, y).
    pub fn tap(&mut self, x: f32, y: f32) {
        self.touches.clear();
        self.press(x, y);
        self.advance(Duration::from_millis(80));
        self.release(x, y);
        self.advance(Duration::from_millis(20));
    }

    /// Holds a finger at (x, y) for `duration`.
    pub fn long_press(&mut self, x: f32, y: f32, duration: Duration) {
        self.touches.clear();
        self.press(x, y);
        self.advance(duration);
        self.release(x, y);
        self.advance(Duration::from_millis(20));
    }

    /// Drags a finger from one point to another over `duration`.
    pub fn swipe(&mut self, from: (f32, f32), to: (f32, f32), duration: Duration) {
        self.touches.clear();
        self.press(from.0, from.1);
        let steps = (duration.as_millis() / 16).max(2) as u32;
        for step in 1..=steps {
            let t = step as f32 / steps as f32;
            let position =
                LogicalPosition::new(from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
            self.dispatch(WindowEvent::PointerMoved { position });
            platform::advance(duration / steps);
        }
        self.touches.push(Point::new(to.0 as i32, to.1 as i32));
        self.release(to.0, to.1);
        self.advance(Duration::from_millis(500));
    }

    /// Draws one stroke through `points` (window coordinates) as a finger
    /// does: down at the first, a move to each next one 16 ms apart (one
    /// touch event a frame), up at the last; renders after.
    pub fn stroke(&mut self, points: &[(f32, f32)]) {
        let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
            return;
        };
        self.touches.clear();
        self.press(first.0, first.1);
        for &(x, y) in &points[1..] {
            platform::advance(Duration::from_millis(16));
            self.dispatch(WindowEvent::PointerMoved {
                position: LogicalPosition::new(x, y),
            });
        }
        self.touches.push(Point::new(last.0 as i32, last.1 as i32));
        self.release(last.0, last.1);
        self.advance(Duration::from_millis(16));
    }

    /// The labels of every visible element that has one, in tree order
    /// (what a failing test prints to say what was there instead).
    pub fn labels(&self) -> Vec<String> {
        self.elements()
            .into_iter()
            .map(|element| element.label)
            .filter(|label| !label.is_empty())
            .collect()
    }

    /// Every visible element with an accessible label or role.
    pub fn elements(&self) -> Vec<Element> {
        let mut found = Vec::new();
        self.ui()
            .root_element()
            .visit_descendants(|handle: ElementHandle| {
                // As a visitor reads it: without the joiners that keep a
                // title's last two characters on one line.
                let label = handle
                    .accessible_label()
                    .map(|l| l.replace(WORD_JOINER, ""))
                    .unwrap_or_default();
                let role = handle
                    .accessible_role()
                    .filter(|r| *r != AccessibleRole::None);
                if !label.is_empty() || role.is_some() {
                    let position = handle.absolute_position();
                    let size = handle.size();
                    found.push(Element {
                        label,
                        role,
                        description: handle
                            .accessible_description()
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        x: position.x,
                        y: position.y,
                        width: size.width,
                        height: size.height,
                    });
                }
                std::ops::ControlFlow::<()>::Continue(())
            });
        found
    }

    /// The first visible element with this label (role button preferred).
    pub fn find(&self, label: &str) -> Option<Element> {
        let matches: Vec<Element> = self
            .elements()
            .into_iter()
            .filter(|e| e.label == label && e.width > 0.0 && e.height > 0.0)
            .collect();
        matches
            .iter()
            .find(|e| e.is_clickable())
            .or(matches.first())
            .cloned()
    }

    /// Whether any visible text or element carries this label.
    pub fn shows(&self, label: &str) -> bool {
        self.find(label).is_some()
    }

    /// Scrolls the page from its top as a visitor does (slow upward swipes
    /// across its middle) until an element with this label shows inside
    /// the page area; whether it came.
    pub fn scroll_to(&mut self, label: &str) -> bool {
        const SWIPES: usize = 20;
        layout_check::scroll_to_top(self);
        for _ in 0..SWIPES {
            let (top, bottom) = self.page_area();
            if self
                .find(label)
                .is_some_and(|e| e.y >= top && e.y + e.height.min(88.0) <= bottom)
            {
                return true;
            }
            let x = self.size().0 as f32 / 2.0;
            let height = bottom - top;
            self.swipe(
                (x, top + 0.7 * height),
                (x, top + 0.2 * height),
                Duration::from_millis(600),
            );
            self.advance(Duration::from_millis(500));
        }
        false
    }

    /// Taps the centre of the element with this accessible label.
    pub fn tap_label(&mut self, label: &str) -> Result<(), EmulatorError> {
        let element = self
            .find(label)
            .ok_or_else(|| EmulatorError::NoSuchLabel(label.to_owned()))?;
        let (x, y) = element.centre();
        let size = self.window.size();
        if x < 0.0 || y < 0.0 || x >= size.width as f32 || y >= size.height as f32 {
            return Err(EmulatorError::OffScreen {
                label: label.to_owned(),
                x,
                y,
            });
        }
        self.tap(x, y);
        Ok(())
    }

    /// Window size in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.framebuffer.width(), self.framebuffer.height())
    }
}
