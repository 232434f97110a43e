//! A broken copy of each file kind of the demo content yields the expected
//! `file:line:col: message` diagnostics, all in one run.

mod support;

use std::path::Path;

use chrono::{TimeZone, Utc};
use lobby_kiosk::content::Lang;
use lobby_kiosk::content::authoring::{MAX_ASSET_BYTES, compile_folder, validate_folder};
use lobby_kiosk::content::blocks::texts;
use lobby_kiosk::search::SearchIndex;
use sha2::{Digest, Sha256};
use support::repo_fixture::copy_dir;

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn line_of(root: &Path, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    text.lines()
        .position(|line| line.contains(needle))
        .map(|index| index + 1)
        .unwrap_or_else(|| panic!("{needle} not in {file}"))
}

#[test]
fn every_file_kind_reports_its_errors_at_their_positions() {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo"),
        root,
    );

    edit(
        root,
        "site.toml",
        "\n[[notice_categories]]",
        "\ncolour = \"red\"\n\n[[notice_categories]]",
    );
    edit(
        root,
        "notices/tianhe-gym-closure.md",
        "valid_until = 2026-12-20",
        "valid_until = 2026-11-01",
    );
    edit(
        root,
        "notices/tianhe-gym-closure.md",
        "category = \"tzgg\"",
        "category = \"nope\"",
    );
    edit(
        root,
        "notices/gzma-2026-registration.md",
        "published = ",
        "published = \"2026-02-30\"\nold_published = ",
    );
    edit(
        root,
        "guides/athlete-grade-award.toml",
        "\nfees",
        "\n# fees removed\nfees_note",
    );
    edit(
        root,
        "documents/disclosure-guide.md",
        "\n## ",
        "\n![地图](assets/missing.png)\n\n## ",
    );
    edit(
        root,
        "documents/disclosure-guide.md",
        "source_url = \"https://",
        "source_url = \"tyj.gz.gov.cn/",
    );
    edit(
        root,
        "faq.toml",
        "id = \"faq-venue-booking\"",
        "id = \"tianhe-gym-closure\"",
    );
    edit(
        root,
        "venues.toml",
        "booking_phone = \"020-87594021\"",
        "booking_phone = 87594021",
    );
    edit(
        root,
        "channels.toml",
        "kind = \"mailbox\"",
        "kind = \"letterbox\"",
    );
    std::fs::create_dir_all(root.join("assets")).unwrap();
    std::fs::write(
        root.join("assets/huge.bin"),
        vec![0u8; (MAX_ASSET_BYTES + 1) as usize],
    )
    .unwrap();

    let diagnostics = validate_folder(root, now);
    let errors: Vec<String> = diagnostics.errors().map(|d| d.to_string()).collect();
    let has = |prefix: String, text: &str| {
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&prefix) && e.contains(text)),
            "expected `{prefix}… {text}` among:\n{}",
            errors.join("\n")
        )
    };
    has(
        format!("site.toml:{}:1: ", line_of(root, "site.toml", "colour")),
        "unknown key `colour`",
    );
    let notice = "notices/tianhe-gym-closure.md";
    has(
        format!("{notice}:{}:1: ", line_of(root, notice, "valid_until")),
        "valid_until is before valid_from",
    );
    has(
        format!("{notice}:{}:1: ", line_of(root, notice, "category")),
        "unknown notice category `nope`",
    );
    let marathon = "notices/gzma-2026-registration.md";
    has(
        format!("{marathon}:{}:", line_of(root, marathon, "2026-02-30")),
        "is not a date",
    );
    has(
        format!(
            "{marathon}:{}:1: ",
            line_of(root, marathon, "old_published")
        ),
        "unknown key `old_published`",
    );
    has(
        "guides/athlete-grade-award.toml:".into(),
        "missing field `fees`",
    );
    has(
        format!(
            "documents/disclosure-guide.md:{}:1: ",
            line_of(root, "documents/disclosure-guide.md", "missing.png")
        ),
        "image `assets/missing.png` does not exist",
    );
    has(
        format!(
            "documents/disclosure-guide.md:{}:1: ",
            line_of(root, "documents/disclosure-guide.md", "source_url")
        ),
        "is not a web address",
    );
    let faq_line = line_of(root, "faq.toml", "id = \"tianhe-gym-closure\"");
    has(
        format!("{notice}:1:1: "),
        &format!("duplicate id `tianhe-gym-closure`: already used at faq.toml:{faq_line}"),
    );
    has(
        format!(
            "venues.toml:{}:",
            line_of(root, "venues.toml", "booking_phone = 87594021")
        ),
        "booking_phone must be text in double quotes, e.g. \"…\" (found the number 87594021)",
    );
    has(
        format!(
            "channels.toml:{}:",
            line_of(root, "channels.toml", "letterbox")
        ),
        "`letterbox` is not a possible kind: write one of `mailbox`",
    );
    has("assets/huge.bin:1:1: ".into(), "over the 20 MiB limit");
    assert!(errors.len() >= 12, "{errors:#?}");

    let failed = compile_folder(root, now).unwrap_err();
    assert_eq!(failed.diagnostics.errors().count(), errors.len());
}

#[test]
fn missing_site_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("notices")).unwrap();
    std::fs::write(root.join("notices/a.md"), "+++\ntitle = \"x\"\n").unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let errors: Vec<String> = validate_folder(root, now)
        .errors()
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("site.toml:1:1: missing site.toml")),
        "{errors:?}"
    );
}

/// A fresh copy of the demo content.
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo"),
        dir.path(),
    );
    dir
}

fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap()
}

/// Errors and warnings of a folder, as `kioskctl validate` prints them.
fn findings(root: &Path) -> Vec<String> {
    validate_folder(root, now())
        .sorted()
        .iter()
        .map(|d| d.to_string())
        .collect()
}

/// Asserts one finding starts with `prefix` and holds every one of `words`.
#[track_caller]
fn assert_finding(findings: &[String], prefix: &str, words: &[&str]) {
    assert!(
        findings
            .iter()
            .any(|f| f.starts_with(prefix) && words.iter().all(|w| f.contains(w))),
        "expected `{prefix}…` with {words:?} among:\n{}",
        findings.join("\n")
    );
}

fn compile(root: &Path) -> lobby_kiosk::content::authoring::Compiled {
    compile_folder(root, now()).unwrap_or_else(|invalid| panic!("{}", invalid.diagnostics))
}

#[test]
fn lost_characters_before_pinyin_are_restored_or_named_in_a_warning() {
    let dir = demo_copy();
    let root = dir.path();
    let file = "notices/debris.zh-Hant.md";
    write(
        root,
        file,
        "+++\ntitle = { zh-Hant = \"辦理?xiàng)l件\", en = \"Conditions\" }\ncategory = \"tzgg\"\npublished = 2026-01-05\n+++\n\n重大建設(shè)?xiàng)目的l(fā)展情況。\n\n其他事宜?lì)。\n",
    );
    let findings = findings(root);
    assert_finding(
        &findings,
        &format!("{file}:9:5: warning: "),
        &["?lì)", "其他事宜?lì)。", "cannot be told"],
    );
    assert!(
        !findings.iter().any(|f| f.contains("?xiàng)")),
        "restored characters need no warning: {findings:#?}"
    );

    let catalog = compile(root).catalog;
    let notice = catalog.notices.iter().find(|n| n.id == "debris").unwrap();
    assert_eq!(notice.meta.title.text(Lang::ZhHant), "辦理項條件");
    assert_eq!(notice.meta.title.text(Lang::ZhHans), "办理项条件");
    let body = texts(notice.body.zh_hant.as_ref().unwrap()).join("\n");
    assert_eq!(body, "重大建設項目的發展情況。\n其他事宜。");
    let index = SearchIndex::build(&catalog);
    let local = chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .unwrap();
    // Titles are found by pinyin, bodies by characters.
    for query in ["tiaojian", "banli", "項目", "发展"] {
        let hits = index.search(&catalog, query, local, usize::MAX);
        assert!(
            hits.hits.iter().any(|hit| hit.id == "debris"),
            "`{query}` finds the cleaned notice"
        );
    }
}

#[test]
fn spaces_that_separate_items_are_kept_and_debris_spaces_removed() {
    let dir = demo_copy();
    let root = dir.path();
    write(
        root,
        "notices/co-issued.zh-Hant.md",
        "+++\ntitle = { zh-Hant = \"《廣州市體育局 廣州市教育局關於開展體育傳統特色學校評估的通知》\", en = \"Joint notice\" }\ncategory = \"tzgg\"\npublished = 2026-01-05\n+++\n\n(1)申請 0.1工作日 無\n\n春秋冬季 :上午9:00-12:00\n\n一、 總體情況  如下 ， 見附件。\n",
    );
    let catalog = compile(root).catalog;
    let notice = catalog
        .notices
        .iter()
        .find(|n| n.id == "co-issued")
        .unwrap();
    assert_eq!(
        notice.meta.title.text(Lang::ZhHant),
        "《廣州市體育局 廣州市教育局關於開展體育傳統特色學校評估的通知》"
    );
    assert_eq!(
        texts(notice.body.zh_hant.as_ref().unwrap()),
        [
            "(1)申請 0.1工作日 無",
            "春秋冬季:上午9:00-12:00",
            "一、總體情況 如下，見附件。"
        ]
    );
    assert_eq!(
        texts(notice.body.zh_hans.as_ref().unwrap())[0],
        "(1)申请 0.1工作日 无"
    );
}

#[test]
fn table_rows_of_the_wrong_width_are_errors_at_the_row() {
    let dir = demo_copy();
    let root = dir.path();
    let file = "notices/tables.md";
    write(
        root,
        file,
        "+++\ntitle = { zh-Hans = \"表格\", en = \"Tables\" }\ncategory = \"tzgg\"\npublished = 2026-01-05\n+++\n\n| 事项 | 时限 |\n|---|---|\n| 申请 | 1工作日 |\n| 受理 | 1工作日 | 无 |\n\n| 事项 | 时限 | 收费 |\n|---|---|\n| 申请 | 1工作日 | 无 |\n\n```table\ncaption = \"收费\"\nheader = [[\"事项\", \"时限\"]]\nrows = [\n  [\"申请\", \"1\"],\n  [\"受理\", \"1\", \"无\"],\n]\n```\n",
    );
    let findings = findings(root);
    assert_finding(
        &findings,
        &format!("{file}:10:1: "),
        &["row has 3 cells", "header has 2"],
    );
    assert_finding(
        &findings,
        &format!("{file}:13:1: "),
        &["delimiter row", "2 cells", "header has 3"],
    );
    assert_finding(
        &findings,
        &format!("{file}:21:3: "),
        &["table row 2 has 3 columns but the header has 2"],
    );
}

#[test]
fn pictures_are_checked_by_content_and_jpeg_becomes_png() {
    let dir = demo_copy();
    let root = dir.path();
    write(root, "assets/fake.png", "this is not a picture\n");
    let photo = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(photo)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    std::fs::write(root.join("assets/photo.jpg"), &jpeg).unwrap();
    let file = "notices/pictures.md";
    write(
        root,
        file,
        "+++\ntitle = { zh-Hans = \"图片\", en = \"Pictures\" }\ncategory = \"tzgg\"\npublished = 2026-01-05\n+++\n\n![假图](assets/fake.png)\n\n![照片](assets/photo.jpg)\n",
    );
    let findings = findings(root);
    assert_finding(
        &findings,
        &format!("{file}:7:1: "),
        &["assets/fake.png", "not a picture", "PNG or JPEG"],
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.contains("photo.jpg") && !f.contains("warning")),
        "JPEG is accepted: {findings:#?}"
    );

    edit(root, file, "![假图](assets/fake.png)", "");
    std::fs::remove_file(root.join("assets/fake.png")).unwrap();
    let compiled = compile(root);
    let published = compiled.assets.bytes("assets/photo.jpg").unwrap();
    assert_eq!(
        image::guess_format(&published).unwrap(),
        image::ImageFormat::Png
    );
    let decoded = image::load_from_memory(&published).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (64, 48));
    let info = &compiled.catalog.assets["assets/photo.jpg"];
    assert_eq!(info.size, published.len() as u64);
    assert_eq!(info.sha256, format!("{:x}", Sha256::digest(&published)));
}

#[test]
fn wrong_types_say_what_to_write_and_every_error_of_the_file_is_reported() {
    let dir = demo_copy();
    let root = dir.path();
    let file = "guides/athlete-grade-award.toml";
    edit(root, file, "copies = 1", "copies = \"一份\"");
    edit(root, file, "visits = 0", "visits = \"零\"");
    edit(root, file, "\nfaq = ", "\ncolour = \"red\"\nfaq = ");
    edit(
        root,
        file,
        "form = \"copy\"\nformat = \"paper-or-electronic\"",
        "format = \"paper-or-electronic\"",
    );
    let findings = findings(root);
    assert_finding(
        &findings,
        &format!("{file}:{}:10: ", line_of(root, file, "copies = \"一份\"")),
        &["copies must be a number, e.g. 1", "一份"],
    );
    assert_finding(
        &findings,
        &format!("{file}:{}:10: ", line_of(root, file, "visits = \"零\"")),
        &["visits must be a number"],
    );
    assert_finding(
        &findings,
        &format!("{file}:{}:1: ", line_of(root, file, "colour")),
        &["unknown key `colour`"],
    );
    // The second [[materials]] entry lost its `form`: the message points at it.
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim() == "[[materials]]")
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_finding(
        &findings,
        &format!("{file}:{second}:"),
        &["missing field `form`", "[[materials]]"],
    );
    assert!(
        !findings.iter().any(|f| f.contains("invalid type")),
        "no programmer's wording: {findings:#?}"
    );
}

#[test]
fn a_traditional_original_is_told_the_translation_file_that_works() {
    let dir = demo_copy();
    let root = dir.path();
    write(
        root,
        "notices/trad-original.zh-Hant.md",
        "+++\ntitle = { zh-Hant = \"體育場館開放時間調整\" }\ncategory = \"tzgg\"\npublished = 2026-01-05\n+++\n\n各場館開放時間調整如下。\n",
    );
    assert_finding(
        &findings(root),
        "notices/trad-original.zh-Hant.md:2:1: warning: missing translation",
        &["add notices/trad-original.en.md"],
    );
    write(
        root,
        "notices/trad-original.en.md",
        "+++\ntitle = \"New opening hours\"\n+++\n\nThe opening hours change.\n",
    );
    let findings = findings(root);
    assert!(
        !findings
            .iter()
            .any(|f| f.starts_with("notices/trad-original")),
        "{findings:#?}"
    );
    let catalog = compile(root).catalog;
    let notice = catalog
        .notices
        .iter()
        .find(|n| n.id == "trad-original")
        .unwrap();
    assert_eq!(notice.meta.title.text(Lang::En), "New opening hours");
}

#[test]
fn a_simplified_original_written_in_traditional_characters_is_warned() {
    let dir = demo_copy();
    let root = dir.path();
    let file = "notices/written-traditional.md";
    write(
        root,
        file,
        "+++\ntitle = { zh-Hans = \"廣州市體育局關於體育場館惠民開放的通知\", en = \"Venues open\" }\ncategory = \"tzgg\"\npublished = 2026-01-05\n+++\n\n各區體育場館實行免費或低收費開放，請市民預約後憑證件入場。\n",
    );
    let findings = findings(root);
    assert_finding(
        &findings,
        &format!("{file}:2:"),
        &[
            "warning:",
            "traditional characters",
            "written-traditional.zh-Hant.md",
        ],
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.contains("traditional characters") && !f.starts_with(file)),
        "the demo content is written as declared: {findings:#?}"
    );
}

#[test]
fn a_huge_paragraph_is_warned_with_its_size() {
    let dir = demo_copy();
    let root = dir.path();
    let file = "notices/huge.md";
    let paragraph = "体育场馆惠民开放。".repeat(5 * 1024 * 1024 / 27);
    write(
        root,
        file,
        &format!(
            "+++\ntitle = {{ zh-Hans = \"长文\", en = \"Long\" }}\ncategory = \"tzgg\"\npublished = 2026-01-05\n+++\n\n短段落。\n\n{paragraph}\n"
        ),
    );
    assert_finding(
        &findings(root),
        &format!("{file}:9:1: warning: "),
        &["paragraph of 1,747,620 characters", "10,000"],
    );
}

#[test]
fn an_empty_or_blank_title_is_an_error_at_the_title() {
    // A visitor would see a notice without a title: a blank row in the
    // list and a page with no heading.
    let dir = demo_copy();
    let root = dir.path();
    write(
        root,
        "notices/no-title.md",
        "+++\ntitle = \"  \"\ncategory = \"tzgg\"\npublished = 2026-11-20T10:00:00\n+++\n\n正文。\n",
    );
    write(
        root,
        "notices/no-title.en.md",
        "+++\ntitle = \"\"\n+++\n\nBody.\n",
    );
    let found = findings(root);
    assert_finding(
        &found,
        "notices/no-title.md:2:",
        &["zh-Hans title is empty"],
    );
    assert_finding(&found, "notices/no-title.en.md:2:", &["en title is empty"]);
    assert!(compile_folder(root, now()).is_err(), "{found:#?}");
}
