//! The kinds of item the console has an edit form for, behind one
//! interface the routes use: open the item's files, show them as a form,
//! turn a form into file changes, save them unless the files changed since
//! (the conflict check), and tell which field a finding belongs to.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::paths::{ContentRoot, ItemId, PathError};
use crate::content::ItemKind;
use crate::content::authoring::Diagnostic;

/// An item kind with an edit form, as its routes name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditKind {
    /// `/api/notices/{id}`.
    Notice,
    /// `/api/documents/{id}`.
    Document,
    /// `/api/guides/{id}`.
    Guide,
    /// `/api/faq/{id}`: an entry of faq.toml.
    Faq,
    /// `/api/venues/{id}`: an entry of venues.toml.
    Venue,
    /// `/api/channels/{id}`: an entry of channels.toml.
    Channel,
}

impl EditKind {
    /// Every kind.
    pub const ALL: [EditKind; 6] = [
        EditKind::Notice,
        EditKind::Document,
        EditKind::Guide,
        EditKind::Faq,
        EditKind::Venue,
        EditKind::Channel,
    ];

    /// The segment of its routes (`/api/<folder>/<id>`).
    pub fn folder(self) -> &'static str {
        match self {
            EditKind::Notice => "notices",
            EditKind::Document => "documents",
            EditKind::Guide => "guides",
            EditKind::Faq => "faq",
            EditKind::Venue => "venues",
            EditKind::Channel => "channels",
        }
    }

    /// The kind a route's folder segment names.
    pub fn from_folder(folder: &str) -> Option<Self> {
        EditKind::ALL
            .into_iter()
            .find(|kind| kind.folder() == folder)
    }

    /// The form of a catalog item's kind.
    pub fn of(kind: ItemKind) -> Self {
        match kind {
            ItemKind::Notice => EditKind::Notice,
            ItemKind::Document => EditKind::Document,
            ItemKind::Guide => EditKind::Guide,
            ItemKind::Faq => EditKind::Faq,
            ItemKind::Venue => EditKind::Venue,
            ItemKind::Channel => EditKind::Channel,
        }
    }
}

/// An item's files, editable through a form.
pub trait Editable: Sized + Send + 'static {
    /// What the form shows and sends back.
    type Form: Serialize + DeserializeOwned + Send + 'static;

    /// Reads the item's files.
    fn open(root: &ContentRoot, kind: EditKind, id: ItemId) -> Result<Self, FormError>;

    /// The item's id.
    fn id(&self) -> &ItemId;

    /// The hash of its files as read.
    fn hash(&self) -> &str;

    /// The hash a form carries: that of the files it was made from.
    fn form_hash(form: &Self::Form) -> &str;

    /// Whether a finding is about this item (in its files; for an entry,
    /// in its part of the file), with `changes` in place.
    fn owns(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> bool;

    /// The form as the files are now.
    fn form(&self) -> Result<Self::Form, FormError>;

    /// The file changes that turn the files into `form` (none: unchanged).
    fn changes(&self, form: &Self::Form) -> Result<Vec<FileChange>, FormError>;

    /// The form field a finding belongs to, where its position tells.
    fn field_of(&self, diagnostic: &Diagnostic, changes: &[FileChange]) -> Option<String>;

    /// Writes `form` unless the files changed since it was made (a hand
    /// edit, another tab's save): then nothing is written.
    fn save(&self, root: &ContentRoot, form: &Self::Form) -> Result<Vec<FileChange>, FormError> {
        if Self::form_hash(form) != self.hash() {
            return Err(FormError::Conflict(self.id().as_str().to_owned()));
        }
        let changes = self.changes(form)?;
        for change in &changes {
            match &change.text {
                Some(text) => root.write(&change.file, text)?,
                None => root.remove(&change.file)?,
            }
        }
        Ok(changes)
    }
}

/// Refuses a form sent for another item than the address names.
pub fn same_item(form_id: &str, id: &ItemId) -> Result<(), FormError> {
    if form_id == id.as_str() {
        Ok(())
    } else {
        Err(FormError::Invalid(format!(
            "the form is for `{form_id}`, not `{}`",
            id.as_str()
        )))
    }
}

/// A form that cannot be read or saved.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    /// No such item.
    #[error("there is no {kind} `{id}`")]
    NotFound {
        /// Its folder.
        kind: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The files changed since the form was loaded.
    #[error(
        "the files of `{0}` changed since this form was opened (edited by hand or saved in another tab): nothing was saved. Copy your changes, reload, and make them again"
    )]
    Conflict(String),
    /// A file the form cannot read.
    #[error("{file} cannot be edited in the form until it is fixed by hand: {message}")]
    Unreadable {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The form holds something the files cannot.
    #[error("{0}")]
    Invalid(String),
    /// A path or a write failed.
    #[error(transparent)]
    Path(#[from] PathError),
}

/// One file the save writes (Some) or removes (None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path relative to the content folder.
    pub file: String,
    /// Its new text, or None to remove it.
    pub text: Option<String>,
}
