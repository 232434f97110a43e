//! Adapter from search results to the search screen's rows: the title in
//! the visitor's language, split around its highlighted match.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use slint::{ModelRc, SharedString, VecModel};

use super::navigation::Section;
use super::present::Presenter;
use super::{ListItem, PopularSearch, SearchResult};
use crate::content::model::Catalog;
use crate::content::text::{Lang, Text};
use crate::search::{Hit, SearchIndex, Typing};

/// How many results the screen lists before the visitor asks for more (the
/// count says how many matched). Above the keyboard about four rows show:
/// ten are two or three screens, and each key lays out only these.
pub const RESULTS_PAGE: usize = 10;

/// How many chips the empty search page offers.
pub const POPULAR: usize = 6;

/// Visitor sessions that must have opened a guide before the empty search
/// page offers it as popular: one visitor alone never decides what the
/// next one is shown.
pub const POPULAR_AFTER_SESSIONS: u32 = 3;

/// What the empty search page offers under 热门搜索: the site's
/// `popular_searches` (queries), or, when it names none, the most-used
/// guides. "Most-used" is counted on this kiosk since it started (not
/// persisted): `guide_sessions` holds, per guide, how many ended visitor
/// sessions opened it; guides opened in at least
/// [`POPULAR_AFTER_SESSIONS`] sessions come first, most sessions first,
/// and the catalog's other guides (in its order, by id) fill the rest.
pub fn popular(
    catalog: &Catalog,
    lang: Lang,
    guide_sessions: &HashMap<String, u32>,
) -> Vec<PopularSearch> {
    if !catalog.site.popular_searches.is_empty() {
        return catalog
            .site
            .popular_searches
            .iter()
            .take(POPULAR)
            .map(|search| PopularSearch {
                text: search.text(lang).into(),
                item_id: "".into(),
            })
            .collect();
    }
    let used = |id: &str| {
        guide_sessions
            .get(id)
            .copied()
            .filter(|&sessions| sessions >= POPULAR_AFTER_SESSIONS)
            .unwrap_or(0)
    };
    let mut guides: Vec<_> = catalog.guides.iter().collect();
    // Stable: guides used equally keep the catalog's order.
    guides.sort_by_key(|guide| std::cmp::Reverse(used(&guide.id)));
    guides
        .into_iter()
        .take(POPULAR)
        .map(|guide| PopularSearch {
            text: guide.meta.title.text(lang).into(),
            item_id: guide.id.as_str().into(),
        })
        .collect()
}

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
    fn popular_searches_come_from_the_site_or_the_most_used_guides() {
        let mut catalog = crate::content::demo::catalog();
        let searches = popular(&catalog, Lang::ZhHans, &HashMap::new());
        assert_eq!(searches[0].text, "场馆开放");
        assert!(searches.iter().all(|s| s.item_id.is_empty()));
        assert_eq!(
            popular(&catalog, Lang::En, &HashMap::new())[0].text,
            "venue"
        );

        catalog.site.popular_searches.clear();
        let last = catalog.guides.last().unwrap().id.clone();
        let first = catalog.guides[0].id.clone();
        let ids = |sessions: &HashMap<String, u32>| -> Vec<String> {
            popular(&catalog, Lang::ZhHans, sessions)
                .iter()
                .map(|s| s.item_id.to_string())
                .collect()
        };
        assert_eq!(
            ids(&HashMap::new())[0],
            first,
            "unused: the catalog's order"
        );
        let once = HashMap::from([(last.clone(), POPULAR_AFTER_SESSIONS - 1)]);
        assert_eq!(ids(&once)[0], first, "one visitor's opens stay private");
        let often = HashMap::from([(last.clone(), POPULAR_AFTER_SESSIONS)]);
        assert_eq!(ids(&often)[0], last);
        assert_eq!(ids(&often).len(), POPULAR.min(catalog.guides.len()));
    }

    #[test]
    fn splits_titles_by_characters() {
        let parts = title_parts("体育场馆开放", Some(&(2..4)));
        let parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
        assert_eq!(parts, ["体育", "场馆", "开放"]);
        assert_eq!(title_parts("体育", None).row_count(), 0);
    }
}
