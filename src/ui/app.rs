//! The running kiosk UI: wires the Slint globals to navigation, the visitor
//! session, the admin gate and the current catalog.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::time::Duration;

use slint::{ComponentHandle, ModelRc, VecModel};

use super::admin_panel::AdminPanel;
use super::banners::BannerAdapter;
use super::clock::Clock;
use super::handwriting_pad::HandwritingPad;
use super::image_cache::ImageCache;
use super::navigation::{Navigator, Screen, Section};
use super::pages::{PageAdapter, PageInputs};
use super::present::Presenter;
use super::session::{PinGate, PinOutcome, VisitorSettings};
use super::speech_mode::SpeechMode;
use super::words;
use super::{AppState, Content, KioskWindow, LabelledText, Page, SearchState, Speech, Theme};
use crate::config::{Config, SpeechConfig};
use crate::content::time::{DEFAULT_TIME_ZONE, to_local};
use crate::content::{ItemRef, Lang, LoadedContent};
use crate::kiosk::status::{ContentStatus, StatusHandle};
use crate::search::SearchIndex;
use crate::speech::{self, Settings};
use crate::sync::runner::{SyncControl, SyncRequest, SyncTrigger};

struct State {
    content: Option<LoadedContent>,
    /// Counts the contents set so far: what was computed from one content
    /// is known stale when this moves on.
    generation: u64,
    navigator: Navigator,
    settings: VisitorSettings,
    default_lang: Lang,
    pin_gate: PinGate,
    kiosk_id: String,
    /// A screen the visitor extended with "show more" (a list) or "read
    /// on" (a long body), and how many pages it shows; every other screen
    /// shows one.
    extended: Option<(Screen, usize)>,
    /// Index over the current content, rebuilt when it changes.
    search_index: SearchIndex,
    /// What the admin panel's last "sync now" did, in words.
    sync_request: String,
    /// What the visitor typed on the search keyboard.
    query: String,
    /// Per guide, the ended visitor sessions that opened it, since start.
    guide_sessions: HashMap<String, u32>,
    /// The guides this session opened (counted when it ends).
    session_guides: BTreeSet<String>,
}

impl State {
    /// How many pages `screen` shows (rows of a list, text of a body).
    fn pages(&self, screen: &Screen) -> usize {
        match &self.extended {
            Some((extended, pages)) if extended == screen => *pages,
            _ => 1,
        }
    }
}

/// The kiosk UI bound to a window.
pub struct KioskApp {
    window: KioskWindow,
    state: RefCell<State>,
    banners: BannerAdapter,
    pages: PageAdapter,
    /// Decoded images and QR codes of the current content.
    images: RefCell<ImageCache>,
    /// The search page's handwriting pad.
    pad: RefCell<HandwritingPad>,
    clock: Rc<dyn Clock>,
    clock_timer: slint::Timer,
    sync_timer: slint::Timer,
    sync_now: RefCell<Option<Box<dyn Fn() -> SyncRequest>>>,
    /// What the status strip and admin panel show. The sync thread updates
    /// it; so does the UI (a "sync now" without a repository, the preview).
    status: StatusHandle,
    /// Tells the UI loop that the sync thread changed the status.
    status_changes: RefCell<tokio::sync::watch::Receiver<ContentStatus>>,
    /// Read-aloud: unavailable until [`KioskApp::attach_speech`] gives it
    /// a speaker.
    speech: RefCell<SpeechMode>,
    /// While speech waits for a sound device: looks for one.
    sound_device_watch: slint::Timer,
}

/// How often a kiosk whose speech lacks only a sound device looks for one.
const SOUND_DEVICE_WATCH: Duration = Duration::from_secs(2);

impl KioskApp {
    /// Binds the UI to content (None: nothing downloaded yet) and the
    /// kiosk's status.
    pub fn new(
        window: KioskWindow,
        content: Option<LoadedContent>,
        status: StatusHandle,
        config: &Config,
        clock: Rc<dyn Clock>,
    ) -> Rc<Self> {
        let default_lang = content
            .as_ref()
            .map_or(Lang::ZhHans, |c| c.catalog.site.default_language);
        let search_index = content
            .as_ref()
            .map(|c| SearchIndex::build(&c.catalog))
            .unwrap_or_default();
        let pages = PageAdapter::new(&window);
        let app = Rc::new(KioskApp {
            window,
            state: RefCell::new(State {
                generation: 0,
                search_index,
                sync_request: String::new(),
                query: String::new(),
                guide_sessions: HashMap::new(),
                session_guides: BTreeSet::new(),
                content,
                navigator: Navigator::default(),
                settings: VisitorSettings::defaults(default_lang),
                default_lang,
                pin_gate: PinGate::new(config.admin.pin_sha256.clone()),
                kiosk_id: config.kiosk_id.clone(),
                extended: None,
            }),
            banners: BannerAdapter::default(),
            pages,
            images: RefCell::default(),
            pad: RefCell::new(HandwritingPad::new(config.handwriting.model.clone())),
            clock,
            clock_timer: slint::Timer::default(),
            sync_timer: slint::Timer::default(),
            sync_now: RefCell::new(None),
            status_changes: RefCell::new(status.subscribe()),
            status,
            speech: RefCell::new(SpeechMode::disabled()),
            sound_device_watch: slint::Timer::default(),
        });
        let state = app.window.global::<AppState>();
        // Slint's ints are i32: a larger count of seconds (68 years) waits forever.
        let seconds = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
        state.set_idle_timeout(seconds(config.idle.timeout_seconds));
        state.set_reading_timeout(seconds(config.idle.reading_seconds));
        state.set_countdown_seconds(seconds(config.idle.countdown_seconds));
        state.set_attract_timeout(seconds(config.idle.attract_seconds));
        state.set_kiosk_id(config.kiosk_id.as_str().into());
        // Where the visitor's reach ends at the top, in each orientation
        // (the window picks one as it is sized).
        let mounting = config.mounting.mounting();
        let theme = app.window.global::<Theme>();
        theme.set_out_of_reach_portrait(mounting.zone(false).top);
        theme.set_out_of_reach_landscape(mounting.zone(true).top);
        Self::connect(&app);
        app.apply_settings();
        app.tick_clock();
        let weak = Rc::downgrade(&app);
        app.clock_timer.start(
            slint::TimerMode::Repeated,
            Duration::from_secs(1),
            move || {
                if let Some(app) = weak.upgrade() {
                    app.tick_clock();
                    app.show_pin_lock();
                }
            },
        );
        app
    }

    /// The window.
    pub fn window(&self) -> &KioskWindow {
        &self.window
    }

    /// Swaps in new content without a restart; the visitor stays on their
    /// page if its item still exists.
    pub fn set_content(&self, content: LoadedContent) {
        {
            let mut state = self.state.borrow_mut();
            state.navigator.retain_existing(&content.catalog);
            state.default_lang = content.catalog.site.default_language;
            state.search_index = SearchIndex::build(&content.catalog);
            state.content = Some(content);
            state.generation += 1;
        }
        *self.images.borrow_mut() = ImageCache::default();
        self.render();
    }

    /// Shows the content the background sync activates and the status it
    /// updates (both polled on the UI thread), and lets the admin panel's
    /// "sync now" wake it.
    pub fn attach_sync(
        self: &Rc<Self>,
        contents: std::sync::mpsc::Receiver<Box<LoadedContent>>,
        trigger: SyncTrigger,
    ) {
        *self.sync_now.borrow_mut() = Some(Box::new(move || trigger.sync_now()));
        let weak = Rc::downgrade(self);
        self.sync_timer.start(
            slint::TimerMode::Repeated,
            Duration::from_millis(250),
            move || {
                let Some(app) = weak.upgrade() else { return };
                while let Ok(content) = contents.try_recv() {
                    app.set_content(*content);
                }
                let changed = app.status_changes.borrow().has_changed();
                if changed.unwrap_or(false) {
                    app.refresh_status();
                }
            },
        );
    }

    /// Gives speech mode its speaker (or the reason there is none, which
    /// the speaker button, the admin panel and the status then show).
    pub fn attach_speech(&self, speech: SpeechMode) {
        speech.show_availability(&self.window);
        let unavailable = speech.unavailable().to_owned();
        *self.speech.borrow_mut() = speech;
        self.update_status(|status| status.speech_unavailable = unavailable);
    }

    /// Speech as `kiosk.toml` configures it ([`SpeechMode::configured`]).
    /// When the only thing missing is the sound device (its driver still
    /// loading at boot, a USB speaker not plugged in yet), looks for one
    /// every [`SOUND_DEVICE_WATCH`] and offers speech once it is there,
    /// without a restart.
    pub fn attach_configured_speech(app: &Rc<Self>, config: &SpeechConfig) {
        let speech = SpeechMode::configured(config);
        let waits = speech.waits_for_sound_device();
        app.attach_speech(speech);
        if !waits {
            return;
        }
        let weak = Rc::downgrade(app);
        let config = config.clone();
        app.sound_device_watch
            .start(slint::TimerMode::Repeated, SOUND_DEVICE_WATCH, move || {
                let Some(app) = weak.upgrade() else { return };
                if !speech::has_playback_device() {
                    return;
                }
                let speech = SpeechMode::configured(&config);
                if !speech.waits_for_sound_device() {
                    app.sound_device_watch.stop();
                }
                if speech.is_available() {
                    tracing::info!("a sound device appeared: read-aloud is available");
                } else {
                    tracing::warn!(
                        "a sound device appeared, but read-aloud is unavailable: {}",
                        speech.unavailable()
                    );
                }
                app.attach_speech(speech);
            });
    }

    /// Replaces the status and shows it.
    pub fn set_status(&self, status: ContentStatus) {
        self.update_status(|current| *current = status);
    }

    /// Changes the status in place (in one step with the sync thread's
    /// updates) and shows it.
    pub fn update_status(&self, change: impl FnOnce(&mut ContentStatus)) {
        self.status.update(change);
        self.render();
    }

    /// The kiosk's status handle, for the admin endpoint and the fleet
    /// channel.
    pub fn status_handle(&self) -> StatusHandle {
        self.status.clone()
    }

    /// The current content status (what the status strip and admin panel show).
    pub fn status(&self) -> ContentStatus {
        self.status.get()
    }

    /// The screen the visitor is on.
    pub fn screen(&self) -> Screen {
        self.state.borrow().navigator.current().clone()
    }

    /// The visitor's current settings.
    pub fn settings(&self) -> VisitorSettings {
        self.state.borrow().settings
    }

    fn connect(app: &Rc<Self>) {
        let state = app.window.global::<AppState>();
        let content = app.window.global::<Content>();
        let weak = Rc::downgrade(app);
        let with = move |f: &dyn Fn(&KioskApp)| {
            if let Some(app) = weak.upgrade() {
                f(&app);
            }
        };
        let w = with.clone();
        state.on_navigate(move |page| w(&|app| app.navigate(page)));
        let w = with.clone();
        state.on_open_item(move |id| w(&|app| app.open_item(&id)));
        let w = with.clone();
        state.on_back(move || w(&|app| app.go(|n| n.back())));
        let w = with.clone();
        state.on_home(move || w(&|app| app.go(Navigator::home)));
        let w = with.clone();
        state.on_set_language(move |index| {
            w(&|app| {
                let lang = usize::try_from(index)
                    .ok()
                    .and_then(Lang::from_index)
                    .unwrap_or_default();
                app.state.borrow_mut().settings.lang = lang;
                app.apply_settings();
            })
        });
        let w = with.clone();
        state.on_set_text_scale(move |scale| {
            w(&|app| {
                app.state.borrow_mut().settings.text_scale = scale;
                app.apply_settings();
            })
        });
        let w = with.clone();
        state.on_set_high_contrast(move |on| {
            w(&|app| {
                app.state.borrow_mut().settings.high_contrast = on;
                app.apply_settings();
            })
        });
        let w = with.clone();
        state.on_reset_session(move || w(&KioskApp::reset_session));
        let w = with.clone();
        state.on_submit_pin(move |pin| w(&|app| app.submit_pin(&pin)));
        let w = with.clone();
        state.on_close_admin(move || w(&|app| app.go(|n| n.back())));
        let w = with.clone();
        state.on_admin_sync_now(move || {
            w(&|app| {
                let request = match app.sync_now.borrow().as_ref() {
                    Some(sync_now) => sync_now(),
                    None => SyncRequest::NoRepository,
                };
                if request == SyncRequest::NoRepository {
                    app.status
                        .update(|status| status.last_error = request.to_string());
                }
                app.state.borrow_mut().sync_request = request.to_string();
                app.render();
            })
        });
        let search = app.window.global::<SearchState>();
        let w = with.clone();
        search.on_type_text(move |text| w(&|app| app.edit_query(|q| q.push_str(&text))));
        let w = with.clone();
        search.on_backspace(move || {
            w(&|app| {
                app.edit_query(|q| {
                    q.pop();
                })
            })
        });
        let w = with.clone();
        search.on_clear(move || w(&|app| app.edit_query(String::clear)));
        let w = with.clone();
        search.on_run_popular(move |popular| {
            w(&|app| {
                if popular.item_id.is_empty() {
                    app.edit_query(|q| *q = popular.text.to_string());
                } else {
                    app.open_item(&popular.item_id);
                }
            })
        });
        let w = with.clone();
        search.on_set_handwriting(move |on| {
            w(&|app| {
                let on_search = app.screen() == Screen::Search;
                app.pad.borrow_mut().choose(on, on_search);
                app.show_pad();
            })
        });
        let w = with.clone();
        search.on_stroke_begin(move |x, y, side| {
            w(&|app| {
                app.pad.borrow_mut().begin(x, y, side);
                app.pad
                    .borrow()
                    .show_ink(&app.window.global::<SearchState>());
            })
        });
        let w = with.clone();
        search.on_stroke_move(move |x, y| {
            w(&|app| {
                app.pad.borrow_mut().extend(x, y);
                app.pad
                    .borrow()
                    .show_ink(&app.window.global::<SearchState>());
            })
        });
        let w = with.clone();
        search.on_stroke_end(move || {
            w(&|app| {
                app.pad.borrow_mut().end();
                app.show_pad();
            })
        });
        let w = with.clone();
        search.on_pick(move |candidate| {
            w(&|app| {
                app.pad.borrow_mut().clear();
                app.show_pad();
                app.edit_query(|q| q.push_str(&candidate));
            })
        });
        let w = with.clone();
        search.on_clear_ink(move || {
            w(&|app| {
                app.pad.borrow_mut().clear();
                app.show_pad();
            })
        });
        let w = with.clone();
        content.on_select_category(move |id| {
            w(&|app| {
                let current = app.screen();
                if let Screen::List { section, .. } = current {
                    app.go(|n| {
                        n.replace(Screen::List {
                            section,
                            category: id.to_string(),
                        })
                    });
                }
            })
        });
        let w = with.clone();
        content.on_show_more(move || {
            w(&|app| {
                {
                    let mut state = app.state.borrow_mut();
                    let screen = state.navigator.current().clone();
                    let pages = state.pages(&screen) + 1;
                    state.extended = Some((screen, pages));
                }
                app.render();
            })
        });
        let w = with.clone();
        content.on_open_table_view(move |index| {
            w(&|app| {
                if let Screen::Detail(id) | Screen::Section(id, _) = app.screen() {
                    app.go(|n| n.push(Screen::Table(id.clone(), index.max(0) as usize)));
                }
            })
        });
        Self::connect_speech(app, &with);
        let w = with;
        content.on_open_section(move |block| {
            w(&|app| {
                if let Screen::Detail(id) = app.screen() {
                    app.go(|n| n.push(Screen::Section(id.clone(), block.max(0) as usize)));
                }
            })
        });
    }

    /// The `Speech` global's callbacks: the speaker button and hold, and
    /// the touches and controls of speech mode.
    fn connect_speech(app: &Rc<Self>, with: &(impl Fn(&dyn Fn(&KioskApp)) + Clone + 'static)) {
        let speech = app.window.global::<Speech>();
        let w = with.clone();
        speech.on_toggle(move || w(&KioskApp::toggle_speech));
        let w = with.clone();
        speech.on_explore(move |x, y| {
            w(&|app| {
                let now = app.clock.elapsed();
                app.speech.borrow().tap(&app.window, x, y, app.lang(), now);
            })
        });
        let w = with.clone();
        speech.on_step(move |by| w(&|app| app.speech.borrow().step(&app.window, by, app.lang())));
        let w = with.clone();
        speech
            .on_scroll(move |by| w(&|app| app.speech.borrow().scroll(&app.window, by, app.lang())));
        let w = with.clone();
        speech
            .on_read_page(move || w(&|app| app.speech.borrow().read_page(&app.window, app.lang())));
        let w = with.clone();
        speech.on_pause_resume(move || w(&|app| app.speech.borrow().pause_resume(&app.window)));
        let w = with.clone();
        speech.on_stop(move || w(&|app| app.speech.borrow().stop(&app.window)));
        let w = with.clone();
        speech.on_countdown(move |seconds| {
            w(&|app| {
                app.speech
                    .borrow()
                    .countdown(&app.window, seconds, app.lang())
            })
        });
        let adjust = |change: fn(Settings) -> Settings| {
            let w = with.clone();
            move || w(&|app| app.speech.borrow().adjust(&app.window, change, app.lang()))
        };
        speech.on_faster(adjust(Settings::faster));
        speech.on_slower(adjust(Settings::slower));
        speech.on_louder(adjust(Settings::louder));
        speech.on_softer(adjust(Settings::softer));
    }

    /// The visitor's language.
    fn lang(&self) -> Lang {
        self.state.borrow().settings.lang
    }

    /// The speaker button or the hold: speech mode on or off (nothing
    /// while speech is unavailable; the button says why).
    fn toggle_speech(&self) {
        if !self.speech.borrow().is_available() {
            return;
        }
        let (on, lang) = {
            let mut state = self.state.borrow_mut();
            state.settings.speech = !state.settings.speech;
            (state.settings.speech, state.settings.lang)
        };
        self.speech.borrow().switch(&self.window, on, lang);
        self.render();
    }

    /// Shows the handwriting pad's state (its ink, candidates, and why it
    /// is unavailable) in the visitor's language.
    fn show_pad(&self) {
        let lang = self.state.borrow().settings.lang;
        self.pad
            .borrow()
            .show(&self.window.global::<SearchState>(), lang);
    }

    /// Whether the handwriting pad has its model open (only while chosen on
    /// the search page).
    pub fn handwriting_model_open(&self) -> bool {
        self.pad.borrow().is_loaded()
    }

    /// Changes the search query; the results follow on every keystroke.
    /// A changed query starts again from its first page of results.
    fn edit_query(&self, edit: impl FnOnce(&mut String)) {
        {
            let mut state = self.state.borrow_mut();
            edit(&mut state.query);
            if matches!(&state.extended, Some((Screen::Search, _))) {
                state.extended = None;
            }
        }
        self.render();
    }

    fn go(&self, step: impl FnOnce(&mut Navigator)) {
        {
            let app_state = self.window.global::<AppState>();
            let mut state = self.state.borrow_mut();
            // Where the visitor leaves this screen, for Back; where the
            // next one starts (its top, or where it was left).
            state.navigator.scrolled(app_state.get_page_scroll());
            step(&mut state.navigator);
            app_state.set_page_scroll(state.navigator.scroll());
            // A screen extended with "show more" stays extended while the
            // visitor can return to it, not on a later visit.
            if let Some((screen, _)) = &state.extended
                && !state.navigator.contains(screen)
            {
                state.extended = None;
            }
        }
        self.render();
    }

    fn navigate(&self, page: Page) {
        let section = match page {
            Page::Notices => Some(Section::Notices),
            Page::Guides => Some(Section::Guides),
            Page::Disclosure => Some(Section::Disclosure),
            Page::Interaction => Some(Section::Interaction),
            Page::Venues => Some(Section::Venues),
            _ => None,
        };
        match (section, page) {
            (Some(section), _) => self.go(|n| {
                n.push(Screen::List {
                    section,
                    category: String::new(),
                })
            }),
            (None, Page::Search) => self.go(|n| n.push(Screen::Search)),
            (None, Page::Home) => self.go(Navigator::home),
            _ => {}
        }
    }

    fn open_item(&self, id: &str) {
        let is_guide = self
            .state
            .borrow()
            .content
            .as_ref()
            .is_some_and(|c| matches!(c.catalog.item(id), Some(ItemRef::Guide(_))));
        if is_guide {
            self.state.borrow_mut().session_guides.insert(id.to_owned());
        }
        let screen = if is_guide {
            Screen::Guide(id.to_owned())
        } else {
            Screen::Detail(id.to_owned())
        };
        self.go(|n| n.push(screen));
    }

    fn submit_pin(&self, pin: &str) {
        let now = self.clock.elapsed();
        let outcome = self.state.borrow_mut().pin_gate.submit(pin, now);
        let app_state = self.window.global::<AppState>();
        let lang = self.state.borrow().settings.lang;
        match outcome {
            PinOutcome::Accepted => {
                app_state.set_pin_pad_open(false);
                app_state.set_pin_message("".into());
                self.go(|n| n.push(Screen::Admin));
            }
            PinOutcome::Rejected { remaining } => {
                app_state.set_pin_message(words::pin_rejected(lang, remaining).into());
            }
            PinOutcome::Locked { .. } => {}
        }
        self.show_pin_lock();
    }

    /// Greys the PIN pad's keys while it is locked, with the seconds left;
    /// ungreys them when the lock ends. Runs after each attempt and each second.
    fn show_pin_lock(&self) {
        let (locked_for, lang) = {
            let state = self.state.borrow();
            (
                state.pin_gate.locked_for(self.clock.elapsed()),
                state.settings.lang,
            )
        };
        let app_state = self.window.global::<AppState>();
        match locked_for {
            Some(left) => {
                // Rounded up: "1 s" until the very end, never "0 s".
                let seconds = left.as_millis().div_ceil(1000) as u64;
                app_state.set_pin_message(words::pin_locked(lang, seconds).into());
                app_state.set_pin_locked(true);
            }
            None if app_state.get_pin_locked() => {
                app_state.set_pin_message("".into());
                app_state.set_pin_locked(false);
            }
            None => {}
        }
    }

    /// Back to a fresh session: Home, default language, size and contrast,
    /// and an empty search.
    pub fn reset_session(&self) {
        {
            let mut state = self.state.borrow_mut();
            state.settings = VisitorSettings::defaults(state.default_lang);
            state.query.clear();
            state.navigator.home();
            for guide in std::mem::take(&mut state.session_guides) {
                *state.guide_sessions.entry(guide).or_default() += 1;
            }
            self.pad.borrow_mut().choose(false, false);
            state.extended = None;
        }
        self.speech.borrow().end(&self.window);
        let app_state = self.window.global::<AppState>();
        app_state.set_pin_pad_open(false);
        app_state.set_pin_message("".into());
        app_state.set_idle_seconds(0);
        self.apply_settings();
    }

    fn apply_settings(&self) {
        let settings = self.state.borrow().settings;
        let theme = self.window.global::<Theme>();
        theme.set_text_scale(settings.text_scale);
        theme.set_high_contrast(settings.high_contrast);
        let tag = if settings.lang == Lang::ZhHans {
            ""
        } else {
            settings.lang.tag()
        };
        if let Err(error) = slint::select_bundled_translation(tag) {
            tracing::warn!("cannot switch the UI language to {tag}: {error}");
        }
        self.window
            .global::<AppState>()
            .set_language(settings.lang.index() as i32);
        self.show_pad();
        self.render();
    }

    /// Shows a status the sync thread changed: the strip, and the admin
    /// panel when it is open; the page itself stays as it is.
    fn refresh_status(&self) {
        let state = self.state.borrow();
        let status = self.status_changes.borrow_mut().borrow_and_update().clone();
        self.show_status(&state, &status);
        if state.navigator.current() == &Screen::Admin {
            let lines = admin_panel(&state, &status);
            let content = self.window.global::<Content>();
            content.set_admin_status(ModelRc::new(VecModel::from(lines)));
        }
    }

    /// The status strip: online, when the content was updated, staleness.
    fn show_status(&self, state: &State, status: &ContentStatus) {
        let app_state = self.window.global::<AppState>();
        app_state.set_online(status.online);
        app_state.set_out_of_date(status.out_of_date);
        app_state.set_demo_content(status.is_embedded_demo());
        let updated = status.content_updated.map_or_else(String::new, |at| {
            to_local(at, time_zone(state))
                .format("%Y-%m-%d")
                .to_string()
        });
        app_state.set_content_updated(updated.into());
        let version = if status.version.is_empty() {
            "—"
        } else {
            status.version.as_str()
        };
        app_state.set_content_version(version.into());
    }

    fn tick_clock(&self) {
        let state = self.state.borrow();
        let local = to_local(self.clock.now(), time_zone(&state));
        let app_state = self.window.global::<AppState>();
        app_state.set_clock(local.format("%H:%M").to_string().into());
        app_state.set_date(local.format("%Y-%m-%d").to_string().into());
        // A notice published or expiring at this minute shows or leaves
        // the banner without waiting for a tap.
        if let Some(content) = state.content.as_ref() {
            let lang = state.settings.lang;
            let now = self.clock.now();
            self.banners
                .show(&self.window, &content.catalog, state.generation, lang, now);
        }
    }

    /// Pushes the current screen's content into the UI.
    pub fn render(&self) {
        let state = self.state.borrow();
        let app_state = self.window.global::<AppState>();
        let content = self.window.global::<Content>();
        app_state.set_can_go_back(state.navigator.can_go_back());
        let fresh = VisitorSettings::defaults(state.default_lang);
        app_state.set_session_dirty(
            state.navigator.current() != &Screen::Home
                || state.settings != fresh
                || !state.query.is_empty(),
        );
        let search = self.window.global::<SearchState>();
        search.set_query(state.query.as_str().into());
        // Marks the status seen: the sync timer renders again only when
        // the sync thread changes it after this.
        let status = self.status_changes.borrow_mut().borrow_and_update().clone();
        self.show_status(&state, &status);
        let Some(loaded) = state.content.as_ref() else {
            app_state.set_page(Page::Unavailable);
            return;
        };
        let LoadedContent { catalog, assets } = loaded;
        let lang = state.settings.lang;
        let now = self.clock.now();
        app_state.set_site_name(catalog.site.name.text(lang).into());
        self.banners
            .show(&self.window, catalog, state.generation, lang, now);
        let images = self.images.borrow();
        let presenter = Presenter::new(catalog, assets.as_ref(), &images, lang);
        let screen = state.navigator.current();
        if self.pad.borrow_mut().follow(screen == &Screen::Search) {
            self.pad
                .borrow()
                .show(&self.window.global::<SearchState>(), lang);
        }
        app_state.set_trail(presenter.trail(screen).into());
        let page = if screen == &Screen::Admin {
            let lines = admin_panel(&state, &status);
            content.set_admin_status(ModelRc::new(VecModel::from(lines)));
            Page::Admin
        } else {
            let inputs = PageInputs {
                screen,
                pages: state.pages(screen),
                query: &state.query,
                content: loaded,
                index: &state.search_index,
                images: &images,
                lang,
                now,
                generation: state.generation,
                guide_sessions: &state.guide_sessions,
            };
            self.pages.show(&self.window, &inputs).unwrap_or(Page::Home)
        };
        app_state.set_page(page);
        self.speech.borrow().page_shown(&self.window, screen, lang);
    }
}

/// The site's time zone (the default one before any content).
fn time_zone(state: &State) -> chrono_tz::Tz {
    state
        .content
        .as_ref()
        .map_or(DEFAULT_TIME_ZONE, |c| c.catalog.site.time_zone)
}

fn admin_panel(state: &State, status: &ContentStatus) -> Vec<LabelledText> {
    AdminPanel {
        kiosk_id: &state.kiosk_id,
        lang: state.settings.lang,
        zone: time_zone(state),
        status,
        sync_request: &state.sync_request,
    }
    .lines()
}
