//! The admin panel's lines: the kiosk, its software, its content and the
//! sync, in the visitor's language.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::LabelledText;
use super::words::{Word, word};
use crate::content::Lang;
use crate::content::time::to_local;
use crate::kiosk::status::ContentStatus;

/// What the admin panel shows about the kiosk.
pub struct AdminPanel<'a> {
    /// The kiosk's `kiosk_id`.
    pub kiosk_id: &'a str,
    /// The visitor's language.
    pub lang: Lang,
    /// The site's time zone, for the times shown.
    pub zone: Tz,
    /// The kiosk's status.
    pub status: &'a ContentStatus,
    /// What the panel's last "sync now" did, in words.
    pub sync_request: &'a str,
}

impl AdminPanel<'_> {
    /// The panel's lines, label and value.
    pub fn lines(&self) -> Vec<LabelledText> {
        let lang = self.lang;
        let status = self.status;
        let line = |label: Word, text: String| LabelledText {
            label: word(lang, label).into(),
            text: text.into(),
        };
        let flag = |on: bool| word(lang, if on { Word::Yes } else { Word::No }).to_owned();
        let or_dash = |text: &str| {
            if text.is_empty() {
                "—".to_owned()
            } else {
                text.to_owned()
            }
        };
        let local = |at: DateTime<Utc>| to_local(at, self.zone);
        vec![
            line(Word::AdminKiosk, self.kiosk_id.to_owned()),
            line(Word::AdminVersion, env!("CARGO_PKG_VERSION").to_owned()),
            line(Word::AdminContent, status.source.clone()),
            line(Word::AdminContentVersion, status.version.clone()),
            line(
                Word::AdminContentUpdated,
                status.content_updated.map_or("—".into(), |at| {
                    local(at).format("%Y-%m-%d %H:%M:%S").to_string()
                }),
            ),
            line(Word::AdminOnline, flag(status.online)),
            line(
                Word::AdminLastSuccess,
                status.last_success.map_or("—".into(), |at| {
                    local(at).format("%Y-%m-%d %H:%M:%S").to_string()
                }),
            ),
            line(
                Word::AdminDownloaded,
                format!("{:.1} MB", status.bytes_received as f64 / 1e6),
            ),
            line(Word::AdminOutOfDate, flag(status.out_of_date)),
            line(Word::AdminLastError, or_dash(&status.last_error)),
            line(
                Word::AdminServices,
                or_dash(&status.service_errors.join("; ")),
            ),
            line(
                Word::AdminSpeech,
                if status.speech_unavailable.is_empty() {
                    word(lang, Word::AdminSpeechReady).to_owned()
                } else {
                    status.speech_unavailable.clone()
                },
            ),
            line(Word::AdminSyncNow, or_dash(self.sync_request)),
        ]
    }
}
