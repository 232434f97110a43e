//! The page adapter: pushes the current screen's content (a list, a notice
//! or document, a guide, a table, search results) into the `Content` and
//! `SearchState` globals, and only when what it was made from changed. A
//! status report, a text-size or contrast switch, a tick of the clock
//! leave the page's models as they are, so Slint keeps its elements and
//! repaints only what really changed.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::{DateTime, NaiveDateTime, Utc};
use slint::{ComponentHandle, Model, ModelRc, VecModel};

use super::image_cache::ImageCache;
use super::navigation::{Screen, Section};
use super::present::Presenter;
use super::words::{Word, word};
use super::{Content, KioskWindow, Page, SearchResult, SearchState, long_text, search_view};
use crate::content::{Lang, LoadedContent};
use crate::search::{SearchIndex, Typing};

/// Rows a list shows before the visitor asks for more: enough for every
/// demo list, few enough that a 10,000-notice catalog stays light.
pub const LIST_PAGE: usize = 30;

/// What a part of the screen computed from the content was made from: the
/// content, the language, and the site-local time window in which no
/// notice starts or stops being shown. The part holds while all three do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Counts the contents the app was given.
    pub generation: u64,
    /// The visitor's language.
    pub lang: Lang,
    /// The site-local time it was computed at.
    pub at: NaiveDateTime,
    /// The next time a notice starts or stops being shown, if any.
    pub next_change: Option<NaiveDateTime>,
}

impl Freshness {
    /// Whether what was computed with `self` still holds for this content,
    /// language and site-local time.
    pub fn holds(&self, generation: u64, lang: Lang, local: NaiveDateTime) -> bool {
        self.generation == generation
            && self.lang == lang
            && self.at <= local
            && self.next_change.is_none_or(|change| local < change)
    }
}

/// Everything a page is presented from.
pub struct PageInputs<'a> {
    /// The screen to show.
    pub screen: &'a Screen,
    /// How many pages of it the visitor asked for ("show more", "read on").
    pub pages: usize,
    /// The search query (search screen only).
    pub query: &'a str,
    /// The content shown.
    pub content: &'a LoadedContent,
    /// The search index over it.
    pub index: &'a SearchIndex,
    /// Its decoded images and QR codes.
    pub images: &'a ImageCache,
    /// The visitor's language.
    pub lang: Lang,
    /// Now.
    pub now: DateTime<Utc>,
    /// Counts the contents the app was given.
    pub generation: u64,
    /// Per guide, the ended visitor sessions that opened it (the empty
    /// search page's fallback popular searches).
    pub guide_sessions: &'a HashMap<String, u32>,
}

/// The screen last presented and what it was made from.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    screen: Screen,
    pages: usize,
    query: String,
    freshness: Freshness,
}

/// Presents pages into the window's globals.
pub struct PageAdapter {
    shown: RefCell<Option<Shown>>,
    /// The search screen's rows: one model for the app's life, updated row
    /// by row, so a keystroke reuses the rows on screen instead of
    /// building new ones.
    search_rows: Rc<VecModel<SearchResult>>,
    /// The query as typed so far, so that each key searches only what the
    /// query matched before it.
    typing: RefCell<Typing>,
}

impl PageAdapter {
    /// An adapter for `window`, whose search results it owns.
    pub fn new(window: &KioskWindow) -> Self {
        let search_rows = Rc::new(VecModel::default());
        window
            .global::<SearchState>()
            .set_results(ModelRc::from(search_rows.clone()));
        PageAdapter {
            shown: RefCell::new(None),
            search_rows,
            typing: RefCell::new(Typing::default()),
        }
    }

    /// Shows `inputs.screen`, presenting it only when it or what it is made
    /// from changed since the last call; returns the page to show (None: a
    /// page this adapter does not present, or an item that is gone).
    pub fn show(&self, window: &KioskWindow, inputs: &PageInputs) -> Option<Page> {
        let catalog = &inputs.content.catalog;
        let local = catalog.local_time(inputs.now);
        let query = match inputs.screen {
            Screen::Search => inputs.query,
            _ => "",
        };
        let unchanged = self.shown.borrow().as_ref().is_some_and(|shown| {
            shown.screen == *inputs.screen
                && shown.pages == inputs.pages
                && shown.query == query
                && shown.freshness.holds(inputs.generation, inputs.lang, local)
        });
        if unchanged {
            return Some(page_of(inputs.screen));
        }
        let page = self.present(window, inputs, local)?;
        *self.shown.borrow_mut() = Some(Shown {
            screen: inputs.screen.clone(),
            pages: inputs.pages,
            query: query.to_owned(),
            freshness: Freshness {
                generation: inputs.generation,
                lang: inputs.lang,
                at: local,
                next_change: catalog.next_notice_change(local),
            },
        });
        Some(page)
    }

    fn present(
        &self,
        window: &KioskWindow,
        inputs: &PageInputs,
        local: NaiveDateTime,
    ) -> Option<Page> {
        let LoadedContent { catalog, assets } = inputs.content;
        let lang = inputs.lang;
        let presenter = Presenter::new(catalog, assets.as_ref(), inputs.images, lang);
        let content = window.global::<Content>();
        match inputs.screen {
            Screen::List { section, category } => {
                let mut list = presenter.list(*section, category, inputs.now);
                let total = list.items.len();
                list.items.truncate(inputs.pages * LIST_PAGE);
                content.set_more_count((total - list.items.len()) as i32);
                content.set_list_title(list.title.into());
                content.set_categories(ModelRc::new(VecModel::from(list.chips)));
                content.set_selected_category(category.as_str().into());
                content.set_items(ModelRc::new(VecModel::from(list.items)));
                content.set_channels(ModelRc::new(VecModel::from(list.channels)));
            }
            Screen::Detail(id) | Screen::Section(id, _) => {
                let mut detail = presenter.detail(id)?;
                if let Screen::Section(_, block) = inputs.screen {
                    detail = detail.at_section(*block)?;
                }
                let read_more = word(lang, Word::ReadMore);
                long_text::paginate(&mut detail.detail, inputs.pages, read_more);
                content.set_detail(detail.detail);
                content.set_tables(ModelRc::new(VecModel::from(detail.tables)));
            }
            Screen::Guide(id) => content.set_guide(presenter.guide(id)?),
            Screen::Table(id, index) => {
                let detail = presenter.detail(id).filter(|d| *index < d.tables.len())?;
                content.set_detail(detail.detail);
                content.set_tables(ModelRc::new(VecModel::from(detail.tables)));
                content.set_open_table(*index as i32);
            }
            Screen::Search => {
                let (rows, total) = search_view::results(
                    inputs.index,
                    &mut self.typing.borrow_mut(),
                    &presenter,
                    catalog,
                    lang,
                    inputs.query,
                    local,
                    inputs.pages * search_view::RESULTS_PAGE,
                );
                let search = window.global::<SearchState>();
                if inputs.query.is_empty() {
                    let popular = search_view::popular(catalog, lang, inputs.guide_sessions);
                    search.set_popular(ModelRc::new(VecModel::from(popular)));
                }
                search.set_more_count(total.saturating_sub(rows.len()) as i32);
                update_rows(&self.search_rows, rows);
                search.set_total(total as i32);
            }
            Screen::Home | Screen::Admin | Screen::Unavailable => {}
        }
        Some(page_of(inputs.screen))
    }
}

/// The Slint page of a screen.
fn page_of(screen: &Screen) -> Page {
    match screen {
        Screen::Home => Page::Home,
        Screen::List { section, .. } => match section {
            Section::Notices => Page::Notices,
            Section::Guides => Page::Guides,
            Section::Disclosure => Page::Disclosure,
            Section::Interaction => Page::Interaction,
            Section::Venues => Page::Venues,
        },
        Screen::Detail(_) | Screen::Section(..) => Page::Detail,
        Screen::Guide(_) => Page::Guide,
        Screen::Table(..) => Page::Table,
        Screen::Search => Page::Search,
        Screen::Admin => Page::Admin,
        Screen::Unavailable => Page::Unavailable,
    }
}

/// Makes `model` hold `rows`, changing rows in place and adding or
/// removing only the difference in length: the UI keeps the row elements
/// it has and updates their data.
fn update_rows<T: Clone + 'static>(model: &VecModel<T>, rows: Vec<T>) {
    let shown = model.row_count();
    let kept = shown.min(rows.len());
    let mut rows = rows.into_iter();
    for (index, row) in rows.by_ref().take(kept).enumerate() {
        model.set_row_data(index, row);
    }
    if shown > kept {
        for index in (kept..shown).rev() {
            model.remove(index);
        }
    }
    for row in rows {
        model.push(row);
    }
}
