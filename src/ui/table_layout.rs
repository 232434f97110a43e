//! Geometry of statistical tables on the portrait screen: column widths,
//! row heights, sticky label columns, and the per-row card view used at
//! large text sizes.

use super::words::labelled;
use crate::content::blocks::{Grid, PlacedCell, Table};

/// Padding inside a cell, left plus right.
const CELL_PADDING: f32 = 24.0;
/// Narrowest column.
const MIN_COLUMN: f32 = 112.0;
/// Widest data column; longer headers wrap.
const MAX_DATA_COLUMN: f32 = 200.0;
/// Widest label column; longer labels wrap.
const MAX_LABEL_COLUMN: f32 = 340.0;
/// Smallest row height (the touch-friendly minimum for a readable row).
const MIN_ROW: f32 = 72.0;

/// A cell placed in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct CellBox {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
    /// Text.
    pub text: String,
    /// Right-aligned number.
    pub numeric: bool,
    /// Part of the header (sticks to the top).
    pub header: bool,
    /// Part of the label columns (sticks to the left).
    pub sticky: bool,
    /// Shaded row.
    pub zebra: bool,
}

/// One body row as a card: its label and "column: value" lines.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCard {
    /// The row's label (its label columns joined).
    pub title: String,
    /// One line per data column.
    pub lines: Vec<String>,
}

/// A laid-out table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableLayout {
    /// Total width.
    pub width: f32,
    /// Total height.
    pub height: f32,
    /// Height of the header rows.
    pub header_height: f32,
    /// Width of the sticky label columns.
    pub label_width: f32,
    /// Cells, drawn in order: body, sticky body, header, sticky header.
    pub cells: Vec<CellBox>,
    /// The card view.
    pub cards: Vec<RowCard>,
}

/// Estimated width of text in pixels: CJK characters are square, others about half.
pub fn text_width(text: &str, font_px: f32) -> f32 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.56 } else { 1.0 })
        .sum::<f32>()
        * font_px
}

fn line_count(text: &str, width: f32, font_px: f32) -> f32 {
    let available = (width - CELL_PADDING).max(font_px);
    (text_width(text, font_px) / available).ceil().max(1.0)
}

/// Lays out a table for text of `font_px` pixels.
pub fn layout(table: &Table, font_px: f32) -> TableLayout {
    let header = table.grid(&table.header);
    let body = table.grid(&table.rows);
    let columns = header.width.max(body.width);
    let label_columns = table.label_columns.min(columns);
    let line_height = font_px * 1.35;

    let mut widths = vec![MIN_COLUMN; columns];
    for placed in header
        .cells
        .iter()
        .chain(&body.cells)
        .filter(|p| p.colspan == 1)
    {
        let cap = if placed.column < label_columns {
            MAX_LABEL_COLUMN
        } else {
            MAX_DATA_COLUMN
        };
        let wanted = (text_width(&placed.cell.text, font_px) + CELL_PADDING).min(cap);
        widths[placed.column] = widths[placed.column].max(wanted);
    }
    let offsets = prefix_sums(&widths);

    let header_rows = row_heights(&header, &offsets, font_px, line_height);
    let body_rows = row_heights(&body, &offsets, font_px, line_height);
    let header_height: f32 = header_rows.iter().sum();
    let header_offsets = prefix_sums(&header_rows);
    let body_offsets: Vec<f32> = prefix_sums(&body_rows)
        .into_iter()
        .map(|y| y + header_height)
        .collect();

    let mut cells = Vec::new();
    for (section_is_header, grid, row_offsets) in [
        (false, &body, &body_offsets),
        (true, &header, &header_offsets),
    ] {
        let boxes: Vec<CellBox> = grid
            .cells
            .iter()
            .map(|placed| CellBox {
                x: offsets[placed.column],
                y: row_offsets[placed.row],
                width: offsets[placed.column + placed.colspan] - offsets[placed.column],
                height: row_offsets[(placed.row + placed.rowspan).min(row_offsets.len() - 1)]
                    - row_offsets[placed.row],
                text: placed.cell.text.clone(),
                numeric: !section_is_header && placed.cell.is_numeric(),
                header: section_is_header,
                sticky: placed.column < label_columns,
                zebra: !section_is_header && placed.row % 2 == 1,
            })
            .collect();
        let (sticky, scrolling): (Vec<CellBox>, Vec<CellBox>) =
            boxes.into_iter().partition(|cell| cell.sticky);
        cells.extend(scrolling);
        cells.extend(sticky);
    }

    TableLayout {
        width: offsets[columns],
        height: body_offsets[body_offsets.len() - 1],
        header_height,
        label_width: offsets[label_columns],
        cells,
        cards: cards(&header, &body, label_columns, columns),
    }
}

fn prefix_sums(values: &[f32]) -> Vec<f32> {
    let mut sums = Vec::with_capacity(values.len() + 1);
    let mut total = 0.0;
    sums.push(0.0);
    for value in values {
        total += value;
        sums.push(total);
    }
    sums
}

/// Heights of the grid rows so every cell's text fits.
fn row_heights(grid: &Grid, offsets: &[f32], font_px: f32, line_height: f32) -> Vec<f32> {
    let mut heights = vec![MIN_ROW; grid.height];
    let needed = |placed: &PlacedCell| {
        let width = offsets[placed.column + placed.colspan] - offsets[placed.column];
        line_count(&placed.cell.text, width, font_px) * line_height + 24.0
    };
    for placed in grid.cells.iter().filter(|p| p.rowspan == 1) {
        heights[placed.row] = heights[placed.row].max(needed(placed));
    }
    for placed in grid.cells.iter().filter(|p| p.rowspan > 1) {
        let rows = placed.row..(placed.row + placed.rowspan).min(grid.height);
        let current: f32 = heights[rows.clone()].iter().sum();
        let missing = needed(placed) - current;
        if missing > 0.0 {
            heights[rows.end - 1] += missing;
        }
    }
    heights
}

/// The cell covering grid position (row, column), if any.
fn covering(grid: &Grid, row: usize, column: usize) -> Option<&PlacedCell> {
    grid.cells.iter().find(|p| {
        (p.row..p.row + p.rowspan).contains(&row)
            && (p.column..p.column + p.colspan).contains(&column)
    })
}

fn join_distinct<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for text in texts.map(str::trim).filter(|t| !t.is_empty()) {
        if parts.last() != Some(&text) {
            parts.push(text);
        }
    }
    parts.join(" · ")
}

fn cards(header: &Grid, body: &Grid, label_columns: usize, columns: usize) -> Vec<RowCard> {
    // A header cell spanning every data column is a title, not a column name.
    let data_columns = columns - label_columns;
    let column_names: Vec<String> = (0..columns)
        .map(|column| {
            join_distinct(
                (0..header.height)
                    .filter_map(|row| covering(header, row, column))
                    .filter(|p| data_columns <= 1 || p.colspan < data_columns)
                    .map(|p| p.cell.text.as_str()),
            )
        })
        .collect();
    (0..body.height)
        .map(|row| {
            let title = join_distinct(
                (0..label_columns)
                    .filter_map(|c| covering(body, row, c))
                    .map(|p| p.cell.text.as_str()),
            );
            let lines = (label_columns..columns)
                .filter_map(|column| {
                    let cell = body
                        .cells
                        .iter()
                        .find(|p| p.row == row && p.column == column)?;
                    Some(labelled(&column_names[column], &cell.cell.text))
                })
                .collect();
            RowCard { title, lines }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::blocks::Cell;

    fn span(text: &str, colspan: u16, rowspan: u16) -> Cell {
        Cell {
            text: text.into(),
            colspan,
            rowspan,
        }
    }

    fn sample() -> Table {
        Table {
            header: vec![
                vec![
                    span("申請情況", 2, 2),
                    span("自然人", 1, 2),
                    span("法人或其他組織", 2, 1),
                ],
                vec![Cell::new("商業企業"), Cell::new("其他")],
            ],
            rows: vec![
                vec![
                    span("一、本年新收", 2, 1),
                    Cell::new("10"),
                    Cell::new("2"),
                    Cell::new("1"),
                ],
                vec![
                    span("三、辦理結果", 1, 2),
                    Cell::new("（一）予以公開"),
                    Cell::new("5"),
                    Cell::new("1"),
                    Cell::new("0"),
                ],
                vec![
                    Cell::new("（二）部分公開"),
                    Cell::new("3"),
                    Cell::new("1"),
                    Cell::new("1"),
                ],
            ],
            label_columns: 2,
            ..Table::default()
        }
    }

    #[test]
    fn cells_tile_the_table_without_overlap() {
        let layout = layout(&sample(), 28.0);
        let area: f32 = layout.cells.iter().map(|c| c.width * c.height).sum();
        assert!(
            (area - layout.width * layout.height).abs() < 1.0,
            "{area} vs {}",
            layout.width * layout.height
        );
        assert!(
            layout
                .cells
                .iter()
                .all(|c| c.x + c.width <= layout.width + 0.01)
        );
    }

    #[test]
    fn label_columns_stick_and_numbers_align_right() {
        let layout = layout(&sample(), 28.0);
        let ten = layout.cells.iter().find(|c| c.text == "10").unwrap();
        assert!(ten.numeric && !ten.sticky && !ten.header);
        let label = layout
            .cells
            .iter()
            .find(|c| c.text == "（二）部分公開")
            .unwrap();
        assert!(label.sticky);
        assert!(layout.label_width >= label.x + label.width);
        // Sticky cells are drawn after the scrolling ones so they cover them.
        let first_sticky = layout
            .cells
            .iter()
            .position(|c| c.sticky && !c.header)
            .unwrap();
        assert!(
            layout.cells[first_sticky..]
                .iter()
                .filter(|c| !c.header)
                .all(|c| c.sticky)
        );
    }

    #[test]
    fn cards_name_every_value_with_its_column_group() {
        let layout = layout(&sample(), 28.0);
        assert_eq!(layout.cards.len(), 3);
        let second = &layout.cards[1];
        assert_eq!(second.title, "三、辦理結果 · （一）予以公開");
        assert_eq!(
            second.lines,
            [
                "自然人：5",
                "法人或其他組織 · 商業企業：1",
                "法人或其他組織 · 其他：0"
            ]
        );
        assert_eq!(layout.cards[2].title, "三、辦理結果 · （二）部分公開");
    }
}
