//! The publish routes: the change report of what the content folder would
//! publish now (with the bytes kiosks will download), publishing it after
//! the admin confirmed that report, the history of published versions, and
//! publishing an earlier version's content again as a new version. The
//! keys are read here, on this machine, and never sent to the browser.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use super::ConsoleState;
use super::routes::{ApiError, JsonBody, blocking};
use crate::repo::history::{self, PublishedVersion};
use crate::repo::keys::KeyDir;
use crate::repo::publish::{ChangeReport, PublishOptions, RepoPaths, plan_folder, publish_folder};

/// A change report as the page shows it: the report, what a kiosk will
/// download, and the validator's warnings (`file:line:col: message`).
#[derive(Debug, Serialize)]
pub struct Report {
    #[serde(flatten)]
    report: ChangeReport,
    download_bytes: u64,
    warnings: Vec<String>,
}

impl Report {
    fn of(report: ChangeReport, warnings: Vec<String>) -> Report {
        Report {
            download_bytes: report.download_bytes(),
            report,
            warnings,
        }
    }
}

/// The admin's confirmation: the version of the report they saw.
#[derive(Debug, Deserialize)]
pub struct Confirmation {
    /// The version of the plan shown.
    pub version: u64,
    /// The items the plan listed as changed, added or removed, in order:
    /// a folder edited since is published only after a new look.
    pub items: Vec<String>,
}

fn items_of(report: &ChangeReport) -> Vec<String> {
    report
        .added
        .iter()
        .chain(&report.changed)
        .chain(&report.removed)
        .cloned()
        .collect()
}

fn paths(state: &ConsoleState) -> (RepoPaths, KeyDir) {
    (RepoPaths::new(&state.repo), KeyDir::new(&state.keys))
}

/// `GET /api/publish`: what publishing now would change.
pub(super) async fn plan(State(state): State<Arc<ConsoleState>>) -> Result<Json<Report>, ApiError> {
    blocking(move || {
        let (repo, _) = paths(&state);
        let (report, warnings) =
            plan_folder(state.content.path(), &repo, PublishOptions::default())?;
        let warnings = warnings.sorted().iter().map(ToString::to_string).collect();
        Ok(Json(Report::of(report, warnings)))
    })
    .await
}

/// `POST /api/publish` with a [`Confirmation`]: signs and writes the
/// version the admin saw the report of, or 409 when the folder changed.
pub(super) async fn publish(
    State(state): State<Arc<ConsoleState>>,
    JsonBody(confirmed): JsonBody<Confirmation>,
) -> Result<Json<Report>, ApiError> {
    blocking(move || {
        // No save while the folder is read and published.
        let _no_saves = state
            .save_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (repo, keys) = paths(&state);
        let options = PublishOptions::default();
        let (plan, _) = plan_folder(state.content.path(), &repo, options)?;
        if plan.version != confirmed.version || items_of(&plan) != confirmed.items {
            return Err(ApiError::Stale(format!(
                "the content or the repository changed since the report was shown (it would now publish version {}): look at the new report and confirm again",
                plan.version
            )));
        }
        let runtime = tokio::runtime::Handle::current();
        let (report, warnings) =
            runtime.block_on(publish_folder(state.content.path(), &repo, &keys, options))?;
        let warnings = warnings.sorted().iter().map(ToString::to_string).collect();
        Ok(Json(Report::of(report, warnings)))
    })
    .await
}

/// `GET /api/history`: the published versions, newest first.
pub(super) async fn history(
    State(state): State<Arc<ConsoleState>>,
) -> Result<Json<Vec<PublishedVersion>>, ApiError> {
    blocking(move || Ok(Json(history::versions(&paths(&state).0)?))).await
}

/// `POST /api/history/<version>/republish`: that version's content again,
/// as a new version.
pub(super) async fn republish(
    State(state): State<Arc<ConsoleState>>,
    Path(version): Path<u64>,
) -> Result<Json<Report>, ApiError> {
    blocking(move || {
        let (repo, keys) = paths(&state);
        let runtime = tokio::runtime::Handle::current();
        let report = runtime.block_on(history::republish(
            &repo,
            &keys,
            version,
            PublishOptions::default(),
        ))?;
        Ok(Json(Report::of(report, Vec::new())))
    })
    .await
}
