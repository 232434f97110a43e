//! Markdown bodies (GFM) to body blocks.
//!
//! Conventions beyond CommonMark: `![caption](qr:https://…)` is a QR code,
//! `![caption](assets/x.png)` an image from the content's assets, and a
//! fenced block with info string `table` holds a TOML table with merged
//! cells (see `docs/authoring.md`).

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use toml::de::DeValue;

use super::diagnostics::Diagnostics;
use super::source::{SourceFile, deserialize, table_value};
use crate::content::blocks::{Block, Cell, Inline, Span, Table};

/// URL scheme marking an image as a QR code.
const QR_SCHEME: &str = "qr:";

/// Paragraphs and list items longer than this many characters get a
/// warning: about ten screens at the normal text size. Nobody reads that
/// much on a standing kiosk without headings to find their place, and the
/// kiosk lays out a paragraph as one piece of text, so a huge one is slow
/// to open.
pub const MAX_PARAGRAPH_CHARS: usize = 10_000;

/// A GFM table delimiter row (`|---|:--:|`).
static DELIMITER_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$").expect("static pattern is valid")
});

/// Answers whether a picture (`assets/…`) can be shown; the error says why not.
pub type CheckPicture<'a> = &'a mut dyn FnMut(&str) -> Result<(), String>;

/// Parses the Markdown in `source.text[range]` into blocks; every problem is
/// reported at its position. `check_picture` judges every `assets/…` image.
pub fn parse_body(
    source: &SourceFile,
    range: Range<usize>,
    check_picture: CheckPicture<'_>,
    diagnostics: &mut Diagnostics,
) -> Vec<Block> {
    let base = range.start;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(&source.text[range], options).into_offset_iter();
    let mut builder = BlockBuilder::default();
    let mut context = Context {
        source,
        check_picture,
        diagnostics,
    };
    for (event, span) in parser {
        builder.event(event, base + span.start..base + span.end, &mut context);
    }
    builder.finish()
}

/// What every event may need: the file, the picture check, the findings.
struct Context<'a, 'c> {
    source: &'a SourceFile,
    check_picture: CheckPicture<'c>,
    diagnostics: &'a mut Diagnostics,
}

#[derive(Default)]
struct BlockBuilder {
    blocks: Vec<Block>,
    inline: Inline,
    strong_depth: usize,
    link: Option<String>,
    image: Option<(String, String, usize)>,
    heading: Option<u8>,
    lists: Vec<(bool, Vec<Inline>)>,
    table: Option<TableBuilder>,
    fence: Option<(String, String, usize)>,
    /// Where the paragraph or list item being collected starts.
    text_start: usize,
}

#[derive(Default)]
struct TableBuilder {
    header: Vec<Vec<Cell>>,
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    in_head: bool,
    /// Header cells as written in the source.
    width: usize,
}

impl BlockBuilder {
    fn event(&mut self, event: Event<'_>, span: Range<usize>, context: &mut Context<'_, '_>) {
        let offset = span.start;
        match event {
            Event::Start(tag) => self.start(tag, span, context),
            Event::End(tag) => self.end(tag, context),
            Event::Text(text) | Event::Code(text) => self.text(&text, offset),
            Event::SoftBreak
                if self
                    .inline
                    .last()
                    .and_then(|s| s.text.chars().last())
                    .is_some_and(|c| c.is_ascii()) =>
            {
                self.text(" ", offset);
            }
            Event::HardBreak => self.text("\n", offset),
            Event::Rule => self.blocks.push(Block::Divider),
            Event::Html(html) | Event::InlineHtml(html) => {
                context.source.error(
                    context.diagnostics,
                    offset,
                    format!("raw HTML is not shown on the kiosk: `{}`", html.trim()),
                );
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Range<usize>, context: &mut Context<'_, '_>) {
        let offset = span.start;
        match tag {
            Tag::Paragraph => {
                self.text_start = offset;
                check_table_lookalike(&context.source.text[span], offset, context);
            }
            Tag::Item => self.text_start = offset,
            Tag::Heading { level, .. } => self.heading = Some(level as u8),
            Tag::Strong | Tag::Emphasis => self.strong_depth += 1,
            Tag::Link { dest_url, .. } => self.link = Some(dest_url.into_string()),
            Tag::Image { dest_url, .. } => {
                self.image = Some((dest_url.into_string(), String::new(), offset))
            }
            Tag::List(first) => self.lists.push((first.is_some(), Vec::new())),
            Tag::Table(_) => self.table = Some(TableBuilder::default()),
            Tag::TableHead => {
                if let Some(table) = &mut self.table {
                    table.in_head = true;
                    table.width = source_cells(&context.source.text[span]);
                }
            }
            Tag::TableRow => {
                let width = self.table.as_ref().map_or(0, |table| table.width);
                let cells = source_cells(&context.source.text[span]);
                if width > 0 && cells > width {
                    context.source.error(
                        context.diagnostics,
                        offset,
                        format!("table row has {cells} cells but the header has {width}: the kiosk would not show the extra cells; add a column to the header or merge the cells"),
                    );
                }
            }
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_owned(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.fence = Some((info, String::new(), usize::MAX));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, context: &mut Context<'_, '_>) {
        match tag {
            TagEnd::Paragraph => {
                self.warn_if_huge("paragraph", context);
                self.flush_paragraph();
            }
            TagEnd::Heading(_) => {
                let text = crate::content::blocks::plain_text(&std::mem::take(&mut self.inline));
                let level = self.heading.take().unwrap_or(2).clamp(1, 3);
                self.blocks.push(Block::Heading { level, text });
            }
            TagEnd::Strong | TagEnd::Emphasis => {
                self.strong_depth = self.strong_depth.saturating_sub(1)
            }
            TagEnd::Link => self.link = None,
            TagEnd::Image => {
                if let Some((url, caption, offset)) = self.image.take() {
                    self.image_block(url, caption, offset, context);
                }
            }
            TagEnd::Item => {
                self.warn_if_huge("list item", context);
                let item = std::mem::take(&mut self.inline);
                if let Some((_, items)) = self.lists.last_mut()
                    && !item.is_empty()
                {
                    items.push(item);
                }
            }
            TagEnd::List(_) => {
                if let Some((ordered, items)) = self.lists.pop() {
                    match self.lists.last_mut() {
                        Some((_, outer)) => outer.extend(items),
                        None => self.blocks.push(Block::List { ordered, items }),
                    }
                }
            }
            TagEnd::TableCell => {
                let text = crate::content::blocks::plain_text(&std::mem::take(&mut self.inline));
                if let Some(table) = &mut self.table {
                    table.row.push(Cell::new(text.trim()));
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    let row = std::mem::take(&mut table.row);
                    table.header.push(row);
                    table.in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = &mut self.table {
                    let row = std::mem::take(&mut table.row);
                    if table.in_head {
                        table.header.push(row);
                    } else {
                        table.rows.push(row);
                    }
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.blocks.push(Block::Table(Table {
                        header: table.header,
                        rows: table.rows,
                        ..Table::default()
                    }));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((info, text, offset)) = self.fence.take() {
                    self.fence_block(&info, &text, offset, context);
                }
            }
            _ => {}
        }
    }

    /// Warns about a paragraph or list item too long to read on a kiosk.
    fn warn_if_huge(&self, what: &str, context: &mut Context<'_, '_>) {
        let length: usize = self
            .inline
            .iter()
            .map(|span| span.text.chars().count())
            .sum();
        if length > MAX_PARAGRAPH_CHARS {
            context.source.warning(
                context.diagnostics,
                self.text_start,
                format!(
                    "{what} of {} characters: over {} characters (about ten screens) nobody reads on a kiosk, and the screen is slow to open it; split it into shorter paragraphs under headings, or link to the full text",
                    thousands(length),
                    thousands(MAX_PARAGRAPH_CHARS)
                ),
            );
        }
    }

    fn text(&mut self, text: &str, offset: usize) {
        if let Some((_, caption, _)) = &mut self.image {
            caption.push_str(text);
            return;
        }
        if let Some((_, body, start)) = &mut self.fence {
            if *start == usize::MAX {
                *start = offset;
            }
            body.push_str(text);
            return;
        }
        let strong = self.strong_depth > 0;
        match self.inline.last_mut() {
            Some(last) if last.strong == strong && last.link == self.link => {
                last.text.push_str(text)
            }
            _ => self.inline.push(Span {
                text: text.to_owned(),
                strong,
                link: self.link.clone(),
            }),
        }
    }

    fn flush_paragraph(&mut self) {
        let spans = std::mem::take(&mut self.inline);
        if spans.iter().any(|span| !span.text.trim().is_empty()) {
            self.blocks.push(Block::Paragraph { spans });
        }
    }

    fn image_block(
        &mut self,
        url: String,
        caption: String,
        offset: usize,
        context: &mut Context<'_, '_>,
    ) {
        self.flush_paragraph();
        if let Some(target) = url.strip_prefix(QR_SCHEME) {
            if !(target.starts_with("https://") || target.starts_with("http://")) {
                context.source.error(
                    context.diagnostics,
                    offset,
                    format!("QR code needs an http(s) URL, found `{target}`"),
                );
            }
            self.blocks.push(Block::Qr {
                url: target.to_owned(),
                caption,
            });
            return;
        }
        if !url.starts_with("assets/") {
            context.source.error(
                context.diagnostics,
                offset,
                format!("image `{url}` must be a file under assets/ (the kiosk never loads images from the web)"),
            );
        } else if let Err(message) = (context.check_picture)(&url) {
            context.source.error(context.diagnostics, offset, message);
        }
        self.blocks.push(Block::Image {
            asset: url,
            caption,
        });
    }

    fn fence_block(
        &mut self,
        info: &str,
        text: &str,
        offset: usize,
        context: &mut Context<'_, '_>,
    ) {
        if info != "table" {
            self.blocks.push(Block::Paragraph {
                spans: vec![Span::plain(text.trim_end())],
            });
            return;
        }
        let (source, diagnostics) = (context.source, &mut *context.diagnostics);
        let range = offset..offset + text.len();
        let Some(parsed) = source.parse_toml(range, diagnostics) else {
            return;
        };
        let row_offsets: Vec<usize> = parsed
            .get_ref()
            .iter()
            .find(|(key, _)| &**key.get_ref() == "rows")
            .and_then(|(_, rows)| match rows.get_ref() {
                DeValue::Array(rows) => {
                    Some(rows.iter().map(|row| offset + row.span().start).collect())
                }
                _ => None,
            })
            .unwrap_or_default();
        let Some(table) = deserialize::<Table>(source, offset, &table_value(parsed), diagnostics)
        else {
            return;
        };
        let width = table.grid(&table.header).width;
        for (index, row) in table.rows.iter().enumerate() {
            let row_width: usize = row.iter().map(|cell| usize::from(cell.colspan)).sum();
            if width > 0 && row_width > width {
                source.error(
                    diagnostics,
                    row_offsets.get(index).copied().unwrap_or(offset),
                    format!(
                        "table row {} has {row_width} columns but the header has {width}",
                        index + 1
                    ),
                );
            }
        }
        self.blocks.push(Block::Table(table));
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_paragraph();
        self.blocks
    }
}

/// Cells of a pipe-table row as written: its unescaped `|` separators.
fn source_cells(row: &str) -> usize {
    let line = row.lines().next().unwrap_or("").trim();
    let mut pipes: usize = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => pipes += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    let leading = usize::from(line.starts_with('|'));
    let trailing = usize::from(line.len() > 1 && line.ends_with('|') && !line.ends_with("\\|"));
    (pipes + 1).saturating_sub(leading + trailing)
}

/// A paragraph whose second line is a table delimiter row: a pipe table
/// whose delimiter row does not match its header, which Markdown then shows
/// as text with raw pipes.
fn check_table_lookalike(paragraph: &str, offset: usize, context: &mut Context<'_, '_>) {
    let mut lines = paragraph.lines();
    let (Some(header), Some(delimiter)) = (lines.next(), lines.next()) else {
        return;
    };
    if !header.contains('|') || !DELIMITER_ROW.is_match(delimiter) {
        return;
    }
    let (columns, dashes) = (source_cells(header), source_cells(delimiter));
    if columns != dashes {
        let second_line = paragraph
            .find('\n')
            .map_or(offset, |index| offset + index + 1);
        context.source.error(
            context.diagnostics,
            second_line,
            format!("table delimiter row has {dashes} cells but the header has {columns}: write one `---` per column, or the table shows as text with raw `|`"),
        );
    }
}

/// `1747620` as `1,747,620`.
fn thousands(number: usize) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<Block>, Vec<String>) {
        let source = SourceFile::new("n.md", text);
        let mut diagnostics = Diagnostics::default();
        let blocks = parse_body(
            &source,
            0..text.len(),
            &mut |path| {
                if path == "assets/map.png" {
                    Ok(())
                } else {
                    Err(format!(
                        "image `{path}` does not exist in the content folder"
                    ))
                }
            },
            &mut diagnostics,
        );
        (
            blocks,
            diagnostics.sorted().iter().map(|d| d.to_string()).collect(),
        )
    }

    #[test]
    fn every_block_kind_is_recognised() {
        let (blocks, errors) = parse(
            "## 办理须知\n\n请携带**身份证**，详见[官网](https://tyj.gz.gov.cn)。\n\n- 第一项\n- 第二项\n\n1. 受理\n2. 审查\n\n| 项目 | 人数 |\n|---|---:|\n| 游泳 | 1,200 |\n\n![场馆地图](assets/map.png)\n\n![扫码预约](qr:https://tyj.gz.gov.cn/book)\n\n---\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(&blocks[0], Block::Heading { level: 2, text } if text == "办理须知"));
        let Block::Paragraph { spans } = &blocks[1] else {
            panic!("{:?}", blocks[1])
        };
        assert!(spans.iter().any(|s| s.strong && s.text == "身份证"));
        assert!(
            spans
                .iter()
                .any(|s| s.link.as_deref() == Some("https://tyj.gz.gov.cn") && s.text == "官网")
        );
        assert!(matches!(&blocks[2], Block::List { ordered: false, items } if items.len() == 2));
        assert!(matches!(&blocks[3], Block::List { ordered: true, items } if items.len() == 2));
        let Block::Table(table) = &blocks[4] else {
            panic!("{:?}", blocks[4])
        };
        assert_eq!(table.header[0][1].text, "人数");
        assert_eq!(table.rows[0][1].text, "1,200");
        assert!(
            matches!(&blocks[5], Block::Image { asset, caption } if asset == "assets/map.png" && caption == "场馆地图")
        );
        assert!(matches!(&blocks[6], Block::Qr { url, .. } if url == "https://tyj.gz.gov.cn/book"));
        assert_eq!(blocks[7], Block::Divider);
    }

    #[test]
    fn table_fence_keeps_merged_cells() {
        let (blocks, errors) = parse(
            "```table\ncaption = \"申请情况\"\nsample_data = true\nheader = [[{ text = \"\", rowspan = 2 }, { text = \"法人\", colspan = 2 }], [\"企业\", \"其他\"]]\nrows = [[\"新收\", \"1\", \"2\"]]\n```\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let Block::Table(table) = &blocks[0] else {
            panic!()
        };
        assert!(table.sample_data);
        assert_eq!(table.header[0][1].colspan, 2);
        assert_eq!(table.column_count(), 3);
    }

    #[test]
    fn bad_table_fence_is_reported_at_its_line() {
        let (_, errors) =
            parse("正文\n\n```table\ncaption = \"x\"\nrows = [[\"a\", \"b\"]]\nfooter = 1\n```\n");
        assert_eq!(errors, ["n.md:6:1: unknown key `footer`"]);
    }

    #[test]
    fn dangling_and_remote_images_are_errors() {
        let (_, errors) =
            parse("文字\n\n![图](assets/missing.png)\n\n![图](https://x.org/a.png)\n");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("n.md:3:1: image `assets/missing.png` does not exist"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1]
                .starts_with("n.md:5:1: image `https://x.org/a.png` must be a file under assets/")
        );
    }

    #[test]
    fn chinese_soft_breaks_join_without_space() {
        let (blocks, _) = parse("第一行\n第二行\n\nfirst line\nsecond line\n");
        assert_eq!(
            blocks[0],
            Block::Paragraph {
                spans: vec![Span::plain("第一行第二行")]
            }
        );
        assert_eq!(
            blocks[1],
            Block::Paragraph {
                spans: vec![Span::plain("first line second line")]
            }
        );
    }
}
