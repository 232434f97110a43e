//! The detail page of a notice, document, FAQ entry or venue: its meta
//! line, its body as blocks, its tables, attachments and source as QR codes.

use slint::Model;

use super::super::last_line::keep_last_two_together;
use super::super::long_text;
use super::super::table_layout;
use super::super::words::{self, Word};
use super::super::{BlockData, DetailData, RowCard, SectionLink, TableCell, TableData};
use super::{Presenter, heading, list, model, paragraph, strings};
use crate::content::ItemRef;
use crate::content::blocks::{Block, Table, plain_text};
use crate::content::model::Body;
use crate::content::text::Text;

/// Body text size at 100 %, for table geometry.
const TABLE_FONT_PX: f32 = 28.0;
/// Fewest sections that make a section list.
const MIN_SECTIONS: usize = 3;
/// Shortest body, in characters, that gets a section list: about a screen
/// and a half at the default text size.
const LONG_BODY_CHARS: usize = 1_500;

/// A detail screen's content.
pub struct DetailContent {
    /// Title, meta and blocks.
    pub detail: DetailData,
    /// The tables of the body, opened full screen.
    pub tables: Vec<TableData>,
}

impl DetailContent {
    /// The document opened at the section whose heading is block `block`:
    /// the heading becomes the page's title, the blocks before it go.
    /// `None` when no section starts there (the content changed).
    pub fn at_section(mut self, block: usize) -> Option<Self> {
        let heading = self
            .detail
            .sections
            .iter()
            .find(|s| usize::try_from(s.block).ok() == Some(block))?;
        let blocks: Vec<BlockData> = self.detail.blocks.iter().skip(block + 1).collect();
        self.detail.title = heading.title;
        self.detail.meta = "".into();
        self.detail.blocks = model(blocks);
        self.detail.sections = model(Vec::new());
        Some(self)
    }
}

/// The sections of a long body: its top-level headings, when there are at
/// least [`MIN_SECTIONS`] and the body is longer than [`LONG_BODY_CHARS`].
fn sections(blocks: &[BlockData]) -> Vec<SectionLink> {
    let headings = || {
        blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == "heading")
    };
    let Some(top) = headings().map(|(_, b)| b.level).min() else {
        return Vec::new();
    };
    let links: Vec<SectionLink> = headings()
        .filter(|(_, b)| b.level == top)
        .map(|(index, b)| SectionLink {
            title: b.text.clone(),
            block: index as i32,
        })
        .collect();
    if links.len() < MIN_SECTIONS || long_text::chars(blocks) < LONG_BODY_CHARS {
        return Vec::new();
    }
    links
}

impl Presenter<'_> {
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
                    title: self.title(&venue.name).into(),
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
        if let Some((shown_in, blocks)) = body.get_with_lang(self.lang) {
            // A table's own words (its corner) in the language it is shown in.
            let corner = words::word(shown_in, Word::RowItems);
            for block in blocks {
                self.block(block, corner, &mut data, &mut tables);
            }
        }
        for attachment in attachments {
            data.push(self.qr_block(
                &attachment.url,
                words::labelled(self.w(Word::Attachment), &self.t(&attachment.title)),
            ));
        }
        DetailContent {
            detail: DetailData {
                id: id.into(),
                title: self.title(title).into(),
                meta: meta.into(),
                category: "".into(),
                urgent,
                machine_note: self.machine_note(body).into(),
                sections: model(sections(&data)),
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

    fn block(
        &self,
        block: &Block,
        table_corner: &str,
        out: &mut Vec<BlockData>,
        tables: &mut Vec<TableData>,
    ) {
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
                tables.push(table_data(table, &caption, table_corner));
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
}

/// A table in the UI's geometry, under `caption`; `corner` heads its row
/// labels when its corner held a note.
fn table_data(table: &Table, caption: &str, corner: &str) -> TableData {
    let layout = table_layout::layout(table, TABLE_FONT_PX, corner);
    TableData {
        caption: keep_last_two_together(caption).into(),
        note: layout.note.unwrap_or_default().into(),
        columns: table.column_count() as i32,
        sample_data: table.sample_data,
        width: layout.width,
        height: layout.height,
        header_height: layout.header_height,
        pinned_width: layout.pinned_width,
        cells: model(
            layout
                .cells
                .into_iter()
                .map(|c| TableCell {
                    x: c.x,
                    y: c.y,
                    width: c.width,
                    height: c.height,
                    text_width: c.text_width,
                    text_height: c.text_height,
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
