//! The preview route: the item being edited, with its unsaved changes, as
//! the kiosk shows it ([`crate::emulator::preview`]), as a PNG.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;

use super::ConsoleState;
use super::editable::Editable;
use super::routes::{ApiError, FormTarget, JsonBody, blocking, draft_of};
use crate::content::folder;
use crate::content::text::Lang;
use crate::emulator::preview::View;

/// The view a preview is asked for in its query string:
/// `?lang=en&text=150&contrast=high&orientation=landscape`.
#[derive(Debug, Default, Deserialize)]
pub struct ViewQuery {
    /// zh-Hans (default), zh-Hant or en.
    lang: Option<String>,
    /// Text size in percent: 100 (default), 125 or 150.
    text: Option<u32>,
    /// `high` for the high-contrast theme.
    contrast: Option<String>,
    /// `landscape` for a 1920×1080 panel.
    orientation: Option<String>,
}

impl ViewQuery {
    fn view(&self) -> Result<View, ApiError> {
        let lang = match &self.lang {
            None => Lang::ZhHans,
            Some(tag) => Lang::from_tag(tag).ok_or_else(|| {
                ApiError::BadRequest(format!("lang `{tag}` is not zh-Hans, zh-Hant or en"))
            })?,
        };
        let text_scale = match self.text.unwrap_or(100) {
            percent @ (100 | 125 | 150) => percent as f32 / 100.0,
            other => {
                return Err(ApiError::BadRequest(format!(
                    "text size {other} is not 100, 125 or 150"
                )));
            }
        };
        Ok(View {
            lang,
            text_scale,
            high_contrast: self.contrast.as_deref() == Some("high"),
            landscape: self.orientation.as_deref() == Some("landscape"),
        })
    }
}

/// `POST /api/<folder>/<id>/preview?…` with the form: the PNG.
pub(super) async fn preview<E: Editable>(
    State(state): State<Arc<ConsoleState>>,
    target: FormTarget,
    Query(query): Query<ViewQuery>,
    JsonBody(form): JsonBody<E::Form>,
) -> Result<Response, ApiError> {
    let view = query.view()?;
    blocking(move || {
        let item = E::open(&state.content, target.kind, target.id.clone())?;
        let changes = item.changes(&form)?;
        let (content, _) =
            folder::load_draft(state.content.path(), Utc::now(), &draft_of(&changes)).map_err(
                |invalid| {
                    ApiError::ContentErrors(format!(
                        "fix the {} error(s) first: the kiosk shows only content without errors",
                        invalid.diagnostics.errors().count()
                    ))
                },
            )?;
        let png = state
            .preview
            .render(content, Some(target.id.as_str().to_owned()), view)?;
        Ok((
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            png,
        )
            .into_response())
    })
    .await
}
