//! Words the adapters compose with content (list meta lines, guide facts,
//! section titles, the admin panel), in every language.
//!
//! Screen chrome that Slint shows as it is lives in the Slint translations
//! (`@tr` in `ui/`, `lang/`); the words Rust joins with content values are
//! here, one table for all of them. A word both places have (a section's
//! name is a Home tile and a list title) must read the same in both:
//! `tests/translations.rs` fails when they differ.

use crate::content::Lang;
use crate::content::model::{FaqKind, MaterialForm, MaterialFormat};

/// Declares [`Word`] and its table from one list, so that no word can be
/// missing from [`Word::ALL`] or from the table (`tests/translations.rs`
/// checks that none of its three entries is empty).
macro_rules! words {
    ($($(#[$doc:meta])* $word:ident => [$hans:literal, $hant:literal, $en:literal $(,)?],)+) => {
        /// A word the adapters need.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Word {
            $($(#[$doc])* $word,)+
        }

        impl Word {
            /// Every word, in the order declared.
            pub const ALL: &[Word] = &[$(Word::$word),+];

            /// The word in each language, in the order of [`Lang::ALL`].
            pub fn options(self) -> [&'static str; 3] {
                match self {
                    $(Word::$word => [$hans, $hant, $en],)+
                }
            }
        }
    };
}

words! {
    /// The "all categories" tab.
    All => ["全部", "全部", "All"],
    /// "{n} working days".
    WorkingDays => ["个工作日", "個工作日", "working days"],
    /// The guide page's fee label (the Slint page says the same).
    GuideFees => ["收费", "收費", "Fee"],
    /// The guide page's visits label.
    GuideVisits => ["到现场次数", "到現場次數", "Visits in person"],
    /// The guide page's place label.
    GuidePlace => ["办理地点", "辦理地點", "Where"],
    /// The guide page's conditions heading.
    GuideEligibility => ["办理条件", "辦理條件", "Who can apply"],
    /// The guide page's materials heading.
    GuideMaterials => ["申请材料", "申請材料", "Documents to bring"],
    /// The guide page's steps heading.
    GuideSteps => ["办理流程", "辦理流程", "Process"],
    /// The guide page's legal basis heading.
    GuideBasis => ["办理依据", "辦理依據", "Legal basis"],
    /// Statutory limit label.
    Statutory => ["法定时限", "法定時限", "Statutory limit"],
    /// Promised limit label (the guide page's summary says the same).
    Promised => ["承诺时限", "承諾時限", "Promised time"],
    /// "Visits" count suffix (plural; see [`count`]).
    Visits => ["次", "次", "visits"],
    /// Zero visits.
    FullyOnline => ["全程网办，无需到现场", "全程網辦，無需到現場", "Fully online, no visit needed"],
    /// Copies suffix (plural; see [`count`]).
    Copies => ["份", "份", "copies"],
    /// Hours label.
    Hours => ["开放时间", "開放時間", "Opening hours"],
    /// Phone label.
    Phone => ["咨询电话", "咨詢電話", "Enquiries"],
    /// Complaints label.
    Complaints => ["监督投诉", "監督投訴", "Complaints"],
    /// Time-limits section.
    TimeLimits => ["办理时限", "辦理時限", "Time limits"],
    /// Fees section.
    Fees => ["收费标准", "收費標準", "Fees"],
    /// Place and hours section.
    PlaceAndHours => ["办理地点与时间", "辦理地點與時間", "Where and when"],
    /// Phone numbers section.
    PhoneNumbers => ["咨询/投诉电话", "咨詢/投訴電話", "Enquiries and complaints"],
    /// Window label.
    Window => ["窗口", "窗口", "Window"],
    /// Free periods label.
    FreePeriods => ["惠民开放", "惠民開放", "Free or discounted sessions"],
    /// Facilities label.
    Facilities => ["场馆设施", "場館設施", "Facilities"],
    /// Address label.
    Address => ["地址", "地址", "Address"],
    /// Booking phone label.
    Booking => ["预约电话", "預約電話", "Booking"],
    /// The note above a page not written in the visitor's language: each
    /// language says how it got its text (converted from the other Chinese
    /// script; English: shown in Chinese).
    NotWrittenInThisLanguage => [
        "本页简体中文由繁体自动转换。",
        "本頁繁體中文由簡體自動轉換。",
        "This page is not yet available in English and is shown in Chinese.",
    ],
    /// Published label.
    Published => ["发布", "發佈", "Published"],
    /// Source label.
    Source => ["来源", "來源", "Source"],
    /// Attachment label.
    Attachment => ["附件", "附件", "Attachment"],
    /// Sample data note on a table card.
    SampleData => ["示例数据", "示例數據", "Sample data"],
    /// Valid until label.
    ValidUntil => ["有效期至", "有效期至", "Valid until"],
    /// The corner of a table, over its row labels.
    RowItems => ["项目", "項目", "Item"],
    /// The caption of a table that has none ("Table 2").
    Table => ["表格", "表格", "Table"],
    /// The button that shows more of a long text.
    ReadMore => ["继续阅读", "繼續閱讀", "Read on"],
    /// Admin panel: the kiosk's id.
    AdminKiosk => ["终端", "終端", "Kiosk"],
    /// Admin panel: the software version.
    AdminVersion => ["软件版本", "軟件版本", "Version"],
    /// Admin panel: where the content came from.
    AdminContent => ["内容来源", "內容來源", "Content"],
    /// Admin panel: the content's version.
    AdminContentVersion => ["内容版本", "內容版本", "Content version"],
    /// Admin panel: when the shown content became active on the kiosk.
    AdminContentUpdated => ["内容更新时间", "內容更新時間", "Content updated"],
    /// Admin panel: whether the last sync reached the repository.
    AdminOnline => ["在线", "在線", "Online"],
    /// Admin panel: when a sync last succeeded.
    AdminLastSuccess => ["上次成功同步", "上次成功同步", "Last successful sync"],
    /// Admin panel: bytes received since start.
    AdminDownloaded => ["已下载", "已下載", "Downloaded"],
    /// Admin panel: whether the content is older than the repository allows.
    AdminOutOfDate => ["内容过期", "內容過期", "Out of date"],
    /// Admin panel: the last error.
    AdminLastError => ["最近错误", "最近錯誤", "Last error"],
    /// Admin panel: services that could not start.
    AdminServices => ["管理服务", "管理服務", "Admin services"],
    /// Admin panel: what the last "sync now" did.
    AdminSyncNow => ["上次同步请求", "上次同步請求", "Sync request"],
    /// Speech mode: the role of an element to press, said before its label.
    SpokenButton => ["按钮", "按鈕", "Button"],
    /// Speech mode: said after a selected setting.
    SpokenSelected => ["已选中", "已選中", "selected"],
    /// Speech mode: said after a button that cannot be pressed now.
    SpokenDimmed => ["不可用", "不可用", "unavailable"],
    /// Speech mode switched on: what it is and how it works.
    SpeechOn => [
        "语音朗读已开启。点一下朗读手指下的内容，快速点两下打开，左右滑动听上一项或下一项，上下滑动翻页。",
        "語音朗讀已開啟。點一下朗讀手指下的內容，快速點兩下打開，左右滑動聽上一項或下一項，上下滑動翻頁。",
        "Read aloud is on. Tap to hear what is under your finger, tap twice quickly to open it, swipe left or right for the previous or next item, swipe up or down to scroll.",
    ],
    /// Speech mode switched off.
    SpeechOff => ["语音朗读已关闭", "語音朗讀已關閉", "Read aloud is off"],
    /// Speech mode: a swipe past the last element.
    SpokenLast => ["已是最后一项", "已是最後一項", "That was the last item"],
    /// Speech mode: a swipe back past the first element.
    SpokenFirst => ["已是第一项", "已是第一項", "This is the first item"],
    /// Speech mode: Home's sections, counted.
    SpokenSections => ["个栏目", "個欄目", "sections"],
    /// Speech mode: a list's rows, counted.
    SpokenRows => ["条", "條", "items"],
    /// Speech mode: a long body's sections, counted.
    SpokenSectionsOfText => ["节", "節", "sections"],
    /// Speech mode: a body's paragraphs, counted.
    SpokenParagraphs => ["段", "段", "paragraphs"],
    /// Speech mode: a guide's materials, counted.
    SpokenMaterials => ["项材料", "項材料", "materials"],
    /// Speech mode: a guide's steps, counted.
    SpokenSteps => ["个步骤", "個步驟", "steps"],
    /// Speech mode: a table's rows, counted.
    SpokenTableRows => ["行", "行", "rows"],
    /// Speech mode: search results, counted.
    SpokenResults => ["条结果", "條結果", "results"],
    /// Speech mode: the idle countdown began (followed by its seconds).
    SpokenStillThere => [
        "还在使用吗？点一下屏幕继续，否则回到首页，还剩",
        "還在使用嗎？點一下屏幕繼續，否則回到首頁，還剩",
        "Still there? Tap the screen to continue, or the kiosk goes back to Home in",
    ],
    /// Speech mode: seconds, counted.
    SpokenSeconds => ["秒", "秒", "seconds"],
    /// Admin panel: whether speech mode can speak.
    AdminSpeech => ["语音朗读", "語音朗讀", "Read aloud"],
    /// Admin panel: speech works.
    AdminSpeechReady => ["可用", "可用", "available"],
    /// Yes (a true flag).
    Yes => ["是", "是", "yes"],
    /// No (a false flag).
    No => ["否", "否", "no"],
    /// Home, first in the line saying where a page is.
    Home => ["首页", "首頁", "Home"],
    /// Search, in that line.
    Search => ["搜索", "搜索", "Search"],
    /// The notices section (its Home tile says the same).
    Notices => ["公告栏", "公告欄", "Notices"],
    /// The service guides section.
    Guides => ["办事指南", "辦事指南", "Service guides"],
    /// The public records (disclosure) section.
    Disclosure => ["信息公开", "信息公開", "Public records"],
    /// The contact (interaction) section.
    Interaction => ["互动交流", "互動交流", "Contact us"],
    /// The venues section.
    Venues => ["场馆开放", "場館開放", "Venues"],
    /// A material brought as the original.
    MaterialOriginal => ["原件", "原件", "original"],
    /// A material brought as a copy.
    MaterialCopy => ["复印件", "復印件", "copy"],
    /// A material brought as both.
    MaterialOriginalAndCopy => ["原件及复印件", "原件及復印件", "original and copy"],
    /// A material on paper.
    MaterialPaper => ["纸质", "紙質", "paper"],
    /// An electronic material.
    MaterialElectronic => ["电子", "電子", "electronic"],
    /// A material on paper or electronic.
    MaterialPaperOrElectronic => ["纸质或电子", "紙質或電子", "paper or electronic"],
    /// A frequently asked question.
    Faq => ["常见问题", "常見問題", "FAQ"],
    /// A response to a hot topic.
    HotTopic => ["热点回应", "熱點回應", "Hot topics"],
}

/// The word in a language.
pub fn word(lang: Lang, word: Word) -> &'static str {
    word.options()[lang.index()]
}

/// A number with its counted word: "1 份", "1 copy", "2 copies".
pub fn count(lang: Lang, n: u32, counted: Word) -> String {
    let plural = word(lang, counted);
    match (lang, counted) {
        (Lang::En, Word::Copies) if n == 1 => "1 copy".to_owned(),
        (Lang::En, Word::Visits) if n == 1 => "1 visit".to_owned(),
        (
            Lang::En,
            Word::SpokenSections
            | Word::SpokenRows
            | Word::SpokenSectionsOfText
            | Word::SpokenParagraphs
            | Word::SpokenMaterials
            | Word::SpokenSteps
            | Word::SpokenTableRows
            | Word::SpokenResults
            | Word::SpokenSeconds,
        ) if n == 1 => format!("1 {}", plural.trim_end_matches('s')),
        _ => format!("{n} {plural}"),
    }
}

/// A label and its value: "窗口：C12", "Window: C12". The colon follows the
/// label's script (a Chinese column name in an English screen keeps its
/// full-width colon), so mixed content reads right in both.
pub fn labelled(label: &str, value: &str) -> String {
    let chinese = label.chars().last().is_some_and(is_cjk);
    if chinese {
        format!("{label}：{value}")
    } else {
        format!("{label}: {value}")
    }
}

/// Items of a list on one line: "早上；晚上", "mornings; evenings"; each
/// separator follows the script of the item before it.
pub fn joined(items: &[String]) -> String {
    let mut line = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            let chinese = items[index - 1].chars().last().is_some_and(is_cjk);
            line.push_str(if chinese { "；" } else { "; " });
        }
        line.push_str(item);
    }
    line
}

/// A CJK ideograph or full-width punctuation mark.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{2FFFF}')
}

/// 原件 / 復印件 in a language.
pub fn material_form(lang: Lang, form: MaterialForm) -> &'static str {
    let said = match form {
        MaterialForm::Original => Word::MaterialOriginal,
        MaterialForm::Copy => Word::MaterialCopy,
        MaterialForm::OriginalAndCopy => Word::MaterialOriginalAndCopy,
    };
    word(lang, said)
}

/// 紙質 / 電子 in a language.
pub fn material_format(lang: Lang, format: MaterialFormat) -> &'static str {
    let said = match format {
        MaterialFormat::Paper => Word::MaterialPaper,
        MaterialFormat::Electronic => Word::MaterialElectronic,
        MaterialFormat::PaperOrElectronic => Word::MaterialPaperOrElectronic,
    };
    word(lang, said)
}

/// 常見問題 / 熱點回應 in a language.
pub fn faq_kind(lang: Lang, kind: FaqKind) -> &'static str {
    let said = match kind {
        FaqKind::Faq => Word::Faq,
        FaqKind::HotTopic => Word::HotTopic,
    };
    word(lang, said)
}

/// The PIN pad's line after a wrong PIN, with the tries left before the lock.
pub fn pin_rejected(lang: Lang, remaining: u32) -> String {
    match lang {
        Lang::ZhHans => format!("PIN 错误，还可尝试 {remaining} 次"),
        Lang::ZhHant => format!("PIN 錯誤，還可嘗試 {remaining} 次"),
        Lang::En if remaining == 1 => "Wrong PIN, 1 try left".to_owned(),
        Lang::En => format!("Wrong PIN, {remaining} tries left"),
    }
}

/// The PIN pad's line while it is locked, with the seconds left.
pub fn pin_locked(lang: Lang, seconds: u64) -> String {
    match lang {
        Lang::ZhHans => format!("已锁定，请 {seconds} 秒后再试"),
        Lang::ZhHant => format!("已鎖定，請 {seconds} 秒後再試"),
        Lang::En => format!("Locked for {seconds} s"),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_label_takes_the_colon_of_its_script() {
        assert_eq!(labelled("窗口", "C12"), "窗口：C12");
        assert_eq!(labelled("Window", "C12 窗口"), "Window: C12 窗口");
        assert_eq!(labelled("", "x"), ": x");
    }

    #[test]
    fn list_items_are_joined_in_the_script_of_each() {
        let items = ["早上".to_owned(), "evenings".to_owned(), "周末".to_owned()];
        assert_eq!(joined(&items), "早上；evenings; 周末");
        assert_eq!(joined(&[]), "");
    }

    use super::*;

    #[test]
    fn counts_read_as_english_and_chinese() {
        assert_eq!(count(Lang::En, 1, Word::Copies), "1 copy");
        assert_eq!(count(Lang::En, 2, Word::Copies), "2 copies");
        assert_eq!(count(Lang::En, 1, Word::Visits), "1 visit");
        assert_eq!(count(Lang::ZhHans, 1, Word::Copies), "1 份");
    }
}
