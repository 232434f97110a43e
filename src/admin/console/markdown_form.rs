//! The edit form of a Markdown item (a notice or a document) and its files:
//! the original (`<id>.md`, or `<id>.zh-Hant.md` when that is the only
//! Chinese file) and its translation siblings (`<id>.zh-Hant.md`,
//! `<id>.en.md`), as docs/authoring.md §7 lays them out.
//!
//! Saving changes only what the form changed, through `toml_edit`: a value
//! that is not changed keeps its bytes, its comments and its place, and a
//! form saved as it was loaded leaves every file byte-identical.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml_edit::{DocumentMut, Item, Value};

use super::editable::{EditKind, Editable, FileChange, FormError, same_item};
use super::paths::{ContentRoot, ItemId};
use super::toml_values::{
    TextKind, Texts, has_inline, item_text, key_of_line, localized, plain, replace_value,
    set_localized, set_plain, set_text,
};
use crate::content::authoring::source::line_column;
use crate::content::authoring::{Diagnostic, FrontMatter, front_matter};
use crate::content::text::Lang;

/// The kinds of item written as Markdown with front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkdownKind {
    /// `notices/<id>.md`.
    Notice,
    /// `documents/<id>.md`.
    Document,
}

impl MarkdownKind {
    /// The folder of its files.
    pub fn folder(self) -> &'static str {
        match self {
            MarkdownKind::Notice => "notices",
            MarkdownKind::Document => "documents",
        }
    }

    /// Front matter keys the form edits as text (dates, ids, addresses).
    fn text_keys(self) -> &'static [&'static str] {
        match self {
            MarkdownKind::Notice => &[
                "category",
                "published",
                "valid_from",
                "valid_until",
                "source_url",
                "revision",
            ],
            MarkdownKind::Document => &["category", "published", "source_url", "revision"],
        }
    }

    /// Front matter keys the form edits as yes/no.
    fn flag_keys(self) -> &'static [&'static str] {
        match self {
            MarkdownKind::Notice => &["pinned", "urgent"],
            MarkdownKind::Document => &[],
        }
    }
}

/// Keys whose text is a date or date-time (written as TOML dates when
/// they read as one).
const DATE_KEYS: [&str; 3] = ["published", "valid_from", "valid_until"];

/// The localized front matter keys the form shows side by side.
const LOCALIZED_KEYS: [&str; 2] = ["title", "summary"];

/// What the edit form shows and sends back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkdownForm {
    /// The item's id (its file name).
    pub id: String,
    /// The hash of its files as loaded: a save against files that changed
    /// since is refused.
    pub hash: String,
    /// The language of the original file (zh-Hans, or zh-Hant for a
    /// `<id>.zh-Hant.md` without `<id>.md`).
    pub original: Lang,
    /// Front matter values edited as text, by key.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Front matter yes/no values, by key.
    #[serde(default)]
    pub flags: BTreeMap<String, bool>,
    /// Title.
    pub title: Texts,
    /// Summary.
    pub summary: Texts,
    /// Markdown body.
    pub body: Texts,
}

/// The files of one Markdown item as they are on disk.
pub struct ItemFiles {
    kind: MarkdownKind,
    id: ItemId,
    original: Lang,
    /// The text of each language's file that exists.
    texts: BTreeMap<LangKey, String>,
    hash: String,
}

/// [`Lang`] as a map key, in [`Lang::ALL`] order.
type LangKey = usize;

/// The file of one language of an item.
fn file_of(kind: MarkdownKind, id: &ItemId, lang: Lang) -> String {
    let suffix = match lang {
        Lang::ZhHans => String::new(),
        other => format!(".{}", other.tag()),
    };
    format!("{}/{}{suffix}.md", kind.folder(), id.as_str())
}

impl ItemFiles {
    /// Reads an item's files.
    pub fn read(root: &ContentRoot, kind: MarkdownKind, id: ItemId) -> Result<Self, FormError> {
        let mut texts = BTreeMap::new();
        let mut hasher = Sha256::new();
        for lang in Lang::ALL {
            let file = file_of(kind, &id, lang);
            let text = root.read(&file)?;
            hasher.update(file.as_bytes());
            match &text {
                Some(text) => {
                    hasher.update([1]);
                    hasher.update((text.len() as u64).to_le_bytes());
                    hasher.update(text.as_bytes());
                }
                None => hasher.update([0]),
            }
            if let Some(text) = text {
                texts.insert(lang.index(), text);
            }
        }
        let original = [Lang::ZhHans, Lang::ZhHant]
            .into_iter()
            .find(|lang| texts.contains_key(&lang.index()))
            .ok_or_else(|| FormError::NotFound {
                kind: kind.folder(),
                id: id.as_str().to_owned(),
            })?;
        Ok(ItemFiles {
            kind,
            id,
            original,
            texts,
            hash: format!("{:x}", hasher.finalize()),
        })
    }

    /// Its files (those that exist and those a translation would add).
    fn files(&self) -> impl Iterator<Item = String> + '_ {
        Lang::ALL
            .into_iter()
            .map(|lang| file_of(self.kind, &self.id, lang))
    }

    /// The languages kept in sibling files.
    fn translations(&self) -> impl Iterator<Item = Lang> + '_ {
        Lang::ALL
            .into_iter()
            .filter(|lang| *lang != self.original && *lang != Lang::ZhHans)
    }

    fn parsed(&self, lang: Lang) -> Result<Option<ParsedFile>, FormError> {
        match self.texts.get(&lang.index()) {
            Some(text) => ParsedFile::parse(file_of(self.kind, &self.id, lang), text).map(Some),
            None => Ok(None),
        }
    }

    fn primary(&self) -> Result<ParsedFile, FormError> {
        self.parsed(self.original)?
            .ok_or_else(|| FormError::NotFound {
                kind: self.kind.folder(),
                id: self.id.as_str().to_owned(),
            })
    }
}

impl Editable for ItemFiles {
    type Form = MarkdownForm;

    fn open(root: &ContentRoot, kind: EditKind, id: ItemId) -> Result<Self, FormError> {
        let kind = match kind {
            EditKind::Notice => MarkdownKind::Notice,
            EditKind::Document => MarkdownKind::Document,
            other => {
                return Err(FormError::Invalid(format!(
                    "a {other:?} is no Markdown item"
                )));
            }
        };
        ItemFiles::read(root, kind, id)
    }

    fn id(&self) -> &ItemId {
        &self.id
    }

    fn hash(&self) -> &str {
        &self.hash
    }

    fn form_hash(form: &MarkdownForm) -> &str {
        &form.hash
    }

    fn owns(&self, diagnostic: &Diagnostic, _: &[FileChange]) -> bool {
        self.files().any(|own| own == diagnostic.file)
    }

    fn form(&self) -> Result<MarkdownForm, FormError> {
        let primary = self.primary()?;
        let mut form = MarkdownForm {
            id: self.id.as_str().to_owned(),
            hash: self.hash.clone(),
            original: self.original,
            fields: BTreeMap::new(),
            flags: BTreeMap::new(),
            title: Texts::default(),
            summary: Texts::default(),
            body: Texts::default(),
        };
        for key in self.kind.text_keys() {
            let text = primary.front.get(key).map(item_text).unwrap_or_default();
            form.fields.insert((*key).to_owned(), text);
        }
        for key in self.kind.flag_keys() {
            let flag = primary.front.get(key).and_then(Item::as_bool);
            form.flags.insert((*key).to_owned(), flag.unwrap_or(false));
        }
        for lang in Lang::ALL {
            *form.title.slot(lang) = localized(&primary.front, "title", lang);
            *form.summary.slot(lang) = localized(&primary.front, "summary", lang);
        }
        *form.body.slot(self.original) = primary.body_shown.clone();
        for lang in self.translations() {
            if let Some(sibling) = self.parsed(lang)? {
                *form.title.slot(lang) = plain(&sibling.front, "title");
                *form.summary.slot(lang) = plain(&sibling.front, "summary");
                *form.body.slot(lang) = sibling.body_shown;
            }
        }
        Ok(form)
    }

    /// The file changes that turn the files into `form`; none when the
    /// form is what was loaded.
    fn changes(&self, form: &MarkdownForm) -> Result<Vec<FileChange>, FormError> {
        same_item(&form.id, &self.id)?;
        let loaded = self.form()?;
        let mut primary = self.primary()?;
        let mut changes = Vec::new();
        for (key, text) in &form.fields {
            if !self.kind.text_keys().contains(&key.as_str()) {
                return Err(FormError::Invalid(format!("unknown field `{key}`")));
            }
            if loaded.fields.get(key) != Some(text) {
                let kind = if DATE_KEYS.contains(&key.as_str()) {
                    TextKind::Date
                } else if key == "revision" {
                    TextKind::Integer
                } else {
                    TextKind::String
                };
                set_text(&mut primary.front, key, text, kind);
                primary.changed = true;
            }
        }
        for (key, flag) in &form.flags {
            if !self.kind.flag_keys().contains(&key.as_str()) {
                return Err(FormError::Invalid(format!("unknown field `{key}`")));
            }
            if loaded.flags.get(key) != Some(flag) {
                replace_value(primary.front.as_table_mut(), key, Value::from(*flag));
                primary.changed = true;
            }
        }
        // The Chinese languages not in a sibling file are written inline.
        let inline_langs: &[Lang] = match self.original {
            Lang::ZhHans => &[Lang::ZhHans],
            _ => &[Lang::ZhHans, Lang::ZhHant],
        };
        for &lang in inline_langs {
            for (key, texts, before) in localized_fields(form, &loaded) {
                if texts.get(lang) != before.get(lang) {
                    set_localized(&mut primary.front, key, lang, texts.get(lang));
                    primary.changed = true;
                }
            }
        }
        if form.body.get(self.original) != loaded.body.get(self.original) {
            primary.set_body(form.body.get(self.original));
        }
        if self.original != Lang::ZhHans && !form.body.zh_hans.is_empty() {
            return Err(FormError::Invalid(
                "the original is in traditional Chinese: its simplified body is converted from it, and cannot be written here".to_owned(),
            ));
        }
        for lang in self.translations() {
            let wanted = [
                form.title.get(lang),
                form.summary.get(lang),
                form.body.get(lang),
            ];
            let before = [
                loaded.title.get(lang),
                loaded.summary.get(lang),
                loaded.body.get(lang),
            ];
            if wanted == before {
                continue;
            }
            let file = file_of(self.kind, &self.id, lang);
            let empty = wanted.iter().all(|text| text.is_empty());
            let inline = LOCALIZED_KEYS
                .iter()
                .any(|key| has_inline(&primary.front, key, lang));
            match self.parsed(lang)? {
                Some(_) if empty => changes.push(FileChange { file, text: None }),
                Some(mut sibling) => {
                    for (index, key) in LOCALIZED_KEYS.into_iter().enumerate() {
                        if wanted[index] != before[index] {
                            set_plain(&mut sibling.front, key, wanted[index]);
                            sibling.changed = true;
                        }
                    }
                    if wanted[2] != before[2] {
                        sibling.set_body(wanted[2]);
                    }
                    changes.push(sibling.change());
                }
                None if inline && wanted[2].is_empty() => {
                    for (index, key) in LOCALIZED_KEYS.into_iter().enumerate() {
                        if wanted[index] != before[index] {
                            set_localized(&mut primary.front, key, lang, wanted[index]);
                            primary.changed = true;
                        }
                    }
                }
                None => {
                    // The translation moves to (or starts in) its sibling
                    // file: a title in both places is an error.
                    for key in LOCALIZED_KEYS {
                        if has_inline(&primary.front, key, lang) {
                            set_localized(&mut primary.front, key, lang, "");
                            primary.changed = true;
                        }
                    }
                    if !empty {
                        changes.push(new_sibling(file, wanted));
                    }
                }
            }
        }
        if primary.changed || primary.body_changed {
            changes.insert(0, primary.change());
        }
        Ok(changes)
    }

    /// The form field a diagnostic belongs to (`title.en`, `published`,
    /// `body.zh-Hans`…), when its position says; `texts` are the files'
    /// texts as validated.
    fn field_of(&self, diagnostic: &Diagnostic, texts: &[FileChange]) -> Option<String> {
        let lang = Lang::ALL
            .into_iter()
            .find(|lang| file_of(self.kind, &self.id, *lang) == diagnostic.file)?;
        if diagnostic.message.contains("no English title") {
            return Some("title.en".to_owned());
        }
        let text = match texts.iter().find(|change| change.file == diagnostic.file) {
            Some(change) => change.text.as_deref()?,
            None => self.texts.get(&lang.index())?,
        };
        let parts = front_matter(text).ok()?;
        let (front_line, _) = line_column(text, parts.front.start);
        let (body_line, _) = line_column(text, parts.body.start);
        if diagnostic.line >= body_line && parts.body.start < text.len() {
            return Some(format!("body.{}", lang.tag()));
        }
        let lines: Vec<&str> = text.lines().collect();
        (front_line..=diagnostic.line.min(body_line))
            .rev()
            .find_map(|line| key_of_line(lines.get(line.checked_sub(1)?)?))
            .map(|(key, sub)| match key {
                "title" | "summary" => {
                    let lang = sub.and_then(Lang::from_tag).unwrap_or(lang);
                    format!("{key}.{}", lang.tag())
                }
                other => other.to_owned(),
            })
    }
}

/// The title and summary of a form beside those loaded.
fn localized_fields<'a>(
    form: &'a MarkdownForm,
    loaded: &'a MarkdownForm,
) -> [(&'static str, &'a Texts, &'a Texts); 2] {
    [
        ("title", &form.title, &loaded.title),
        ("summary", &form.summary, &loaded.summary),
    ]
}

/// One file of an item, parsed for editing.
struct ParsedFile {
    file: String,
    text: String,
    parts: FrontMatter,
    front: DocumentMut,
    /// The body as the form shows it: without the blank line after `+++`,
    /// with `\n` line ends.
    body_shown: String,
    /// The body to write, when the form changed it.
    new_body: Option<String>,
    changed: bool,
    body_changed: bool,
}

impl ParsedFile {
    fn parse(file: String, text: &str) -> Result<Self, FormError> {
        let unreadable = |message: String| FormError::Unreadable {
            file: file.clone(),
            message,
        };
        let parts = front_matter(text).map_err(|error| unreadable(error.to_string()))?;
        let front: DocumentMut = text[parts.front.clone()]
            .parse()
            .map_err(|error: toml_edit::TomlError| unreadable(error.message().to_owned()))?;
        let body = &text[parts.body.clone()];
        let body = body
            .strip_prefix("\r\n")
            .or_else(|| body.strip_prefix('\n'))
            .unwrap_or(body);
        Ok(ParsedFile {
            body_shown: body.replace("\r\n", "\n"),
            file,
            text: text.to_owned(),
            parts,
            front,
            new_body: None,
            changed: false,
            body_changed: false,
        })
    }

    fn set_body(&mut self, body: &str) {
        let old = &self.text[self.parts.body.clone()];
        let newline = if old.contains("\r\n") { "\r\n" } else { "\n" };
        let mut body = body.replace('\n', newline);
        if !body.is_empty() && !body.ends_with(newline) {
            body.push_str(newline);
        }
        self.new_body = Some(format!("{newline}{body}"));
        self.body_changed = true;
    }

    fn change(&self) -> FileChange {
        let front = if self.changed {
            self.front.to_string()
        } else {
            self.text[self.parts.front.clone()].to_owned()
        };
        let body = match &self.new_body {
            Some(body) => body.as_str(),
            None => &self.text[self.parts.body.clone()],
        };
        FileChange {
            file: self.file.clone(),
            text: Some(format!(
                "{}{front}{}{body}",
                &self.text[..self.parts.front.start],
                &self.text[self.parts.front.end..self.parts.body.start],
            )),
        }
    }
}

/// A new translation file: its title and summary, then its body.
fn new_sibling(file: String, [title, summary, body]: [&str; 3]) -> FileChange {
    let mut front = DocumentMut::new();
    set_plain(&mut front, "title", title);
    set_plain(&mut front, "summary", summary);
    let mut text = format!("+++\n{front}+++\n");
    if !body.is_empty() {
        text.push('\n');
        text.push_str(body);
        if !body.ends_with('\n') {
            text.push('\n');
        }
    }
    FileChange {
        file,
        text: Some(text),
    }
}
