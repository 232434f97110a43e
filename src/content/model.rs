//! The content kinds the kiosk shows, as compiled into the catalog.
//!
//! The same types are read from the authoring folder (TOML, front matter),
//! so the authoring format and the catalog cannot drift apart.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::blocks::Block;
use super::item::ItemIndex;
use super::text::{Lang, Localized, Text};
use super::time::{self, EndBound, LocalTime};

/// A localized body of blocks.
pub type Body = Localized<Vec<Block>>;

/// Version of the catalog format written by this build.
pub const CATALOG_FORMAT: u32 = 1;

/// A named category, referenced by id from items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Stable id used in items (`category = "tzgg"`).
    pub id: String,
    /// Label shown on chips and tabs.
    pub name: Text,
}

/// Theme colours of the site; defaults follow the UI guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    /// Header and primary actions.
    #[serde(default = "default_primary")]
    pub primary: String,
    /// Home tiles.
    #[serde(default = "default_tile")]
    pub tile: String,
}

fn default_primary() -> String {
    "#8B1A1A".into()
}

fn default_tile() -> String {
    "#1F3A5F".into()
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            primary: default_primary(),
            tile: default_tile(),
        }
    }
}

/// The department the kiosk belongs to (`site.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Department name in the header.
    pub name: Text,
    /// Logo asset (`assets/…`), optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// Street address of the hall.
    pub address: Text,
    /// Opening hours of the hall.
    pub hours: Text,
    /// Enquiry phone number.
    pub phone: String,
    /// The department's website.
    pub website: String,
    /// Language the kiosk returns to after idle.
    #[serde(default)]
    pub default_language: Lang,
    /// Time zone in which validity windows are evaluated.
    #[serde(default = "default_zone", with = "time::zone_name")]
    pub time_zone: Tz,
    /// Theme colours.
    #[serde(default)]
    pub theme: Theme,
    /// Notice categories (通知公告, 政策解讀, …), in tab order.
    pub notice_categories: Vec<Category>,
    /// Service item categories of guides (行政許可, 公共服務, …).
    pub guide_categories: Vec<Category>,
    /// Document categories (年度報告, 公開指南, 政策文件, …).
    pub document_categories: Vec<Category>,
    /// What the empty search page offers under 热门搜索, in order: each a
    /// query run when tapped. None: the page offers the site's first
    /// guides instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub popular_searches: Vec<Text>,
}

fn default_zone() -> Tz {
    time::DEFAULT_TIME_ZONE
}

/// A file or link attached to a notice or document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Title shown in the list of attachments.
    pub title: Text,
    /// Where to get it (offered as a QR code).
    pub url: String,
}

/// Front matter of a notice (`notices/<id>.md`); the body follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeMeta {
    /// Increases with every edit.
    #[serde(default = "first_revision")]
    pub revision: u32,
    /// Title.
    pub title: Text,
    /// Id of one of the site's notice categories.
    pub category: String,
    /// Publication time (site local).
    pub published: LocalTime,
    /// Not shown before this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<LocalTime>,
    /// Not shown after this time (a bare date includes the whole day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<EndBound>,
    /// Listed above unpinned notices.
    #[serde(default)]
    pub pinned: bool,
    /// Shown in the urgent banner on Home.
    #[serde(default)]
    pub urgent: bool,
    /// One or two sentences for lists and the attract loop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    /// Attached files and links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// The page on the department site ("take this on your phone").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

fn first_revision() -> u32 {
    1
}

/// A notice on the public notice board (公告).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// Stable id (the file name without extension).
    pub id: String,
    /// Everything from the front matter.
    #[serde(flatten)]
    pub meta: NoticeMeta,
    /// Body blocks.
    pub body: Body,
}

impl Notice {
    /// Whether the notice is inside its validity window at the given local time.
    pub fn is_valid_at(&self, local: NaiveDateTime) -> bool {
        within_window(self.meta.valid_from, self.meta.valid_until, local)
    }
}

/// Whether `local` lies inside a validity window (either end may be open).
pub fn within_window(
    from: Option<LocalTime>,
    until: Option<EndBound>,
    local: NaiveDateTime,
) -> bool {
    let started = from.is_none_or(|from| from.0 <= local);
    let not_ended = until.is_none_or(|until| local <= until.0);
    started && not_ended
}

/// Whether a document is the original or a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaterialForm {
    /// 原件.
    Original,
    /// 復印件.
    Copy,
    /// 原件及復印件.
    OriginalAndCopy,
}

/// Paper or electronic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MaterialFormat {
    /// 紙質.
    Paper,
    /// 電子.
    Electronic,
    /// 紙質或電子.
    PaperOrElectronic,
}

/// One item of 申請材料.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    /// Name of the document.
    pub name: Text,
    /// Number of copies.
    pub copies: u32,
    /// Original, copy or both.
    pub form: MaterialForm,
    /// Paper or electronic.
    pub format: MaterialFormat,
    /// Where the applicant gets it (申請人自備, 政府部門核發, …).
    pub source: Text,
    /// A sample or blank form (URL, shown as QR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_form: Option<String>,
    /// Further notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Text>,
}

/// One step of 辦理流程.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Short name (受理, 審查, 決定, 送達).
    pub title: Text,
    /// What happens and who does it.
    pub detail: Text,
}

/// Service guide for one approval or service item (`guides/<id>.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideMeta {
    /// Increases with every edit.
    #[serde(default = "first_revision")]
    pub revision: u32,
    /// Name of the service item.
    pub title: Text,
    /// Id of one of the site's guide categories.
    pub category: String,
    /// Responsible department.
    pub department: Text,
    /// Service window in the hall.
    pub window: Text,
    /// 辦理依據: laws and regulations.
    pub legal_basis: Vec<Text>,
    /// 受理條件.
    pub eligibility: Vec<Text>,
    /// 申請材料.
    pub materials: Vec<Material>,
    /// 辦理流程.
    pub steps: Vec<Step>,
    /// 法定時限, working days.
    pub statutory_days: u32,
    /// 承諾時限, working days.
    pub promised_days: u32,
    /// How many times the applicant must come in person (0 = fully online).
    pub visits: u32,
    /// 收費標準 ("不收費" when free).
    pub fees: Text,
    /// 辦理地點.
    pub location: Text,
    /// 辦理時間.
    pub hours: Text,
    /// 咨詢電話.
    pub phone: String,
    /// 監督投訴 channel.
    pub complaint: Text,
    /// Online application (shown as QR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<String>,
    /// Related FAQ entries by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faq: Vec<String>,
    /// The page on the department site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

/// A service guide (辦事指南).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceGuide {
    /// Stable id (the file name without extension).
    pub id: String,
    /// The guide's fields.
    #[serde(flatten)]
    pub meta: GuideMeta,
}

/// Front matter of a long document (`documents/<id>.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Increases with every edit.
    #[serde(default = "first_revision")]
    pub revision: u32,
    /// Title.
    pub title: Text,
    /// Id of one of the site's document categories.
    pub category: String,
    /// Publication time (site local).
    pub published: LocalTime,
    /// Short description for lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    /// Attached files and links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// The page on the department site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
}

/// A long document: annual report, disclosure guide, policy text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id (the file name without extension).
    pub id: String,
    /// Everything from the front matter.
    #[serde(flatten)]
    pub meta: DocumentMeta,
    /// Body blocks.
    pub body: Body,
}

/// Whether an entry is a plain FAQ or a response to a hot topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaqKind {
    /// 常見問題.
    Faq,
    /// 熱點回應.
    HotTopic,
}

/// A question and its answer (`faq.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faq {
    /// Stable id.
    pub id: String,
    /// FAQ or hot topic.
    pub kind: FaqKind,
    /// Topic label.
    pub category: Text,
    /// Date of the answer.
    pub date: LocalTime,
    /// The question.
    pub question: Text,
    /// The answer as blocks.
    pub answer: Body,
}

/// A public sports venue (`venues.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: Text,
    /// Street address.
    pub address: Text,
    /// Opening hours.
    pub hours: Text,
    /// Free or discounted opening periods (惠民開放).
    pub free_periods: Vec<Text>,
    /// Facilities.
    pub facilities: Vec<Text>,
    /// Booking phone.
    pub booking_phone: String,
    /// Map image asset (`assets/…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map: Option<String>,
    /// Page with booking or directions (shown as QR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The kind of an interaction channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChannelKind {
    /// 局長信箱.
    Mailbox,
    /// 調查征集.
    Survey,
    /// 在線訪談.
    Interview,
    /// 依申請公開.
    DisclosureApplication,
    /// 咨詢投訴 by phone.
    Hotline,
}

/// An interaction channel (`channels.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// Stable id.
    pub id: String,
    /// What kind of channel.
    pub kind: ChannelKind,
    /// Name.
    pub name: Text,
    /// What it is for and how it answers.
    pub description: Text,
    /// Link (shown as QR).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Phone, for hotlines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Size and hash of an asset in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetInfo {
    /// Bytes.
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
}

/// Everything a kiosk shows, as compiled by `kioskctl build`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// [`CATALOG_FORMAT`] of the writer.
    pub format: u32,
    /// The department.
    pub site: Site,
    /// Notices, newest first.
    pub notices: Vec<Notice>,
    /// Service guides.
    pub guides: Vec<ServiceGuide>,
    /// Documents, newest first.
    pub documents: Vec<Document>,
    /// FAQ and hot-topic entries, newest first.
    pub faqs: Vec<Faq>,
    /// Venues.
    pub venues: Vec<Venue>,
    /// Interaction channels.
    pub channels: Vec<Channel>,
    /// Assets by path.
    #[serde(default)]
    pub assets: BTreeMap<String, AssetInfo>,
    /// Where each item sits, by id ([`Catalog::item`]).
    #[serde(skip)]
    pub items: ItemIndex,
}

impl Catalog {
    /// Puts lists in their display order: notices, documents and answers
    /// newest first, guides by id (their file names).
    pub fn sort(&mut self) {
        self.items.reset();
        self.guides.sort_by(|a, b| a.id.cmp(&b.id));
        self.notices.sort_by(|a, b| {
            b.meta
                .published
                .cmp(&a.meta.published)
                .then(a.id.cmp(&b.id))
        });
        self.documents.sort_by(|a, b| {
            b.meta
                .published
                .cmp(&a.meta.published)
                .then(a.id.cmp(&b.id))
        });
        self.faqs
            .sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
    }

    /// Reads a catalog from its JSON form.
    pub fn from_json(bytes: &[u8]) -> Result<Catalog, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// The site's local time for an instant.
    pub fn local_time(&self, now: DateTime<Utc>) -> NaiveDateTime {
        time::to_local(now, self.site.time_zone)
    }

    /// Notices visible now, pinned first, then newest first.
    pub fn visible_notices(&self, now: DateTime<Utc>) -> Vec<&Notice> {
        let local = self.local_time(now);
        let mut visible: Vec<&Notice> = self
            .notices
            .iter()
            .filter(|notice| notice.is_valid_at(local))
            .collect();
        visible.sort_by(|a, b| {
            b.meta
                .pinned
                .cmp(&a.meta.pinned)
                .then(b.meta.published.cmp(&a.meta.published))
        });
        visible
    }

    /// Visible urgent notices, newest first.
    pub fn urgent_notices(&self, now: DateTime<Utc>) -> Vec<&Notice> {
        let mut urgent: Vec<&Notice> = self
            .visible_notices(now)
            .into_iter()
            .filter(|notice| notice.meta.urgent)
            .collect();
        urgent.sort_by_key(|notice| std::cmp::Reverse(notice.meta.published));
        urgent
    }

    /// The first site-local time after `local` at which a notice starts or
    /// stops being shown (see [`Notice::is_valid_at`]), if any will.
    pub fn next_notice_change(&self, local: NaiveDateTime) -> Option<NaiveDateTime> {
        self.notices
            .iter()
            .flat_map(|notice| {
                let starts = notice.meta.valid_from.map(|from| from.0);
                // Shown up to and including `until`: gone just after it.
                let ends = notice
                    .meta
                    .valid_until
                    .map(|until| until.0 + chrono::Duration::nanoseconds(1));
                [starts, ends]
            })
            .flatten()
            .filter(|edge| *edge > local)
            .min()
    }

    /// The pinned and urgent notices the attract loop shows, in catalog order.
    pub fn attract_notices(&self, now: DateTime<Utc>) -> Vec<&Notice> {
        self.visible_notices(now)
            .into_iter()
            .filter(|notice| notice.meta.pinned || notice.meta.urgent)
            .collect()
    }

    /// The title (question, name) of the item with this id, of any kind
    /// (ids are unique across kinds).
    pub fn item_title(&self, id: &str) -> Option<&Text> {
        self.item(id).map(super::item::ItemRef::title)
    }

    /// Looks up a notice category label.
    pub fn notice_category(&self, id: &str) -> Option<&Category> {
        self.site.notice_categories.iter().find(|c| c.id == id)
    }

    /// Looks up a guide category label.
    pub fn guide_category(&self, id: &str) -> Option<&Category> {
        self.site.guide_categories.iter().find(|c| c.id == id)
    }

    /// Looks up a document category label.
    pub fn document_category(&self, id: &str) -> Option<&Category> {
        self.site.document_categories.iter().find(|c| c.id == id)
    }
}

impl Catalog {
    /// Visits every localized text of every item (not bodies).
    pub fn for_each_text(&mut self, f: &mut dyn FnMut(&mut Text)) {
        let site = &mut self.site;
        for text in [&mut site.name, &mut site.address, &mut site.hours] {
            f(text);
        }
        site.popular_searches.iter_mut().for_each(&mut *f);
        for category in site
            .notice_categories
            .iter_mut()
            .chain(&mut site.guide_categories)
            .chain(&mut site.document_categories)
        {
            f(&mut category.name);
        }
        for notice in &mut self.notices {
            let meta = &mut notice.meta;
            f(&mut meta.title);
            meta.summary.iter_mut().for_each(&mut *f);
            meta.attachments.iter_mut().for_each(|a| f(&mut a.title));
        }
        for document in &mut self.documents {
            let meta = &mut document.meta;
            f(&mut meta.title);
            meta.summary.iter_mut().for_each(&mut *f);
            meta.attachments.iter_mut().for_each(|a| f(&mut a.title));
        }
        for guide in &mut self.guides {
            let meta = &mut guide.meta;
            for text in [
                &mut meta.title,
                &mut meta.department,
                &mut meta.window,
                &mut meta.fees,
                &mut meta.location,
                &mut meta.hours,
                &mut meta.complaint,
            ] {
                f(text);
            }
            meta.legal_basis
                .iter_mut()
                .chain(&mut meta.eligibility)
                .for_each(&mut *f);
            for material in &mut meta.materials {
                f(&mut material.name);
                f(&mut material.source);
                material.notes.iter_mut().for_each(&mut *f);
            }
            for step in &mut meta.steps {
                f(&mut step.title);
                f(&mut step.detail);
            }
        }
        for faq in &mut self.faqs {
            f(&mut faq.category);
            f(&mut faq.question);
        }
        for venue in &mut self.venues {
            for text in [&mut venue.name, &mut venue.address, &mut venue.hours] {
                f(text);
            }
            venue
                .free_periods
                .iter_mut()
                .chain(&mut venue.facilities)
                .for_each(&mut *f);
        }
        for channel in &mut self.channels {
            f(&mut channel.name);
            f(&mut channel.description);
        }
    }

    /// Visits every body of blocks.
    pub fn for_each_body(&mut self, f: &mut dyn FnMut(&mut Body)) {
        self.notices.iter_mut().for_each(|n| f(&mut n.body));
        self.documents.iter_mut().for_each(|d| f(&mut d.body));
        self.faqs.iter_mut().for_each(|q| f(&mut q.answer));
    }
}
