//! The mirror configuration: which columns of the department's site become
//! which notice categories, and how politely to fetch them.
//!
//! ```toml
//! [fetch]
//! concurrency = 2          # requests at once
//! delay_ms = 500           # pause between requests
//! timeout_seconds = 20
//! retries = 3              # after the first attempt, with backoff
//!
//! [[column]]
//! name = "通知公告"
//! category = "tzgg"        # a notice category of site.toml
//! list = "https://tyj.gz.gov.cn/tzgg/index.html"
//! links = "ul.news-list li a"   # CSS selector of the item links
//! next = "a.next"          # optional: the "next page" link
//! max_pages = 5
//! title = "h1.title"
//! date = "span.date"       # optional: text holding 2025-06-20 or 2025年6月20日
//! body = "div#zoom"
//!
//! [[column]]
//! name = "政策解读"
//! category = "zcjd"
//! feed = "https://tyj.gz.gov.cn/zcjd/rss.xml"   # RSS or Atom
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use scraper::Selector;
use serde::Deserialize;
use url::Url;

/// A mirror configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is malformed or has unknown or missing keys.
    #[error("{path}: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// toml's message, with line and column.
        message: String,
    },
    /// A column is inconsistent.
    #[error("{path}: column {index} ({name}): {message}")]
    Column {
        /// The file.
        path: PathBuf,
        /// 1-based position of the column.
        index: usize,
        /// Its name.
        name: String,
        /// What is wrong and what to do.
        message: String,
    },
}

/// How politely and how patiently to fetch.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchSettings {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Pause between the starts of two requests, in milliseconds.
    pub delay_ms: u64,
    /// Limit for one request, in seconds.
    pub timeout_seconds: u64,
    /// Retries after a failed attempt (network errors and 5xx), with
    /// exponential backoff.
    pub retries: usize,
    /// The largest page, feed or picture accepted, in bytes: a longer
    /// body (declared or not) fails that page instead of filling memory.
    pub max_bytes: u64,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            concurrency: 2,
            delay_ms: 500,
            timeout_seconds: 20,
            retries: 3,
            max_bytes: 16 * 1024 * 1024,
        }
    }
}

impl FetchSettings {
    /// The pause between requests.
    pub fn delay(&self) -> Duration {
        Duration::from_millis(self.delay_ms)
    }

    /// The limit for one request.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    fetch: FetchSettings,
    #[serde(rename = "column", default)]
    columns: Vec<RawColumn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    name: String,
    category: String,
    feed: Option<Url>,
    list: Option<Url>,
    links: Option<String>,
    next: Option<String>,
    #[serde(default = "default_max_pages")]
    max_pages: usize,
    title: Option<String>,
    date: Option<String>,
    body: Option<String>,
}

fn default_max_pages() -> usize {
    5
}

/// The parsed configuration.
#[derive(Debug)]
pub struct MirrorConfig {
    /// Fetch settings.
    pub fetch: FetchSettings,
    /// The columns, in file order.
    pub columns: Vec<Column>,
}

/// One column of the site.
#[derive(Debug)]
pub struct Column {
    /// Its name, for reports.
    pub name: String,
    /// The notice category its items get.
    pub category: String,
    /// Where its items come from.
    pub source: ColumnSource,
}

/// Where a column's items come from.
#[derive(Debug)]
pub enum ColumnSource {
    /// An RSS or Atom feed.
    Feed(Url),
    /// HTML list pages and detail pages.
    Html(HtmlColumn),
}

/// A column scraped from HTML.
#[derive(Debug)]
pub struct HtmlColumn {
    /// The first list page.
    pub list: Url,
    /// Links to the items on a list page.
    pub links: Selector,
    /// The link to the next list page.
    pub next: Option<Selector>,
    /// List pages followed at most.
    pub max_pages: usize,
    /// The title on a detail page.
    pub title: Selector,
    /// The publication date on a detail page.
    pub date: Option<Selector>,
    /// The body on a detail page.
    pub body: Selector,
}

impl MirrorConfig {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<MirrorConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        MirrorConfig::parse(&text, path)
    }

    /// Parses and checks a configuration; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<MirrorConfig, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|error| ConfigError::Toml {
            path: path.to_owned(),
            message: error.to_string(),
        })?;
        if raw.columns.is_empty() {
            return Err(ConfigError::Toml {
                path: path.to_owned(),
                message: "no [[column]]: add at least one column to mirror".into(),
            });
        }
        let columns = raw
            .columns
            .into_iter()
            .enumerate()
            .map(|(index, column)| {
                let error = |message: String| ConfigError::Column {
                    path: path.to_owned(),
                    index: index + 1,
                    name: column.name.clone(),
                    message,
                };
                let source = column_source(&column).map_err(error)?;
                Ok(Column {
                    name: column.name,
                    category: column.category,
                    source,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(MirrorConfig {
            fetch: raw.fetch,
            columns,
        })
    }
}

fn column_source(column: &RawColumn) -> Result<ColumnSource, String> {
    match (&column.feed, &column.list) {
        (Some(feed), None) => {
            let html_keys = [
                &column.links,
                &column.next,
                &column.title,
                &column.date,
                &column.body,
            ];
            if html_keys.iter().any(|key| key.is_some()) {
                return Err(
                    "a feed column takes no selectors (links, next, title, date, body)".into(),
                );
            }
            Ok(ColumnSource::Feed(feed.clone()))
        }
        (None, Some(list)) => {
            let required = |key: &str, value: &Option<String>| {
                value
                    .as_deref()
                    .ok_or_else(|| {
                        format!("a list column needs `{key}`, the CSS selector of the item {key}")
                    })
                    .and_then(|selector| parse_selector(key, selector))
            };
            Ok(ColumnSource::Html(HtmlColumn {
                list: list.clone(),
                links: required("links", &column.links)?,
                next: column
                    .next
                    .as_deref()
                    .map(|s| parse_selector("next", s))
                    .transpose()?,
                max_pages: column.max_pages.max(1),
                title: required("title", &column.title)?,
                date: column
                    .date
                    .as_deref()
                    .map(|s| parse_selector("date", s))
                    .transpose()?,
                body: required("body", &column.body)?,
            }))
        }
        (Some(_), Some(_)) => Err("has both `feed` and `list`: choose one".into()),
        (None, None) => Err("needs `feed` (RSS/Atom URL) or `list` (first list page URL)".into()),
    }
}

fn parse_selector(key: &str, selector: &str) -> Result<Selector, String> {
    Selector::parse(selector)
        .map_err(|error| format!("`{key}` = {selector:?} is not a CSS selector: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<MirrorConfig, String> {
        MirrorConfig::parse(text, Path::new("mirror.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_html_and_feed_columns_with_defaults() {
        let config = parse(
            "[[column]]\nname = \"通知公告\"\ncategory = \"tzgg\"\nlist = \"https://x.gov.cn/tzgg/\"\nlinks = \"ul li a\"\ntitle = \"h1\"\nbody = \"#zoom\"\n\n[[column]]\nname = \"解读\"\ncategory = \"zcjd\"\nfeed = \"https://x.gov.cn/rss.xml\"\n",
        )
        .unwrap();
        assert_eq!(config.fetch.concurrency, 2);
        assert!(
            matches!(&config.columns[0].source, ColumnSource::Html(c) if c.max_pages == 5 && c.next.is_none())
        );
        assert!(
            matches!(&config.columns[1].source, ColumnSource::Feed(url) if url.path() == "/rss.xml")
        );
    }

    #[test]
    fn inconsistent_columns_say_what_to_do() {
        let both = parse(
            "[[column]]\nname = \"a\"\ncategory = \"c\"\nfeed = \"https://x/f\"\nlist = \"https://x/l\"\n",
        );
        assert_eq!(
            both.unwrap_err(),
            "mirror.toml: column 1 (a): has both `feed` and `list`: choose one"
        );
        let missing = parse(
            "[[column]]\nname = \"a\"\ncategory = \"c\"\nlist = \"https://x/l\"\nlinks = \"a\"\ntitle = \"h1\"\n",
        );
        assert!(missing.unwrap_err().contains("a list column needs `body`"));
        let bad = parse(
            "[[column]]\nname = \"a\"\ncategory = \"c\"\nlist = \"https://x/l\"\nlinks = \"a[\"\ntitle = \"h1\"\nbody = \"p\"\n",
        );
        assert!(
            bad.unwrap_err()
                .contains("`links` = \"a[\" is not a CSS selector")
        );
        let unknown = parse(
            "[[column]]\nname = \"a\"\ncategory = \"c\"\nfeed = \"https://x/f\"\ntitel = \"h1\"\n",
        );
        assert!(unknown.unwrap_err().contains("unknown field `titel`"));
        assert!(parse("").unwrap_err().contains("no [[column]]"));
    }
}
