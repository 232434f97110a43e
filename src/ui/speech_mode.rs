//! Speech mode's adapter: between the `Speech` global and a [`Speaker`].
//!
//! In speech mode a tap speaks the element under the finger ([`explore`]:
//! role, label, state: "按钮 公告栏"), a second tap within
//! [`DOUBLE_TAP`] presses it (or, on a text, reads the page on from it), a
//! swipe moves to the next or previous element, and each new page is
//! announced with its title and how many items it holds. What is spoken
//! goes through [`Utterance`], so markup and symbols never reach the voice.

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Duration;

use slint::ComponentHandle;

use super::explore::{self, Explorable, Kind, Rect};
use super::navigation::Screen;
use super::spoken_page;
use super::words::{Word, count, word};
use super::{AppState, KioskWindow, Speech};
use crate::config::SpeechConfig;
use crate::content::Lang;
use crate::speech::{EspeakSpeaker, Settings, Speaker, Unavailable, Utterance};

/// Two taps closer than this are a double tap: the second presses.
pub const DOUBLE_TAP: Duration = Duration::from_millis(400);

/// How much of the page a swipe up or down scrolls.
const SCROLL_SHARE: f32 = 0.7;

/// Room left above an element scrolled to, so that it is not under the edge.
const SCROLL_MARGIN: f32 = 24.0;

/// Speech mode's state: the speaker (or why there is none), what was last
/// spoken, and the screen last announced.
pub struct SpeechMode {
    speaker: Option<Arc<dyn Speaker>>,
    /// Why there is no speaker, in words (empty while there is one).
    unavailable: String,
    /// Whether the one thing missing is a sound device, which may still come.
    waits_for_sound_device: bool,
    /// The rate and volume a visitor starts at.
    start_settings: Settings,
    /// The element last spoken.
    focus: RefCell<Option<Explorable>>,
    /// When the last tap was (the clock's elapsed time), for double taps.
    last_tap: Cell<Option<Duration>>,
    /// The screen whose title was last announced.
    announced: RefCell<Option<Screen>>,
    /// How many utterances were said: a press that said something itself
    /// (a control of speech mode) is not followed by the pressed label.
    said: Cell<u64>,
    /// While speech mode is on: mirrors whether the speaker is speaking into
    /// `Speech.speaking`, which holds the idle countdown (a visitor listening
    /// to a long guide touches nothing for minutes).
    listening: slint::Timer,
}

/// How often `Speech.speaking` follows the speaker.
const LISTEN_EVERY: Duration = Duration::from_millis(500);

impl SpeechMode {
    /// Speech through `speaker`, or unavailable for the reason given.
    pub fn new(speaker: Result<Arc<dyn Speaker>, Unavailable>, start: Settings) -> Self {
        let (speaker, unavailable, waits) = match speaker {
            Ok(speaker) => {
                speaker.set_settings(start);
                (Some(speaker), String::new(), false)
            }
            Err(why) => (None, why.to_string(), why == Unavailable::NoSoundDevice),
        };
        let mut mode = SpeechMode::with(speaker, unavailable, start);
        mode.waits_for_sound_device = waits;
        mode
    }

    /// Speech as `kiosk.toml` configures it: espeak-ng on the default ALSA
    /// device when it is there, else unavailable with the reason.
    pub fn configured(config: &SpeechConfig) -> Self {
        if !config.enabled {
            return SpeechMode::disabled();
        }
        let speaker = EspeakSpeaker::new(config.voices.clone())
            .map(|speaker| Arc::new(speaker) as Arc<dyn Speaker>);
        if let Err(why) = &speaker {
            tracing::warn!("speech mode is unavailable: {why}");
        }
        SpeechMode::new(speaker, config.settings())
    }

    /// Speech that is off by configuration.
    pub fn disabled() -> Self {
        let why = "read-aloud is switched off in kiosk.toml ([speech] enabled = false)";
        SpeechMode::with(None, why.to_owned(), Settings::default())
    }

    fn with(speaker: Option<Arc<dyn Speaker>>, unavailable: String, start: Settings) -> Self {
        SpeechMode {
            speaker,
            unavailable,
            waits_for_sound_device: false,
            start_settings: start,
            focus: RefCell::default(),
            last_tap: Cell::default(),
            announced: RefCell::default(),
            said: Cell::default(),
            listening: slint::Timer::default(),
        }
    }

    /// Why speech is unavailable, in words (empty when it is available).
    pub fn unavailable(&self) -> &str {
        &self.unavailable
    }

    /// Shows availability in the `Speech` global.
    pub fn show_availability(&self, window: &KioskWindow) {
        let speech = window.global::<Speech>();
        speech.set_available(self.speaker.is_some());
        speech.set_unavailable(self.unavailable.as_str().into());
    }

    /// Whether speech is unavailable only for want of a sound device, so
    /// that it is worth looking again ([`crate::speech::has_playback_device`]).
    pub fn waits_for_sound_device(&self) -> bool {
        self.waits_for_sound_device
    }

    /// Whether a speaker is there to switch speech mode on with.
    pub fn is_available(&self) -> bool {
        self.speaker.is_some()
    }

    /// Switches speech mode on or off on screen. On, the next
    /// [`SpeechMode::page_shown`] greets the visitor with how it works and
    /// the page; off, it says so, and the next visitor starts at the
    /// configured rate and volume.
    pub fn switch(&self, window: &KioskWindow, on: bool, lang: Lang) {
        let speech = window.global::<Speech>();
        let was_on = speech.get_active();
        speech.set_active(on);
        speech.set_paused(false);
        self.forget_focus(window);
        *self.announced.borrow_mut() = None;
        let Some(speaker) = &self.speaker else { return };
        if on {
            self.listen(window, speaker);
        } else {
            self.stop_listening(window);
        }
        if was_on && !on {
            self.say(window, word(lang, Word::SpeechOff), lang);
            speaker.set_settings(self.start_settings);
        }
    }

    /// Starts mirroring whether `speaker` is speaking into `Speech.speaking`.
    fn listen(&self, window: &KioskWindow, speaker: &Arc<dyn Speaker>) {
        let weak = window.as_weak();
        let speaker = Arc::clone(speaker);
        self.listening
            .start(slint::TimerMode::Repeated, LISTEN_EVERY, move || {
                if let Some(window) = weak.upgrade() {
                    window
                        .global::<Speech>()
                        .set_speaking(speaker.is_speaking());
                }
            });
    }

    fn stop_listening(&self, window: &KioskWindow) {
        self.listening.stop();
        window.global::<Speech>().set_speaking(false);
    }

    /// The idle countdown began: in speech mode the visitor hears it, with
    /// how to stay.
    pub fn countdown(&self, window: &KioskWindow, seconds: i32, lang: Lang) {
        if !window.global::<Speech>().get_active() {
            return;
        }
        let seconds = u32::try_from(seconds).unwrap_or(0);
        let still_there = word(lang, Word::SpokenStillThere);
        let text = format!(
            "{still_there} {}",
            count(lang, seconds, Word::SpokenSeconds)
        );
        self.say(window, &text, lang);
    }

    /// Ends speech mode silently (the idle reset): nothing more is said.
    pub fn end(&self, window: &KioskWindow) {
        let speech = window.global::<Speech>();
        if speech.get_active() {
            if let Some(speaker) = &self.speaker {
                speaker.stop();
                speaker.set_settings(self.start_settings);
            }
            speech.set_active(false);
            speech.set_paused(false);
        }
        self.stop_listening(window);
        self.forget_focus(window);
        *self.announced.borrow_mut() = None;
    }

    /// Announces `screen` when it is new: its title and how many items it
    /// holds (after a switch on, after the greeting).
    pub fn page_shown(&self, window: &KioskWindow, screen: &Screen, lang: Lang) {
        if !window.global::<Speech>().get_active() || self.speaker.is_none() {
            return;
        }
        if self.announced.borrow().as_ref() == Some(screen) {
            return;
        }
        let greeting = self.announced.borrow().is_none();
        *self.announced.borrow_mut() = Some(screen.clone());
        self.forget_focus(window);
        let announcement = spoken_page::announcement(window, lang);
        if greeting {
            let text = format!("{}\n{announcement}", word(lang, Word::SpeechOn));
            self.say(window, &text, lang);
        } else {
            self.say(window, &announcement, lang);
        }
    }

    /// A tap at (x, y) in speech mode: speaks what is under it, or, soon
    /// after another tap, presses what was last spoken.
    pub fn tap(&self, window: &KioskWindow, x: f32, y: f32, lang: Lang, now: Duration) {
        let double = self
            .last_tap
            .get()
            .is_some_and(|last| now.saturating_sub(last) < DOUBLE_TAP);
        if double {
            self.last_tap.set(None);
            return self.activate(window, lang);
        }
        self.last_tap.set(Some(now));
        let screen = explore::read(window);
        match screen.at(x, y) {
            Some(index) => self.focus_on(window, &screen, index, lang),
            None => {
                self.forget_focus(window);
                if let Some(speaker) = &self.speaker {
                    speaker.stop();
                }
            }
        }
    }

    /// A swipe: the element `by` steps from the one last spoken, spoken
    /// (and scrolled to when the page holds it below or above the screen).
    pub fn step(&self, window: &KioskWindow, by: i32, lang: Lang) {
        self.last_tap.set(None);
        let screen = explore::read(window);
        let from = self.focus.borrow().as_ref().and_then(|f| screen.find(f));
        match screen.next(from, by) {
            Some(index) => {
                let element = &screen.elements[index];
                if element.on_page && element.shown.height < element.frame.height.min(40.0) {
                    scroll_into_view(window, &screen, &element.frame);
                    let screen = explore::read(window);
                    if let Some(index) = screen.find(element) {
                        return self.focus_on(window, &screen, index, lang);
                    }
                }
                self.focus_on(window, &screen, index, lang)
            }
            None => {
                let end = if by >= 0 {
                    Word::SpokenLast
                } else {
                    Word::SpokenFirst
                };
                self.say(window, word(lang, end), lang);
            }
        }
    }

    /// A swipe up (+1) or down (-1): the page scrolls by most of its
    /// height, and the first element that then shows is spoken.
    pub fn scroll(&self, window: &KioskWindow, by: i32, lang: Lang) {
        self.last_tap.set(None);
        let screen = explore::read(window);
        let Some(page) = screen.page else { return };
        let state = window.global::<AppState>();
        let scroll = (state.get_page_scroll() + by as f32 * SCROLL_SHARE * page.height).max(0.0);
        state.set_page_scroll(scroll);
        let screen = explore::read(window);
        let first = screen
            .elements
            .iter()
            .position(|e| e.on_page && e.shown.height >= e.frame.height.min(40.0));
        if let Some(index) = first {
            self.focus_on(window, &screen, index, lang);
        }
    }

    /// Presses what was last spoken (a double tap); on a text, reads the
    /// page on from it.
    fn activate(&self, window: &KioskWindow, lang: Lang) {
        let Some(focus) = self.focus.borrow().clone() else {
            return;
        };
        let screen = explore::read(window);
        let Some(index) = screen.find(&focus) else {
            return;
        };
        match focus.kind {
            Kind::Button => {
                let before = window.global::<AppState>().get_page();
                let said = self.said.get();
                screen.press(index);
                // The same page and nothing said: say the pressed button
                // again, in its new state (a language now selected, in it).
                let after = window.global::<AppState>();
                let silent = self.said.get() == said;
                if silent && before == after.get_page() && window.global::<Speech>().get_active() {
                    let screen = explore::read(window);
                    if let Some(index) = screen.find(&focus) {
                        let lang =
                            Lang::from_index(after.get_language().max(0) as usize).unwrap_or(lang);
                        self.focus_on(window, &screen, index, lang);
                    }
                }
            }
            Kind::Text => self.read_on(window, &screen, Some(index), lang),
        }
    }

    /// Reads the whole page from its start.
    pub fn read_page(&self, window: &KioskWindow, lang: Lang) {
        let screen = explore::read(window);
        self.read_on(window, &screen, None, lang);
    }

    /// Reads the page from element `from` (its start when None) to its
    /// end: a guide, document or table from what it holds (also the part
    /// not on screen; a table row by row, each value with its column's
    /// name), any other page from what shows.
    fn read_on(
        &self,
        window: &KioskWindow,
        screen: &explore::Screen,
        from: Option<usize>,
        lang: Lang,
    ) {
        let touched = from.and_then(|index| screen.elements.get(index));
        let whole = spoken_page::reading(window, lang);
        let start = touched.and_then(|touched| {
            whole.as_ref().and_then(|lines| {
                lines.iter().position(|line| {
                    line.contains(&touched.label) || touched.label.contains(line.as_str())
                })
            })
        });
        let lines: Vec<&str> = match (&whole, start, touched) {
            (Some(lines), Some(start), _) => lines[start..].iter().map(String::as_str).collect(),
            (Some(lines), None, None) => lines.iter().map(String::as_str).collect(),
            _ => screen
                .elements
                .iter()
                .skip(from.unwrap_or(0))
                .filter(|e| e.on_page)
                .map(|e| e.label.as_str())
                .collect(),
        };
        self.say(window, &lines.join("\n"), lang);
    }

    /// Pauses, or goes on after a pause.
    pub fn pause_resume(&self, window: &KioskWindow) {
        let Some(speaker) = &self.speaker else { return };
        let speech = window.global::<Speech>();
        if speech.get_paused() {
            speaker.resume();
            speech.set_paused(false);
        } else {
            speaker.pause();
            speech.set_paused(true);
        }
    }

    /// Stops speaking.
    pub fn stop(&self, window: &KioskWindow) {
        if let Some(speaker) = &self.speaker {
            speaker.stop();
        }
        window.global::<Speech>().set_paused(false);
    }

    /// Changes the rate or volume and says so at the new one (the control's
    /// own label, so the visitor hears the difference).
    pub fn adjust(&self, window: &KioskWindow, change: fn(Settings) -> Settings, lang: Lang) {
        let Some(speaker) = &self.speaker else { return };
        speaker.set_settings(change(speaker.settings()));
        let focus = self.focus.borrow().clone();
        if let Some(focus) = focus {
            self.say(window, &focus.label, lang);
        }
    }

    fn focus_on(&self, window: &KioskWindow, screen: &explore::Screen, index: usize, lang: Lang) {
        let Some(element) = screen.elements.get(index) else {
            return;
        };
        show_focus(window, &element.shown);
        self.say(window, &phrase(element, lang), lang);
        *self.focus.borrow_mut() = Some(element.clone());
    }

    fn forget_focus(&self, window: &KioskWindow) {
        *self.focus.borrow_mut() = None;
        show_focus(window, &Rect::default());
    }

    /// Speaks `text`, interrupting what is being spoken. Chinese shown on
    /// an English screen (an item with no English text) is read by the
    /// Chinese voice.
    fn say(&self, window: &KioskWindow, text: &str, lang: Lang) {
        let Some(speaker) = &self.speaker else { return };
        window.global::<Speech>().set_paused(false);
        self.said.set(self.said.get() + 1);
        speaker.speak(Utterance::new(text, spoken_lang(text, lang)));
    }
}

/// The language `text` is spoken in on a screen in `lang`: English text
/// that is mostly Chinese (content with no English version) is Chinese.
fn spoken_lang(text: &str, lang: Lang) -> Lang {
    if lang != Lang::En {
        return lang;
    }
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    let latin = text.chars().filter(char::is_ascii_alphabetic).count();
    if cjk * 2 > latin { Lang::ZhHans } else { lang }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// What an element is, said: "按钮 公告栏，通知公告", "Button, English, selected".
pub fn phrase(element: &Explorable, lang: Lang) -> String {
    let separator = if lang == Lang::En { ", " } else { "，" };
    let mut parts = Vec::new();
    let label = match element.kind {
        Kind::Button if lang == Lang::En => {
            format!("{}, {}", word(lang, Word::SpokenButton), element.label)
        }
        Kind::Button => format!("{} {}", word(lang, Word::SpokenButton), element.label),
        Kind::Text => element.label.clone(),
    };
    parts.push(label);
    if !element.description.is_empty() {
        parts.push(element.description.clone());
    }
    if element.kind == Kind::Button && element.checked {
        parts.push(word(lang, Word::SpokenSelected).to_owned());
    }
    if element.kind == Kind::Button && !element.enabled {
        parts.push(word(lang, Word::SpokenDimmed).to_owned());
    }
    parts.join(separator)
}

/// Scrolls the page so that `frame` shows near its top.
fn scroll_into_view(window: &KioskWindow, screen: &explore::Screen, frame: &Rect) {
    let Some(page) = screen.page else { return };
    let state = window.global::<AppState>();
    let scroll = state.get_page_scroll() + frame.y - page.y - SCROLL_MARGIN;
    state.set_page_scroll(scroll.max(0.0));
}

fn show_focus(window: &KioskWindow, shown: &Rect) {
    let speech = window.global::<Speech>();
    speech.set_focus_x(shown.x);
    speech.set_focus_y(shown.y);
    speech.set_focus_width(shown.width);
    speech.set_focus_height(shown.height);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn button(label: &str) -> Explorable {
        Explorable {
            label: label.to_owned(),
            description: String::new(),
            kind: Kind::Button,
            checked: false,
            enabled: true,
            on_page: true,
            frame: Rect::default(),
            shown: Rect::default(),
        }
    }

    #[test]
    fn a_button_is_said_with_its_role_and_state_in_each_language() {
        assert_eq!(phrase(&button("公告栏"), Lang::ZhHans), "按钮 公告栏");
        assert_eq!(phrase(&button("公告欄"), Lang::ZhHant), "按鈕 公告欄");
        let mut english = button("English");
        english.checked = true;
        assert_eq!(phrase(&english, Lang::En), "Button, English, selected");
        let mut dimmed = button("语音朗读");
        dimmed.enabled = false;
        assert_eq!(phrase(&dimmed, Lang::ZhHans), "按钮 语音朗读，不可用");
        let text = Explorable {
            kind: Kind::Text,
            ..button("办理时限")
        };
        assert_eq!(phrase(&text, Lang::ZhHans), "办理时限");
    }

    #[test]
    fn chinese_on_an_english_screen_is_read_by_the_chinese_voice() {
        assert_eq!(
            spoken_lang("关于开展2026年度培训的通知", Lang::En),
            Lang::ZhHans
        );
        assert_eq!(spoken_lang("Notices, 3 items", Lang::En), Lang::En);
        assert_eq!(spoken_lang("公告栏", Lang::ZhHant), Lang::ZhHant);
    }
}
