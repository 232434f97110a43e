//! Adapter from search results to the search screen's rows: the title in
//! the visitor's language, split around its highlighted match.

use chrono::NaiveDateTime;
use slint::{ModelRc, SharedString, VecModel};

use super::navigation::Section;
use super::present::Presenter;
use super::{ListItem, SearchResult};
use crate::content::model::Catalog;
use crate::content::text::{Lang, Text};
use crate::search::{Hit, SearchIndex, Typing};

/// How many results the screen lists before the visitor asks for more (the
/// count says how many matched). Above the keyboard about four rows show:
/// ten are two or three screens, and each key lays out only these.
pub const RESULTS_PAGE: usize = 10;

/// The best `limit` rows for a query typed on the keyboard, and how many
/// items matched in all.
#[allow(clippy::too_many_arguments)]
pub fn results(
    index: &SearchIndex,
    typing: &mut Typing,
    presenter: &Presenter,
    catalog: &Catalog,
    lang: Lang,
    query: &str,
    local: NaiveDateTime,
    limit: usize,
) -> (Vec<SearchResult>, usize) {
    let found = index.search_typed(typing, catalog, query, local, limit);
    let rows = found
        .hits
        .iter()
        .filter_map(|hit| {
            let (title, date) = title_and_date(catalog, hit)?;
            let shown = title.text(lang);
            Some(SearchResult {
                item: ListItem {
                    id: hit.id.into(),
                    title: shown.into(),
                    chinese_only: presenter.chinese_only(title),
                    meta: date.unwrap_or_default().into(),
                    category: presenter.section_title(Section::of(hit.kind)).into(),
                    summary: "".into(),
                    pinned: false,
                    urgent: false,
                },
                title_parts: title_parts(shown, index.highlights(title, lang, query).first()),
            })
        })
        .collect();
    (rows, found.total)
}

/// The title of a hit and its date as shown in lists.
fn title_and_date<'a>(catalog: &'a Catalog, hit: &Hit) -> Option<(&'a Text, Option<String>)> {
    let title = catalog.item_title(hit.id)?;
    Some((title, hit.date.map(|d| d.date().to_string())))
}

/// The title split as (before, match, after) around a character range;
/// empty when nothing in the title matched (the row shows the plain title).
fn title_parts(title: &str, range: Option<&std::ops::Range<usize>>) -> ModelRc<SharedString> {
    let parts: Vec<SharedString> = match range {
        Some(range) => {
            let byte = |chars: usize| {
                title
                    .char_indices()
                    .nth(chars)
                    .map_or(title.len(), |(at, _)| at)
            };
            let (start, end) = (byte(range.start), byte(range.end));
            vec![
                title[..start].into(),
                title[start..end].into(),
                title[end..].into(),
            ]
        }
        None => Vec::new(),
    };
    ModelRc::new(VecModel::from(parts))
}

#[cfg(test)]
mod tests {
    use slint::Model;

    use super::*;

    #[test]
    fn splits_titles_by_characters() {
        let parts = title_parts("体育场馆开放", Some(&(2..4)));
        let parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
        assert_eq!(parts, ["体育", "场馆", "开放"]);
        assert_eq!(title_parts("体育", None).row_count(), 0);
    }
}
