//! A site's HTML body turned into the authoring format's Markdown:
//! paragraphs, headings, lists, links, bold, images (already downloaded
//! into `assets/`), and tables as ```` ```table ```` fences that keep merged
//! cells. Text is cleaned (pinyin debris, stray spaces); inline styles,
//! scripts and layout markup are dropped.

use scraper::{ElementRef, Node};
use url::Url;

use crate::content::blocks::{Cell, Table};
use crate::content::clean::{clean_source_text, is_han};

/// Where the images of a body went: the asset path of a downloaded image,
/// or `None` when it could not be fetched (the Markdown then links to it).
pub type ImagePaths<'a> = &'a dyn Fn(&Url) -> Option<String>;

/// The absolute URLs of the images in `body`, in document order.
pub fn image_urls(body: ElementRef<'_>, base: &Url) -> Vec<Url> {
    body.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "img")
        .filter_map(|e| e.value().attr("src"))
        .filter_map(|src| base.join(src).ok())
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .collect()
}

/// Converts `body` to Markdown; links and images are resolved against `base`.
pub fn to_markdown(body: ElementRef<'_>, base: &Url, images: ImagePaths<'_>) -> String {
    let mut writer = Writer {
        base,
        images,
        blocks: Vec::new(),
        paragraph: String::new(),
    };
    writer.children(body);
    writer.flush();
    writer.blocks.join("\n\n") + "\n"
}

/// The text of an element, cleaned, on one line.
pub fn plain_text(element: ElementRef<'_>) -> String {
    clean_source_text(&join_lines(&collapse(&element.text().collect::<String>())))
}

struct Writer<'a> {
    base: &'a Url,
    images: ImagePaths<'a>,
    blocks: Vec<String>,
    paragraph: String,
}

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "iframe", "object", "form", "button", "input", "select", "head",
];

impl Writer<'_> {
    fn children(&mut self, element: ElementRef<'_>) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.paragraph.push_str(&escape(&collapse(text))),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.element(child);
                    }
                }
                _ => {}
            }
        }
    }

    /// Ends the paragraph being collected.
    fn flush(&mut self) {
        let text = clean_source_text(&join_lines(&std::mem::take(&mut self.paragraph)));
        if !text.is_empty() {
            self.blocks.push(text);
        }
    }

    fn element(&mut self, element: ElementRef<'_>) {
        let name = element.value().name();
        match name {
            _ if SKIPPED.contains(&name) => {}
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = match name {
                    "h1" | "h2" => 2,
                    "h3" => 3,
                    _ => 4,
                };
                let text = self.inline(element);
                if !text.is_empty() {
                    self.blocks.push(format!("{} {text}", "#".repeat(level)));
                }
            }
            "ul" | "ol" => {
                self.flush();
                let ordered = name == "ol";
                let items: Vec<String> = element
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|li| li.value().name() == "li")
                    .map(|li| self.inline(li))
                    .filter(|text| !text.is_empty())
                    .enumerate()
                    .map(|(index, text)| {
                        if ordered {
                            format!("{}. {text}", index + 1)
                        } else {
                            format!("- {text}")
                        }
                    })
                    .collect();
                if !items.is_empty() {
                    self.blocks.push(items.join("\n"));
                }
            }
            "table" => {
                self.flush();
                if let Some(fence) = table_fence(element) {
                    self.blocks.push(fence);
                }
            }
            "img" => {
                self.flush();
                if let Some(image) = self.image(element) {
                    self.blocks.push(image);
                }
            }
            "hr" => {
                self.flush();
                self.blocks.push("---".into());
            }
            "br" => self.flush(),
            "p" | "div" | "section" | "article" | "blockquote" | "center" | "li" | "dl" | "dd"
            | "dt" | "main" | "header" | "footer" => {
                self.flush();
                self.children(element);
                self.flush();
            }
            "strong" | "b" => {
                let text = self.inline(element);
                if !text.is_empty() {
                    self.paragraph.push_str(&format!("**{text}**"));
                }
            }
            "a" => {
                let text = self.inline(element);
                match element
                    .value()
                    .attr("href")
                    .and_then(|href| self.base.join(href).ok())
                    .filter(|url| matches!(url.scheme(), "http" | "https"))
                {
                    Some(url) if !text.is_empty() => {
                        self.paragraph.push_str(&format!("[{text}]({url})"));
                    }
                    _ => self.paragraph.push_str(&text),
                }
            }
            // span, font, em, u, … : their text, without their styling.
            _ => self.children(element),
        }
    }

    /// The inline Markdown of an element's content, on one line; block
    /// content inside it is joined with spaces.
    fn inline(&self, element: ElementRef<'_>) -> String {
        let mut inner = Writer {
            base: self.base,
            images: self.images,
            blocks: Vec::new(),
            paragraph: String::new(),
        };
        inner.children(element);
        inner.flush();
        inner.blocks.join(" ")
    }

    fn image(&self, element: ElementRef<'_>) -> Option<String> {
        let url = self.base.join(element.value().attr("src")?).ok()?;
        let alt = clean_source_text(&join_lines(&collapse(
            element.value().attr("alt").unwrap_or(""),
        )));
        let caption = if alt.is_empty() {
            "图片".to_owned()
        } else {
            escape(&alt)
        };
        Some(match (self.images)(&url) {
            Some(path) => format!("![{caption}]({path})"),
            None => format!("[{caption}]({url})"),
        })
    }
}

/// A table as a ```` ```table ```` fence; header rows are those in
/// `<thead>` or made only of `<th>` cells at the top.
fn table_fence(table: ElementRef<'_>) -> Option<String> {
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for row in table
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "tr")
    {
        let cells: Vec<(bool, Cell)> = row
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|cell| matches!(cell.value().name(), "td" | "th"))
            .map(|cell| {
                let span = |name| {
                    cell.value()
                        .attr(name)
                        .and_then(|v| v.trim().parse::<u16>().ok())
                        .unwrap_or(1)
                        .clamp(1, 100)
                };
                (
                    cell.value().name() == "th",
                    Cell {
                        text: plain_text(cell),
                        colspan: span("colspan"),
                        rowspan: span("rowspan"),
                    },
                )
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        let in_head = row
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|e| e.value().name() == "thead");
        let all_th = cells.iter().all(|(th, _)| *th);
        let cells = cells.into_iter().map(|(_, cell)| cell).collect();
        if rows.is_empty() && (in_head || all_th) {
            header.push(cells);
        } else {
            rows.push(cells);
        }
    }
    if header.is_empty() && rows.is_empty() {
        return None;
    }
    // Many sites mark up the header row with <td>: a first row without
    // digits above rows with digits is a header.
    let has_digits = |row: &Vec<Cell>| {
        row.iter()
            .any(|c| c.text.chars().any(|ch| ch.is_ascii_digit()))
    };
    if header.is_empty()
        && rows.len() > 1
        && !has_digits(&rows[0])
        && rows[1..].iter().any(has_digits)
    {
        header.push(rows.remove(0));
    }
    let caption = table
        .children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "caption")
        .map(plain_text)
        .unwrap_or_default();
    let table = Table {
        caption,
        header,
        rows,
        label_columns: 1,
        sample_data: false,
    };
    let toml = toml::to_string(&table).ok()?;
    Some(format!("```table\n{}```", toml))
}

/// Collapses runs of whitespace into one space, keeping one at either end
/// where there was any; a run holding a line break becomes a line break,
/// which [`join_lines`] resolves once the neighbours are known.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run: Option<bool> = None;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            let line_break = matches!(c, '\n' | '\r');
            run = Some(run.unwrap_or(false) || line_break);
            continue;
        }
        if let Some(line_break) = run.take() {
            out.push(if line_break { '\n' } else { ' ' });
        }
        out.push(c);
    }
    if let Some(line_break) = run {
        out.push(if line_break { '\n' } else { ' ' });
    }
    out
}

/// Resolves the line breaks of HTML source as browsers do (CSS Text,
/// segment breaks): gone between two Chinese characters (bold and link
/// markup between them aside), a space elsewhere. Spaces that were meant (`廣州市體育局 廣州市教育局`) stay.
fn join_lines(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (index, &c) in chars.iter().enumerate() {
        if c != '\n' {
            out.push(c);
            continue;
        }
        // Bold and link markup between the characters does not count.
        let before = out.chars().rev().find(|c| *c != '*');
        let after = chars[index + 1..]
            .iter()
            .copied()
            .find(|c| !matches!(c, '\n' | '*' | '['));
        let between_han = before.is_some_and(is_wide) && after.is_some_and(is_wide);
        if !between_han {
            out.push(' ');
        }
    }
    out
}

/// East Asian wide characters: Han and full-width punctuation.
fn is_wide(c: char) -> bool {
    is_han(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// Escapes the ASCII punctuation Markdown would read as markup.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '#' | '|' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn convert(html: &str) -> String {
        let document = Html::parse_document(html);
        let body = document
            .select(&Selector::parse("#zoom").unwrap())
            .next()
            .unwrap();
        let base = Url::parse("https://tyj.gz.gov.cn/tzgg/content/post_1.html").unwrap();
        to_markdown(body, &base, &|url: &Url| {
            url.path()
                .ends_with("ok.png")
                .then(|| "assets/mirror/ok.png".to_owned())
        })
    }

    #[test]
    fn paragraphs_headings_lists_links_and_bold() {
        let markdown = convert(
            r#"<div id="zoom"><h2>一、 总体情况</h2>
            <p style="text-indent:2em"><span style="font-family:仿宋">根据《條例》要求，</span>
            現將<strong>年度報告</strong>公布如下。</p>
            <p>&nbsp;</p><p>　</p>
            <ul><li>第一項</li><li>第二項</li></ul>
            <p>詳見<a href="/zwgk/2019.html">附件</a>。</p>
            <script>alert(1)</script></div>"#,
        );
        assert_eq!(
            markdown,
            "## 一、总体情况\n\n根据《條例》要求，現將**年度報告**公布如下。\n\n- 第一項\n- 第二項\n\n詳見[附件](https://tyj.gz.gov.cn/zwgk/2019.html)。\n"
        );
    }

    #[test]
    fn pinyin_debris_and_stray_spaces_are_cleaned() {
        assert_eq!(
            convert("<div id=zoom><p>有關(guān)規(guī)定\u{a0}\u{3000}如下</p></div>"),
            "有關規定 如下\n"
        );
    }

    #[test]
    fn lost_characters_that_cannot_be_told_stay_for_validate() {
        assert_eq!(
            convert("<div id=zoom><p>重大?xiàng)目，其他事宜?lì)。</p></div>"),
            "重大項目，其他事宜?lì)。\n"
        );
    }

    #[test]
    fn source_line_breaks_join_chinese_and_meant_spaces_stay() {
        assert_eq!(
            convert(
                "<div id=zoom><p>根據\n    <b>規定</b>\n 辦理,\nsee\n the rules</p><p>廣州市體育局 廣州市教育局</p></div>"
            ),
            "根據**規定**辦理, see the rules\n\n廣州市體育局 廣州市教育局\n"
        );
    }

    #[test]
    fn tables_keep_merged_cells_and_header_rows() {
        let markdown = convert(
            r#"<div id="zoom"><table><caption>申請情況</caption>
            <thead><tr><th rowspan="2">項目</th><th colspan="2">法人</th></tr>
            <tr><th>企業</th><th>其他</th></tr></thead>
            <tbody><tr><td>新收</td><td>3</td><td>1</td></tr></tbody></table></div>"#,
        );
        let fence = markdown
            .strip_prefix("```table\n")
            .and_then(|rest| rest.strip_suffix("```\n"))
            .expect("a table fence");
        let table: Table = toml::from_str(fence).expect("the fence is the authoring format");
        assert_eq!(table.caption, "申請情況");
        assert_eq!(table.header.len(), 2);
        assert_eq!(
            (table.header[0][0].rowspan, table.header[0][1].colspan),
            (2, 2)
        );
        assert_eq!(table.rows[0][0].text, "新收");
    }

    #[test]
    fn a_first_row_of_labels_over_figures_is_the_header() {
        let markdown = convert(
            "<div id=zoom><table><tr><td>区</td><td>数量</td></tr><tr><td>海珠区</td><td>512</td></tr></table></div>",
        );
        let fence = &markdown["```table\n".len()..markdown.len() - "```\n".len()];
        let table: Table = toml::from_str(fence).unwrap();
        assert_eq!(table.header.len(), 1);
        assert_eq!(table.header[0][0].text, "区");
        assert_eq!(table.rows.len(), 1);
    }

    #[test]
    fn downloaded_images_become_assets_and_missing_ones_links() {
        let markdown = convert(
            r#"<div id="zoom"><p>圖一<img src="/img/ok.png" alt="場館"></p><img src="https://x.cn/gone.jpg"></div>"#,
        );
        assert_eq!(
            markdown,
            "圖一\n\n![場館](assets/mirror/ok.png)\n\n[图片](https://x.cn/gone.jpg)\n"
        );
    }

    #[test]
    fn markdown_characters_in_text_are_escaped() {
        assert_eq!(
            convert("<div id=zoom><p>*注意* <b>x</b> [1]</p></div>"),
            "\\*注意\\* **x** \\[1\\]\n"
        );
    }
}
