//! The authoring folder admins edit, and its compiler into a [`Catalog`].
//!
//! Layout: `site.toml`, `notices/*.md`, `guides/*.toml`, `documents/*.md`,
//! `faq.toml`, `venues.toml`, `channels.toml`, `assets/`. Every problem in
//! every file is reported at once as `file:line:col: message`
//! (see `docs/authoring.md`).

mod diagnostics;
mod folder;
mod markdown;
mod pictures;
pub(crate) mod source;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use diagnostics::{Diagnostic, Diagnostics, InvalidContent, Severity};
use folder::{ContentFolder, Kind, ReadError};
pub use pictures::CompiledAssets;
use pictures::Pictures;
use source::{SourceFile, deserialize, table_value};

use super::clean::find_debris;
use super::convert::{clean_and_complete, looks_traditional};
use super::model::*;
use super::text::{Lang, Text};

/// Largest asset accepted into a catalog.
pub const MAX_ASSET_BYTES: u64 = 20 * 1024 * 1024;

/// Notices ending within this many days get a warning.
const EXPIRY_WARNING_DAYS: i64 = 7;

/// The most popular searches the search page shows (two rows of chips).
const MAX_POPULAR_SEARCHES: usize = 8;

/// A popular search longer than this is a title, not a query.
const MAX_POPULAR_SEARCH_CHARS: usize = 12;

/// A compiled catalog and the warnings found on the way.
#[derive(Debug)]
pub struct Compiled {
    /// The catalog the kiosk reads.
    pub catalog: Catalog,
    /// Warnings (never errors: those make compilation fail).
    pub diagnostics: Diagnostics,
    /// Assets in the catalog that no item uses (the publisher leaves them
    /// out unless asked).
    pub unused_assets: Vec<String>,
    /// The bytes to publish for the catalog's assets (JPEG pictures
    /// converted to PNG).
    pub assets: CompiledAssets,
}

/// Unsaved texts of files in an authoring folder, read in place of what is
/// on disk: the admin console validates a form before it is saved.
#[derive(Debug, Default, Clone)]
pub struct Draft {
    /// Path relative to the folder (`/` separators) → its unsaved text, or
    /// None for a file the draft removes.
    files: BTreeMap<String, Option<String>>,
}

impl Draft {
    /// Reads `text` for the file at `relative` (which may not exist yet).
    pub fn write(&mut self, relative: impl Into<String>, text: impl Into<String>) {
        self.files.insert(relative.into(), Some(text.into()));
    }

    /// Reads the file at `relative` as absent.
    pub fn remove(&mut self, relative: impl Into<String>) {
        self.files.insert(relative.into(), None);
    }

    /// The draft's say on a file: Some(Some(text)) written, Some(None)
    /// removed, None left as it is on disk.
    fn get(&self, relative: &str) -> Option<Option<&str>> {
        self.files.get(relative).map(Option::as_deref)
    }
}

/// What the loader made of a folder, errors or not: the items it could read
/// and every finding.
#[derive(Debug)]
pub struct Loaded {
    /// The items that could be read (None when site.toml cannot be).
    pub catalog: Option<Catalog>,
    /// Every error and warning.
    pub diagnostics: Diagnostics,
}

/// Loads an authoring folder as [`compile_folder`] does, with `draft`
/// read in place of the files it names, and keeps what it read even when
/// there are errors.
pub fn load_folder(root: &Path, now: DateTime<Utc>, draft: &Draft) -> Loaded {
    match open_loader(root, now, draft) {
        Ok(mut loader) => Loaded {
            catalog: loader.load(),
            diagnostics: loader.diagnostics,
        },
        Err(invalid) => Loaded {
            catalog: None,
            diagnostics: invalid.diagnostics,
        },
    }
}

fn open_loader(root: &Path, now: DateTime<Utc>, draft: &Draft) -> Result<Loader, InvalidContent> {
    let folder = ContentFolder::open(root).map_err(|message| {
        let mut diagnostics = Diagnostics::default();
        SourceFile::new(root.display().to_string(), "").error(&mut diagnostics, 0, message);
        InvalidContent { diagnostics }
    })?;
    Ok(Loader::new(root, folder, now, draft.clone()))
}

/// Whether `id` is a valid item id: a–z, 0–9 and '-', not empty.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Validates and compiles an authoring folder. `now` decides which notices
/// are about to expire (warnings only; nothing is dropped).
pub fn compile_folder(root: &Path, now: DateTime<Utc>) -> Result<Compiled, InvalidContent> {
    compile_draft(root, now, &Draft::default())
}

/// [`compile_folder`] with `draft` read in place of the files it names
/// (the console's preview of unsaved edits).
pub fn compile_draft(
    root: &Path,
    now: DateTime<Utc>,
    draft: &Draft,
) -> Result<Compiled, InvalidContent> {
    let mut loader = open_loader(root, now, draft)?;
    let catalog = loader.load();
    match catalog {
        Some(catalog) if !loader.diagnostics.has_errors() => Ok(Compiled {
            unused_assets: loader.unused_assets(&catalog.assets),
            catalog,
            diagnostics: loader.diagnostics,
            assets: loader.pictures.into_assets(),
        }),
        _ => Err(InvalidContent {
            diagnostics: loader.diagnostics,
        }),
    }
}

/// Every error and warning in an authoring folder.
pub fn validate_folder(root: &Path, now: DateTime<Utc>) -> Diagnostics {
    match compile_folder(root, now) {
        Ok(compiled) => compiled.diagnostics,
        Err(invalid) => invalid.diagnostics,
    }
}

/// Where an item was defined, for "also defined at" messages.
#[derive(Clone)]
struct Anchor {
    file: String,
    line: usize,
}

struct Loader {
    root: PathBuf,
    folder: ContentFolder,
    now: DateTime<Utc>,
    diagnostics: Diagnostics,
    assets: BTreeMap<String, AssetInfo>,
    pictures: Pictures,
    referenced_assets: Vec<String>,
    ids: HashMap<String, Anchor>,
    draft: Draft,
}

/// Front matter of a translation sibling (`<id>.en.md`).
#[derive(Deserialize)]
struct TranslationMeta {
    title: String,
    #[serde(default)]
    summary: Option<String>,
}

/// One `[[faq]]` entry as authored: the answer is Markdown.
#[derive(Deserialize)]
struct FaqSource {
    id: String,
    kind: FaqKind,
    category: Text,
    date: super::time::LocalTime,
    question: Text,
    answer: Text,
}

/// The links of a notice or document, checked alike.
struct Links<'a> {
    source_url: Option<&'a str>,
    attachments: &'a [Attachment],
}

/// A Markdown item (notice or document) split into its files.
struct MarkdownItem {
    id: String,
    primary: (Lang, PathBuf),
    translations: Vec<(Lang, PathBuf)>,
}

impl Loader {
    fn new(root: &Path, folder: ContentFolder, now: DateTime<Utc>, draft: Draft) -> Self {
        Loader {
            root: root.to_owned(),
            folder,
            now,
            diagnostics: Diagnostics::default(),
            assets: BTreeMap::new(),
            pictures: Pictures::new(root),
            referenced_assets: Vec::new(),
            ids: HashMap::new(),
            draft,
        }
    }

    fn load(&mut self) -> Option<Catalog> {
        self.scan_assets();
        let site = self.load_site();
        let faqs = self.load_faqs();
        let faq_ids: Vec<String> = faqs.iter().map(|faq| faq.id.clone()).collect();
        let venues: Vec<Venue> = self.load_entries(
            "venues.toml",
            "venue",
            |loader, source, venue: &Venue, offset| {
                if let Some(map) = &venue.map {
                    loader.check_image(source, offset, map);
                }
                if let Some(url) = &venue.url {
                    loader.check_url(source, offset, url);
                }
            },
        );
        let channels: Vec<Channel> = self.load_entries(
            "channels.toml",
            "channel",
            |loader, source, channel: &Channel, offset| {
                if let Some(url) = &channel.url {
                    loader.check_url(source, offset, url);
                }
            },
        );
        let site = site?;
        let notices = self.load_notices(&site);
        let documents = self.load_documents(&site);
        let guides = self.load_guides(&site, &faq_ids);
        self.warn_unreferenced_assets();
        let mut catalog = Catalog {
            format: CATALOG_FORMAT,
            site,
            notices,
            guides,
            documents,
            faqs,
            venues,
            channels,
            assets: std::mem::take(&mut self.assets),
            items: Default::default(),
        };
        normalize(&mut catalog);
        Some(catalog)
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Whether the file exists (on disk, or in the draft).
    fn exists(&self, path: &Path) -> bool {
        match self.draft.get(&self.relative(path)) {
            Some(text) => text.is_some(),
            None => path.exists(),
        }
    }

    fn read(&mut self, path: &Path) -> Option<SourceFile> {
        let relative = self.relative(path);
        if let Some(text) = self.draft.get(&relative) {
            let source = SourceFile::new(relative, text.unwrap_or_default());
            self.warn_lost_characters(&source);
            return Some(source);
        }
        match self.folder.read(path) {
            Ok(bytes) => {
                match String::from_utf8(bytes) {
                    Ok(text) => {
                        let source = SourceFile::new(relative, text);
                        self.warn_lost_characters(&source);
                        Some(source)
                    }
                    Err(error) => {
                        let source = SourceFile::new(relative, "");
                        let offset = error.utf8_error().valid_up_to();
                        source.error(&mut self.diagnostics, 0, format!("not UTF-8 text (bad byte at offset {offset}); save the file as UTF-8"));
                        None
                    }
                }
            }
            Err(error) => {
                SourceFile::new(relative, "").error(&mut self.diagnostics, 0, error.to_string());
                None
            }
        }
    }

    /// Files in a sub-folder with the given extension, sorted by name.
    fn list(&mut self, folder: &str, extension: &str) -> Vec<PathBuf> {
        let directory = self.root.join(folder);
        let Ok(entries) = std::fs::read_dir(&directory) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .collect();
        let prefix = format!("{folder}/");
        for (relative, text) in &self.draft.files {
            if let Some(name) = relative.strip_prefix(&prefix)
                && !name.contains('/')
            {
                let path = directory.join(name);
                paths.retain(|listed| *listed != path);
                if text.is_some() {
                    paths.push(path);
                }
            }
        }
        let mut files = Vec::new();
        for path in paths {
            if matches!(self.draft.get(&self.relative(&path)), Some(Some(_))) {
                files.push(path);
                continue;
            }
            match self.folder.classify(&path) {
                Ok(Kind::File) => files.push(path),
                Ok(Kind::Folder) => {}
                Err(refusal) => self.refuse(&path, refusal),
            }
        }
        files.sort();
        files.retain(|path| {
            let matches = path.extension().is_some_and(|ext| ext == extension);
            if !matches
                && !path
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with('.'))
            {
                let relative = self.relative(path);
                SourceFile::new(relative, "").error(
                    &mut self.diagnostics,
                    0,
                    format!("unexpected file in {folder}/: only .{extension} files belong here"),
                );
            }
            matches
        });
        files
    }

    /// Reports a path the folder refuses to read (a link out, a FIFO).
    fn refuse(&mut self, path: &Path, refusal: folder::Refusal) {
        let relative = self.relative(path);
        SourceFile::new(relative, "").error(&mut self.diagnostics, 0, refusal.to_string());
    }

    fn scan_assets(&mut self) {
        let assets = self.root.join("assets");
        let mut pending = vec![assets.clone()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(directory) = pending.pop() {
            match self.folder.classify(&directory) {
                Ok(Kind::Folder) => {}
                Ok(Kind::File) => continue,
                Err(refusal) => {
                    if directory != assets || directory.symlink_metadata().is_ok() {
                        self.refuse(&directory, refusal);
                    }
                    continue;
                }
            }
            // A link back to a folder above would walk forever.
            if !self
                .folder
                .identity(&directory)
                .is_some_and(|identity| seen.insert(identity))
            {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&directory) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                match self.folder.classify(&path) {
                    Ok(Kind::Folder) => {
                        pending.push(path);
                        continue;
                    }
                    Ok(Kind::File) => {}
                    Err(refusal) => {
                        self.refuse(&path, refusal);
                        continue;
                    }
                }
                let relative = self.relative(&path);
                let size = self.folder.size(&path).unwrap_or(0);
                if size > MAX_ASSET_BYTES {
                    SourceFile::new(relative, "").error(
                        &mut self.diagnostics,
                        0,
                        format!(
                            "asset is {:.1} MiB, over the {} MiB limit: shrink or compress it",
                            size as f64 / 1048576.0,
                            MAX_ASSET_BYTES / 1048576
                        ),
                    );
                    continue;
                }
                match self.folder.read(&path) {
                    Ok(bytes) => {
                        let sha256 = format!("{:x}", Sha256::digest(&bytes));
                        self.assets.insert(relative, AssetInfo { size, sha256 });
                    }
                    Err(ReadError::Io(error)) => SourceFile::new(relative, "").error(
                        &mut self.diagnostics,
                        0,
                        format!("cannot read the asset: {error}"),
                    ),
                    Err(ReadError::Refused(refusal)) => self.refuse(&path, refusal),
                }
            }
        }
    }

    fn check_image(&mut self, source: &SourceFile, offset: usize, asset: &str) {
        self.referenced_assets.push(asset.to_owned());
        if let Err(message) = check_picture(&mut self.pictures, &mut self.assets, asset) {
            source.error(&mut self.diagnostics, offset, message);
        }
    }

    /// Warns about characters a broken encoding lost where the cleaner
    /// cannot tell them (the kiosk leaves the debris out).
    fn warn_lost_characters(&mut self, source: &SourceFile) {
        for debris in find_debris(&source.text) {
            if !debris.lost || debris.replacement.is_some() {
                continue;
            }
            let text = &source.text[debris.range.clone()];
            let excerpt = excerpt(&source.text, debris.range.clone());
            source.warning(
                &mut self.diagnostics,
                debris.range.start,
                format!("a character lost by a broken encoding (`{text}` in “{excerpt}”) cannot be told from its pinyin and neighbours: the kiosk leaves `{text}` out; write the right character in its place"),
            );
        }
    }

    fn check_url(&mut self, source: &SourceFile, offset: usize, url: &str) {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            source.error(
                &mut self.diagnostics,
                offset,
                format!("`{url}` is not a web address (write https://…)"),
            );
        }
    }

    /// Popular searches are short queries, each once, few enough to show
    /// as chips on the empty search page.
    fn check_popular_searches(&mut self, source: &SourceFile, offset: usize, site: &Site) {
        let searches = &site.popular_searches;
        if searches.len() > MAX_POPULAR_SEARCHES {
            source.error(
                &mut self.diagnostics,
                offset,
                format!(
                    "{} popular searches: the search page shows at most {MAX_POPULAR_SEARCHES}",
                    searches.len()
                ),
            );
        }
        for (index, search) in searches.iter().enumerate() {
            let query = search.text(Lang::ZhHans).trim();
            if query.is_empty() {
                source.error(
                    &mut self.diagnostics,
                    offset,
                    format!("popular search {} is empty", index + 1),
                );
            } else if query.chars().count() > MAX_POPULAR_SEARCH_CHARS {
                source.error(
                    &mut self.diagnostics,
                    offset,
                    format!(
                        "popular search `{query}` is longer than {MAX_POPULAR_SEARCH_CHARS} characters: write what a visitor would type"
                    ),
                );
            } else if searches[..index]
                .iter()
                .any(|earlier| earlier.text(Lang::ZhHans).trim() == query)
            {
                source.error(
                    &mut self.diagnostics,
                    offset,
                    format!("popular search `{query}` is listed twice"),
                );
            }
        }
    }

    fn check_id(&mut self, source: &SourceFile, offset: usize, id: &str) {
        if !is_valid_id(id) {
            source.error(
                &mut self.diagnostics,
                offset,
                format!("id `{id}` may only use a–z, 0–9 and '-'"),
            );
        }
        let (line, _) = source.position(offset);
        let anchor = Anchor {
            file: source.path.clone(),
            line,
        };
        if let Some(first) = self.ids.get(id) {
            source.error(
                &mut self.diagnostics,
                offset,
                format!(
                    "duplicate id `{id}`: already used at {}:{}",
                    first.file, first.line
                ),
            );
        } else {
            self.ids.insert(id.to_owned(), anchor);
        }
    }

    fn check_category(
        &mut self,
        source: &SourceFile,
        offset: usize,
        id: &str,
        categories: &[Category],
        kind: &str,
    ) {
        if !categories.iter().any(|category| category.id == id) {
            let known: Vec<&str> = categories.iter().map(|c| c.id.as_str()).collect();
            source.error(
                &mut self.diagnostics,
                offset,
                format!(
                    "unknown {kind} category `{id}` (site.toml defines: {})",
                    known.join(", ")
                ),
            );
        }
    }

    /// Parses a whole TOML file into `T`, with the offsets of its keys.
    fn parse_file_toml<T: DeserializeOwned>(
        &mut self,
        source: &SourceFile,
    ) -> Option<(T, KeyOffsets)> {
        let table = source.parse_toml(0..source.text.len(), &mut self.diagnostics)?;
        let keys = KeyOffsets::of(&table, 0);
        let value = deserialize(source, 0, &table_value(table), &mut self.diagnostics)?;
        Some((value, keys))
    }

    fn load_site(&mut self) -> Option<Site> {
        let path = self.root.join("site.toml");
        if !self.exists(&path) {
            SourceFile::new("site.toml", "").error(
                &mut self.diagnostics,
                0,
                "missing site.toml: every content folder needs one",
            );
            return None;
        }
        let source = self.read(&path)?;
        let (site, keys): (Site, _) = self.parse_file_toml(&source)?;
        if let Some(logo) = &site.logo {
            self.check_image(&source, keys.at("logo"), logo);
        }
        self.check_url(&source, keys.at("website"), &site.website);
        self.check_popular_searches(&source, keys.at("popular_searches"), &site);
        Some(site)
    }

    /// Entries of an array-of-tables file (`[[venue]]` in venues.toml).
    fn load_entries<T: DeserializeOwned>(
        &mut self,
        file: &str,
        key: &str,
        mut check: impl FnMut(&mut Loader, &SourceFile, &T, usize),
    ) -> Vec<T> {
        let path = self.root.join(file);
        if !self.exists(&path) {
            return Vec::new();
        }
        let Some(source) = self.read(&path) else {
            return Vec::new();
        };
        let Some(table) = source.parse_toml(0..source.text.len(), &mut self.diagnostics) else {
            return Vec::new();
        };
        let mut items = Vec::new();
        for (name, value) in table.get_ref().iter() {
            if &**name.get_ref() != key {
                source.error(
                    &mut self.diagnostics,
                    name.span().start,
                    format!(
                        "unknown key `{}`: entries are written as [[{key}]]",
                        name.get_ref()
                    ),
                );
                continue;
            }
            let DeValue::Array(entries) = value.get_ref() else {
                source.error(
                    &mut self.diagnostics,
                    name.span().start,
                    format!("write entries as [[{key}]] tables"),
                );
                continue;
            };
            for entry in entries {
                let id_offset = entry_key_offset(entry, "id");
                if let Some(item) = deserialize::<T>(&source, 0, entry, &mut self.diagnostics) {
                    if let Some(id) = entry.get_ref().get("id").and_then(|v| v.get_ref().as_str()) {
                        self.check_id(&source, id_offset, id);
                    }
                    check(self, &source, &item, id_offset);
                    items.push(item);
                }
            }
        }
        items
    }

    /// Loads `faq.toml`; answers are Markdown, reported at the entry's position.
    fn load_faqs(&mut self) -> Vec<Faq> {
        let mut answers = Vec::new();
        let entries: Vec<FaqSource> =
            self.load_entries("faq.toml", "faq", |_, source, _: &FaqSource, offset| {
                answers.push(source.position(offset).0);
            });
        entries
            .into_iter()
            .zip(answers)
            .map(|(entry, line)| {
                let answer = entry.answer.map(|markdown| {
                    // Blank lines keep Markdown line numbers aligned with the entry in faq.toml.
                    let padded = format!("{}{markdown}", "\n".repeat(line.saturating_sub(1)));
                    let scratch = SourceFile::new("faq.toml", padded);
                    self.parse_markdown(&scratch, 0..scratch.text.len())
                });
                Faq {
                    id: entry.id,
                    kind: entry.kind,
                    category: entry.category,
                    date: entry.date,
                    question: entry.question,
                    answer,
                }
            })
            .collect()
    }

    fn load_guides(&mut self, site: &Site, faq_ids: &[String]) -> Vec<ServiceGuide> {
        let mut guides = Vec::new();
        for path in self.list("guides", "toml") {
            let Some(source) = self.read(&path) else {
                continue;
            };
            let id = file_stem(&path);
            self.check_id(&source, 0, &id);
            let Some((meta, keys)) = self.parse_file_toml::<GuideMeta>(&source) else {
                continue;
            };
            self.check_category(
                &source,
                keys.at("category"),
                &meta.category,
                &site.guide_categories,
                "guide",
            );
            for faq in &meta.faq {
                if !faq_ids.contains(faq) {
                    source.error(
                        &mut self.diagnostics,
                        keys.at("faq"),
                        format!("faq `{faq}` is not defined in faq.toml"),
                    );
                }
            }
            if let Some(url) = &meta.online_url {
                self.check_url(&source, keys.at("online_url"), url);
            }
            if let Some(url) = &meta.source_url {
                self.check_url(&source, keys.at("source_url"), url);
            }
            guides.push(ServiceGuide { id, meta });
        }
        guides
    }

    fn load_notices(&mut self, site: &Site) -> Vec<Notice> {
        let mut notices = Vec::new();
        for item in self.markdown_items("notices") {
            let Some((meta, body, source, keys)) = self.load_markdown_item::<NoticeMeta>(&item)
            else {
                continue;
            };
            let links = Links {
                source_url: meta.source_url.as_deref(),
                attachments: &meta.attachments,
            };
            self.check_item(
                &source,
                &keys,
                &meta.category,
                &site.notice_categories,
                "notice",
                links,
            );
            if let (Some(from), Some(until)) = (meta.valid_from, meta.valid_until)
                && until.0 < from.0
            {
                source.error(
                    &mut self.diagnostics,
                    keys.at("valid_until"),
                    "valid_until is before valid_from",
                );
            }
            if let Some(until) = meta.valid_until {
                let local_now = super::time::to_local(self.now, site.time_zone);
                let soon = local_now + Duration::days(EXPIRY_WARNING_DAYS);
                if until.0 >= local_now && until.0 <= soon {
                    source.warning(
                        &mut self.diagnostics,
                        keys.at("valid_until"),
                        format!("expires within {EXPIRY_WARNING_DAYS} days ({})", until.0),
                    );
                }
            }
            notices.push(Notice {
                id: item.id,
                meta,
                body,
            });
        }
        notices
    }

    fn load_documents(&mut self, site: &Site) -> Vec<Document> {
        let mut documents = Vec::new();
        for item in self.markdown_items("documents") {
            let Some((meta, body, source, keys)) = self.load_markdown_item::<DocumentMeta>(&item)
            else {
                continue;
            };
            let links = Links {
                source_url: meta.source_url.as_deref(),
                attachments: &meta.attachments,
            };
            self.check_item(
                &source,
                &keys,
                &meta.category,
                &site.document_categories,
                "document",
                links,
            );
            documents.push(Document {
                id: item.id,
                meta,
                body,
            });
        }
        documents
    }

    /// Checks what notices and documents share: the category and every link.
    fn check_item(
        &mut self,
        source: &SourceFile,
        keys: &KeyOffsets,
        category: &str,
        categories: &[Category],
        kind: &str,
        links: Links<'_>,
    ) {
        self.check_category(source, keys.at("category"), category, categories, kind);
        if let Some(url) = links.source_url {
            self.check_url(source, keys.at("source_url"), url);
        }
        for attachment in links.attachments {
            self.check_url(source, keys.at("attachments"), &attachment.url);
        }
    }

    /// Groups `<id>.md`, `<id>.zh-Hant.md`, `<id>.en.md` into items.
    fn markdown_items(&mut self, folder: &str) -> Vec<MarkdownItem> {
        let mut groups: BTreeMap<String, Vec<(Lang, PathBuf)>> = BTreeMap::new();
        for path in self.list(folder, "md") {
            let stem = file_stem(&path);
            let (id, lang) = match stem.rsplit_once('.') {
                Some((id, tag)) => match Lang::from_tag(tag) {
                    Some(lang) => (id.to_owned(), lang),
                    None => {
                        let relative = self.relative(&path);
                        SourceFile::new(relative, "").error(
                            &mut self.diagnostics,
                            0,
                            format!("unknown language `{tag}` in the file name: use <id>.md, <id>.zh-Hant.md or <id>.en.md"),
                        );
                        continue;
                    }
                },
                None => (stem, Lang::ZhHans),
            };
            groups.entry(id).or_default().push((lang, path));
        }
        let mut items = Vec::new();
        for (id, mut files) in groups {
            files.sort_by_key(|(lang, _)| Lang::ALL.iter().position(|l| l == lang));
            let primary_index = files.iter().position(|(lang, _)| *lang != Lang::En);
            let Some(primary_index) = primary_index else {
                let relative = self.relative(&files[0].1);
                SourceFile::new(relative, "").error(
                    &mut self.diagnostics,
                    0,
                    format!("translation without its Chinese original: add {folder}/{id}.md"),
                );
                continue;
            };
            let primary = files.remove(primary_index);
            items.push(MarkdownItem {
                id,
                primary,
                translations: files,
            });
        }
        items
    }

    /// Loads an item's primary file and merges its translations.
    fn load_markdown_item<M: DeserializeOwned + HasLocalizedTitle>(
        &mut self,
        item: &MarkdownItem,
    ) -> Option<(M, Body, SourceFile, KeyOffsets)> {
        let source = self.read(&item.primary.1)?;
        self.check_id(&source, 0, &item.id);
        let (front, body_range) = self.split_front_matter(&source)?;
        let table = source.parse_toml(front.clone(), &mut self.diagnostics)?;
        let keys = KeyOffsets::of(&table, front.start);
        let meta: Option<M> = deserialize(
            &source,
            front.start,
            &table_value(table),
            &mut self.diagnostics,
        );
        let blocks = self.parse_markdown(&source, body_range);
        let mut meta = meta?;
        let mut body = Body::only(item.primary.0, blocks);
        for (lang, path) in &item.translations {
            let Some(translation) = self.read(path) else {
                continue;
            };
            let Some((front, body_range)) = self.split_front_matter(&translation) else {
                continue;
            };
            let Some(parsed) = translation.parse_toml(front.clone(), &mut self.diagnostics) else {
                continue;
            };
            let Some(fields) = deserialize::<TranslationMeta>(
                &translation,
                front.start,
                &table_value(parsed),
                &mut self.diagnostics,
            ) else {
                continue;
            };
            let blocks = self.parse_markdown(&translation, body_range);
            if fields.title.trim().is_empty() {
                translation.error(
                    &mut self.diagnostics,
                    front.start,
                    format!("the {lang} title is empty: visitors would see an item without a heading; write it, or remove {}", translation.path),
                );
            }
            if meta.title_mut().exact(*lang).is_some() {
                translation.error(
                    &mut self.diagnostics,
                    front.start,
                    format!(
                        "the {lang} title is also given in {}; keep one",
                        source.path
                    ),
                );
            }
            *meta.title_mut().slot_mut(*lang) = Some(fields.title);
            if let Some(summary) = fields.summary {
                meta.summary_mut()
                    .get_or_insert_with(Text::default)
                    .slot_mut(*lang)
                    .replace(summary);
            }
            *body.slot_mut(*lang) = Some(blocks);
        }
        let primary = item.primary.0;
        if meta
            .title_mut()
            .exact(primary)
            .is_some_and(|title| title.trim().is_empty())
        {
            source.error(
                &mut self.diagnostics,
                keys.at("title"),
                format!(
                    "the {primary} title is empty: visitors would see an item without a heading"
                ),
            );
        }
        if item.primary.0 == Lang::ZhHans {
            self.warn_if_traditional(&source, front.start, &item.id, meta.title_mut(), &body);
        }
        if item.primary.0 != Lang::En && meta.title_mut().exact(Lang::En).is_none() {
            let sibling = sibling_path(&source.path, &item.id, Lang::En);
            source.warning(
                &mut self.diagnostics,
                front.start,
                format!("missing translation: no English title; add {sibling} (English visitors see this item in Chinese)"),
            );
        }
        Some((meta, body, source, keys))
    }

    /// Warns when an item given as simplified Chinese (`<id>.md`, plain
    /// strings) is written in traditional characters: the kiosk would show
    /// traditional text under 简 and convert it to traditional for 繁.
    fn warn_if_traditional(
        &mut self,
        source: &SourceFile,
        offset: usize,
        id: &str,
        title: &Text,
        body: &Body,
    ) {
        let mut text = title.exact(Lang::ZhHans).cloned().unwrap_or_default();
        if let Some(blocks) = &body.zh_hans {
            super::blocks::each_text(blocks, &mut |piece| text.push_str(piece));
        }
        if looks_traditional(&text) {
            let traditional = sibling_path(&source.path, id, Lang::ZhHant);
            source.warning(
                &mut self.diagnostics,
                offset,
                format!("written in traditional characters, but `{}` is read as simplified Chinese: rename the file to {traditional} and write its fields as {{ zh-Hant = \"…\" }}, so that 简 shows simplified text", source.path),
            );
        }
    }

    fn parse_markdown(
        &mut self,
        source: &SourceFile,
        range: std::ops::Range<usize>,
    ) -> Vec<super::blocks::Block> {
        let (pictures, assets) = (&mut self.pictures, &mut self.assets);
        let mut referenced = Vec::new();
        let blocks = markdown::parse_body(
            source,
            range,
            &mut |asset| check_picture(pictures, assets, asset),
            &mut self.diagnostics,
        );
        collect_image_assets(&blocks, &mut referenced);
        self.referenced_assets.extend(referenced);
        blocks
    }

    /// Finds the `+++` front matter; returns its range and the body's range.
    fn split_front_matter(
        &mut self,
        source: &SourceFile,
    ) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        match front_matter(&source.text) {
            Ok(parts) => Some((parts.front, parts.body)),
            Err(error) => {
                source.error(&mut self.diagnostics, 0, error.to_string());
                None
            }
        }
    }

    /// The assets of `assets` that no item uses.
    fn unused_assets(&self, assets: &BTreeMap<String, AssetInfo>) -> Vec<String> {
        assets
            .keys()
            .filter(|asset| !self.referenced_assets.contains(asset))
            .cloned()
            .collect()
    }

    fn warn_unreferenced_assets(&mut self) {
        let unreferenced: Vec<String> = self
            .assets
            .keys()
            .filter(|asset| !self.referenced_assets.contains(asset))
            .cloned()
            .collect();
        for asset in unreferenced {
            SourceFile::new(asset, "").warning(
                &mut self.diagnostics,
                0,
                "asset is not used by any item",
            );
        }
    }
}

/// Where the parts of a Markdown item's file are (byte ranges).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// The TOML between the `+++` lines.
    pub front: std::ops::Range<usize>,
    /// The Markdown body after the closing `+++` line.
    pub body: std::ops::Range<usize>,
}

/// Why a Markdown item's file has no usable front matter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    /// The first line is not `+++`.
    #[error(
        "missing front matter: the file must start with a line `+++`, the TOML fields, and another `+++`"
    )]
    Missing,
    /// No closing `+++` line.
    #[error("front matter is not closed: add a line `+++` after the TOML fields")]
    NotClosed,
}

/// Finds the `+++` front matter of a notice or document file.
pub fn front_matter(text: &str) -> Result<FrontMatter, FrontMatterError> {
    let start = text.strip_prefix('\u{FEFF}').map_or(0, |_| 3);
    let rest = &text[start..];
    let after_open = rest
        .strip_prefix("+++\n")
        .or_else(|| rest.strip_prefix("+++\r\n"))
        .ok_or(FrontMatterError::Missing)?;
    let front_start = text.len() - after_open.len();
    let mut offset = front_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(FrontMatter {
                front: front_start..offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(FrontMatterError::NotClosed)
}

/// Front matter types with a localized title and optional summary, so
/// translation siblings can be merged into them.
trait HasLocalizedTitle {
    fn title_mut(&mut self) -> &mut Text;
    fn summary_mut(&mut self) -> &mut Option<Text>;
}

impl HasLocalizedTitle for NoticeMeta {
    fn title_mut(&mut self) -> &mut Text {
        &mut self.title
    }
    fn summary_mut(&mut self) -> &mut Option<Text> {
        &mut self.summary
    }
}

impl HasLocalizedTitle for DocumentMeta {
    fn title_mut(&mut self) -> &mut Text {
        &mut self.title
    }
    fn summary_mut(&mut self) -> &mut Option<Text> {
        &mut self.summary
    }
}

fn collect_image_assets(blocks: &[super::blocks::Block], out: &mut Vec<String>) {
    for block in blocks {
        if let super::blocks::Block::Image { asset, .. } = block {
            out.push(asset.clone());
        }
    }
}

/// `folder/<id>.<lang>.md` beside `path` (whatever the language of `path`).
fn sibling_path(path: &str, id: &str, lang: Lang) -> String {
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let name = match lang {
        Lang::ZhHans => format!("{id}.md"),
        other => format!("{id}.{}.md", other.tag()),
    };
    if folder.is_empty() {
        name
    } else {
        format!("{folder}/{name}")
    }
}

/// Whether a picture can be shown; the error says why not.
fn check_picture(
    pictures: &mut Pictures,
    assets: &mut BTreeMap<String, AssetInfo>,
    asset: &str,
) -> Result<(), String> {
    if !assets.contains_key(asset) {
        return Err(format!(
            "image `{asset}` does not exist in the content folder"
        ));
    }
    pictures.check(asset, assets)
}

/// Up to ten characters either side of `range`, on its line.
fn excerpt(text: &str, range: std::ops::Range<usize>) -> String {
    const AROUND: usize = 10;
    let line_start = text[..range.start].rfind('\n').map_or(0, |index| index + 1);
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |index| range.end + index);
    let before: Vec<char> = text[line_start..range.start].chars().collect();
    let before: String = before[before.len().saturating_sub(AROUND)..]
        .iter()
        .collect();
    let after: String = text[range.end..line_end].chars().take(AROUND).collect();
    format!(
        "{}{}{}",
        before.trim_start(),
        &text[range],
        after.trim_end()
    )
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Byte offsets of the top-level keys of a TOML table, for messages about
/// a field's value after deserialization.
struct KeyOffsets {
    start: usize,
    keys: HashMap<String, usize>,
}

impl KeyOffsets {
    fn of(table: &Spanned<DeTable<'_>>, base: usize) -> Self {
        KeyOffsets {
            start: base + table.span().start,
            keys: table
                .get_ref()
                .iter()
                .map(|(name, _)| (name.get_ref().to_string(), base + name.span().start))
                .collect(),
        }
    }

    /// Offset of `key`, or of the table when the key is absent.
    fn at(&self, key: &str) -> usize {
        self.keys.get(key).copied().unwrap_or(self.start)
    }
}

fn entry_key_offset(entry: &Spanned<DeValue<'_>>, key: &str) -> usize {
    match entry.get_ref() {
        DeValue::Table(table) => table
            .iter()
            .find(|(name, _)| &**name.get_ref() == key)
            .map_or(entry.span().start, |(name, _)| name.span().start),
        _ => entry.span().start,
    }
}

/// Cleans every text, fills missing Chinese variants, and sorts lists.
fn normalize(catalog: &mut Catalog) {
    catalog.for_each_text(&mut |text| clean_and_complete(text));
    catalog.for_each_body(&mut |body| clean_and_complete(body));
    catalog.sort();
}
