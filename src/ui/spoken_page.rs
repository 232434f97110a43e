//! What a page says in speech mode, from what the page adapter put into
//! the globals (so also the part scrolled off screen, which Slint's element
//! tree does not hold): its announcement (title and how many items), and
//! the whole reading of a guide, a document or a table.

use slint::{ComponentHandle, Model};

use super::words::{Word, count, labelled, word};
use super::{AppState, Content, KioskWindow, Page, SearchState, Sections};
use crate::content::Lang;

/// The page's title and how many items it holds, from what the page
/// adapter put into the globals.
pub fn announcement(window: &KioskWindow, lang: Lang) -> String {
    let app = window.global::<AppState>();
    let content = window.global::<Content>();
    let counted = |n: usize, what: Word| count(lang, u32::try_from(n).unwrap_or(u32::MAX), what);
    let separator = if lang == Lang::En { ". " } else { "，" };
    let parts: Vec<String> = match app.get_page() {
        Page::Home => vec![
            app.get_site_name().to_string(),
            word(lang, Word::Home).to_owned(),
            counted(
                window.global::<Sections>().get_all().row_count(),
                Word::SpokenSections,
            ),
        ],
        Page::Notices | Page::Guides | Page::Disclosure | Page::Interaction | Page::Venues => {
            let shown = content
                .get_items()
                .row_count()
                .max(content.get_channels().row_count());
            let more = usize::try_from(content.get_more_count()).unwrap_or(0);
            vec![
                content.get_list_title().to_string(),
                counted(shown + more, Word::SpokenRows),
            ]
        }
        Page::Detail => {
            let detail = content.get_detail();
            let sections = detail.sections.row_count();
            vec![
                detail.title.to_string(),
                if sections > 0 {
                    counted(sections, Word::SpokenSectionsOfText)
                } else {
                    counted(detail.blocks.row_count(), Word::SpokenParagraphs)
                },
            ]
        }
        Page::Guide => {
            let guide = content.get_guide();
            vec![
                guide.title.to_string(),
                counted(guide.materials.row_count(), Word::SpokenMaterials),
                counted(guide.steps.row_count(), Word::SpokenSteps),
            ]
        }
        Page::Table => {
            let tables = content.get_tables();
            let open = usize::try_from(content.get_open_table()).unwrap_or(0);
            match tables.row_data(open) {
                Some(table) => vec![
                    table.caption.to_string(),
                    counted(table.cards.row_count(), Word::SpokenTableRows),
                ],
                None => Vec::new(),
            }
        }
        Page::Search => vec![
            word(lang, Word::Search).to_owned(),
            counted(
                window.global::<SearchState>().get_results().row_count(),
                Word::SpokenResults,
            ),
        ],
        Page::Admin => vec![word(lang, Word::AdminKiosk).to_owned()],
        Page::Unavailable => Vec::new(),
    };
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

/// The open table read row by row: each row's label, then each value
/// with its column's name (the table's cards hold exactly that).
fn table_reading(window: &KioskWindow) -> Vec<String> {
    let content = window.global::<Content>();
    let open = usize::try_from(content.get_open_table()).unwrap_or(0);
    let Some(table) = content.get_tables().row_data(open) else {
        return Vec::new();
    };
    let mut lines = vec![table.caption.to_string()];
    for card in table.cards.iter() {
        lines.push(card.title.to_string());
        lines.extend(card.lines.iter().map(|line| line.to_string()));
    }
    lines
}

/// A list's rows as far as the list shows them (its "show more" pages
/// included), each numbered with its meta line; a channel list's cards with
/// their descriptions and phone numbers.
fn list_reading(window: &KioskWindow) -> Vec<String> {
    let content = window.global::<Content>();
    let mut lines = vec![content.get_list_title().to_string()];
    lines.extend(
        content
            .get_items()
            .iter()
            .enumerate()
            .map(|(index, item)| format!("{}. {}\n{}", index + 1, item.title, item.meta)),
    );
    lines.extend(content.get_channels().iter().map(|channel| {
        [channel.name, channel.description, channel.phone]
            .iter()
            .filter(|part| !part.is_empty())
            .map(|part| part.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }));
    lines
}

/// The whole page read from its start, one line per text, for a list, a
/// guide, a document or a table; None for the other pages (read from the
/// screen).
pub fn reading(window: &KioskWindow, lang: Lang) -> Option<Vec<String>> {
    let lines = match window.global::<AppState>().get_page() {
        Page::Guide => guide_reading(window, lang),
        Page::Detail => detail_reading(window),
        Page::Table => table_reading(window),
        Page::Notices | Page::Guides | Page::Disclosure | Page::Interaction | Page::Venues => {
            list_reading(window)
        }
        _ => return None,
    };
    Some(
        lines
            .into_iter()
            .filter(|line| !line.trim().is_empty())
            .collect(),
    )
}

/// A guide in the page's order: title, summary, conditions, materials,
/// steps, the other facts, legal basis.
fn guide_reading(window: &KioskWindow, lang: Lang) -> Vec<String> {
    let guide = window.global::<Content>().get_guide();
    let fact = |label: Word, value: &str| labelled(word(lang, label), value);
    let mut lines = vec![
        guide.title.to_string(),
        guide.machine_note.to_string(),
        format!("{} · {}", guide.category, guide.department),
        fact(Word::Promised, &guide.time_limit),
        fact(Word::GuideFees, &guide.fees),
        fact(Word::GuideVisits, &guide.visits),
        fact(Word::GuidePlace, &guide.place),
        word(lang, Word::GuideEligibility).to_owned(),
    ];
    lines.extend(guide.eligibility.iter().map(|line| line.to_string()));
    lines.push(word(lang, Word::GuideMaterials).to_owned());
    lines.extend(
        guide.materials.iter().enumerate().map(|(index, material)| {
            format!("{}. {}\n{}", index + 1, material.name, material.detail)
        }),
    );
    lines.push(word(lang, Word::GuideSteps).to_owned());
    lines.extend(
        guide
            .steps
            .iter()
            .enumerate()
            .map(|(index, step)| format!("{}. {}\n{}", index + 1, step.title, step.detail)),
    );
    for fact in guide.facts.iter() {
        lines.push(fact.label.to_string());
        lines.push(fact.text.to_string());
    }
    if guide.legal_basis.row_count() > 0 {
        lines.push(word(lang, Word::GuideBasis).to_owned());
        lines.extend(guide.legal_basis.iter().map(|line| line.to_string()));
    }
    lines
}

/// A document's shown text: title, meta, then each block (a table by its
/// caption: the table page reads it row by row).
fn detail_reading(window: &KioskWindow) -> Vec<String> {
    let detail = window.global::<Content>().get_detail();
    let mut lines = vec![
        detail.title.to_string(),
        detail.meta.to_string(),
        detail.machine_note.to_string(),
    ];
    for block in detail.blocks.iter() {
        match block.kind.as_str() {
            "list" => lines.extend(block.items.iter().enumerate().map(|(index, item)| {
                if block.ordered {
                    format!("{}. {item}", index + 1)
                } else {
                    item.to_string()
                }
            })),
            "image" | "qr" | "table" => lines.push(block.caption.to_string()),
            _ => lines.push(block.text.to_string()),
        }
    }
    lines.push(detail.more.to_string());
    lines
}
