//! The content lists: every item of the authoring folder with what the
//! filters ask (expired, pinned, urgent, missing translation) and its
//! findings, from the same loader as `kioskctl validate`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::editable::EditKind;
use super::paths::ContentRoot;
use crate::content::authoring::{Diagnostic, Diagnostics, Draft, Severity, load_folder};
use crate::content::model::Category;
use crate::content::text::{Lang, Text};
use crate::content::{Catalog, ItemKind};

/// The list's query: `?kind=notice&q=…&expired=true…` (all optional).
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// One kind only (`notice`, `guide`, `document`, `faq`, `venue`, `channel`).
    #[serde(default)]
    pub kind: Option<String>,
    /// Text that the id or a title contains (any case).
    #[serde(default)]
    pub q: Option<String>,
    /// Only notices past their `valid_until`.
    #[serde(default)]
    pub expired: bool,
    /// Only pinned notices.
    #[serde(default)]
    pub pinned: bool,
    /// Only urgent notices.
    #[serde(default)]
    pub urgent: bool,
    /// Only items without an English title.
    #[serde(default)]
    pub untranslated: bool,
}

/// One finding, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Path relative to the content folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// `error` or `warning`.
    pub severity: String,
    /// What is wrong.
    pub message: String,
    /// The form field it belongs to, where its position tells.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `file:line:col: message`, as `kioskctl validate` prints it.
    pub text: String,
}

impl Finding {
    /// A diagnostic for the page.
    pub fn new(diagnostic: &Diagnostic, field: Option<String>) -> Self {
        Finding {
            file: diagnostic.file.clone(),
            line: diagnostic.line,
            column: diagnostic.column,
            severity: match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .to_owned(),
            message: diagnostic.message.clone(),
            field,
            text: diagnostic.to_string(),
        }
    }
}

/// One row of the content list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ListItem {
    /// `notice`, `guide`, `document`, `faq`, `venue` or `channel`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Its title in simplified Chinese (what the kiosk shows under 简).
    pub title: String,
    /// Its English title, if written.
    pub title_en: String,
    /// The file that defines it.
    pub file: String,
    /// A pinned notice.
    pub pinned: bool,
    /// An urgent notice.
    pub urgent: bool,
    /// A notice past its `valid_until`.
    pub expired: bool,
    /// No English title.
    pub missing_translation: bool,
    /// Where its edit form is (`notices/<id>`: `/api/notices/<id>`), when
    /// the item could be read.
    pub form: Option<String>,
    /// The file could not be read into an item (see its errors).
    pub unreadable: bool,
    /// Errors in its definition.
    pub errors: usize,
    /// Warnings about it.
    pub warnings: usize,
}

/// The list and every finding.
#[derive(Debug, Serialize, Deserialize)]
pub struct ContentList {
    /// The items the query asked for.
    pub items: Vec<ListItem>,
    /// Every finding in the folder, sorted by file and line.
    pub diagnostics: Vec<Finding>,
    /// The site's time zone (dates are local to it).
    pub time_zone: String,
}

/// What the forms need of `site.toml`.
#[derive(Debug, Serialize, Deserialize)]
pub struct SiteInfo {
    /// The site's time zone.
    pub time_zone: String,
    /// Notice categories: id and simplified Chinese name.
    pub notice_categories: Vec<(String, String)>,
    /// Document categories.
    pub document_categories: Vec<(String, String)>,
    /// Guide categories.
    pub guide_categories: Vec<(String, String)>,
}

impl SiteInfo {
    /// From a catalog (none: no categories, the default zone).
    pub fn of(catalog: Option<&Catalog>) -> Self {
        let names = |categories: &[Category]| {
            categories
                .iter()
                .map(|category| {
                    (
                        category.id.clone(),
                        category.name.text(Lang::ZhHans).to_owned(),
                    )
                })
                .collect()
        };
        match catalog {
            Some(catalog) => SiteInfo {
                time_zone: catalog.site.time_zone.name().to_owned(),
                notice_categories: names(&catalog.site.notice_categories),
                document_categories: names(&catalog.site.document_categories),
                guide_categories: names(&catalog.site.guide_categories),
            },
            None => SiteInfo {
                time_zone: crate::content::time::DEFAULT_TIME_ZONE.name().to_owned(),
                notice_categories: Vec::new(),
                document_categories: Vec::new(),
                guide_categories: Vec::new(),
            },
        }
    }
}

/// The kind's name in the API.
pub fn kind_name(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Notice => "notice",
        ItemKind::Guide => "guide",
        ItemKind::Document => "document",
        ItemKind::Faq => "faq",
        ItemKind::Venue => "venue",
        ItemKind::Channel => "channel",
    }
}

/// Where the items of a kind are defined: a folder of files named by id,
/// or one file of `[[key]]` entries.
enum Source {
    Folder(&'static str),
    Entries {
        file: &'static str,
        key: &'static str,
    },
}

fn source_of(kind: ItemKind) -> Source {
    match kind {
        ItemKind::Notice => Source::Folder("notices"),
        ItemKind::Guide => Source::Folder("guides"),
        ItemKind::Document => Source::Folder("documents"),
        ItemKind::Faq => Source::Entries {
            file: "faq.toml",
            key: "faq",
        },
        ItemKind::Venue => Source::Entries {
            file: "venues.toml",
            key: "venue",
        },
        ItemKind::Channel => Source::Entries {
            file: "channels.toml",
            key: "channel",
        },
    }
}

const KINDS: [ItemKind; 6] = [
    ItemKind::Notice,
    ItemKind::Guide,
    ItemKind::Document,
    ItemKind::Faq,
    ItemKind::Venue,
    ItemKind::Channel,
];

/// Loads the folder and lists what `query` asks for.
pub fn list(root: &ContentRoot, query: &ListQuery, now: DateTime<Utc>) -> ContentList {
    let loaded = load_folder(root.path(), now, &Draft::default());
    let mut items = Vec::new();
    if let Some(catalog) = &loaded.catalog {
        let local = catalog.local_time(now);
        for kind in KINDS {
            for (id, title) in ids_and_titles(catalog, kind) {
                let mut item = row(root, kind, id, title, &loaded.diagnostics);
                if let Some(crate::content::ItemRef::Notice(notice)) = catalog.item(id) {
                    item.pinned = notice.meta.pinned;
                    item.urgent = notice.meta.urgent;
                    item.expired = notice.meta.valid_until.is_some_and(|until| until.0 < local);
                }
                items.push(item);
            }
        }
    }
    items.extend(unreadable_items(&loaded.diagnostics, &items));
    items.retain(|item| matches(item, query));
    ContentList {
        items,
        diagnostics: loaded
            .diagnostics
            .sorted()
            .into_iter()
            .map(|diagnostic| Finding::new(diagnostic, None))
            .collect(),
        time_zone: SiteInfo::of(loaded.catalog.as_ref()).time_zone,
    }
}

fn ids_and_titles(catalog: &Catalog, kind: ItemKind) -> Vec<(&str, &Text)> {
    match kind {
        ItemKind::Notice => catalog
            .notices
            .iter()
            .map(|n| (n.id.as_str(), &n.meta.title))
            .collect(),
        ItemKind::Guide => catalog
            .guides
            .iter()
            .map(|g| (g.id.as_str(), &g.meta.title))
            .collect(),
        ItemKind::Document => catalog
            .documents
            .iter()
            .map(|d| (d.id.as_str(), &d.meta.title))
            .collect(),
        ItemKind::Faq => catalog
            .faqs
            .iter()
            .map(|f| (f.id.as_str(), &f.question))
            .collect(),
        ItemKind::Venue => catalog
            .venues
            .iter()
            .map(|v| (v.id.as_str(), &v.name))
            .collect(),
        ItemKind::Channel => catalog
            .channels
            .iter()
            .map(|c| (c.id.as_str(), &c.name))
            .collect(),
    }
}

/// A row with its file and the findings that belong to it.
fn row(
    root: &ContentRoot,
    kind: ItemKind,
    id: &str,
    title: &Text,
    diagnostics: &Diagnostics,
) -> ListItem {
    let (file, lines) = match source_of(kind) {
        Source::Folder(folder) => {
            let extension = if kind == ItemKind::Guide {
                "toml"
            } else {
                "md"
            };
            let simplified = format!("{folder}/{id}.{extension}");
            let file = if kind != ItemKind::Guide && !root.path().join(&simplified).exists() {
                format!("{folder}/{id}.zh-Hant.md")
            } else {
                simplified
            };
            (file, None)
        }
        Source::Entries { file, key } => {
            let text = std::fs::read_to_string(root.path().join(file)).unwrap_or_default();
            let lines = entry_lines(&text, key)
                .into_iter()
                .find(|(entry, _)| entry == id)
                .map(|(_, lines)| lines);
            (file.to_owned(), lines)
        }
    };
    let belongs = |diagnostic: &&Diagnostic| match (&lines, source_of(kind)) {
        (Some(lines), _) => diagnostic.file == file && lines.contains(&diagnostic.line),
        (None, Source::Folder(folder)) => diagnostic
            .file
            .strip_prefix(folder)
            .and_then(|name| name.strip_prefix('/'))
            .and_then(|name| name.split_once('.'))
            .is_some_and(|(stem, _)| stem == id),
        (None, Source::Entries { .. }) => false,
    };
    let mine: Vec<&Diagnostic> = diagnostics.sorted().into_iter().filter(belongs).collect();
    ListItem {
        kind: kind_name(kind).to_owned(),
        id: id.to_owned(),
        title: title.text(Lang::ZhHans).to_owned(),
        title_en: title.exact(Lang::En).cloned().unwrap_or_default(),
        file,
        pinned: false,
        urgent: false,
        expired: false,
        missing_translation: title.exact(Lang::En).is_none(),
        form: Some(format!("{}/{id}", EditKind::of(kind).folder())),
        unreadable: false,
        errors: mine
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        warnings: mine
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count(),
    }
}

/// The lines of each `[[key]]` entry of a TOML file, by id.
fn entry_lines(text: &str, key: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let header = format!("[[{key}]]");
    let mut entries: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line == header {
            if let Some(last) = entries.last_mut() {
                last.1.end = number;
            }
            entries.push((String::new(), number..usize::MAX));
        } else if let Some((name, value)) = line.split_once('=')
            && name.trim() == "id"
            && let Some(last) = entries.last_mut()
            && last.0.is_empty()
        {
            last.0 = value.trim().trim_matches('"').to_owned();
        }
    }
    entries
}

/// Files with errors whose item could not be read: listed so that they
/// can be found and fixed.
fn unreadable_items(diagnostics: &Diagnostics, listed: &[ListItem]) -> Vec<ListItem> {
    let mut items: Vec<ListItem> = Vec::new();
    for diagnostic in diagnostics.errors() {
        for (kind, folder) in [
            (ItemKind::Notice, "notices/"),
            (ItemKind::Guide, "guides/"),
            (ItemKind::Document, "documents/"),
        ] {
            let Some(name) = diagnostic.file.strip_prefix(folder) else {
                continue;
            };
            let id = name.split('.').next().unwrap_or(name);
            let known = |item: &ListItem| item.kind == kind_name(kind) && item.id == id;
            if let Some(item) = items.iter_mut().find(|item| known(item)) {
                item.errors += 1;
            } else if !listed.iter().any(known) {
                items.push(ListItem {
                    kind: kind_name(kind).to_owned(),
                    id: id.to_owned(),
                    title: String::new(),
                    title_en: String::new(),
                    file: diagnostic.file.clone(),
                    pinned: false,
                    urgent: false,
                    expired: false,
                    missing_translation: false,
                    form: None,
                    unreadable: true,
                    errors: 1,
                    warnings: 0,
                });
            }
        }
    }
    items
}

fn matches(item: &ListItem, query: &ListQuery) -> bool {
    let text = query
        .q
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_lowercase();
    query
        .kind
        .as_deref()
        .is_none_or(|kind| kind.is_empty() || kind == item.kind)
        && (text.is_empty()
            || [&item.id, &item.title, &item.title_en, &item.file]
                .iter()
                .any(|field| field.to_lowercase().contains(&text)))
        && (!query.expired || item.expired)
        && (!query.pinned || item.pinned)
        && (!query.urgent || item.urgent)
        && (!query.untranslated || item.missing_translation)
}
