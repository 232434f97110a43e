//! The embedded demo content: it validates, its compiled form is current,
//! and it has everything the product promises.

use std::path::Path;

use chrono::{TimeZone, Utc};
use lobby_kiosk::content::authoring::compile_folder;
use lobby_kiosk::content::blocks::{Block, texts};
use lobby_kiosk::content::clean::has_pinyin_debris;
use lobby_kiosk::content::demo;
use lobby_kiosk::content::{Catalog, Lang};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn compile_demo() -> Catalog {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    match compile_folder(&root().join(demo::SOURCE_DIR), now) {
        Ok(compiled) => {
            let warnings: Vec<String> = compiled
                .diagnostics
                .sorted()
                .iter()
                .map(|d| d.to_string())
                .collect();
            assert!(compiled.diagnostics.errors().count() == 0, "{warnings:#?}");
            compiled.catalog
        }
        Err(invalid) => panic!(
            "the demo content does not validate:\n{}",
            invalid.diagnostics
        ),
    }
}

#[test]
fn demo_catalog_is_current() {
    let compiled = compile_demo();
    let json = serde_json::to_string_pretty(&compiled).unwrap() + "\n";
    let path = root().join(demo::CATALOG_PATH);
    if std::env::var_os("UPDATE_DEMO_CATALOG").is_some() {
        std::fs::write(&path, &json).unwrap();
    }
    let embedded = std::fs::read_to_string(&path).unwrap();
    assert!(
        embedded == json,
        "{} is stale: run `UPDATE_DEMO_CATALOG=1 cargo test --test demo_content`",
        demo::CATALOG_PATH
    );
    assert_eq!(demo::catalog(), compiled);
}

#[test]
fn demo_content_is_plentiful_and_complete() {
    let catalog = demo::catalog();
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    assert!(
        catalog.notices.len() >= 12,
        "{} notices",
        catalog.notices.len()
    );
    let categories: std::collections::BTreeSet<&str> = catalog
        .notices
        .iter()
        .map(|n| n.meta.category.as_str())
        .collect();
    assert!(categories.len() >= 4, "{categories:?}");
    assert!(
        !catalog.urgent_notices(now).is_empty(),
        "an urgent notice is visible now"
    );
    let visible = catalog.visible_notices(now);
    assert!(
        visible.len() < catalog.notices.len(),
        "at least one notice is outside its validity window"
    );
    assert!(catalog.guides.len() >= 6);
    assert!(catalog.faqs.len() >= 10);
    assert!(catalog.venues.len() >= 5);
    assert!(!catalog.channels.is_empty());
    assert!(catalog.site.name.exact(Lang::En).is_some());
    let english_notices = catalog
        .notices
        .iter()
        .filter(|n| n.meta.title.is_authored(Lang::En))
        .count();
    assert!(english_notices >= 3, "{english_notices} notices in English");
    let english_guides = catalog
        .guides
        .iter()
        .filter(|g| g.meta.title.is_authored(Lang::En))
        .count();
    assert!(english_guides >= 2, "{english_guides} guides in English");
    for guide in &catalog.guides {
        let m = &guide.meta;
        assert!(
            !m.legal_basis.is_empty()
                && !m.eligibility.is_empty()
                && !m.materials.is_empty()
                && !m.steps.is_empty(),
            "{}",
            guide.id
        );
        assert!(
            m.statutory_days >= m.promised_days,
            "{}: promised beyond the statutory limit",
            guide.id
        );
    }
}

#[test]
fn annual_report_is_cleaned_in_both_scripts_with_flagged_sample_tables() {
    let catalog = demo::catalog();
    let report = catalog
        .documents
        .iter()
        .find(|d| d.id == "annual-report-2019")
        .expect("the 2019 annual report");
    let traditional = texts(report.body.exact(Lang::ZhHant).unwrap()).join("\n");
    let simplified = texts(report.body.exact(Lang::ZhHans).unwrap()).join("\n");
    assert!(
        traditional.contains("有關政府信息公開工作的相關規定"),
        "cleaned zh-Hant as published"
    );
    assert!(
        simplified.contains("有关政府信息公开工作的相关规定"),
        "converted zh-Hans"
    );
    assert_eq!(report.body.machine, Some(Lang::ZhHans));
    let tables: Vec<_> = report
        .body
        .exact(Lang::ZhHant)
        .unwrap()
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert!(tables.len() >= 3, "sections 二、三、四 as tables");
    assert!(
        tables.iter().all(|t| t.sample_data),
        "invented figures are flagged"
    );
    let widths: Vec<usize> = tables.iter().map(|t| t.column_count()).collect();
    assert!(
        widths.iter().any(|w| *w >= 9),
        "{widths:?}: the application table has the 7 numeric columns"
    );
    assert!(
        widths.iter().any(|w| *w >= 16),
        "{widths:?}: the review/litigation table has 15 numeric columns"
    );
}

#[test]
fn no_debris_anywhere_in_the_demo_content() {
    let json = std::fs::read_to_string(root().join(demo::CATALOG_PATH)).unwrap();
    assert!(
        !has_pinyin_debris(&json),
        "pinyin debris left in the compiled demo content"
    );
    for bad in ['\u{00A0}', '\u{3000}', '\u{200B}'] {
        assert!(
            !json.contains(bad),
            "stray {bad:?} left in the compiled demo content"
        );
    }
}

#[test]
fn expired_notice_is_filtered_on_the_given_clock() {
    let catalog = demo::catalog();
    let expired: Vec<_> = catalog
        .notices
        .iter()
        .filter(|n| {
            n.meta
                .valid_until
                .is_some_and(|u| u.0.date() < chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
        })
        .collect();
    let notice = expired
        .first()
        .expect("an expired notice in the demo content");
    let until = notice.meta.valid_until.unwrap().0;
    // The last minute of its validity, in Guangzhou: still visible; one minute later (still the same UTC day): gone.
    let zone = catalog.site.time_zone;
    let last = zone
        .from_local_datetime(&until)
        .single()
        .unwrap()
        .with_timezone(&Utc);
    assert!(
        catalog
            .visible_notices(last)
            .iter()
            .any(|n| n.id == notice.id)
    );
    let after = last + chrono::Duration::seconds(61);
    assert!(
        !catalog
            .visible_notices(after)
            .iter()
            .any(|n| n.id == notice.id)
    );
}
