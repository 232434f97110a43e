//! Geometry of statistical tables on the kiosk screen: column widths, row
//! heights, the columns that stay put while the rest scrolls (the row
//! labels, and the total next to them), and the per-row card view used at
//! large text sizes.
//!
//! Government statistics tables follow one template: a corner over the row
//! labels, group headers spanning columns ("法人或其他组织" over five),
//! group labels spanning rows ("（三）不予公开" over eight), and a total in
//! the last column. On a screen that shows a third of the columns, the
//! total would be four swipes away and the groups cut: the layout pins the
//! total next to the labels, and says for every spanning cell how much
//! room its text needs, so the page can keep it in the visible part.

use super::words::labelled;
use crate::content::blocks::{Grid, PlacedCell, Table};

/// Padding inside a cell, left plus right (and top plus bottom).
const CELL_PADDING: f32 = 24.0;
/// Narrowest column.
const MIN_COLUMN: f32 = 112.0;
/// Widest data column; longer headers wrap.
const MAX_DATA_COLUMN: f32 = 200.0;
/// Widest label column; longer labels wrap.
const MAX_LABEL_COLUMN: f32 = 340.0;
/// The row labels' share of the narrowest view a table gets (a portrait
/// 1080-px screen less its margins): under half, so the figures keep the
/// larger part of the screen.
const MAX_LABELS_WIDTH: f32 = 0.4 * 984.0;
/// Smallest row height (the touch-friendly minimum for a readable row).
const MIN_ROW: f32 = 72.0;
/// Line height as a share of the font size.
const LINE_HEIGHT: f32 = 1.35;
/// What a column of totals is headed with.
const TOTAL_HEADERS: [&str; 7] = ["总计", "合计", "總計", "合計", "total", "totals", "sum"];

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
    /// The room its text needs: the inner width and height for a cell of
    /// one column and row, less for a spanning one (whose text the page
    /// moves into the cell's visible part).
    pub text_width: f32,
    /// See `text_width`.
    pub text_height: f32,
    /// Text.
    pub text: String,
    /// Right-aligned number.
    pub numeric: bool,
    /// Part of the header (sticks to the top).
    pub header: bool,
    /// Part of the pinned columns (sticks to the left).
    pub sticky: bool,
    /// Shaded row.
    pub zebra: bool,
}

/// One body row as a card: its label and "column: value" lines.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCard {
    /// The row's label (its label columns joined).
    pub title: String,
    /// One line per data column, the pinned total first.
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
    /// Width of the pinned columns: the row labels and a pinned total.
    pub pinned_width: f32,
    /// A note the table's corner held, shown above the table instead
    /// ("本列数据的勾稽关系为：…", without its brackets).
    pub note: Option<String>,
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

/// Lays out a table for text of `font_px` pixels; `corner_label` heads the
/// row labels when the corner held a note.
pub fn layout(table: &Table, font_px: f32, corner_label: &str) -> TableLayout {
    let mut header = table.grid(&table.header);
    let mut body = table.grid(&table.rows);
    let columns = header.width.max(body.width);
    let label_columns = table.label_columns.min(columns);
    let note = take_corner_note(&mut header, label_columns, corner_label);
    let pinned_total = pin_total_column(&mut header, &mut body, label_columns);
    let pinned_columns = label_columns + usize::from(pinned_total);
    let line_height = font_px * LINE_HEIGHT;

    let widths = column_widths(&header, &body, columns, label_columns, font_px);
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
            .map(|placed| {
                let width = offsets[placed.column + placed.colspan] - offsets[placed.column];
                let height = row_offsets[(placed.row + placed.rowspan).min(row_offsets.len() - 1)]
                    - row_offsets[placed.row];
                let (text_width, text_height) =
                    text_room(placed, section_is_header, width, height, font_px);
                CellBox {
                    x: offsets[placed.column],
                    y: row_offsets[placed.row],
                    width,
                    height,
                    text_width,
                    text_height,
                    text: placed.cell.text.clone(),
                    numeric: !section_is_header && placed.cell.is_numeric(),
                    header: section_is_header,
                    sticky: placed.column < pinned_columns,
                    zebra: !section_is_header && placed.row % 2 == 1,
                }
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
        pinned_width: offsets[pinned_columns],
        note,
        cells,
        cards: cards(&header, &body, label_columns, columns),
    }
}

/// The room the text of `placed`, a cell of `width` × `height`, needs: a
/// header over several columns its one line (it is centred in the part of
/// the cell that shows), a cell over several rows its lines; any other cell
/// its whole inside.
fn text_room(
    placed: &PlacedCell,
    header: bool,
    width: f32,
    height: f32,
    font_px: f32,
) -> (f32, f32) {
    let inner_width = (width - CELL_PADDING).max(0.0);
    let text_width = if header && placed.colspan > 1 {
        // A little over the estimate, so that the line does not wrap early.
        (text_width(&placed.cell.text, font_px) + font_px / 2.0).min(inner_width)
    } else {
        inner_width
    };
    let text_height = if placed.rowspan > 1 {
        let lines = line_count(&placed.cell.text, text_width + CELL_PADDING, font_px);
        (lines * font_px * LINE_HEIGHT).min(height)
    } else {
        height
    };
    (text_width, text_height)
}

/// Column widths: each as wide as its longest single-column cell wants,
/// within its cap; the label columns together within
/// [`MAX_LABELS_WIDTH`], narrowed in proportion.
fn column_widths(
    header: &Grid,
    body: &Grid,
    columns: usize,
    label_columns: usize,
    font_px: f32,
) -> Vec<f32> {
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
    let labels: f32 = widths[..label_columns].iter().sum();
    if labels > MAX_LABELS_WIDTH {
        let scale = MAX_LABELS_WIDTH / labels;
        for width in &mut widths[..label_columns] {
            *width = (*width * scale).max(MIN_COLUMN);
        }
    }
    widths
}

/// Replaces a bracketed note in the header's corner (the cell over every
/// label column) with `corner_label`, and returns the note without its
/// brackets: the corner heads the row labels, the note reads as one.
fn take_corner_note(header: &mut Grid, label_columns: usize, corner_label: &str) -> Option<String> {
    let corner = header
        .cells
        .iter_mut()
        .find(|p| p.row == 0 && p.column == 0 && p.colspan == label_columns.max(1))?;
    let text = corner.cell.text.trim();
    let inner = ["（", "("]
        .iter()
        .zip(["）", ")"])
        .find_map(|(open, close)| text.strip_prefix(open)?.strip_suffix(close))?
        .trim()
        .to_owned();
    if inner.is_empty() {
        return None;
    }
    corner.cell.text = corner_label.to_owned();
    Some(inner)
}

/// Moves the table's last column of totals next to the label columns, when
/// it is not there already and every cell spanning it starts at or before
/// the first data column (so spanning cells stay whole: a total inside a
/// group of its own stays there). Returns whether it did.
fn pin_total_column(header: &mut Grid, body: &mut Grid, label_columns: usize) -> bool {
    let Some(total) = header
        .cells
        .iter()
        .filter(|p| p.colspan == 1 && p.column > label_columns && is_total(&p.cell.text))
        .map(|p| p.column)
        .max()
    else {
        return false;
    };
    let covers = |p: &PlacedCell| (p.column..p.column + p.colspan).contains(&total);
    let movable = header
        .cells
        .iter()
        .chain(&body.cells)
        .filter(|p| p.colspan > 1 && covers(p))
        .all(|p| p.column <= label_columns);
    if !movable {
        return false;
    }
    let moved = |column: usize| match column {
        c if c == total => label_columns,
        c if (label_columns..total).contains(&c) => c + 1,
        c => c,
    };
    for placed in header.cells.iter_mut().chain(body.cells.iter_mut()) {
        placed.column = (placed.column..placed.column + placed.colspan)
            .map(moved)
            .min()
            .unwrap_or(placed.column);
    }
    true
}

fn is_total(text: &str) -> bool {
    let text = text.trim().to_lowercase();
    TOTAL_HEADERS.contains(&text.as_str())
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
        let layout = layout(&sample(), 28.0, "項目");
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
        let layout = layout(&sample(), 28.0, "項目");
        let ten = layout.cells.iter().find(|c| c.text == "10").unwrap();
        assert!(ten.numeric && !ten.sticky && !ten.header);
        let label = layout
            .cells
            .iter()
            .find(|c| c.text == "（二）部分公開")
            .unwrap();
        assert!(label.sticky);
        assert!(layout.pinned_width >= label.x + label.width);
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
        let layout = layout(&sample(), 28.0, "項目");
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

    /// The disclosure report's template: a note in the corner, groups over
    /// columns and rows, the total last.
    fn report_template() -> Table {
        Table {
            header: vec![
                vec![
                    span("（本列數據的勾稽關係為：第一項加第二項之和）", 2, 2),
                    span("自然人", 1, 2),
                    span("法人或其他組織", 3, 1),
                    span("總計", 1, 2),
                ],
                vec![
                    Cell::new("商業企業"),
                    Cell::new("科研機構"),
                    Cell::new("其他"),
                ],
            ],
            rows: vec![
                vec![
                    span("一、本年新收政府信息公開申請數量", 2, 1),
                    Cell::new("18"),
                    Cell::new("3"),
                    Cell::new("0"),
                    Cell::new("1"),
                    Cell::new("22"),
                ],
                vec![span("三、本年度辦理結果", 7, 1)],
                vec![
                    span("（三）不予公開", 1, 2),
                    Cell::new("1.屬於國家秘密"),
                    Cell::new("0"),
                    Cell::new("0"),
                    Cell::new("0"),
                    Cell::new("0"),
                    Cell::new("0"),
                ],
                vec![
                    Cell::new("2.其他法律行政法規禁止公開"),
                    Cell::new("1"),
                    Cell::new("0"),
                    Cell::new("0"),
                    Cell::new("0"),
                    Cell::new("1"),
                ],
            ],
            label_columns: 2,
            ..Table::default()
        }
    }

    fn cell<'a>(layout: &'a TableLayout, text: &str) -> &'a CellBox {
        layout
            .cells
            .iter()
            .find(|c| c.text == text)
            .unwrap_or_else(|| panic!("a cell `{text}`"))
    }

    #[test]
    fn the_corner_heads_the_row_labels_and_its_note_reads_above() {
        let layout = layout(&report_template(), 28.0, "項目");
        assert_eq!(
            layout.note.as_deref(),
            Some("本列數據的勾稽關係為：第一項加第二項之和")
        );
        let corner = cell(&layout, "項目");
        assert!(corner.header && corner.sticky && corner.x == 0.0);
        // A corner that is a label stays.
        let plain = super::layout(&sample(), 28.0, "項目");
        assert_eq!(plain.note, None);
        cell(&plain, "申請情況");
    }

    #[test]
    fn the_total_is_pinned_next_to_the_labels_and_first_on_each_card() {
        let layout = layout(&report_template(), 28.0, "項目");
        let total = cell(&layout, "總計");
        let labels = cell(&layout, "1.屬於國家秘密");
        assert!(total.sticky, "the total stays put");
        assert_eq!(total.x, labels.x + labels.width, "next to the labels");
        assert_eq!(layout.pinned_width, total.x + total.width);
        let first_figures = cell(&layout, "自然人");
        assert_eq!(first_figures.x, layout.pinned_width);
        assert!(!first_figures.sticky);
        // The spanning cells stay whole: the group after the first figures,
        // the section row over everything.
        let group = cell(&layout, "法人或其他組織");
        assert_eq!(group.x, first_figures.x + first_figures.width);
        assert_eq!(group.x + group.width, layout.width);
        assert_eq!(cell(&layout, "三、本年度辦理結果").width, layout.width);
        assert_eq!(layout.cards[0].lines[0], "總計：22");
        assert_eq!(layout.cards[0].lines[1], "自然人：18");
    }

    #[test]
    fn a_total_inside_a_group_of_its_own_stays_in_its_group() {
        // 总计 under 行政复议 and under 行政诉讼: moving the last one would
        // tear its group apart.
        let table = Table {
            header: vec![
                vec![
                    span("統計項目", 1, 2),
                    span("行政復議", 2, 1),
                    span("行政訴訟", 2, 1),
                ],
                vec![
                    Cell::new("維持"),
                    Cell::new("總計"),
                    Cell::new("維持"),
                    Cell::new("總計"),
                ],
            ],
            rows: vec![vec![
                Cell::new("件數"),
                Cell::new("1"),
                Cell::new("1"),
                Cell::new("2"),
                Cell::new("2"),
            ]],
            label_columns: 1,
            ..Table::default()
        };
        let layout = layout(&table, 28.0, "項目");
        assert_eq!(layout.pinned_width, cell(&layout, "件數").width);
    }

    #[test]
    fn row_labels_take_under_half_of_a_portrait_screen() {
        let layout = layout(&report_template(), 28.0, "項目");
        let labels = cell(&layout, "總計").x;
        assert!(labels <= MAX_LABELS_WIDTH + 0.5, "{labels}");
        assert!(labels < 984.0 / 2.0);
        // Narrower labels wrap onto more lines instead.
        let long = cell(&layout, "一、本年新收政府信息公開申請數量");
        assert!(long.height > MIN_ROW, "{}", long.height);
    }

    #[test]
    fn spanning_cells_say_how_much_room_their_text_needs() {
        let layout = layout(&report_template(), 28.0, "項目");
        let group = cell(&layout, "法人或其他組織");
        assert!(group.text_width >= text_width("法人或其他組織", 28.0));
        assert!(group.text_width < group.width - CELL_PADDING);
        let rows = cell(&layout, "（三）不予公開");
        assert!(rows.text_height < rows.height, "{rows:?}");
        let figure = cell(&layout, "22");
        assert_eq!(figure.text_width, figure.width - CELL_PADDING);
        assert_eq!(figure.text_height, figure.height);
    }
}
