//! Words the adapters compose with content (list meta lines, guide facts).
//!
//! Screen chrome lives in the Slint translations (`lang/`); these few words
//! are joined with content values in Rust, so they are kept next to the code
//! that joins them.

use crate::content::Lang;
use crate::content::model::{FaqKind, MaterialForm, MaterialFormat};

/// A word the adapters need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// The "all categories" tab.
    All,
    /// "{n} working days".
    WorkingDays,
    /// Statutory limit label.
    Statutory,
    /// "Visits" count suffix (plural; see [`count`]).
    Visits,
    /// Zero visits.
    FullyOnline,
    /// Copies suffix (plural; see [`count`]).
    Copies,
    /// Hours label.
    Hours,
    /// Phone label.
    Phone,
    /// Complaints label.
    Complaints,
    /// Time-limits section.
    TimeLimits,
    /// Fees section.
    Fees,
    /// Place and hours section.
    PlaceAndHours,
    /// Phone numbers section.
    PhoneNumbers,
    /// Window label.
    Window,
    /// Free periods label.
    FreePeriods,
    /// Facilities label.
    Facilities,
    /// Address label.
    Address,
    /// Booking phone label.
    Booking,
    /// Machine conversion note for zh-Hant.
    ConvertedToTraditional,
    /// Machine conversion note for zh-Hans.
    ConvertedToSimplified,
    /// English missing note.
    NoEnglish,
    /// Published label.
    Published,
    /// Source label.
    Source,
    /// Attachment label.
    Attachment,
    /// Sample data note on a table card.
    SampleData,
    /// Valid until label.
    ValidUntil,
    /// The caption of a table that has none ("Table 2").
    Table,
    /// The button that shows more of a long text.
    ReadMore,
    /// Admin panel: the kiosk's id.
    AdminKiosk,
    /// Admin panel: the software version.
    AdminVersion,
    /// Admin panel: where the content came from.
    AdminContent,
    /// Admin panel: the content's version.
    AdminContentVersion,
    /// Admin panel: whether the last sync reached the repository.
    AdminOnline,
    /// Admin panel: when a sync last succeeded.
    AdminLastSuccess,
    /// Admin panel: bytes received since start.
    AdminDownloaded,
    /// Admin panel: whether the content is older than the repository allows.
    AdminOutOfDate,
    /// Admin panel: the last error.
    AdminLastError,
    /// Admin panel: services that could not start.
    AdminServices,
    /// Admin panel: what the last "sync now" did.
    AdminSyncNow,
    /// Yes (a true flag).
    Yes,
    /// No (a false flag).
    No,
    /// Home, first in the line saying where a page is.
    Home,
    /// Search, in that line.
    Search,
}

/// The word in a language.
pub fn word(lang: Lang, word: Word) -> &'static str {
    use Word::*;
    let options = match word {
        All => ["全部", "全部", "All"],
        WorkingDays => ["个工作日", "個工作日", "working days"],
        Statutory => ["法定时限", "法定時限", "Statutory limit"],
        Visits => ["次", "次", "visits"],
        FullyOnline => [
            "全程网办，无需到现场",
            "全程網辦，無需到現場",
            "Fully online, no visit needed",
        ],
        Copies => ["份", "份", "copies"],
        Hours => ["开放时间", "開放時間", "Opening hours"],
        Phone => ["咨询电话", "咨詢電話", "Enquiries"],
        Complaints => ["监督投诉", "監督投訴", "Complaints"],
        TimeLimits => ["办理时限", "辦理時限", "Time limits"],
        Fees => ["收费标准", "收費標準", "Fees"],
        PlaceAndHours => ["办理地点与时间", "辦理地點與時間", "Where and when"],
        PhoneNumbers => ["咨询/投诉电话", "咨詢/投訴電話", "Enquiries and complaints"],
        Window => ["窗口", "窗口", "Window"],
        FreePeriods => ["惠民开放", "惠民開放", "Free or discounted sessions"],
        Facilities => ["场馆设施", "場館設施", "Facilities"],
        Address => ["地址", "地址", "Address"],
        Booking => ["预约电话", "預約電話", "Booking"],
        ConvertedToTraditional => ["", "本頁繁體中文由簡體自動轉換。", ""],
        ConvertedToSimplified => ["本页简体中文由繁体自动转换。", "", ""],
        NoEnglish => [
            "",
            "",
            "This page is not yet available in English and is shown in Chinese.",
        ],
        Published => ["发布", "發佈", "Published"],
        Source => ["来源", "來源", "Source"],
        Attachment => ["附件", "附件", "Attachment"],
        SampleData => ["示例数据", "示例數據", "Sample data"],
        ValidUntil => ["有效期至", "有效期至", "Valid until"],
        Table => ["表格", "表格", "Table"],
        ReadMore => ["继续阅读", "繼續閱讀", "Read on"],
        AdminKiosk => ["终端", "終端", "Kiosk"],
        AdminVersion => ["软件版本", "軟件版本", "Version"],
        AdminContent => ["内容来源", "內容來源", "Content"],
        AdminContentVersion => ["内容版本", "內容版本", "Content version"],
        AdminOnline => ["在线", "在線", "Online"],
        AdminLastSuccess => ["上次成功同步", "上次成功同步", "Last successful sync"],
        AdminDownloaded => ["已下载", "已下載", "Downloaded"],
        AdminOutOfDate => ["内容过期", "內容過期", "Out of date"],
        AdminLastError => ["最近错误", "最近錯誤", "Last error"],
        AdminServices => ["管理服务", "管理服務", "Admin services"],
        AdminSyncNow => ["上次同步请求", "上次同步請求", "Sync request"],
        Yes => ["是", "是", "yes"],
        No => ["否", "否", "no"],
        Home => ["首页", "首頁", "Home"],
        Search => ["搜索", "搜索", "Search"],
    };
    pick(lang, options)
}

/// A number with its counted word: "1 份", "1 copy", "2 copies".
pub fn count(lang: Lang, n: u32, counted: Word) -> String {
    let plural = word(lang, counted);
    match (lang, counted) {
        (Lang::En, Word::Copies) if n == 1 => "1 copy".to_owned(),
        (Lang::En, Word::Visits) if n == 1 => "1 visit".to_owned(),
        _ => format!("{n} {plural}"),
    }
}

/// 原件 / 復印件 in a language.
pub fn material_form(lang: Lang, form: MaterialForm) -> &'static str {
    let options = match form {
        MaterialForm::Original => ["原件", "原件", "original"],
        MaterialForm::Copy => ["复印件", "復印件", "copy"],
        MaterialForm::OriginalAndCopy => ["原件及复印件", "原件及復印件", "original and copy"],
    };
    pick(lang, options)
}

/// 紙質 / 電子 in a language.
pub fn material_format(lang: Lang, format: MaterialFormat) -> &'static str {
    let options = match format {
        MaterialFormat::Paper => ["纸质", "紙質", "paper"],
        MaterialFormat::Electronic => ["电子", "電子", "electronic"],
        MaterialFormat::PaperOrElectronic => ["纸质或电子", "紙質或電子", "paper or electronic"],
    };
    pick(lang, options)
}

/// 常見問題 / 熱點回應 in a language.
pub fn faq_kind(lang: Lang, kind: FaqKind) -> &'static str {
    let options = match kind {
        FaqKind::Faq => ["常见问题", "常見問題", "FAQ"],
        FaqKind::HotTopic => ["热点回应", "熱點回應", "Hot topics"],
    };
    pick(lang, options)
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

fn pick(lang: Lang, [hans, hant, en]: [&'static str; 3]) -> &'static str {
    match lang {
        Lang::ZhHans => hans,
        Lang::ZhHant => hant,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_english_and_chinese() {
        assert_eq!(count(Lang::En, 1, Word::Copies), "1 copy");
        assert_eq!(count(Lang::En, 2, Word::Copies), "2 copies");
        assert_eq!(count(Lang::En, 1, Word::Visits), "1 visit");
        assert_eq!(count(Lang::ZhHans, 1, Word::Copies), "1 份");
    }
}
