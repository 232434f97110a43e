//! Body blocks: the rich content of notices, documents and answers.

use serde::{Deserialize, Serialize};

/// One run of inline text with its styling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// The characters of the run.
    pub text: String,
    /// Shown emphasized (bold weight on the kiosk).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strong: bool,
    /// Target of a link; the kiosk shows links as QR codes on demand, never navigates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl Span {
    /// A plain run of text.
    pub fn plain(text: impl Into<String>) -> Self {
        Span {
            text: text.into(),
            strong: false,
            link: None,
        }
    }
}

/// A paragraph-like sequence of spans.
pub type Inline = Vec<Span>;

/// Joins the text of spans, dropping the styling.
pub fn plain_text(inline: &[Span]) -> String {
    inline.iter().map(|span| span.text.as_str()).collect()
}

/// A block of body content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A section heading; level 1 is the largest inside a body.
    Heading {
        /// 1–3.
        level: u8,
        /// Heading text.
        text: String,
    },
    /// A paragraph of styled text.
    Paragraph {
        /// Runs of text.
        spans: Inline,
    },
    /// A bulleted or numbered list.
    List {
        /// Numbered when true.
        ordered: bool,
        /// One entry per item.
        items: Vec<Inline>,
    },
    /// A table, possibly with merged cells.
    Table(Table),
    /// An image from the content's assets.
    Image {
        /// Asset path relative to the content folder (`assets/…`).
        asset: String,
        /// Caption shown under the image.
        caption: String,
    },
    /// A QR code the visitor can scan.
    Qr {
        /// Encoded URL.
        url: String,
        /// Caption shown under the code.
        caption: String,
    },
    /// A horizontal rule.
    Divider,
}

/// A table cell; spans merge cells like HTML's colspan/rowspan.
///
/// Authored as a plain string or as `{ text = "…", colspan = 2, rowspan = 3 }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "CellRepr")]
pub struct Cell {
    /// Cell text.
    pub text: String,
    /// Columns covered, at least 1.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub colspan: u16,
    /// Rows covered, at least 1.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub rowspan: u16,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum CellRepr {
    Text(String),
    Full {
        text: String,
        #[serde(default = "one")]
        colspan: u16,
        #[serde(default = "one")]
        rowspan: u16,
    },
}

impl From<CellRepr> for Cell {
    fn from(repr: CellRepr) -> Self {
        match repr {
            CellRepr::Text(text) => Cell::new(text),
            CellRepr::Full {
                text,
                colspan,
                rowspan,
            } => Cell {
                text,
                colspan: colspan.max(1),
                rowspan: rowspan.max(1),
            },
        }
    }
}

fn one() -> u16 {
    1
}

fn is_one(value: &u16) -> bool {
    *value == 1
}

impl Cell {
    /// A cell covering one column and one row.
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
        }
    }

    /// Whether the text reads as a number (right-aligned, tabular figures).
    pub fn is_numeric(&self) -> bool {
        let trimmed = self.text.trim();
        !trimmed.is_empty()
            && trimmed
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '+'))
            && trimmed.chars().any(|c| c.is_ascii_digit())
    }
}

/// A table with header rows (column groups via colspan) and body rows
/// (row groups via rowspan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Table {
    /// Caption above the table.
    #[serde(default)]
    pub caption: String,
    /// Header rows, top to bottom.
    #[serde(default)]
    pub header: Vec<Vec<Cell>>,
    /// Body rows.
    #[serde(default)]
    pub rows: Vec<Vec<Cell>>,
    /// How many leading columns label the rows (kept visible while scrolling).
    #[serde(default = "one_usize")]
    pub label_columns: usize,
    /// The figures are illustrative, not real data; the kiosk labels them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sample_data: bool,
}

fn one_usize() -> usize {
    1
}

impl Table {
    /// Number of grid columns, counting colspans, over header and body.
    pub fn column_count(&self) -> usize {
        self.grid(&self.header)
            .width
            .max(self.grid(&self.rows).width)
    }

    /// Lays out rows on a grid, resolving rowspans and colspans.
    pub fn grid(&self, rows: &[Vec<Cell>]) -> Grid {
        let mut occupied: Vec<Vec<bool>> = Vec::new();
        let mut placed = Vec::new();
        for (row_index, row) in rows.iter().enumerate() {
            let mut column = 0;
            for cell in row {
                while is_taken(&occupied, row_index, column) {
                    column += 1;
                }
                let colspan = usize::from(cell.colspan.max(1));
                let rowspan = usize::from(cell.rowspan.max(1));
                for r in row_index..row_index + rowspan {
                    for c in column..column + colspan {
                        mark(&mut occupied, r, c);
                    }
                }
                placed.push(PlacedCell {
                    row: row_index,
                    column,
                    rowspan,
                    colspan,
                    cell: cell.clone(),
                });
                column += colspan;
            }
        }
        let width = occupied.iter().map(Vec::len).max().unwrap_or(0);
        Grid {
            width,
            height: occupied.len().max(rows.len()),
            cells: placed,
        }
    }
}

fn is_taken(occupied: &[Vec<bool>], row: usize, column: usize) -> bool {
    occupied
        .get(row)
        .and_then(|cells| cells.get(column))
        .copied()
        .unwrap_or(false)
}

fn mark(occupied: &mut Vec<Vec<bool>>, row: usize, column: usize) {
    if occupied.len() <= row {
        occupied.resize(row + 1, Vec::new());
    }
    let cells = &mut occupied[row];
    if cells.len() <= column {
        cells.resize(column + 1, false);
    }
    cells[column] = true;
}

/// A table section laid out on a grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// Columns used.
    pub width: usize,
    /// Rows used (rowspans may extend past the last authored row).
    pub height: usize,
    /// Every cell with its grid position.
    pub cells: Vec<PlacedCell>,
}

/// A cell at its grid position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedCell {
    /// Top grid row.
    pub row: usize,
    /// Left grid column.
    pub column: usize,
    /// Rows covered.
    pub rowspan: usize,
    /// Columns covered.
    pub colspan: usize,
    /// The cell.
    pub cell: Cell,
}

/// Applies `f` to every piece of human-readable text in the blocks
/// (URLs and asset paths are left alone).
pub fn map_text(blocks: &[Block], f: &mut impl FnMut(&str) -> String) -> Vec<Block> {
    let map_inline = |inline: &Inline, f: &mut dyn FnMut(&str) -> String| -> Inline {
        inline
            .iter()
            .map(|span| Span {
                text: f(&span.text),
                ..span.clone()
            })
            .collect()
    };
    let map_cells = |rows: &[Vec<Cell>], f: &mut dyn FnMut(&str) -> String| {
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|cell| Cell {
                        text: f(&cell.text),
                        ..cell.clone()
                    })
                    .collect()
            })
            .collect()
    };
    blocks
        .iter()
        .map(|block| match block {
            Block::Heading { level, text } => Block::Heading {
                level: *level,
                text: f(text),
            },
            Block::Paragraph { spans } => Block::Paragraph {
                spans: map_inline(spans, f),
            },
            Block::List { ordered, items } => Block::List {
                ordered: *ordered,
                items: items.iter().map(|item| map_inline(item, f)).collect(),
            },
            Block::Table(table) => Block::Table(Table {
                caption: f(&table.caption),
                header: map_cells(&table.header, f),
                rows: map_cells(&table.rows, f),
                ..table.clone()
            }),
            Block::Image { asset, caption } => Block::Image {
                asset: asset.clone(),
                caption: f(caption),
            },
            Block::Qr { url, caption } => Block::Qr {
                url: url.clone(),
                caption: f(caption),
            },
            Block::Divider => Block::Divider,
        })
        .collect()
}

/// Calls `f` on every piece of human-readable text in the blocks, in
/// reading order, without copying (the pieces [`map_text`] maps).
pub fn each_text<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a str)) {
    for block in blocks {
        match block {
            Block::Heading { text, .. } => f(text),
            Block::Paragraph { spans } => spans.iter().for_each(|span| f(&span.text)),
            Block::List { items, .. } => items.iter().flatten().for_each(|span| f(&span.text)),
            Block::Table(table) => {
                f(&table.caption);
                table
                    .header
                    .iter()
                    .chain(&table.rows)
                    .flatten()
                    .for_each(|cell| f(&cell.text));
            }
            Block::Image { caption, .. } | Block::Qr { caption, .. } => f(caption),
            Block::Divider => {}
        }
    }
}

/// Every piece of human-readable text in the blocks, in reading order.
pub fn texts(blocks: &[Block]) -> Vec<String> {
    let mut out = Vec::new();
    each_text(blocks, &mut |text| out.push(text.to_owned()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, colspan: u16, rowspan: u16) -> Cell {
        Cell {
            text: text.into(),
            colspan,
            rowspan,
        }
    }

    #[test]
    fn grid_resolves_column_groups_and_row_groups() {
        let table = Table {
            header: vec![
                vec![
                    cell("", 1, 2),
                    cell("自然人", 1, 2),
                    cell("法人或其他組織", 2, 1),
                ],
                vec![cell("商業企業", 1, 1), cell("其他", 1, 1)],
            ],
            ..Table::default()
        };
        let grid = table.grid(&table.header);
        assert_eq!(grid.width, 4);
        let positions: Vec<_> = grid.cells.iter().map(|c| (c.row, c.column)).collect();
        assert_eq!(positions, [(0, 0), (0, 1), (0, 2), (1, 2), (1, 3)]);
    }

    #[test]
    fn numeric_cells_are_recognised() {
        assert!(Cell::new("1,018").is_numeric());
        assert!(Cell::new(" 29 ").is_numeric());
        assert!(!Cell::new("總計").is_numeric());
        assert!(!Cell::new("-").is_numeric());
    }

    #[test]
    fn map_text_leaves_urls_alone() {
        let blocks = vec![Block::Qr {
            url: "https://example.org/a".into(),
            caption: "扫码".into(),
        }];
        let mapped = map_text(&blocks, &mut |t| format!("<{t}>"));
        assert_eq!(
            mapped,
            vec![Block::Qr {
                url: "https://example.org/a".into(),
                caption: "<扫码>".into()
            }]
        );
    }
}
