//! Adapters from the content model to the UI's structs, for one language.
//!
//! Everything here is plain data conversion; `app.rs` puts the results into
//! the Slint globals.

mod channel;

use chrono::{DateTime, Utc};
use slint::{Model, ModelRc, SharedString, VecModel};

use super::image_cache::ImageCache;
use super::navigation::{Screen, Section};
use super::table_layout;
use super::words::{self, Word, word};
use super::{
    BlockData, ChannelCard, Chip, DetailData, GuideData, GuideStep, LabelledText, ListItem,
    Material, RowCard, TableCell, TableData,
};
use crate::content::blocks::{Block, Table, plain_text};
use crate::content::model::{Body, Catalog, ChannelKind, FaqKind, Notice};
use crate::content::text::{Lang, Localized, Text};
use crate::content::{AssetSource, ItemRef};

/// Body text size at 100 %, for table geometry.
const TABLE_FONT_PX: f32 = 28.0;

fn model<T: Clone + 'static>(items: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(items))
}

fn strings(items: impl IntoIterator<Item = String>) -> ModelRc<SharedString> {
    model(items.into_iter().map(SharedString::from).collect())
}

/// A list screen's content.
pub struct ListContent {
    /// Page title.
    pub title: String,
    /// Category tabs (empty: no tabs).
    pub chips: Vec<Chip>,
    /// Rows.
    pub items: Vec<ListItem>,
    /// QR cards of interaction channels.
    pub channels: Vec<ChannelCard>,
}

/// A detail screen's content.
pub struct DetailContent {
    /// Title, meta and blocks.
    pub detail: DetailData,
    /// The tables of the body, opened full screen.
    pub tables: Vec<TableData>,
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

    fn w(&self, w: Word) -> &'static str {
        word(self.lang, w)
    }

    fn all_chip(&self) -> Chip {
        Chip {
            id: "".into(),
            label: self.w(Word::All).into(),
        }
    }

    /// The list of a section, filtered to a category id ("" for all).
    pub fn list(&self, section: Section, category: &str, now: DateTime<Utc>) -> ListContent {
        let site = &self.catalog.site;
        match section {
            Section::Notices => {
                let visible = self.catalog.visible_notices(now);
                let chips = self.chips(
                    site.notice_categories
                        .iter()
                        .filter(|c| visible.iter().any(|n| n.meta.category == c.id))
                        .map(|c| (c.id.as_str(), &c.name)),
                );
                let items = visible
                    .into_iter()
                    .filter(|n| category.is_empty() || n.meta.category == category)
                    .map(|n| self.notice_item(n))
                    .collect();
                ListContent {
                    title: self.section_title(section),
                    chips,
                    items,
                    channels: Vec::new(),
                }
            }
            Section::Guides => {
                let chips = self.chips(
                    site.guide_categories
                        .iter()
                        .filter(|c| self.catalog.guides.iter().any(|g| g.meta.category == c.id))
                        .map(|c| (c.id.as_str(), &c.name)),
                );
                let items = self
                    .catalog
                    .guides
                    .iter()
                    .filter(|g| category.is_empty() || g.meta.category == category)
                    .map(|g| ListItem {
                        id: g.id.as_str().into(),
                        title: self.t(&g.meta.title).into(),
                        chinese_only: self.chinese_only(&g.meta.title),
                        meta: format!(
                            "{} · {} {}",
                            self.t(&g.meta.department),
                            g.meta.promised_days,
                            self.w(Word::WorkingDays)
                        )
                        .into(),
                        category: self
                            .catalog
                            .guide_category(&g.meta.category)
                            .map(|c| self.t(&c.name))
                            .unwrap_or_default()
                            .into(),
                        summary: "".into(),
                        pinned: false,
                        urgent: false,
                    })
                    .collect();
                ListContent {
                    title: self.section_title(section),
                    chips,
                    items,
                    channels: Vec::new(),
                }
            }
            Section::Disclosure => {
                let chips = self.chips(
                    site.document_categories
                        .iter()
                        .filter(|c| {
                            self.catalog
                                .documents
                                .iter()
                                .any(|d| d.meta.category == c.id)
                        })
                        .map(|c| (c.id.as_str(), &c.name)),
                );
                let items = self
                    .catalog
                    .documents
                    .iter()
                    .filter(|d| category.is_empty() || d.meta.category == category)
                    .map(|d| {
                        let category = self.catalog.document_category(&d.meta.category);
                        self.row(
                            &d.id,
                            &d.meta.title,
                            d.meta.published,
                            category,
                            d.meta.summary.as_ref(),
                        )
                    })
                    .collect();
                let channels = self.channels(|kind| kind == ChannelKind::DisclosureApplication);
                ListContent {
                    title: self.section_title(section),
                    chips,
                    items,
                    channels,
                }
            }
            Section::Interaction => {
                let chips = [FaqKind::Faq, FaqKind::HotTopic]
                    .into_iter()
                    .filter(|kind| self.catalog.faqs.iter().any(|f| f.kind == *kind))
                    .map(|kind| Chip {
                        id: faq_kind_id(kind).into(),
                        label: words::faq_kind(self.lang, kind).into(),
                    });
                let chips = std::iter::once(self.all_chip()).chain(chips).collect();
                let items = self
                    .catalog
                    .faqs
                    .iter()
                    .filter(|f| category.is_empty() || faq_kind_id(f.kind) == category)
                    .map(|f| ListItem {
                        id: f.id.as_str().into(),
                        title: self.t(&f.question).into(),
                        chinese_only: self.chinese_only(&f.question),
                        meta: f.date.date().to_string().into(),
                        category: format!(
                            "{} · {}",
                            words::faq_kind(self.lang, f.kind),
                            self.t(&f.category)
                        )
                        .into(),
                        summary: "".into(),
                        pinned: false,
                        urgent: false,
                    })
                    .collect();
                let channels = self.channels(|kind| kind != ChannelKind::DisclosureApplication);
                ListContent {
                    title: self.section_title(section),
                    chips,
                    items,
                    channels,
                }
            }
            Section::Venues => {
                let items = self
                    .catalog
                    .venues
                    .iter()
                    .map(|v| ListItem {
                        id: v.id.as_str().into(),
                        title: self.t(&v.name).into(),
                        chinese_only: self.chinese_only(&v.name),
                        meta: self.t(&v.hours).into(),
                        category: "".into(),
                        summary: v
                            .free_periods
                            .iter()
                            .map(|p| self.t(p))
                            .collect::<Vec<_>>()
                            .join("；")
                            .into(),
                        pinned: false,
                        urgent: false,
                    })
                    .collect();
                ListContent {
                    title: self.section_title(section),
                    chips: Vec::new(),
                    items,
                    channels: Vec::new(),
                }
            }
        }
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
            Screen::Table(id, _) => match self.catalog.item(id) {
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

    fn chips<'b>(&self, categories: impl Iterator<Item = (&'b str, &'b Text)>) -> Vec<Chip> {
        let mut chips = vec![self.all_chip()];
        chips.extend(categories.map(|(id, name)| Chip {
            id: id.into(),
            label: self.t(name).into(),
        }));
        if chips.len() <= 2 { Vec::new() } else { chips }
    }

    fn channels(&self, wanted: impl Fn(ChannelKind) -> bool) -> Vec<ChannelCard> {
        self.catalog
            .channels
            .iter()
            .filter(|c| wanted(c.kind))
            .map(|c| ChannelCard {
                id: c.id.as_str().into(),
                name: self.t(&c.name).into(),
                description: self.t(&c.description).into(),
                url: c.url.clone().unwrap_or_default().into(),
                qr: c
                    .url
                    .as_deref()
                    .map(|url| self.images.qr_code(url))
                    .unwrap_or_default(),
                phone: c.phone.clone().unwrap_or_default().into(),
            })
            .collect()
    }

    /// Whether an item with this title is shown in Chinese to an English
    /// reader (nobody translated it): its rows say so instead of mixing it
    /// unmarked into English lists.
    pub fn chinese_only(&self, title: &Text) -> bool {
        self.lang == Lang::En && !title.is_authored(Lang::En)
    }

    /// A notice as a list row.
    pub fn notice_item(&self, notice: &Notice) -> ListItem {
        let meta = &notice.meta;
        let category = self.catalog.notice_category(&meta.category);
        ListItem {
            pinned: meta.pinned,
            urgent: meta.urgent,
            ..self.row(
                &notice.id,
                &meta.title,
                meta.published,
                category,
                meta.summary.as_ref(),
            )
        }
    }

    /// A dated list row with its category chip and summary.
    fn row(
        &self,
        id: &str,
        title: &Text,
        published: crate::content::time::LocalTime,
        category: Option<&crate::content::model::Category>,
        summary: Option<&Text>,
    ) -> ListItem {
        ListItem {
            id: id.into(),
            title: self.t(title).into(),
            chinese_only: self.chinese_only(title),
            meta: published.date().to_string().into(),
            category: category.map(|c| self.t(&c.name)).unwrap_or_default().into(),
            summary: summary.map(|s| self.t(s)).unwrap_or_default().into(),
            pinned: false,
            urgent: false,
        }
    }

    /// The detail page of a notice, document, FAQ entry, venue or channel.
    pub fn detail(&self, id: &str) -> Option<DetailContent> {
        let catalog = self.catalog;
        let item = catalog.item(id)?;
        if let ItemRef::Notice(notice) = item {
            let meta = &notice.meta;
            let category = catalog
                .notice_category(&meta.category)
                .map(|c| self.t(&c.name))
                .unwrap_or_default();
            let mut line = format!(
                "{} {} · {}",
                self.w(Word::Published),
                meta.published.date(),
                category
            );
            if let Some(until) = meta.valid_until {
                line.push_str(&format!(
                    " · {} {}",
                    self.w(Word::ValidUntil),
                    until.0.date()
                ));
            }
            return Some(self.body_detail(
                id,
                &meta.title,
                line,
                meta.urgent,
                &notice.body,
                meta.source_url.as_deref(),
                &meta.attachments,
            ));
        }
        if let ItemRef::Document(document) = item {
            let meta = &document.meta;
            let category = catalog
                .document_category(&meta.category)
                .map(|c| self.t(&c.name))
                .unwrap_or_default();
            let line = format!(
                "{} {} · {}",
                self.w(Word::Published),
                meta.published.date(),
                category
            );
            return Some(self.body_detail(
                id,
                &meta.title,
                line,
                false,
                &document.body,
                meta.source_url.as_deref(),
                &meta.attachments,
            ));
        }
        if let ItemRef::Faq(faq) = item {
            let line = format!(
                "{} · {} · {}",
                words::faq_kind(self.lang, faq.kind),
                self.t(&faq.category),
                faq.date.date()
            );
            return Some(self.body_detail(id, &faq.question, line, false, &faq.answer, None, &[]));
        }
        if let ItemRef::Channel(channel) = item {
            return Some(self.channel(channel));
        }
        if let ItemRef::Venue(venue) = item {
            let mut blocks = vec![
                heading(self.w(Word::Address)),
                paragraph(self.t(&venue.address)),
                heading(self.w(Word::Hours)),
                paragraph(self.t(&venue.hours)),
                heading(self.w(Word::FreePeriods)),
                list(venue.free_periods.iter().map(|p| self.t(p)).collect()),
                heading(self.w(Word::Facilities)),
                list(venue.facilities.iter().map(|p| self.t(p)).collect()),
                heading(self.w(Word::Booking)),
                paragraph(venue.booking_phone.clone()),
            ];
            if let Some(map) = &venue.map {
                blocks.push(self.image_block(map, self.t(&venue.name)));
            }
            blocks.retain(|b| b.kind != "list" || b.items.row_count() > 0);
            return Some(DetailContent {
                detail: DetailData {
                    id: id.into(),
                    title: self.t(&venue.name).into(),
                    meta: self.t(&venue.address).into(),
                    blocks: model(blocks),
                    source_url: venue.url.clone().unwrap_or_default().into(),
                    source_qr: venue
                        .url
                        .as_deref()
                        .map(|url| self.images.qr_code(url))
                        .unwrap_or_default(),
                    ..DetailData::default()
                },
                tables: Vec::new(),
            });
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn body_detail(
        &self,
        id: &str,
        title: &Text,
        meta: String,
        urgent: bool,
        body: &Body,
        source_url: Option<&str>,
        attachments: &[crate::content::model::Attachment],
    ) -> DetailContent {
        let mut tables = Vec::new();
        let mut data = Vec::new();
        for block in body.get(self.lang).into_iter().flatten() {
            self.block(block, &mut data, &mut tables);
        }
        for attachment in attachments {
            data.push(self.qr_block(
                &attachment.url,
                format!(
                    "{}：{}",
                    self.w(Word::Attachment),
                    self.t(&attachment.title)
                ),
            ));
        }
        DetailContent {
            detail: DetailData {
                id: id.into(),
                title: self.t(title).into(),
                meta: meta.into(),
                category: "".into(),
                urgent,
                machine_note: self.machine_note(body).into(),
                blocks: model(data),
                source_url: source_url.unwrap_or_default().into(),
                source_qr: source_url
                    .map(|url| self.images.qr_code(url))
                    .unwrap_or_default(),
                more: "".into(),
            },
            tables,
        }
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

    fn block(&self, block: &Block, out: &mut Vec<BlockData>, tables: &mut Vec<TableData>) {
        match block {
            Block::Heading { level, text } => out.push(BlockData {
                level: i32::from(*level),
                ..heading(text)
            }),
            Block::Paragraph { spans } => {
                // Whole: a long one is cut into chunks, a page of them at
                // a time, when it is shown (see long_text::paginate).
                out.push(paragraph(plain_text(spans)));
                for span in spans.iter().filter(|s| s.link.is_some()) {
                    if let Some(link) = &span.link {
                        out.push(self.qr_block(link, span.text.clone()));
                    }
                }
            }
            Block::List { ordered, items } => out.push(BlockData {
                ordered: *ordered,
                ..list(items.iter().map(|item| plain_text(item)).collect())
            }),
            Block::Table(table) => {
                let index = tables.len();
                let caption = self.table_caption(table, index, out);
                tables.push(table_data(table, &caption));
                out.push(BlockData {
                    kind: "table".into(),
                    caption: caption.into(),
                    text: if table.sample_data {
                        self.w(Word::SampleData).into()
                    } else {
                        "".into()
                    },
                    table_index: index as i32,
                    table_columns: table.column_count() as i32,
                    table_rows: table.rows.len() as i32,
                    ..BlockData::default()
                });
            }
            Block::Image { asset, caption } => out.push(self.image_block(asset, caption.clone())),
            Block::Qr { url, caption } => out.push(self.qr_block(url, caption.clone())),
            Block::Divider => out.push(BlockData {
                kind: "divider".into(),
                ..BlockData::default()
            }),
        }
    }

    /// A table's caption; one without (a pipe table) is named after the
    /// heading above it, or "Table N".
    fn table_caption(&self, table: &Table, index: usize, before: &[BlockData]) -> String {
        if !table.caption.trim().is_empty() {
            return table.caption.clone();
        }
        match before.last() {
            Some(block) if block.kind == "heading" => block.text.to_string(),
            _ => format!("{} {}", self.w(Word::Table), index + 1),
        }
    }

    /// The service guide page.
    pub fn guide(&self, id: &str) -> Option<GuideData> {
        let Some(ItemRef::Guide(guide)) = self.catalog.item(id) else {
            return None;
        };
        let meta = &guide.meta;
        let days = self.w(Word::WorkingDays);
        let visits = if meta.visits == 0 {
            self.w(Word::FullyOnline).to_owned()
        } else {
            words::count(self.lang, meta.visits, Word::Visits)
        };
        let materials = meta
            .materials
            .iter()
            .map(|m| {
                let mut detail = format!(
                    "{} · {} · {} · {}",
                    words::count(self.lang, m.copies, Word::Copies),
                    words::material_form(self.lang, m.form),
                    words::material_format(self.lang, m.format),
                    self.t(&m.source)
                );
                if let Some(notes) = &m.notes {
                    detail.push_str(&format!("\n{}", self.t(notes)));
                }
                Material {
                    name: self.t(&m.name).into(),
                    detail: detail.into(),
                }
            })
            .collect();
        let facts = vec![
            labelled(
                self.w(Word::TimeLimits),
                format!(
                    "{}：{} {}\n{}：{} {}",
                    self.w(Word::Statutory),
                    meta.statutory_days,
                    days,
                    self.w(Word::Promised),
                    meta.promised_days,
                    days
                ),
            ),
            labelled(self.w(Word::Fees), self.t(&meta.fees)),
            labelled(
                self.w(Word::PlaceAndHours),
                format!(
                    "{}\n{}：{}\n{}",
                    self.t(&meta.location),
                    self.w(Word::Window),
                    self.t(&meta.window),
                    self.t(&meta.hours)
                ),
            ),
            labelled(
                self.w(Word::PhoneNumbers),
                format!(
                    "{}：{}\n{}：{}",
                    self.w(Word::Phone),
                    meta.phone,
                    self.w(Word::Complaints),
                    self.t(&meta.complaint)
                ),
            ),
        ];
        let related = meta
            .faq
            .iter()
            .filter_map(|faq_id| match self.catalog.item(faq_id) {
                Some(ItemRef::Faq(faq)) => Some(faq),
                _ => None,
            })
            .map(|f| ListItem {
                id: f.id.as_str().into(),
                title: self.t(&f.question).into(),
                chinese_only: self.chinese_only(&f.question),
                meta: f.date.date().to_string().into(),
                category: words::faq_kind(self.lang, f.kind).into(),
                summary: "".into(),
                pinned: false,
                urgent: false,
            })
            .collect();
        let online = meta.online_url.as_deref().or(meta.source_url.as_deref());
        Some(GuideData {
            id: id.into(),
            title: self.t(&meta.title).into(),
            machine_note: self.machine_note(&meta.title).into(),
            category: self
                .catalog
                .guide_category(&meta.category)
                .map(|c| self.t(&c.name))
                .unwrap_or_default()
                .into(),
            department: self.t(&meta.department).into(),
            time_limit: format!("{} {}", meta.promised_days, days).into(),
            fees: self.t(&meta.fees).into(),
            place: self.t(&meta.location).into(),
            visits: visits.into(),
            eligibility: strings(meta.eligibility.iter().map(|e| self.t(e))),
            materials: model(materials),
            steps: model(
                meta.steps
                    .iter()
                    .map(|s| GuideStep {
                        title: self.t(&s.title).into(),
                        detail: self.t(&s.detail).into(),
                    })
                    .collect(),
            ),
            facts: model(facts),
            legal_basis: strings(meta.legal_basis.iter().map(|e| self.t(e))),
            online_url: online.unwrap_or_default().into(),
            online_qr: online
                .map(|url| self.images.qr_code(url))
                .unwrap_or_default(),
            related: model(related),
        })
    }
}

fn faq_kind_id(kind: FaqKind) -> &'static str {
    match kind {
        FaqKind::Faq => "faq",
        FaqKind::HotTopic => "hot-topic",
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

/// A table in the UI's geometry, under `caption`.
pub fn table_data(table: &Table, caption: &str) -> TableData {
    let layout = table_layout::layout(table, TABLE_FONT_PX);
    TableData {
        caption: caption.into(),
        columns: table.column_count() as i32,
        sample_data: table.sample_data,
        width: layout.width,
        height: layout.height,
        header_height: layout.header_height,
        label_width: layout.label_width,
        cells: model(
            layout
                .cells
                .into_iter()
                .map(|c| TableCell {
                    x: c.x,
                    y: c.y,
                    width: c.width,
                    height: c.height,
                    text: c.text.into(),
                    numeric: c.numeric,
                    header: c.header,
                    sticky: c.sticky,
                    zebra: c.zebra,
                })
                .collect(),
        ),
        cards: model(
            layout
                .cards
                .into_iter()
                .map(|c| RowCard {
                    title: c.title.into(),
                    lines: strings(c.lines),
                })
                .collect(),
        ),
    }
}
