//! Large synthetic catalogs with realistic Chinese text, for benchmarks
//! (10,000-item sync, search and memory budgets).

use super::blocks::{Block, Span};
use super::model::{Catalog, Notice, NoticeMeta};
use super::text::{Lang, Localized, Text};
use super::time::LocalTime;

const SUBJECTS: [&str; 12] = [
    "体育场馆惠民开放",
    "全民健身活动",
    "马拉松赛事报名",
    "运动员技术等级",
    "体育培训机构",
    "高危险性体育项目",
    "社区健身设施",
    "青少年体育训练",
    "体育赛事活动",
    "游泳场所安全检查",
    "体育彩票公益金",
    "社会体育指导员",
];
const ACTIONS: [&str; 8] = [
    "关于做好",
    "关于公布",
    "关于开展",
    "关于印发",
    "关于征求",
    "关于调整",
    "关于加强",
    "关于表彰",
];
const TAILS: [&str; 6] = [
    "工作的通知",
    "情况的公示",
    "安排的公告",
    "有关事项的通知",
    "实施方案",
    "名单的公示",
];
const SENTENCES: [&str; 8] = [
    "为进一步推进全民健身公共服务体系建设，满足市民群众日益增长的体育健身需求，",
    "根据《中华人民共和国体育法》《全民健身条例》等法律法规的有关规定，",
    "各区体育行政部门要高度重视，加强组织领导，明确责任分工，确保各项工作落到实处。",
    "市属公共体育场馆在法定节假日和全民健身日期间免费或低收费向社会开放。",
    "申请人可通过广东政务服务网在线提交申请材料，承诺办理时限为十五个工作日。",
    "如有疑问，请在工作日上午九时至十二时、下午二时至五时拨打咨询电话。",
    "本通知自发布之日起施行，有效期五年，此前有关规定与本通知不一致的，以本通知为准。",
    "欢迎广大市民积极参与，共同营造崇尚运动、健康向上的良好社会氛围。",
];

fn pick<T: Copy>(items: &[T], n: usize) -> T {
    items[n % items.len()]
}

/// A synthetic notice; `edit` changes its title and revision.
pub fn notice(index: usize, edit: usize) -> Notice {
    let title = format!(
        "{}{}{}（第{}号）{}",
        pick(&ACTIONS, index),
        pick(&SUBJECTS, index / 7),
        pick(&TAILS, index / 3),
        index,
        if edit > 0 {
            format!("（第{edit}次修订）")
        } else {
            String::new()
        }
    );
    let paragraphs: Vec<Block> = (0..4)
        .map(|p| Block::Paragraph {
            spans: vec![Span::plain(
                (0..3)
                    .map(|s| pick(&SENTENCES, index + p * 3 + s))
                    .collect::<String>(),
            )],
        })
        .collect();
    let body = Localized {
        zh_hans: Some(paragraphs),
        zh_hant: None,
        en: None,
        machine: None,
    };
    Notice {
        id: format!("notice-{index:05}"),
        meta: NoticeMeta {
            revision: 1 + edit as u32,
            title: Text::only(Lang::ZhHans, title),
            category: pick(&["tzgg", "zcjd", "xwdt", "cgkf"], index).to_owned(),
            published: LocalTime::from_date(
                chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
                    + chrono::Duration::days((index % 700) as i64),
            ),
            valid_from: None,
            valid_until: None,
            pinned: index.is_multiple_of(500),
            urgent: false,
            summary: Some(Text::only(Lang::ZhHans, pick(&SENTENCES, index).to_owned())),
            attachments: Vec::new(),
            source_url: Some(format!(
                "https://tyj.gz.gov.cn/tzgg/content/post_{index}.html"
            )),
        },
        body,
    }
}

/// The demo catalog with `count` synthetic notices added.
pub fn catalog(count: usize) -> Catalog {
    let mut catalog = super::demo::catalog();
    catalog.notices.extend((0..count).map(|i| notice(i, 0)));
    catalog.sort();
    catalog
}
