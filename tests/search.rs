//! Search over the embedded demo content: a table of queries and the item
//! each must put on top, visibility, and highlights.

use chrono::{NaiveDate, NaiveDateTime};
use lobby_kiosk::content::{Catalog, Lang, demo};
use lobby_kiosk::search::{ItemKind, SearchIndex, Typing};

/// Noon on a day, site time.
fn local(year: i32, month: u32, day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("valid date")
}

/// Noon on 2026-11-25: the 2027 arrangement is not yet shown, the 2025 one
/// has expired.
fn now() -> NaiveDateTime {
    local(2026, 11, 25)
}

fn ids(index: &SearchIndex, catalog: &Catalog, query: &str, at: NaiveDateTime) -> Vec<String> {
    let results = index.search(catalog, query, at, usize::MAX);
    results.hits.iter().map(|h| h.id.to_owned()).collect()
}

/// Query → the id that must rank first.
const TOP_RESULTS: &[(&str, &str)] = &[
    // Chinese characters, simplified and traditional alike.
    ("场馆", "faq-free-opening-hours"),
    ("場館", "faq-free-opening-hours"),
    ("体育场", "hot-school-grounds"),
    ("馬拉松", "gzma-2026-registration"),
    ("游泳", "swimming-safety-inspection-2025"),
    ("攀岩", "faq-high-risk-license"),
    ("許可", "high-risk-sports-license-explained"),
    ("穗府", "annual-report-2019"),
    ("天河 体育馆", "hot-tianhe-gym-closure"),
    // Full pinyin, whole and still being typed.
    ("changguan", "faq-free-opening-hours"),
    ("youyong", "swimming-safety-inspection-2025"),
    ("xiaofeiquan", "hot-sports-vouchers"),
    ("zhinan", "disclosure-guide"),
    ("dengji", "faq-athlete-certificate-query"),
    ("qigong", "faq-qigong-station"),
    ("mianfei", "faq-free-opening-hours"),
    ("panyan", "faq-high-risk-license"),
    ("xiaoqu", "faq-community-fitness-repair"),
    ("baoming", "gzma-2026-registration"),
    ("zhaopin", "recruitment-2026"),
    ("tiyuju", "faq-event-filing"),
    ("tianhe", "hot-tianhe-gym-closure"),
    // Heteronym 行: both readings find 行政许可.
    ("xingzheng", "high-risk-sports-license-explained"),
    ("hang", "high-risk-sports-license-explained"),
    // Pinyin initials.
    ("bszn", "athlete-grade-award"),
    ("xfq", "hot-sports-vouchers"),
    ("ggtycg", "huimin-open-2026"),
    ("xxgk", "disclosure-guide"),
    ("gzma", "gzma-2026-registration"),
    // Initials from the start of a title (临时占用…) before initials that
    // run across words inside one (马拉松怎么, 么 read yao).
    ("lszy", "temporary-facility-occupation"),
    // A channel: 局长信箱.
    ("jzxx", "director-mailbox"),
    // English words and prefixes.
    ("marathon", "gzma-2026-registration"),
    ("mara", "gzma-2026-registration"),
    ("gymnasium", "hot-tianhe-gym-closure"),
    ("gym", "hot-tianhe-gym-closure"),
    ("report 2019", "annual-report-2019"),
    // Digits: years, phone numbers, document numbers (穗府辦函〔2019〕83號).
    ("2019", "annual-report-2019"),
    ("83", "annual-report-2019"),
    ("12345", "hotline-12345"),
    ("2026", "gzma-2026-registration"),
];

#[test]
fn every_query_puts_its_expected_item_on_top() {
    let catalog = demo::catalog();
    let index = SearchIndex::build(&catalog);
    let wrong: Vec<String> = TOP_RESULTS
        .iter()
        .filter_map(|(query, expected)| {
            let found = ids(&index, &catalog, query, now());
            (found.first().map(String::as_str) != Some(expected)).then(|| {
                format!(
                    "{query:?}: expected {expected}, got {:?}",
                    &found[..found.len().min(3)]
                )
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn initials_of_a_section_name_find_its_items() {
    let catalog = demo::catalog();
    let index = SearchIndex::build(&catalog);
    let hits = index.search(&catalog, "bszn", now(), usize::MAX).hits;
    assert_eq!(hits.len(), demo::catalog().guides.len());
    assert!(hits.iter().all(|h| h.kind == ItemKind::Guide));
    // "cg" (场馆) finds the items with 场馆 in their title.
    let cg = ids(&index, &catalog, "cg", now());
    assert!(cg.contains(&"faq-free-opening-hours".to_owned()), "{cg:?}");
}

#[test]
fn title_matches_rank_first_then_newest() {
    let catalog = demo::catalog();
    let index = SearchIndex::build(&catalog);
    let hits = index.search(&catalog, "马拉松", now(), usize::MAX).hits;
    let titles: Vec<&str> = hits.iter().take(3).map(|h| h.id).collect();
    assert_eq!(
        titles,
        [
            "gzma-2026-registration",
            "faq-marathon-registration",
            "gzma-2024-race"
        ]
    );
    assert!(
        hits[3..]
            .iter()
            .all(|h| h.field != lobby_kiosk::search::FieldRank::Title)
    );
}

#[test]
fn only_notices_shown_now_are_found() {
    let catalog = demo::catalog();
    let index = SearchIndex::build(&catalog);
    let now_ids = ids(&index, &catalog, "惠民开放", now());
    assert!(now_ids.contains(&"huimin-open-2026".to_owned()));
    assert!(!now_ids.contains(&"huimin-open-2025".to_owned()), "expired");
    assert!(
        !now_ids.contains(&"huimin-open-2027".to_owned()),
        "not yet valid"
    );
    let next_year = ids(&index, &catalog, "惠民开放", local(2027, 1, 2));
    assert_eq!(
        next_year.first().map(String::as_str),
        Some("huimin-open-2027")
    );
}

/// Typing key by key searches only what the query matched a key earlier;
/// it must find exactly what a search of the whole catalog finds, at every
/// key, whether keys are added or deleted, the query is Chinese, the clock
/// moves across a notice's validity window, or the content changes.
#[test]
fn a_query_typed_key_by_key_finds_what_the_whole_catalog_search_finds() {
    let catalog = demo::catalog();
    let index = SearchIndex::build(&catalog);
    let mut typing = Typing::default();
    let mut keys: Vec<(String, NaiveDateTime)> = Vec::new();
    for query in
        TOP_RESULTS
            .iter()
            .map(|(query, _)| *query)
            .chain(["huimin kf", "gzma 2026", "bszn", "83"])
    {
        let chars: Vec<char> = query.chars().collect();
        let typed = (1..=chars.len()).map(|n| chars[..n].iter().collect::<String>());
        // Typed, then deleted back to the first key.
        let deleted = (1..chars.len())
            .rev()
            .map(|n| chars[..n].iter().collect::<String>());
        keys.extend(typed.chain(deleted).map(|q| (q, now())));
    }
    // The 2027 arrangement becomes valid between two keys.
    keys.extend(["h", "hu", "hui", "huim"].map(|q| (q.to_owned(), local(2026, 12, 31))));
    keys.extend(["huimi", "huimin"].map(|q| (q.to_owned(), local(2027, 1, 2))));
    let mut wrong = Vec::new();
    for (query, at) in &keys {
        let typed = index.search_typed(&mut typing, &catalog, query, *at, usize::MAX);
        let whole = index.search(&catalog, query, *at, usize::MAX);
        if typed != whole {
            wrong.push(format!(
                "{query:?} at {at}: typed {typed:?}\nwhole {whole:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        ids(&index, &catalog, "huimin", local(2027, 1, 2)).contains(&"huimin-open-2027".to_owned()),
        "the window case above is a real one"
    );

    // A new index (new content) is searched whole, whatever was typed.
    let other = SearchIndex::build(&catalog);
    assert_eq!(
        other.search_typed(&mut typing, &catalog, "huiminx", now(), usize::MAX),
        other.search(&catalog, "huiminx", now(), usize::MAX)
    );
}

#[test]
fn nothing_matches_gibberish_or_an_empty_query() {
    let catalog = demo::catalog();
    let index = SearchIndex::build(&catalog);
    assert_eq!(index.search(&catalog, "zzqxj", now(), 10).total, 0);
    assert_eq!(index.search(&catalog, "  ", now(), 10).total, 0);
}

#[test]
fn highlights_follow_the_shown_language() {
    let catalog = demo::catalog();
    let index = SearchIndex::build(&catalog);
    let notice = catalog
        .notices
        .iter()
        .find(|n| n.id == "huimin-open-2026")
        .expect("demo notice");
    let title = &notice.meta.title;
    // 2026年市属公共体育场馆惠民开放安排: 场馆 are characters 11 and 12.
    assert_eq!(index.highlights(title, Lang::ZhHans, "cg"), vec![11..13]);
    assert_eq!(index.highlights(title, Lang::ZhHant, "場館"), vec![11..13]);
    assert_eq!(
        index.highlights(title, Lang::ZhHans, "2026 kaifang"),
        vec![0..4, 15..17]
    );
    // English title: "Public Sports Venues: Free and Low-Cost Opening in 2026".
    assert_eq!(index.highlights(title, Lang::En, "venue"), vec![14..19]);
}
