//! Markdown bodies (GFM) to body blocks.
//!
//! Conventions beyond CommonMark: `![caption](qr:https://…)` is a QR code,
//! `![caption](assets/x.png)` an image from the content's assets, and a
//! fenced block with info string `table` holds a TOML table with merged
//! cells (see `docs/authoring.md`).

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::diagnostics::Diagnostics;
use super::source::{SourceFile, deserialize, table_value};
use crate::content::blocks::{Block, Cell, Inline, Span, Table};

/// Whether an asset path names a PNG, the image format the kiosk draws.
pub fn is_png(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".png")
}

/// URL scheme marking an image as a QR code.
const QR_SCHEME: &str = "qr:";

/// Parses the Markdown in `source.text[range]` into blocks; every problem is
/// reported at its position. `asset_exists` answers whether `assets/…` exists.
pub fn parse_body(
    source: &SourceFile,
    range: Range<usize>,
    asset_exists: &dyn Fn(&str) -> bool,
    diagnostics: &mut Diagnostics,
) -> Vec<Block> {
    let base = range.start;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(&source.text[range], options).into_offset_iter();
    let mut builder = BlockBuilder::default();
    for (event, span) in parser {
        let offset = base + span.start;
        builder.event(event, offset, source, asset_exists, diagnostics);
    }
    builder.finish()
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
}

#[derive(Default)]
struct TableBuilder {
    header: Vec<Vec<Cell>>,
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
    in_head: bool,
}

impl BlockBuilder {
    fn event(
        &mut self,
        event: Event<'_>,
        offset: usize,
        source: &SourceFile,
        asset_exists: &dyn Fn(&str) -> bool,
        diagnostics: &mut Diagnostics,
    ) {
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag, source, asset_exists, diagnostics),
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
                source.error(
                    diagnostics,
                    offset,
                    format!("raw HTML is not shown on the kiosk: `{}`", html.trim()),
                );
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
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

    fn end(
        &mut self,
        tag: TagEnd,
        source: &SourceFile,
        asset_exists: &dyn Fn(&str) -> bool,
        diagnostics: &mut Diagnostics,
    ) {
        match tag {
            TagEnd::Paragraph => self.flush_paragraph(),
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
                    self.image_block(url, caption, offset, source, asset_exists, diagnostics);
                }
            }
            TagEnd::Item => {
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
                    self.fence_block(&info, &text, offset, source, diagnostics);
                }
            }
            _ => {}
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
        source: &SourceFile,
        asset_exists: &dyn Fn(&str) -> bool,
        diagnostics: &mut Diagnostics,
    ) {
        self.flush_paragraph();
        if let Some(target) = url.strip_prefix(QR_SCHEME) {
            if !(target.starts_with("https://") || target.starts_with("http://")) {
                source.error(
                    diagnostics,
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
            source.error(
                diagnostics,
                offset,
                format!("image `{url}` must be a file under assets/ (the kiosk never loads images from the web)"),
            );
        } else if !asset_exists(&url) {
            source.error(
                diagnostics,
                offset,
                format!("image `{url}` does not exist in the content folder"),
            );
        } else if !is_png(&url) {
            source.error(
                diagnostics,
                offset,
                format!("image `{url}` must be a PNG file (convert it to .png)"),
            );
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
        source: &SourceFile,
        diagnostics: &mut Diagnostics,
    ) {
        if info != "table" {
            self.blocks.push(Block::Paragraph {
                spans: vec![Span::plain(text.trim_end())],
            });
            return;
        }
        let range = offset..offset + text.len();
        let Some(parsed) = source.parse_toml(range, diagnostics) else {
            return;
        };
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
                    offset,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<Block>, Vec<String>) {
        let source = SourceFile::new("n.md", text);
        let mut diagnostics = Diagnostics::default();
        let blocks = parse_body(
            &source,
            0..text.len(),
            &|path| path == "assets/map.png",
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
