//! A broken copy of each file kind of the demo content yields the expected
//! `file:line:col: message` diagnostics, all in one run.

mod support;

use std::path::Path;

use chrono::{TimeZone, Utc};
use lobby_kiosk::content::authoring::{MAX_ASSET_BYTES, compile_folder, validate_folder};
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
        "invalid type: integer",
    );
    has(
        format!(
            "channels.toml:{}:",
            line_of(root, "channels.toml", "letterbox")
        ),
        "unknown variant `letterbox`",
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
