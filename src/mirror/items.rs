//! Mirrored items as authoring files: `notices/mirror-<hash>.md`, keyed by
//! the source URL. Only files named `mirror-*` are ever written, so
//! hand-written content is never touched.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::content::Lang;

/// One notice taken from the site.
#[derive(Debug, Clone)]
pub struct MirroredItem {
    /// The page it came from (its key).
    pub source: Url,
    /// The notice category.
    pub category: String,
    /// The language it is written in.
    pub lang: Lang,
    /// Title.
    pub title: String,
    /// Publication time (site local), when the page gave one.
    pub published: Option<NaiveDateTime>,
    /// The body in the authoring format's Markdown.
    pub body: String,
}

/// What writing an item did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A new file.
    Added,
    /// The file changed.
    Updated,
    /// The file was already like this.
    Unchanged,
}

/// The front matter the mirror writes.
#[derive(Debug, Serialize, Deserialize)]
struct FrontMatter {
    revision: u32,
    title: toml::Value,
    category: String,
    published: toml::value::Datetime,
    source_url: String,
}

/// The file of the item with this source URL.
pub fn item_path(content: &Path, source: &Url, lang: Lang) -> PathBuf {
    let hash = format!("{:x}", Sha256::digest(source.as_str().as_bytes()));
    let suffix = match lang {
        Lang::ZhHans => String::new(),
        other => format!(".{}", other.tag()),
    };
    content
        .join("notices")
        .join(format!("mirror-{}{suffix}.md", &hash[..16]))
}

/// Writes `item`, keeping the revision (bumped on change) and, when the
/// page gives no date, the publication time of the file already there.
pub fn write_item(
    content: &Path,
    item: &MirroredItem,
    now: NaiveDateTime,
) -> std::io::Result<Written> {
    let path = item_path(content, &item.source, item.lang);
    let existing = std::fs::read_to_string(&path).ok();
    let previous = existing.as_deref().and_then(front_matter);
    let published = item
        .published
        .or_else(|| previous.as_ref().and_then(|p| parse_datetime(&p.published)))
        .unwrap_or(now);
    let title = if item.lang == Lang::ZhHans {
        toml::Value::String(item.title.clone())
    } else {
        let mut table = toml::Table::new();
        table.insert(
            item.lang.tag().to_owned(),
            toml::Value::String(item.title.clone()),
        );
        toml::Value::Table(table)
    };
    let mut front = FrontMatter {
        revision: previous.as_ref().map_or(1, |p| p.revision),
        title,
        category: item.category.clone(),
        published: to_toml_datetime(published),
        source_url: item.source.to_string(),
    };
    let render = |front: &FrontMatter| {
        let toml = toml::to_string(front).unwrap_or_default();
        format!("+++\n{toml}+++\n\n{}", item.body)
    };
    if existing.as_deref() == Some(render(&front).as_str()) {
        return Ok(Written::Unchanged);
    }
    if let Some(previous) = &previous {
        front.revision = previous.revision.saturating_add(1);
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::write(&path, render(&front))?;
    Ok(if existing.is_some() {
        Written::Updated
    } else {
        Written::Added
    })
}

fn front_matter(text: &str) -> Option<FrontMatter> {
    let rest = text.strip_prefix("+++\n")?;
    let end = rest.find("\n+++")?;
    toml::from_str(&rest[..=end]).ok()
}

fn to_toml_datetime(time: NaiveDateTime) -> toml::value::Datetime {
    use chrono::{Datelike, Timelike};
    toml::value::Datetime {
        date: Some(toml::value::Date {
            year: time.year() as u16,
            month: time.month() as u8,
            day: time.day() as u8,
        }),
        time: Some(toml::value::Time {
            hour: time.hour() as u8,
            minute: time.minute() as u8,
            second: Some(time.second() as u8),
            nanosecond: None,
        }),
        offset: None,
    }
}

fn parse_datetime(value: &toml::value::Datetime) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(&value.to_string(), "%Y-%m-%dT%H:%M:%S").ok()
}

/// A date in page text: `2025-06-20`, `2025/6/20`, `2025.06.20` or
/// `2025年6月20日`, optionally followed by a time `17:30`.
pub fn find_date(text: &str) -> Option<NaiveDateTime> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:\s*(\d{1,2}):(\d{2}))?",
        )
        .expect("static pattern is valid")
    });
    let captures = DATE.captures(text)?;
    let number = |index: usize| {
        captures
            .get(index)
            .and_then(|m| m.as_str().parse::<u32>().ok())
    };
    let date = chrono::NaiveDate::from_ymd_opt(number(1)? as i32, number(2)?, number(3)?)?;
    date.and_hms_opt(number(4).unwrap_or(0), number(5).unwrap_or(0), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(body: &str, published: Option<NaiveDateTime>) -> MirroredItem {
        MirroredItem {
            source: Url::parse("https://tyj.gz.gov.cn/tzgg/content/post_1.html").unwrap(),
            category: "tzgg".into(),
            lang: Lang::ZhHans,
            title: "关于\"开放\"的通知".into(),
            published,
            body: body.into(),
        }
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn finds_dates_in_common_formats() {
        assert_eq!(
            find_date("发布时间：2025-06-20 17:30"),
            Some(at("2025-06-20 17:30"))
        );
        assert_eq!(find_date("2025年6月5日"), Some(at("2025-06-05 00:00")));
        assert_eq!(find_date("日期: 2024/12/1"), Some(at("2024-12-01 00:00")));
        assert_eq!(find_date("2025-13-40"), None);
        assert_eq!(find_date("无日期"), None);
    }

    #[test]
    fn writes_adds_updates_and_keeps_revision_and_date() {
        let dir = tempfile::tempdir().unwrap();
        let now = at("2026-11-25 10:00");
        assert_eq!(
            write_item(dir.path(), &item("正文\n", None), now).unwrap(),
            Written::Added
        );
        let path = item_path(dir.path(), &item("", None).source, Lang::ZhHans);
        let first = std::fs::read_to_string(&path).unwrap();
        assert!(
            first.starts_with("+++\nrevision = 1\ntitle = '关于\"开放\"的通知'\n"),
            "{first}"
        );
        assert!(
            first.contains("published = 2026-11-25T10:00:00\n"),
            "{first}"
        );

        let later = at("2026-11-26 10:00");
        assert_eq!(
            write_item(dir.path(), &item("正文\n", None), later).unwrap(),
            Written::Unchanged
        );
        assert_eq!(
            write_item(dir.path(), &item("新正文\n", None), later).unwrap(),
            Written::Updated
        );
        let second = std::fs::read_to_string(&path).unwrap();
        assert!(
            second.contains("revision = 2\n")
                && second.contains("published = 2026-11-25T10:00:00\n"),
            "{second}"
        );
        assert!(second.ends_with("+++\n\n新正文\n"));
    }
}
