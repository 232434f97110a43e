//! Adapters from the content model to the UI's structs, for one language:
//! plain data conversion, testable without a UI backend. The page adapter
//! (`ui::pages`) puts the results into the Slint globals.
//!
//! One file per kind of page: `list` (the section lists), `detail`
//! (notices, documents, FAQ entries, venues), `channel`, `guide`; this
//! file holds the presenter and the blocks they share.

mod channel;
mod detail;
mod guide;
mod list;

use slint::{ModelRc, SharedString, VecModel};

pub use detail::DetailContent;
pub use list::ListContent;

use super::image_cache::ImageCache;
use super::last_line::keep_last_two_together;
use super::navigation::{Screen, Section};
use super::words::{Word, word};
use super::{BlockData, LabelledText};
use crate::content::AssetSource;
use crate::content::model::Catalog;
use crate::content::text::{Lang, Localized, Text};

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

fn strings(items: impl IntoIterator<Item = String>) -> ModelRc<SharedString> {
    model(items.into_iter().map(SharedString::from).collect())
}

/// Builds the UI's view of the catalog in one language.
pub struct Presenter<'a> {
    catalog: &'a Catalog,
    assets: &'a dyn AssetSource,
    images: &'a ImageCache,
    lang: Lang,
}

impl<'a> Presenter<'a> {
    /// A presenter for `lang`, reading images from `assets` through
    /// `images` (which keeps what it decoded for the next render).
    pub fn new(
        catalog: &'a Catalog,
        assets: &'a dyn AssetSource,
        images: &'a ImageCache,
        lang: Lang,
    ) -> Self {
        Presenter {
            catalog,
            assets,
            images,
            lang,
        }
    }

    fn image_block(&self, asset: &str, caption: String) -> BlockData {
        let image = self.images.picture(self.assets, asset);
        BlockData {
            kind: "image".into(),
            caption: caption.into(),
            image: image.unwrap_or_default(),
            ..BlockData::default()
        }
    }

    fn qr_block(&self, url: &str, caption: String) -> BlockData {
        BlockData {
            kind: "qr".into(),
            text: url.into(),
            caption: caption.into(),
            image: self.images.qr_code(url),
            ..BlockData::default()
        }
    }

    fn t(&self, text: &Text) -> String {
        text.text(self.lang).to_owned()
    }

    /// A title, its last two characters kept on one line.
    fn title(&self, text: &Text) -> String {
        keep_last_two_together(text.text(self.lang))
    }

    fn w(&self, w: Word) -> &'static str {
        word(self.lang, w)
    }

    /// Where a screen is, for the line above its title: "首页 › 办事指南".
    /// Empty for Home, the lists (their title is the section) and the rest.
    pub fn trail(&self, screen: &Screen) -> String {
        let after_home: Vec<String> = match screen {
            Screen::Detail(id) => match self.catalog.item(id) {
                Some(item) => vec![self.section_title(Section::of(item.kind()))],
                None => return String::new(),
            },
            Screen::Guide(_) => vec![self.section_title(Section::Guides)],
            Screen::Table(id, _) | Screen::Section(id, _) => match self.catalog.item(id) {
                Some(item) => vec![
                    self.section_title(Section::of(item.kind())),
                    item.title().text(self.lang).to_owned(),
                ],
                None => return String::new(),
            },
            Screen::Search => vec![word(self.lang, Word::Search).to_owned()],
            _ => return String::new(),
        };
        std::iter::once(word(self.lang, Word::Home).to_owned())
            .chain(after_home)
            .collect::<Vec<_>>()
            .join(" › ")
    }

    /// The title of a section.
    pub fn section_title(&self, section: Section) -> String {
        self.w(match section {
            Section::Notices => Word::Notices,
            Section::Guides => Word::Guides,
            Section::Disclosure => Word::Disclosure,
            Section::Interaction => Word::Interaction,
            Section::Venues => Word::Venues,
        })
        .to_owned()
    }

    /// Whether an item with this title is shown in Chinese to an English
    /// reader (nobody translated it): its rows say so instead of mixing it
    /// unmarked into English lists.
    pub fn chinese_only(&self, title: &Text) -> bool {
        self.lang == Lang::En && !title.is_authored(Lang::En)
    }

    /// The note above a page whose text is not written in the visitor's
    /// language: machine-converted, or shown in Chinese for English.
    fn machine_note<T>(&self, text: &Localized<T>) -> String {
        let not_written = match self.lang {
            Lang::En => text.exact(Lang::En).is_none(),
            chinese => text.machine == Some(chinese),
        };
        if not_written {
            self.w(Word::NotWrittenInThisLanguage).to_owned()
        } else {
            String::new()
        }
    }
}

fn labelled(label: &str, text: String) -> LabelledText {
    LabelledText {
        label: label.into(),
        text: text.into(),
    }
}

fn heading(text: &str) -> BlockData {
    BlockData {
        kind: "heading".into(),
        level: 2,
        text: text.into(),
        ..BlockData::default()
    }
}

fn paragraph(text: impl Into<SharedString>) -> BlockData {
    BlockData {
        kind: "paragraph".into(),
        text: text.into(),
        ..BlockData::default()
    }
}

fn list(items: Vec<String>) -> BlockData {
    BlockData {
        kind: "list".into(),
        items: strings(items),
        ..BlockData::default()
    }
}
