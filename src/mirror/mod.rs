//! `kioskctl mirror`: the department site's columns (HTML list pages or
//! RSS/Atom feeds) turned into authoring content, which the normal build
//! then validates, signs and publishes. Kiosks never scrape: one trust path.
//!
//! - [`config`]: which columns, which selectors, how politely.
//! - [`fetch`]: bounded, delayed, retried, conditional HTTP.
//! - [`html`]: HTML bodies to the authoring Markdown (tables keep merged cells).
//! - [`items`]: `notices/mirror-*.md` files keyed by source URL.
//! - [`images`]: pictures downloaded into `assets/mirror/` as PNG.

pub mod config;
pub mod fetch;
pub mod html;
pub mod images;
pub mod items;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono_tz::Tz;
use futures::StreamExt;
use scraper::{ElementRef, Html};
use url::Url;

use crate::content::Lang;
use config::{Column, ColumnSource, HtmlColumn, MirrorConfig};
use fetch::Fetcher;
use items::{MirroredItem, Written};

/// Folder of the mirror's page cache inside the content folder.
pub const CACHE_FOLDER: &str = ".mirror-cache";

/// The mirror cannot run at all (problems with single pages are reported
/// in [`MirrorReport::failed`] instead).
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    /// The content folder has no readable `site.toml`.
    #[error("{path}: {message}")]
    Site {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A file cannot be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// What a mirror run did.
#[derive(Debug, Default)]
pub struct MirrorReport {
    /// Source URLs of new notices.
    pub added: Vec<Url>,
    /// Source URLs of notices whose file changed.
    pub updated: Vec<Url>,
    /// Notices already up to date.
    pub unchanged: usize,
    /// Pages, feeds or images that failed, each with what went wrong;
    /// everything else was still mirrored.
    pub failed: Vec<String>,
}

/// A progress callback: called with a short description of each page done.
pub type Progress<'a> = &'a (dyn Fn(&str) + Sync);

/// Mirrors every column of `config` into the authoring folder `content`.
pub async fn mirror(
    config: &MirrorConfig,
    content: &Path,
    progress: Progress<'_>,
) -> Result<MirrorReport, MirrorError> {
    let site = site_settings(content)?;
    let cache = content.join(CACHE_FOLDER);
    let fetcher =
        Fetcher::new(config.fetch.clone(), &cache).map_err(|source| MirrorError::Write {
            path: cache.clone(),
            source,
        })?;
    let mirror = Mirror {
        fetcher: &fetcher,
        content,
        site: &site,
        concurrency: config.fetch.concurrency.max(1),
        progress,
        failures: Mutex::default(),
    };
    let mut report = MirrorReport::default();
    for column in &config.columns {
        let items = match &column.source {
            ColumnSource::Html(html) => mirror.html_column(column, html).await,
            ColumnSource::Feed(url) => mirror.feed_column(column, url).await,
        };
        let now = chrono::Utc::now()
            .with_timezone(&site.time_zone)
            .naive_local();
        for item in items {
            let written =
                items::write_item(content, &item, now).map_err(|source| MirrorError::Write {
                    path: items::item_path(content, &item.source, item.lang),
                    source,
                })?;
            match written {
                Written::Added => report.added.push(item.source),
                Written::Updated => report.updated.push(item.source),
                Written::Unchanged => report.unchanged += 1,
            }
        }
    }
    report.failed = mirror.failures.into_inner().unwrap_or_default();
    if let Err(error) = fetcher.save() {
        report.failed.push(format!(
            "cannot save the page cache in {}: {error}",
            cache.display()
        ));
    }
    Ok(report)
}

/// What the mirror needs from `site.toml`.
struct SiteSettings {
    time_zone: Tz,
    default_language: Lang,
}

fn site_settings(content: &Path) -> Result<SiteSettings, MirrorError> {
    #[derive(serde::Deserialize)]
    struct Site {
        #[serde(default = "default_zone", with = "crate::content::time::zone_name")]
        time_zone: Tz,
        #[serde(default)]
        default_language: Lang,
    }
    fn default_zone() -> Tz {
        crate::content::time::DEFAULT_TIME_ZONE
    }
    let path = content.join("site.toml");
    let error = |message: String| MirrorError::Site {
        path: path.clone(),
        message,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        error(format!(
            "cannot read it ({e}); is this an authoring folder?"
        ))
    })?;
    let site: Site = toml::from_str(&text).map_err(|e| error(e.to_string()))?;
    Ok(SiteSettings {
        time_zone: site.time_zone,
        default_language: site.default_language,
    })
}

struct Mirror<'a> {
    fetcher: &'a Fetcher,
    content: &'a Path,
    site: &'a SiteSettings,
    concurrency: usize,
    progress: Progress<'a>,
    /// What failed so far, in words.
    failures: Mutex<Vec<String>>,
}

impl Mirror<'_> {
    fn fail(&self, message: String) {
        tracing::warn!("{message}");
        if let Ok(mut failures) = self.failures.lock() {
            failures.push(message);
        }
    }

    /// The items of an HTML column: list pages (following "next"), then
    /// every detail page.
    async fn html_column(&self, column: &Column, html: &HtmlColumn) -> Vec<MirroredItem> {
        let mut links = Vec::new();
        let mut seen_pages = BTreeSet::new();
        let mut page = Some(html.list.clone());
        while let Some(url) = page.take() {
            if seen_pages.len() >= html.max_pages || !seen_pages.insert(url.clone()) {
                break;
            }
            let fetched = match self.fetcher.get(&url).await {
                Ok(fetched) => fetched,
                Err(error) => {
                    self.fail(format!("column {}: list page {error}", column.name));
                    break;
                }
            };
            (self.progress)(&format!("{}: list page {url}", column.name));
            let document = Html::parse_document(&String::from_utf8_lossy(&fetched.body));
            for link in document.select(&html.links) {
                if let Some(href) = link.value().attr("href").and_then(|h| url.join(h).ok())
                    && !links.contains(&href)
                {
                    links.push(href);
                }
            }
            page = html
                .next
                .as_ref()
                .and_then(|next| document.select(next).next())
                .and_then(|next| next.value().attr("href"))
                .and_then(|href| url.join(href).ok());
        }
        futures::stream::iter(links)
            .map(|url| async move {
                let result = self.detail_page(column, html, &url).await;
                (self.progress)(&format!("{}: {url}", column.name));
                result.map_err(|message| self.fail(message)).ok()
            })
            .buffered(self.concurrency)
            .filter_map(|item| async move { item })
            .collect()
            .await
    }

    async fn detail_page(
        &self,
        column: &Column,
        html: &HtmlColumn,
        url: &Url,
    ) -> Result<MirroredItem, String> {
        let fetched = self
            .fetcher
            .get(url)
            .await
            .map_err(|error| format!("column {}: {error}", column.name))?;
        // Parse synchronously (scraper's documents are not Send), then fetch images.
        let (title, published, body_html, image_urls) = {
            let document = Html::parse_document(&String::from_utf8_lossy(&fetched.body));
            let missing = |key: &str| {
                format!(
                    "column {}: {url}: nothing matches the `{key}` selector; the page layout may have changed",
                    column.name
                )
            };
            let title = document
                .select(&html.title)
                .next()
                .map(html::plain_text)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| missing("title"))?;
            let published = html
                .date
                .as_ref()
                .and_then(|date| document.select(date).next())
                .and_then(|element| items::find_date(&element.text().collect::<String>()));
            let body = document
                .select(&html.body)
                .next()
                .ok_or_else(|| missing("body"))?;
            let image_urls = html::image_urls(body, url);
            (title, published, body.html(), image_urls)
        };
        let images = self.download_images(image_urls).await;
        let body = convert_fragment(&body_html, url, &images);
        Ok(MirroredItem {
            source: url.clone(),
            category: column.category.clone(),
            lang: self.site.default_language,
            title,
            published,
            body,
        })
    }

    /// The items of a feed column.
    async fn feed_column(&self, column: &Column, url: &Url) -> Vec<MirroredItem> {
        let fetched = match self.fetcher.get(url).await {
            Ok(fetched) => fetched,
            Err(error) => {
                self.fail(format!("column {}: feed {error}", column.name));
                return Vec::new();
            }
        };
        (self.progress)(&format!("{}: feed {url}", column.name));
        let feed = match feed_rs::parser::parse(fetched.body.as_slice()) {
            Ok(feed) => feed,
            Err(error) => {
                self.fail(format!(
                    "column {}: feed {url} cannot be read as RSS or Atom: {error}",
                    column.name
                ));
                return Vec::new();
            }
        };
        let mut items = Vec::new();
        for entry in feed.entries {
            let Some(link) = entry
                .links
                .first()
                .and_then(|link| url.join(&link.href).ok())
            else {
                self.fail(format!(
                    "column {}: feed entry {:?} has no link",
                    column.name, entry.id
                ));
                continue;
            };
            let title = entry
                .title
                .map(|t| crate::content::clean::clean_source_text(&t.content))
                .filter(|t| !t.is_empty());
            let Some(title) = title else {
                self.fail(format!(
                    "column {}: feed entry {link} has no title",
                    column.name
                ));
                continue;
            };
            let body_html = entry
                .content
                .and_then(|c| c.body)
                .or_else(|| entry.summary.map(|s| s.content))
                .unwrap_or_default();
            let image_urls = {
                let fragment = Html::parse_fragment(&body_html);
                html::image_urls(fragment.root_element(), &link)
            };
            let images = self.download_images(image_urls).await;
            let published = entry
                .published
                .or(entry.updated)
                .map(|time| time.with_timezone(&self.site.time_zone).naive_local());
            items.push(MirroredItem {
                body: convert_fragment(&body_html, &link, &images),
                source: link,
                category: column.category.clone(),
                lang: self.site.default_language,
                title,
                published,
            });
        }
        items
    }

    /// Downloads images into `assets/mirror/`; returns where each went
    /// (a failed one is reported, and the body links to it instead).
    async fn download_images(&self, urls: Vec<Url>) -> BTreeMap<Url, String> {
        futures::stream::iter(urls)
            .map(|url| async move {
                let stored = match self.fetcher.get(&url).await {
                    Ok(fetched) => images::store(self.content, &url, &fetched.body),
                    Err(error) => Err(error.to_string()),
                };
                stored
                    .map_err(|error| self.fail(format!("image {error}")))
                    .ok()
                    .map(|path| (url, path))
            })
            .buffered(self.concurrency)
            .filter_map(|stored| async move { stored })
            .collect()
            .await
    }
}

/// Converts an HTML fragment to Markdown with the downloaded images.
fn convert_fragment(body_html: &str, base: &Url, images: &BTreeMap<Url, String>) -> String {
    let fragment = Html::parse_fragment(body_html);
    let root: ElementRef<'_> = fragment.root_element();
    html::to_markdown(root, base, &|url: &Url| images.get(url).cloned())
}
