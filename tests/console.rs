//! The admin console (`kioskctl console`) served on an ephemeral port and
//! driven over HTTP as its page drives it: lists and filters, the edit form
//! and what it writes, validation at the field, conflicts, and what it
//! refuses (path tricks, oversized bodies, requests without login or CSRF
//! token, a public address without a password).

mod support;

use std::path::{Path, PathBuf};

use chrono::Utc;
use lobby_kiosk::admin::console::auth::AdminPassword;
use lobby_kiosk::admin::console::content_api::ContentList;
use lobby_kiosk::admin::console::entries_form::EntryForm;
use lobby_kiosk::admin::console::guide_form::GuideForm;
use lobby_kiosk::admin::console::markdown_form::MarkdownForm;
use lobby_kiosk::admin::console::paths::{ContentRoot, ItemId};
use lobby_kiosk::admin::console::routes::{Checked, Editor};
use lobby_kiosk::admin::console::toml_entry::Entry;
use lobby_kiosk::admin::console::toml_values::Texts;
use lobby_kiosk::admin::console::{ConsoleError, ConsoleHandle, ConsoleOptions, serve};
use lobby_kiosk::content::authoring::{compile_folder, validate_folder};
use lobby_kiosk::content::{ItemRef, Lang};
use lobby_kiosk::secret::hash_secret;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use support::repo_fixture::copy_dir;

/// A console on a copy of the demo content.
struct Console {
    _dir: tempfile::TempDir,
    content: PathBuf,
    handle: ConsoleHandle,
    client: reqwest::Client,
    /// The CSRF token of the page (open console) or of the login.
    csrf: String,
    /// `console_session=…` after a login.
    cookie: Option<String>,
}

async fn start(password: Option<&str>) -> Console {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content/demo"),
        &content,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let options = ConsoleOptions {
        content: content.clone(),
        repo: dir.path().join("repo"),
        keys: dir.path().join("keys"),
        password: password
            .map(|password| AdminPassword::from_hash(&hash_secret(password)).unwrap()),
        fleet: None,
    };
    let handle = serve(listener, options).await.unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut console = Console {
        _dir: dir,
        content,
        handle,
        client,
        csrf: String::new(),
        cookie: None,
    };
    if password.is_none() {
        console.csrf = console.page_csrf().await;
    }
    console
}

impl Console {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.handle.url().trim_end_matches('/'), path)
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.client.request(method, self.url(path));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request
    }

    /// The token the page carries in `<meta name="csrf-token">`.
    async fn page_csrf(&self) -> String {
        let page = self
            .request(reqwest::Method::GET, "/")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        let (_, rest) = html.split_once("name=\"csrf-token\" content=\"").unwrap();
        rest.split('"').next().unwrap().to_owned()
    }

    /// The findings of an unsaved form (`path` is the form's address).
    async fn check(&self, path: &str, form: &impl serde::Serialize) -> Checked {
        let response = self
            .send_json(reqwest::Method::POST, &format!("{path}/check"), form)
            .await;
        assert_eq!(response.status(), StatusCode::OK, "POST {path}/check");
        parse(response).await
    }

    /// The status and error message of a GET the console refuses.
    async fn get_refused(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap();
        (response.status(), error_of(response).await)
    }

    /// The status of a request without body or token.
    async fn status_of(&self, method: reqwest::Method, path: &str) -> StatusCode {
        self.request(method, path).send().await.unwrap().status()
    }

    async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &impl serde::Serialize,
    ) -> reqwest::Response {
        self.request(method, path)
            .header("x-csrf-token", &self.csrf)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).unwrap())
            .send()
            .await
            .unwrap()
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> T {
        let response = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        parse(response).await
    }

    async fn editor(&self, id: &str) -> Editor {
        self.get(&format!("/api/notices/{id}")).await
    }

    async fn save(&self, form: &MarkdownForm) -> reqwest::Response {
        self.send_json(
            reqwest::Method::PUT,
            &format!("/api/notices/{}", form.id),
            form,
        )
        .await
    }

    fn file(&self, relative: &str) -> String {
        std::fs::read_to_string(self.content.join(relative)).unwrap()
    }
}

async fn parse<T: DeserializeOwned>(response: reqwest::Response) -> T {
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&bytes)))
}

async fn error_of(response: reqwest::Response) -> String {
    let body: serde_json::Value = parse(response).await;
    body["error"].as_str().unwrap().to_owned()
}

/// Every file of a folder by relative path, with its bytes.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path.strip_prefix(root).unwrap().to_owned(), bytes));
            }
        }
    }
    files.sort();
    files
}

#[tokio::test]
async fn the_list_shows_every_kind_with_its_filters_and_the_validators_findings() {
    let console = start(None).await;
    let all: ContentList = console.get("/api/items").await;
    for kind in ["notice", "guide", "document", "faq", "venue", "channel"] {
        assert!(
            all.items.iter().any(|item| item.kind == kind),
            "no {kind} listed"
        );
    }
    let notice_files = std::fs::read_dir(console.content.join("notices"))
        .unwrap()
        .filter(|entry| {
            let name = entry.as_ref().unwrap().file_name();
            let name = name.to_string_lossy();
            !name.ends_with(".en.md") && !name.ends_with(".zh-Hant.md")
        })
        .count();
    assert_eq!(
        all.items
            .iter()
            .filter(|item| item.kind == "notice")
            .count(),
        notice_files
    );

    let pinned: ContentList = console.get("/api/items?pinned=true").await;
    let pinned_ids: Vec<&str> = pinned.items.iter().map(|item| item.id.as_str()).collect();
    assert_eq!(
        pinned_ids.len(),
        3,
        "the demo pins three notices: {pinned_ids:?}"
    );
    assert!(pinned_ids.contains(&"tianhe-gym-closure"));

    let urgent: ContentList = console.get("/api/items?urgent=true").await;
    assert_eq!(
        urgent
            .items
            .iter()
            .map(|item| item.id.as_str())
            .collect::<Vec<_>>(),
        ["tianhe-gym-closure"]
    );

    let expired: ContentList = console.get("/api/items?expired=true&kind=notice").await;
    assert!(!expired.items.is_empty());
    assert!(
        expired
            .items
            .iter()
            .all(|item| item.expired && item.kind == "notice")
    );
    assert!(
        expired
            .items
            .iter()
            .any(|item| item.id == "athlete-grade-2025-batch2")
    );

    let untranslated: ContentList = console.get("/api/items?untranslated=true").await;
    assert!(
        untranslated
            .items
            .iter()
            .all(|item| item.missing_translation)
    );
    assert!(
        untranslated
            .items
            .iter()
            .any(|item| item.id == "gzma-2024-race")
    );
    assert!(
        !untranslated
            .items
            .iter()
            .any(|item| item.id == "gzma-2026-registration")
    );

    let search: ContentList = console
        .get("/api/items?q=%E9%A9%AC%E6%8B%89%E6%9D%BE")
        .await; // 马拉松
    assert!(!search.items.is_empty());
    assert!(
        search
            .items
            .iter()
            .all(|item| item.title.contains("马拉松"))
    );

    // The same findings as `kioskctl validate`, each as file:line:col: message.
    let validated = validate_folder(&console.content, Utc::now());
    let expected: Vec<String> = validated.sorted().iter().map(|d| d.to_string()).collect();
    let listed: Vec<String> = all.diagnostics.iter().map(|d| d.text.clone()).collect();
    assert_eq!(listed, expected);
    // A file too broken to read is listed, with its errors.
    std::fs::write(
        console.content.join("notices/broken.md"),
        "no front matter\n",
    )
    .unwrap();
    let with_broken: ContentList = console.get("/api/items?kind=notice").await;
    let broken = with_broken
        .items
        .iter()
        .find(|item| item.id == "broken")
        .unwrap();
    assert!(broken.unreadable && broken.errors == 1 && broken.form.is_none());
    assert_eq!(broken.file, "notices/broken.md");

    let warned = all
        .items
        .iter()
        .find(|item| item.id == "gzma-2024-race")
        .unwrap();
    assert!(
        warned.warnings >= 1,
        "its missing translation is counted at the item"
    );
}

#[tokio::test]
async fn saving_every_demo_item_unchanged_leaves_every_file_byte_identical() {
    let console = start(None).await;
    let before = snapshot(&console.content);
    let list: ContentList = console.get("/api/items").await;
    assert!(
        list.items.iter().all(|item| item.form.is_some()),
        "every item of the demo has a form"
    );
    for form in list.items.iter().filter_map(|item| item.form.as_ref()) {
        let path = format!("/api/{form}");
        let editor: serde_json::Value = console.get(&path).await;
        let response = console
            .send_json(reqwest::Method::PUT, &path, &editor["form"])
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let saved: serde_json::Value = parse(response).await;
        assert_eq!(saved["saved"], serde_json::json!([]), "{path}");
        assert_eq!(saved["form"], editor["form"]);
    }
    assert!(snapshot(&console.content) == before, "a file changed");
}

#[tokio::test]
async fn an_edited_notice_is_written_as_its_author_would_write_it() {
    let console = start(None).await;
    let id = "gzma-2024-race";
    let original = console.file(&format!("notices/{id}.md"));
    let mut form = console.editor(id).await.form;
    assert_eq!(form.original, Lang::ZhHans);
    assert!(form.title.en.is_empty());
    form.title.zh_hans = "2024广州马拉松赛圆满结束".to_owned();
    form.flags.insert("pinned".to_owned(), true);
    form.title.en = "Guangzhou Marathon 2024: results".to_owned();
    form.body.en = "The race was held on 1 December.\n".to_owned();
    let converted: serde_json::Value = parse(
        console
            .send_json(
                reqwest::Method::POST,
                "/api/convert",
                &serde_json::json!({ "text": form.title.zh_hans, "to": "zh-Hant" }),
            )
            .await,
    )
    .await;
    assert_eq!(converted["text"], "2024廣州馬拉松賽圓滿結束");

    let response = console.save(&form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: Editor = parse(response).await;
    assert_eq!(
        saved.saved,
        [format!("notices/{id}.md"), format!("notices/{id}.en.md")]
    );

    // The original keeps every line the form did not change.
    let written = console.file(&format!("notices/{id}.md"));
    assert!(
        written.contains("title = \"2024广州马拉松赛圆满结束\"\n"),
        "{written}"
    );
    assert!(written.contains("pinned = true\n"), "{written}");
    let untouched = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.starts_with("title") && !line.starts_with("pinned"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(untouched(&written), untouched(&original));
    assert_eq!(
        console.file(&format!("notices/{id}.en.md")),
        "+++\ntitle = \"Guangzhou Marathon 2024: results\"\n+++\n\nThe race was held on 1 December.\n"
    );

    // The kiosk's compiler reads what the console wrote.
    let compiled = compile_folder(&console.content, Utc::now()).unwrap();
    let Some(ItemRef::Notice(notice)) = compiled.catalog.item(id) else {
        panic!("the notice is in the catalog");
    };
    assert_eq!(
        notice.meta.title.text(Lang::ZhHans),
        "2024广州马拉松赛圆满结束"
    );
    assert_eq!(
        notice.meta.title.text(Lang::ZhHant),
        "2024廣州馬拉松賽圓滿結束"
    );
    assert_eq!(notice.meta.title.machine, Some(Lang::ZhHant));
    assert_eq!(
        notice.meta.title.exact(Lang::En).map(String::as_str),
        Some("Guangzhou Marathon 2024: results")
    );
    assert!(notice.meta.pinned);
    assert!(saved.form.title.en == form.title.en && saved.form.hash != form.hash);
    assert!(
        !saved
            .diagnostics
            .iter()
            .any(|d| d.message.contains("no English title")),
        "the missing translation warning is gone: {:?}",
        saved.diagnostics
    );

    // Emptying the translation removes its file.
    let mut form = saved.form;
    form.title.en.clear();
    form.body.en.clear();
    let saved: Editor = parse(console.save(&form).await).await;
    assert_eq!(saved.saved, [format!("notices/{id}.en.md")]);
    assert!(!console.content.join(format!("notices/{id}.en.md")).exists());
}

#[tokio::test]
async fn a_guides_materials_steps_and_lists_are_edited_as_rows() {
    let console = start(None).await;
    let id = "athlete-grade-award";
    let file = format!("guides/{id}.toml");
    let path = format!("/api/guides/{id}");
    let original = console.file(&file);
    let editor: Editor<GuideForm> = console.get(&path).await;
    let mut form = editor.form;
    assert_eq!(
        form.entry.texts["title"].en,
        "Award of Athlete Grades (Second and Third Class)"
    );
    let materials = form.rows.get_mut("materials").unwrap();
    assert_eq!(materials.len(), 4);
    materials[1]
        .fields
        .insert("copies".to_owned(), "2".to_owned());
    materials.remove(3);
    let mut step = Entry::default();
    let text = |zh_hans: &str, en: &str| Texts {
        zh_hans: zh_hans.to_owned(),
        en: en.to_owned(),
        ..Texts::default()
    };
    step.texts.insert("title".to_owned(), text("领证", ""));
    step.texts.insert(
        "detail".to_owned(),
        text("在系统中下载电子证书。", "Download the certificate."),
    );
    form.rows.get_mut("steps").unwrap().push(step);
    form.lists.get_mut("legal_basis").unwrap().remove(2);

    // A wrong value in a row is reported at that row's field.
    let mut wrong = form.clone();
    wrong.rows.get_mut("materials").unwrap()[0]
        .fields
        .insert("copies".to_owned(), "many".to_owned());
    let checked = console.check(&path, &wrong).await;
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.field.as_deref() == Some("materials.0.copies") && d.severity == "error"),
        "{:?}",
        checked.diagnostics
    );

    let response = console.send_json(reqwest::Method::PUT, &path, &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let saved: Editor<GuideForm> = parse(response).await;
    assert_eq!(saved.saved, std::slice::from_ref(&file));
    assert!(
        saved.diagnostics.iter().all(|d| d.severity != "error"),
        "{:?}",
        saved.diagnostics
    );

    let compiled = compile_folder(&console.content, Utc::now()).unwrap();
    let Some(ItemRef::Guide(guide)) = compiled.catalog.item(id) else {
        panic!("the guide is in the catalog");
    };
    assert_eq!(guide.meta.materials.len(), 3);
    assert_eq!(guide.meta.materials[1].copies, 2);
    assert_eq!(guide.meta.steps.len(), 5);
    let last = guide.meta.steps.last().unwrap();
    assert_eq!(last.title.text(Lang::ZhHans), "领证");
    assert_eq!(last.detail.text(Lang::En), "Download the certificate.");
    assert_eq!(guide.meta.legal_basis.len(), 2);

    // What the form did not change keeps its lines.
    let written = console.file(&file);
    let (head, _) = original.split_once("[[materials]]").unwrap();
    for line in head
        .lines()
        .filter(|line| !line.contains("Athlete Grade Standards"))
    {
        assert!(written.contains(line), "lost: {line}\n{written}");
    }
}

#[tokio::test]
async fn a_traditional_original_and_a_crlf_file_are_edited_in_their_own_form() {
    let console = start(None).await;
    // The 2019 report is written in traditional Chinese with its English
    // title inline: an English edit stays inline, no sibling file appears.
    let id = "annual-report-2019";
    let path = format!("/api/documents/{id}");
    let file = format!("documents/{id}.zh-Hant.md");
    let before = console.file(&file);
    let editor: Editor = console.get(&path).await;
    let mut form = editor.form;
    assert_eq!(form.original, Lang::ZhHant);
    assert!(
        form.title.zh_hans.is_empty(),
        "simplified is machine-converted"
    );
    assert!(form.body.zh_hant.contains("總體情況"));
    let old_english = form.title.en.clone();
    form.title.en = "Annual Report 2019 on Government Information Disclosure".to_owned();
    let saved: Editor = parse(console.send_json(reqwest::Method::PUT, &path, &form).await).await;
    assert_eq!(saved.saved, std::slice::from_ref(&file));
    assert_eq!(
        console.file(&file),
        before.replacen(&old_english, &form.title.en, 1)
    );
    assert!(
        !console
            .content
            .join(format!("documents/{id}.en.md"))
            .exists()
    );
    form = saved.form;
    form.body.zh_hans = "简体正文".to_owned();
    let refused = console.send_json(reqwest::Method::PUT, &path, &form).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A file saved with Windows line ends keeps them.
    let crlf = "+++\r\ntitle = \"窗口调整\"\r\ncategory = \"tzgg\"\r\npublished = 2026-01-05\r\n+++\r\n\r\n第一段。\r\n\r\n第二段。\r\n";
    std::fs::write(console.content.join("notices/window-change.md"), crlf).unwrap();
    let mut form = console.editor("window-change").await.form;
    assert_eq!(form.body.zh_hans, "第一段。\n\n第二段。\n");
    let unchanged: Editor = parse(console.save(&form).await).await;
    assert!(unchanged.saved.is_empty());
    form.body.zh_hans = "第一段。\n\n第二段改了。\n".to_owned();
    assert_eq!(console.save(&form).await.status(), StatusCode::OK);
    assert_eq!(
        console.file("notices/window-change.md"),
        crlf.replace("第二段。", "第二段改了。")
    );
}

#[tokio::test]
async fn an_faq_entry_and_a_venue_are_edited_in_place_in_their_shared_files() {
    let console = start(None).await;
    let faq_before = console.file("faq.toml");
    let path = "/api/faq/faq-free-opening-hours";
    let editor: Editor<EntryForm> = console.get(path).await;
    let mut form = editor.form;
    let question = form.entry.texts.get_mut("question").unwrap();
    let old_question = question.en.clone();
    question.en = "When are the city's venues free to use?".to_owned();
    let saved: Editor<EntryForm> =
        parse(console.send_json(reqwest::Method::PUT, path, &form).await).await;
    assert_eq!(saved.saved, ["faq.toml"]);
    assert_eq!(
        console.file("faq.toml"),
        faq_before.replacen(&old_question, &form.entry.texts["question"].en, 1),
        "only that value changed"
    );

    // A finding in another entry of the same file is not this entry's.
    let mut form = saved.form;
    form.entry
        .fields
        .insert("date".to_owned(), "someday".to_owned());
    let checked = console.check(path, &form).await;
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.field.as_deref() == Some("date") && d.severity == "error"),
        "{:?}",
        checked.diagnostics
    );
    let other = console
        .check(
            "/api/faq/faq-venue-booking",
            &console
                .get::<Editor<EntryForm>>("/api/faq/faq-venue-booking")
                .await
                .form,
        )
        .await;
    assert!(other.diagnostics.iter().all(|d| d.severity != "error"));

    let venue_path = "/api/venues/tianhe-sports-center";
    let mut venue = console.get::<Editor<EntryForm>>(venue_path).await.form;
    let facilities = venue.lists.get_mut("facilities").unwrap();
    assert_eq!(facilities.len(), 6);
    facilities.push(Texts {
        zh_hans: "攀岩墙".to_owned(),
        en: "Climbing wall".to_owned(),
        ..Texts::default()
    });
    let response = console
        .send_json(reqwest::Method::PUT, venue_path, &venue)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let compiled = compile_folder(&console.content, Utc::now()).unwrap();
    let Some(ItemRef::Venue(tianhe)) = compiled.catalog.item("tianhe-sports-center") else {
        panic!("the venue is in the catalog");
    };
    assert_eq!(tianhe.facilities.len(), 7);
    assert_eq!(tianhe.facilities[6].text(Lang::En), "Climbing wall");
    assert!(
        console
            .file("venues.toml")
            .contains("  { zh-Hans = \"环场健身步道2.2公里\", en = \"2.2 km fitness trail\" },\n  { zh-Hans = \"攀岩墙\", en = \"Climbing wall\" },\n]"),
        "{}",
        console.file("venues.toml")
    );
}

#[tokio::test]
async fn a_validation_error_is_reported_at_its_field_before_anything_is_saved() {
    let console = start(None).await;
    let id = "tianhe-gym-closure";
    let before = console.file(&format!("notices/{id}.md"));
    let mut form = console.editor(id).await.form;
    form.fields
        .insert("published".to_owned(), "next tuesday".to_owned());
    let checked = console.check(&format!("/api/notices/{id}"), &form).await;
    assert!(!checked.stale);
    let at = |field: &str| {
        checked
            .diagnostics
            .iter()
            .find(|d| d.field.as_deref() == Some(field) && d.severity == "error")
            .unwrap_or_else(|| panic!("no error at {field}: {:?}", checked.diagnostics))
    };
    assert!(at("published").message.contains("is not a date"));
    assert!(
        at("published")
            .text
            .starts_with(&format!("notices/{id}.md:"))
    );
    assert_eq!(
        console.file(&format!("notices/{id}.md")),
        before,
        "checking writes nothing"
    );

    let mut form = console.editor(id).await.form;
    form.fields
        .insert("category".to_owned(), "no-such-category".to_owned());
    form.body
        .zh_hans
        .push_str("\n![地图](assets/no-such-map.png)\n");
    let checked = console.check(&format!("/api/notices/{id}"), &form).await;
    let at = |field: &str, message: &str| {
        checked
            .diagnostics
            .iter()
            .any(|d| d.field.as_deref() == Some(field) && d.message.contains(message))
    };
    assert!(
        at("category", "unknown notice category"),
        "{:?}",
        checked.diagnostics
    );
    assert!(
        at("body.zh-Hans", "does not exist"),
        "{:?}",
        checked.diagnostics
    );
}

#[tokio::test]
async fn a_save_after_a_hand_edit_or_another_tabs_save_is_refused_with_409() {
    let console = start(None).await;
    let id = "huimin-open-2026";
    let file = format!("notices/{id}.md");

    // A hand edit while the form is open.
    let mut stale = console.editor(id).await.form;
    let hand_edited = console
        .file(&file)
        .replacen("+++\n\n", "+++\n\n（手工修改）", 1);
    std::fs::write(console.content.join(&file), &hand_edited).unwrap();
    stale.title.zh_hans = "改了标题".to_owned();
    let response = console.save(&stale).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert!(
        error_of(response)
            .await
            .contains("changed since this form was opened")
    );
    assert_eq!(console.file(&file), hand_edited, "the hand edit is kept");
    let checked = console.check(&format!("/api/notices/{id}"), &stale).await;
    assert!(checked.stale, "the form says so as you type, before a save");
    let reloaded = console.editor(id).await.form;
    assert!(
        reloaded.body.zh_hans.starts_with("（手工修改）"),
        "a new form shows the hand edit"
    );

    // Two tabs: the second save is refused.
    let mut first = console.editor(id).await.form;
    let mut second = first.clone();
    first.summary.zh_hans = "第一个标签页".to_owned();
    assert_eq!(console.save(&first).await.status(), StatusCode::OK);
    let after_first = console.file(&file);
    second.summary.zh_hans = "第二个标签页".to_owned();
    assert_eq!(console.save(&second).await.status(), StatusCode::CONFLICT);
    assert_eq!(console.file(&file), after_first);
    assert!(after_first.contains("第一个标签页"));
}

#[tokio::test]
async fn ids_and_paths_that_leave_the_content_folder_are_refused() {
    let console = start(None).await;
    let before = snapshot(&console.content);
    for path in [
        "/api/notices/..%2F..%2Fsite",
        "/api/notices/Tianhe-Gym-Closure",
        "/api/notices/a%00b",
        "/api/notices/%2Fetc%2Fpasswd",
        "/api/faq/Faq-Venue-Booking",
        "/api/guides/..%2Fsite",
    ] {
        let (status, error) = console.get_refused(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(!error.is_empty());
    }
    // Nothing but the forms' kinds has an address: not the keys, not the site.
    for path in [
        "/api/keys/root",
        "/api/site/site",
        "/keys/root.key",
        "/api/notices",
    ] {
        let (status, error) = console.get_refused(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(error.contains("no such address"), "{error}");
    }
    let mut form = console.editor("tianhe-gym-closure").await.form;
    form.id = "../../escaped".to_owned();
    let response = console
        .send_json(
            reqwest::Method::PUT,
            "/api/notices/..%2F..%2Fescaped",
            &form,
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(snapshot(&console.content) == before);

    // (A bare `..` never reaches the server: URLs resolve it first.)
    for id in ["..", ".", "a/b", "a.b", ""] {
        assert!(ItemId::parse(id).is_err(), "{id}");
    }
    // The writer itself: plain names inside the folder only, never through a link.
    let root = ContentRoot::open(&console.content).unwrap();
    for relative in [
        "../x.md",
        "/etc/passwd",
        "notices/../../x.md",
        "",
        "notices\\x.md",
    ] {
        assert!(root.write(relative, "x").is_err(), "{relative}");
    }
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), console.content.join("notices/out")).unwrap();
    assert!(root.write("notices/out/x.md", "x").is_err());
    std::os::unix::fs::symlink(
        outside.path().join("y.md"),
        console.content.join("notices/y.md"),
    )
    .unwrap();
    assert!(root.write("notices/y.md", "x").is_err());
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_a_message() {
    let console = start(None).await;
    let mut form = console.editor("tianhe-gym-closure").await.form;
    form.body.zh_hans = "很长".repeat(400_000);
    let response = console.save(&form).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(error_of(response).await.contains("larger than"));
    let response = console
        .request(reqwest::Method::PUT, "/api/notices/tianhe-gym-closure")
        .header("x-csrf-token", &console.csrf)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(!error_of(response).await.is_empty());
}

#[tokio::test]
async fn an_open_console_wants_its_csrf_token_and_a_loopback_host() {
    let console = start(None).await;
    let form = console.editor("tianhe-gym-closure").await.form;
    let path = "/api/notices/tianhe-gym-closure";
    for token in [None, Some("wrong")] {
        let mut request = console
            .request(reqwest::Method::PUT, path)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&form).unwrap());
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        assert_eq!(
            request.send().await.unwrap().status(),
            StatusCode::FORBIDDEN
        );
    }
    let rebound = console
        .request(reqwest::Method::GET, "/api/items")
        .header("host", "attacker.example:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), StatusCode::FORBIDDEN);
    assert_eq!(console.save(&form).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_public_address_needs_a_password_and_keys_stay_out_of_the_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    let options = ConsoleOptions {
        content: dir.path().to_owned(),
        repo: dir.path().join("repo"),
        keys: dir.path().join("elsewhere"),
        password: None,
        fleet: None,
    };
    let public = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let refused = serve(public, options.clone()).await;
    assert!(matches!(refused, Err(ConsoleError::PasswordRequired(_))));

    let public = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let with_password = ConsoleOptions {
        password: AdminPassword::from_hash(&hash_secret("secret")),
        ..options.clone()
    };
    serve(public, with_password)
        .await
        .unwrap()
        .stop()
        .await
        .unwrap();

    std::fs::create_dir(dir.path().join("keys")).unwrap();
    let loopback = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let keys_inside = ConsoleOptions {
        keys: dir.path().join("keys"),
        ..options
    };
    assert!(matches!(
        serve(loopback, keys_inside).await,
        Err(ConsoleError::KeysInsideContent(_))
    ));
}

#[tokio::test]
async fn with_a_password_every_page_needs_a_login_and_every_change_its_csrf_token() {
    let mut console = start(Some("correct horse")).await;
    assert_eq!(
        console.status_of(reqwest::Method::GET, "/api/items").await,
        StatusCode::UNAUTHORIZED
    );
    let page = console
        .request(reqwest::Method::GET, "/")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()["location"], "/login");

    let login = |password: &'static str| {
        console
            .client
            .post(console.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("password={password}"))
            .send()
    };
    let wrong = login("wrong").await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get("set-cookie").is_none());
    let right = login("correct%20horse").await.unwrap();
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    let set_cookie = right.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    console.cookie = Some(set_cookie.split(';').next().unwrap().to_owned());
    console.csrf = console.page_csrf().await;

    let form = console.editor("tianhe-gym-closure").await.form;
    let without_token = console
        .request(reqwest::Method::PUT, "/api/notices/tianhe-gym-closure")
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&form).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(without_token.status(), StatusCode::FORBIDDEN);
    assert_eq!(console.save(&form).await.status(), StatusCode::OK);

    let logout = console
        .request(reqwest::Method::POST, "/logout")
        .header("x-csrf-token", &console.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        console.status_of(reqwest::Method::GET, "/api/items").await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn password_guessing_is_held_to_ten_attempts_a_minute() {
    let console = start(Some("correct horse")).await;
    let mut statuses = Vec::new();
    for _ in 0..11 {
        let response = console
            .client
            .post(console.url("/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("password=guess")
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    assert_eq!(statuses[..10], [StatusCode::UNAUTHORIZED; 10]);
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
}
