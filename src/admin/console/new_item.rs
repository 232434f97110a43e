//! Creating a notice from the console: a new authoring file with the
//! fields every notice has, left for the form to fill in (its empty title
//! is the first finding the admin sees).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::ConsoleState;
use super::paths::ItemId;
use super::routes::{ApiError, JsonBody, blocking};
use crate::content::authoring::{Draft, load_folder};
use crate::content::time::{DEFAULT_TIME_ZONE, to_local};

/// The id a new notice is to have.
#[derive(Debug, Deserialize)]
pub struct NewItem {
    /// Its id: a–z, 0–9 and '-' (its file name).
    pub id: String,
}

/// Where the new item's form is.
#[derive(Debug, Serialize)]
pub struct Created {
    /// The page address of its form (`#/edit/notices/<id>`).
    pub href: String,
    /// The file written, relative to the content folder.
    pub file: String,
}

/// `POST /api/new/notices` with a [`NewItem`]: writes `notices/<id>.md`
/// with an empty title, the first notice category and now as its date.
/// An id any item already has is refused (409).
pub(super) async fn new_notice(
    State(state): State<Arc<ConsoleState>>,
    JsonBody(new): JsonBody<NewItem>,
) -> Result<Json<Created>, ApiError> {
    blocking(move || {
        let id = ItemId::parse(&new.id)?;
        let file = format!("notices/{}.md", id.as_str());
        let _one_at_a_time = state
            .save_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let loaded = load_folder(state.content.path(), Utc::now(), &Draft::default());
        let catalog = loaded.catalog.as_ref();
        if catalog.is_some_and(|catalog| catalog.item(id.as_str()).is_some())
            || state.content.read(&file)?.is_some()
        {
            return Err(ApiError::Stale(format!(
                "an item with the id `{}` exists already: choose another id",
                id.as_str()
            )));
        }
        let category = catalog
            .and_then(|catalog| catalog.site.notice_categories.first())
            .map_or(String::new(), |category| category.id.clone());
        let zone = catalog.map_or(DEFAULT_TIME_ZONE, |catalog| catalog.site.time_zone);
        let published = to_local(Utc::now(), zone).format("%Y-%m-%dT%H:%M:00");
        let text = format!(
            "+++\ntitle = \"\"\ncategory = \"{category}\"\npublished = {published}\n+++\n\n"
        );
        state.content.write(&file, &text)?;
        Ok(Json(Created {
            href: format!("#/edit/notices/{}", id.as_str()),
            file,
        }))
    })
    .await
}
