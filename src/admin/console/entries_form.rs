//! The edit form of one entry of `faq.toml`, `venues.toml` or
//! `channels.toml` (a `[[faq]]`, `[[venue]]` or `[[channel]]` table, found
//! by its id). Saving changes only what the form changed in that entry.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml_edit::{DocumentMut, Item, Table};

use super::editable::{EditKind, Editable, FileChange, FormError, same_item};
use super::paths::{ContentRoot, ItemId};
use super::toml_entry::{
    Entry, Field, Location, TomlFile, field_name, locate, read_entry, read_lists, write_entry,
    write_lists,
};
use super::toml_values::{TextKind, Texts};
use crate::content::authoring::Diagnostic;

/// A `[[faq]]` entry (docs/authoring.md §10); the answer is Markdown.
const FAQ_FIELDS: &[Field] = &[
    Field::Text("kind", TextKind::String),
    Field::Localized("category"),
    Field::Text("date", TextKind::Date),
    Field::Localized("question"),
    Field::Localized("answer"),
];

/// A `[[venue]]` entry.
const VENUE_FIELDS: &[Field] = &[
    Field::Localized("name"),
    Field::Localized("address"),
    Field::Localized("hours"),
    Field::Text("booking_phone", TextKind::String),
    Field::Text("map", TextKind::String),
    Field::Text("url", TextKind::String),
];

/// A venue's lists of localized lines.
const VENUE_LISTS: &[&str] = &["free_periods", "facilities"];

/// A `[[channel]]` entry.
const CHANNEL_FIELDS: &[Field] = &[
    Field::Text("kind", TextKind::String),
    Field::Localized("name"),
    Field::Localized("description"),
    Field::Text("url", TextKind::String),
    Field::Text("phone", TextKind::String),
];

/// What an entries file holds, and how a form edits one entry.
struct Schema {
    file: &'static str,
    key: &'static str,
    fields: &'static [Field],
    lists: &'static [&'static str],
}

fn schema(kind: EditKind) -> Option<Schema> {
    match kind {
        EditKind::Faq => Some(Schema {
            file: "faq.toml",
            key: "faq",
            fields: FAQ_FIELDS,
            lists: &[],
        }),
        EditKind::Venue => Some(Schema {
            file: "venues.toml",
            key: "venue",
            fields: VENUE_FIELDS,
            lists: VENUE_LISTS,
        }),
        EditKind::Channel => Some(Schema {
            file: "channels.toml",
            key: "channel",
            fields: CHANNEL_FIELDS,
            lists: &[],
        }),
        EditKind::Notice | EditKind::Document | EditKind::Guide => None,
    }
}

/// What the entry's edit form shows and sends back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryForm {
    /// The entry's id (its `id = …`; not edited here).
    pub id: String,
    /// The hash of the whole file as loaded (a save against a changed file
    /// is refused).
    pub hash: String,
    /// The entry's fields.
    pub entry: Entry,
    /// Its lists of localized lines (a venue's free periods and facilities).
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<Texts>>,
}

/// One entry of an entries file as it is on disk.
pub struct EntryItem {
    id: ItemId,
    schema: Schema,
    source: TomlFile,
    /// Which `[[key]]` table of the file it is, from 0.
    index: usize,
}

impl EntryItem {
    fn table<'a>(&self, document: &'a DocumentMut) -> Option<&'a Table> {
        document
            .get(self.schema.key)
            .and_then(Item::as_array_of_tables)
            .and_then(|tables| tables.get(self.index))
    }
}

impl Editable for EntryItem {
    type Form = EntryForm;

    fn open(root: &ContentRoot, kind: EditKind, id: ItemId) -> Result<Self, FormError> {
        let schema = schema(kind)
            .ok_or_else(|| FormError::Invalid(format!("a {kind:?} is not in an entries file")))?;
        let source = TomlFile::read(root, schema.file.to_owned(), schema.key, &id)?;
        let document = source.document()?;
        let index = document
            .get(schema.key)
            .and_then(Item::as_array_of_tables)
            .and_then(|tables| {
                tables
                    .iter()
                    .position(|table| table.get("id").and_then(Item::as_str) == Some(id.as_str()))
            })
            .ok_or_else(|| FormError::NotFound {
                kind: schema.key,
                id: id.as_str().to_owned(),
            })?;
        Ok(EntryItem {
            id,
            schema,
            source,
            index,
        })
    }

    fn id(&self) -> &ItemId {
        &self.id
    }

    fn hash(&self) -> &str {
        self.source.hash()
    }

    fn form_hash(form: &EntryForm) -> &str {
        &form.hash
    }

    fn owns(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> bool {
        diagnostic.file == self.source.file
            && self.source.text_after(changes).is_some_and(|text| {
                locate(text, diagnostic.line).table
                    == Some((self.schema.key.to_owned(), self.index))
            })
    }

    fn form(&self) -> Result<EntryForm, FormError> {
        let document = self.source.document()?;
        let table = self.table(&document).ok_or_else(|| FormError::NotFound {
            kind: self.schema.key,
            id: self.id.as_str().to_owned(),
        })?;
        Ok(EntryForm {
            id: self.id.as_str().to_owned(),
            hash: self.source.hash().to_owned(),
            entry: read_entry(table, self.schema.fields),
            lists: read_lists(table, self.schema.lists),
        })
    }

    fn changes(&self, form: &EntryForm) -> Result<Vec<FileChange>, FormError> {
        same_item(&form.id, &self.id)?;
        let loaded = self.form()?;
        let mut document = self.source.document()?;
        let Some(table) = document
            .get_mut(self.schema.key)
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|tables| tables.get_mut(self.index))
        else {
            return Err(FormError::NotFound {
                kind: self.schema.key,
                id: self.id.as_str().to_owned(),
            });
        };
        let mut changed = write_entry(table, self.schema.fields, &form.entry, &loaded.entry)?;
        changed |= write_lists(table, self.schema.lists, &form.lists, &loaded.lists)?;
        Ok(self.source.change(&document, changed))
    }

    /// The form field a diagnostic in this entry belongs to (`question.en`,
    /// `date`, `facilities`…); findings in other entries are not its own.
    fn field_of(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> Option<String> {
        if !self.owns(diagnostic, changes) {
            return None;
        }
        let Location { key, sub, .. } = locate(self.source.text_after(changes)?, diagnostic.line);
        field_name(self.schema.fields, self.schema.lists, key?, sub)
    }
}
