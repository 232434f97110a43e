//! The console's routes: the page, the login, and the JSON API the page
//! calls. Every request passes [`guard`] (login, CSRF, Host) first.

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::ConsoleState;
use super::auth::{
    Access, CSRF_HEADER, SESSION_COOKIE, cookie, expired_cookie, is_loopback_host, session_cookie,
    tokens_match,
};
use super::content_api::{ContentList, Finding, ListQuery, SiteInfo, list};
use super::editable::{EditKind, Editable};
use super::editable::{FileChange, FormError};
use super::entries_form::EntryItem;
use super::fleet_api;
use super::guide_form::GuideFile;
use super::markdown_form::{ItemFiles, MarkdownForm};
use super::new_item;
use super::paths::{ItemId, PathError};
use super::preview_api::preview;
use super::publish_api;
use crate::content::authoring::{Draft, load_folder};
use crate::content::convert::{to_simplified, to_traditional};
use crate::content::text::Lang;
use crate::emulator::preview::PreviewError;
use crate::repo::RepoError;

/// Largest request body accepted (a notice with its three bodies fits
/// many times over); larger ones are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

const INDEX_HTML: &str = include_str!("assets/index.html");
const LOGIN_HTML: &str = include_str!("assets/login.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const PREVIEW_JS: &str = include_str!("assets/preview.js");
const PUBLISH_JS: &str = include_str!("assets/publish.js");
const FLEET_JS: &str = include_str!("assets/fleet.js");

/// A request the console refuses, as JSON `{"error": "…"}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The form could not be loaded or saved.
    #[error(transparent)]
    Form(#[from] FormError),
    /// A malformed request.
    #[error("{0}")]
    BadRequest(String),
    /// A request body over [`MAX_BODY_BYTES`].
    #[error("the request is larger than the {} KiB the console accepts", MAX_BODY_BYTES / 1024)]
    TooLarge,
    /// Not logged in.
    #[error("log in first")]
    Unauthorized,
    /// Logged in, but the request is not from the console's page.
    #[error("{0}")]
    Forbidden(&'static str),
    /// An address the console has nothing at.
    #[error("no such address in the console: {0}")]
    NoRoute(String),
    /// The console failed.
    #[error("{0}")]
    Internal(String),
    /// The draft has errors: nothing to preview or publish until fixed.
    #[error("{0}")]
    ContentErrors(String),
    /// The preview could not be made.
    #[error(transparent)]
    Preview(#[from] PreviewError),
    /// Publishing failed.
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// What would be published changed since the admin looked.
    #[error("{0}")]
    Stale(String),
    /// The console was started without what this needs (a broker).
    #[error("{0}")]
    NotConfigured(&'static str),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Form(FormError::NotFound { .. }) | ApiError::NoRoute(_) => {
                StatusCode::NOT_FOUND
            }
            ApiError::Form(FormError::Conflict(_)) => StatusCode::CONFLICT,
            ApiError::Form(
                FormError::Unreadable { .. }
                | FormError::Invalid(_)
                | FormError::Path(PathError::NotText(_)),
            ) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Form(FormError::Path(PathError::Io { .. })) | ApiError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ApiError::Form(FormError::Path(_)) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::ContentErrors(_) | ApiError::Repo(RepoError::Content(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Preview(PreviewError::TooSlow) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Preview(PreviewError::NoSuchItem(_))
            | ApiError::Repo(RepoError::NoSuchVersion { .. }) => StatusCode::NOT_FOUND,
            ApiError::Stale(_) => StatusCode::CONFLICT,
            ApiError::NotConfigured(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::Preview(_) | ApiError::Repo(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
        }
    }
}

impl From<PathError> for ApiError {
    fn from(error: PathError) -> Self {
        ApiError::Form(FormError::Path(error))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body {
            error: String,
        }
        let body = Json(Body {
            error: self.to_string(),
        });
        (self.status(), body).into_response()
    }
}

/// The console's routes on `state`.
pub fn router(state: Arc<ConsoleState>) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route(
            "/assets/app.js",
            get(|| async { static_file(APP_JS, "text/javascript") }),
        )
        .route(
            "/assets/preview.js",
            get(|| async { static_file(PREVIEW_JS, "text/javascript") }),
        )
        .route(
            "/assets/fleet.js",
            get(|| async { static_file(FLEET_JS, "text/javascript") }),
        )
        .route(
            "/assets/publish.js",
            get(|| async { static_file(PUBLISH_JS, "text/javascript") }),
        )
        .route(
            "/assets/app.css",
            get(|| async { static_file(APP_CSS, "text/css") }),
        )
        .route("/api/items", get(items))
        .route("/api/new/notices", post(new_item::new_notice))
        .route("/api/convert", post(convert))
        .merge(form_routes::<GuideFile>(&[EditKind::Guide]))
        .merge(form_routes::<EntryItem>(&[
            EditKind::Faq,
            EditKind::Venue,
            EditKind::Channel,
        ]))
        .merge(form_routes::<ItemFiles>(&[
            EditKind::Notice,
            EditKind::Document,
        ]))
        .route(
            "/api/publish",
            get(publish_api::plan).post(publish_api::publish),
        )
        .route("/api/history", get(publish_api::history))
        .route(
            "/api/history/{version}/republish",
            post(publish_api::republish),
        )
        .route("/api/fleet", get(fleet_api::table))
        .route("/api/fleet/sync", post(fleet_api::sync_now))
        .fallback(
            |request: Request| async move { ApiError::NoRoute(request.uri().path().to_owned()) },
        )
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The form routes of the kinds `E` edits: `GET`/`PUT /api/<folder>/{id}`,
/// `POST /api/<folder>/{id}/check` and `POST /api/<folder>/{id}/preview`.
fn form_routes<E: Editable>(kinds: &[EditKind]) -> Router<Arc<ConsoleState>> {
    kinds.iter().fold(Router::new(), |router, kind| {
        let item = format!("/api/{}/{{id}}", kind.folder());
        router
            .route(&item, get(editor::<E>).put(save::<E>))
            .route(&format!("{item}/check"), post(check::<E>))
            .route(&format!("{item}/preview"), post(preview::<E>))
    })
}

/// What [`guard`] found out about the request's sender.
#[derive(Clone)]
struct Csrf(String);

/// Lets a request through only with a session (when the console has a
/// password), a CSRF token on every state-changing request, and (when it
/// has none) a loopback `Host`; adds the security headers to the answer.
async fn guard(
    State(state): State<Arc<ConsoleState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let public = path == "/login" || path.starts_with("/assets/");
    let csrf = match &state.access {
        Access::Open { csrf } => {
            let host = request
                .headers()
                .get(header::HOST)
                .and_then(|host| host.to_str().ok())
                .unwrap_or("");
            if !is_loopback_host(host) {
                return ApiError::Forbidden("this console answers only at 127.0.0.1 or localhost")
                    .into_response();
            }
            Some(csrf.clone())
        }
        Access::Login { sessions, .. } => {
            session_id(request.headers()).and_then(|id| sessions.csrf(id))
        }
    };
    let response = match (csrf, public) {
        (_, true) => next.run(request).await,
        (None, false) if path.starts_with("/api/") || request.method() != Method::GET => {
            ApiError::Unauthorized.into_response()
        }
        (None, false) => Redirect::to("/login").into_response(),
        (Some(csrf), false) => {
            let safe = matches!(*request.method(), Method::GET | Method::HEAD);
            let given = request
                .headers()
                .get(CSRF_HEADER)
                .and_then(|token| token.to_str().ok())
                .unwrap_or("");
            if !safe && !tokens_match(given, &csrf) {
                ApiError::Forbidden(
                    "missing or wrong CSRF token: reload the console's page and try again",
                )
                .into_response()
            } else {
                request.extensions_mut().insert(Csrf(csrf));
                next.run(request).await
            }
        }
    };
    with_security_headers(response)
}

fn with_security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            // blob: images: the preview's picture, fetched with the form.
            "default-src 'self'; img-src 'self' blob:; frame-ancestors 'none'; form-action 'self'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn session_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| cookie(value, SESSION_COOKIE))
}

fn static_file(body: &'static str, content_type: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type)], body)
}

async fn index(request: Request) -> Result<Html<String>, ApiError> {
    let Some(Csrf(csrf)) = request.extensions().get::<Csrf>().cloned() else {
        return Err(ApiError::Unauthorized);
    };
    Ok(Html(INDEX_HTML.replace("{{csrf}}", &csrf)))
}

fn login_html(message: &str) -> Html<String> {
    Html(LOGIN_HTML.replace("{{message}}", message))
}

async fn login_page(State(state): State<Arc<ConsoleState>>) -> Response {
    match state.access {
        Access::Open { .. } => Redirect::to("/").into_response(),
        Access::Login { .. } => login_html("").into_response(),
    }
}

/// The login form's fields.
#[derive(Deserialize)]
struct LoginForm {
    password: String,
}

async fn login(
    State(state): State<Arc<ConsoleState>>,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Access::Login {
        password,
        sessions,
        attempts,
    } = &state.access
    else {
        return Redirect::to("/").into_response();
    };
    if !attempts.allow() {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            login_html("尝试次数过多，请一分钟后再试。 Too many attempts: try again in a minute."),
        )
            .into_response();
    }
    let Ok(Form(form)) = form else {
        return (
            StatusCode::BAD_REQUEST,
            login_html("请输入密码 Enter the password."),
        )
            .into_response();
    };
    if !password.verify(&form.password) {
        return (
            StatusCode::UNAUTHORIZED,
            login_html("密码不正确 Wrong password."),
        )
            .into_response();
    }
    match sessions.start() {
        Ok(session) => (
            [(header::SET_COOKIE, session_cookie(&session.id))],
            Redirect::to("/"),
        )
            .into_response(),
        Err(error) => ApiError::Internal(error.to_string()).into_response(),
    }
}

async fn logout(State(state): State<Arc<ConsoleState>>, headers: HeaderMap) -> Response {
    if let (Access::Login { sessions, .. }, Some(id)) = (&state.access, session_id(&headers)) {
        sessions.end(id);
    }
    (
        [(header::SET_COOKIE, expired_cookie())],
        Redirect::to("/login"),
    )
        .into_response()
}

/// Runs file and loader work off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::Internal(format!("the request failed: {error}")))?
}

async fn items(
    State(state): State<Arc<ConsoleState>>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ContentList>, ApiError> {
    let Query(query) = query.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    blocking(move || Ok(Json(list(&state.content, &query, Utc::now())))).await
}

/// The edit form with what the page needs beside it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Editor<F = MarkdownForm> {
    /// Notice, document or guide.
    pub kind: EditKind,
    /// The form's values.
    pub form: F,
    /// Time zone and categories.
    pub site: SiteInfo,
    /// The findings in the item's files, with their fields.
    pub diagnostics: Vec<Finding>,
    /// The files the last save wrote or removed.
    #[serde(default)]
    pub saved: Vec<String>,
}

/// The findings of the item's files, after `changes`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Checked {
    /// Findings in the item's files, with their fields.
    pub diagnostics: Vec<Finding>,
    /// The files changed since the form was made (a save would be refused).
    pub stale: bool,
}

/// Validates the folder with `changes` in place and keeps the findings
/// in the item's files.
fn findings<E: Editable>(
    state: &ConsoleState,
    item: &E,
    changes: &[FileChange],
) -> (Vec<Finding>, SiteInfo) {
    let loaded = load_folder(state.content.path(), Utc::now(), &draft_of(changes));
    let findings = loaded
        .diagnostics
        .sorted()
        .into_iter()
        .filter(|diagnostic| item.owns(diagnostic, changes))
        .map(|diagnostic| Finding::new(diagnostic, item.field_of(diagnostic, changes)))
        .collect();
    (findings, SiteInfo::of(loaded.catalog.as_ref()))
}

/// The unsaved files of a form, for the loader.
pub(super) fn draft_of(changes: &[FileChange]) -> Draft {
    let mut draft = Draft::default();
    for change in changes {
        match &change.text {
            Some(text) => draft.write(change.file.clone(), text.clone()),
            None => draft.remove(change.file.clone()),
        }
    }
    draft
}

fn editor_of<E: Editable>(
    state: &ConsoleState,
    target: FormTarget,
    saved: Vec<String>,
) -> Result<Editor<E::Form>, ApiError> {
    let item = E::open(&state.content, target.kind, target.id)?;
    let (diagnostics, site) = findings(state, &item, &[]);
    Ok(Editor {
        kind: target.kind,
        form: item.form()?,
        site,
        diagnostics,
        saved,
    })
}

/// The item a form route names: `/api/{notices|documents|guides}/{id}`, checked.
#[derive(Clone)]
pub(super) struct FormTarget {
    pub(super) kind: EditKind,
    pub(super) id: ItemId,
}

impl<S: Send + Sync> FromRequestParts<S> for FormTarget {
    type Rejection = ApiError;

    /// Reads the folder and id from the path as sent (`/api/<folder>/<id>`,
    /// `/api/<folder>/<id>/check`): an id with an escaped character is no id.
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let mut segments = parts.uri.path().split('/').skip(2);
        let (Some(folder), Some(id)) = (segments.next(), segments.next()) else {
            return Err(ApiError::BadRequest("no item in the address".to_owned()));
        };
        let kind = EditKind::from_folder(folder).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "`{folder}` has no edit form (notices, documents, guides, faq, venues and channels do)"
            ))
        })?;
        Ok(FormTarget {
            kind,
            id: ItemId::parse(id)?,
        })
    }
}

/// A JSON body whose rejection is an [`ApiError`] (413 past the limit).
pub(super) struct JsonBody<T>(pub(super) T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let Json(value) = Json::<T>::from_request(request, state).await?;
        Ok(JsonBody(value))
    }
}

async fn editor<E: Editable>(
    State(state): State<Arc<ConsoleState>>,
    target: FormTarget,
) -> Result<Json<Editor<E::Form>>, ApiError> {
    blocking(move || editor_of::<E>(&state, target, Vec::new()).map(Json)).await
}

async fn check<E: Editable>(
    State(state): State<Arc<ConsoleState>>,
    target: FormTarget,
    JsonBody(form): JsonBody<E::Form>,
) -> Result<Json<Checked>, ApiError> {
    blocking(move || {
        let item = E::open(&state.content, target.kind, target.id)?;
        let changes = item.changes(&form)?;
        let (diagnostics, _) = findings(&state, &item, &changes);
        Ok(Json(Checked {
            diagnostics,
            stale: E::form_hash(&form) != item.hash(),
        }))
    })
    .await
}

async fn save<E: Editable>(
    State(state): State<Arc<ConsoleState>>,
    target: FormTarget,
    JsonBody(form): JsonBody<E::Form>,
) -> Result<Json<Editor<E::Form>>, ApiError> {
    blocking(move || {
        let saved = {
            // One save at a time: the hash is checked and the files written
            // without another save in between.
            let _one_at_a_time = state
                .save_lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let item = E::open(&state.content, target.kind, target.id.clone())?;
            item.save(&state.content, &form)?
        };
        let saved = saved.into_iter().map(|change| change.file).collect();
        editor_of::<E>(&state, target, saved).map(Json)
    })
    .await
}

/// Text to convert between the Chinese scripts.
#[derive(Debug, Serialize, Deserialize)]
pub struct Conversion {
    /// The text.
    pub text: String,
    /// The script to convert to: `zh-Hant` or `zh-Hans`.
    pub to: Lang,
}

async fn convert(JsonBody(conversion): JsonBody<Conversion>) -> Result<Json<Conversion>, ApiError> {
    let text = match conversion.to {
        Lang::ZhHant => to_traditional(&conversion.text),
        Lang::ZhHans => to_simplified(&conversion.text),
        Lang::En => {
            return Err(ApiError::BadRequest(
                "conversion is between simplified and traditional Chinese only".to_owned(),
            ));
        }
    };
    Ok(Json(Conversion {
        text,
        to: conversion.to,
    }))
}
