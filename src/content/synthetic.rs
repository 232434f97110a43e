//! Synthetic catalogs with realistic Chinese text: large ones for
//! benchmarks (10,000-item sync, search and memory budgets) and stress
//! content for the emulator's layout check. Test tooling, not product API:
//! built with the `emulator` feature only.

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

/// Text of about `chars` characters, cut from the realistic sentences.
pub fn long_text(chars: usize, seed: usize) -> String {
    let mut text = String::new();
    let mut n = seed;
    while text.chars().count() < chars {
        text.push_str(pick(&SENTENCES, n));
        n += 1;
    }
    text.chars().take(chars).collect()
}

fn zh(text: impl Into<String>) -> Text {
    Text::only(Lang::ZhHans, text.into())
}

fn body(blocks: Vec<Block>) -> super::model::Body {
    Localized {
        zh_hans: Some(blocks),
        zh_hant: None,
        en: None,
        machine: None,
    }
}

fn paragraph(text: String) -> Block {
    Block::Paragraph {
        spans: vec![Span::plain(text)],
    }
}

/// A notice whose body is one paragraph of about `chars` characters (a
/// 5 MB paragraph is 1.7 million), as pasted from a word processor.
pub fn long_paragraph_notice(chars: usize) -> Notice {
    let mut notice = notice(90_002, 0);
    notice.id = "long-paragraph".into();
    notice.meta.title = zh("一段很长的正文");
    notice.meta.pinned = false;
    notice.body = body(vec![paragraph(long_text(chars, 0))]);
    notice
}

/// A table of `columns` columns: a header row, a label column and numeric
/// rows (the annual report's 15-column shape).
pub fn wide_table(caption: &str, columns: usize, rows: usize) -> super::blocks::Table {
    use super::blocks::{Cell, Table};
    let header = vec![
        std::iter::once(Cell::new("项目"))
            .chain((1..columns).map(|c| Cell::new(format!("第{c}项统计指标"))))
            .collect(),
    ];
    let rows = (0..rows)
        .map(|r| {
            std::iter::once(Cell::new(pick(&SUBJECTS, r)))
                .chain((1..columns).map(|c| Cell::new(((r + 1) * 37 * c % 1000).to_string())))
                .collect()
        })
        .collect();
    Table {
        caption: caption.to_owned(),
        header,
        rows,
        label_columns: 1,
        sample_data: false,
    }
}

/// Content made to break layouts: every kind with two-line and five-line
/// names, a 200-character title, 15-column and caption-less tables, every
/// block type, and no translations (English falls back to Chinese), added
/// to the demo catalog. The ids start with `stress-`.
pub fn stress_catalog() -> Catalog {
    use super::blocks::{Cell, Table};
    use super::model::{
        Channel, ChannelKind, Document, DocumentMeta, Faq, FaqKind, GuideMeta, Material,
        MaterialForm, MaterialFormat, ServiceGuide, Step, Venue,
    };
    let mut catalog = super::demo::catalog();
    let date = |day: u32| {
        LocalTime::from_date(chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default())
    };
    let two_lines = long_text(40, 1);
    let five_lines = long_text(130, 2);
    let every_block = vec![
        Block::Heading {
            level: 1,
            text: long_text(60, 3),
        },
        paragraph(long_text(600, 4)),
        Block::Paragraph {
            spans: vec![
                Span::plain("详见"),
                Span {
                    text: "广东政务服务网办事指南专栏".into(),
                    strong: true,
                    link: Some("https://www.gdzwfw.gov.cn/".into()),
                },
                Span::plain(long_text(80, 5)),
            ],
        },
        Block::Heading {
            level: 2,
            text: long_text(40, 6),
        },
        Block::List {
            ordered: true,
            items: (0..4)
                .map(|i| vec![Span::plain(long_text(20 + i * 40, i))])
                .collect(),
        },
        Block::List {
            ordered: false,
            items: (0..3)
                .map(|i| vec![Span::plain(long_text(30 + i * 50, i + 2))])
                .collect(),
        },
        Block::Table(wide_table(&long_text(50, 7), 15, 12)),
        // A pipe table as admins write it: six text columns, one row, no caption.
        Block::Table(Table {
            caption: String::new(),
            header: vec![
                [
                    "材料名称",
                    "份数",
                    "原件/复印件",
                    "纸质/电子",
                    "来源",
                    "备注",
                ]
                .map(Cell::new)
                .to_vec(),
            ],
            rows: vec![
                [
                    "体育设施符合相关国家标准的说明性材料",
                    "1",
                    "原件",
                    "纸质或电子",
                    "申请人自备",
                    "游泳场所须附水质检测报告和场地平面图",
                ]
                .map(Cell::new)
                .to_vec(),
            ],
            label_columns: 1,
            sample_data: false,
        }),
        Block::Image {
            asset: "assets/maps/tianhe-sports-centre.png".into(),
            caption: long_text(70, 8),
        },
        Block::Qr {
            url: "https://tyj.gz.gov.cn/bsfw/".into(),
            caption: long_text(60, 9),
        },
        Block::Divider,
        Block::Heading {
            level: 3,
            text: "最后一行".into(),
        },
        paragraph("这是正文的最后一段，必须能完整滚动到导航栏上方。".into()),
    ];
    let mut notice = notice(90_001, 0);
    notice.id = "stress-notice".into();
    notice.meta.title = zh(long_text(200, 10));
    notice.meta.category = "tzgg".into();
    notice.meta.published = date(20);
    notice.meta.pinned = true;
    notice.meta.urgent = true;
    notice.meta.summary = Some(zh(long_text(120, 11)));
    notice.body = body(every_block.clone());
    catalog.notices.push(notice);

    let material = |name: String, notes: Option<String>| Material {
        name: zh(name),
        copies: 1,
        form: MaterialForm::OriginalAndCopy,
        format: MaterialFormat::PaperOrElectronic,
        source: zh(long_text(24, 12)),
        sample_form: None,
        notes: notes.map(zh),
    };
    catalog.guides.push(ServiceGuide {
        id: "stress-guide".into(),
        meta: GuideMeta {
            revision: 1,
            title: zh(long_text(200, 13)),
            category: "xzxk".into(),
            department: zh(long_text(40, 14)),
            window: zh(long_text(30, 15)),
            // One entry: the case that used to stay hidden under the bar.
            legal_basis: vec![zh(long_text(45, 16))],
            eligibility: (0..3).map(|i| zh(long_text(30 + 40 * i, i))).collect(),
            materials: vec![
                material("申请书".into(), None),
                material(two_lines.clone(), Some(long_text(50, 17))),
                material(five_lines.clone(), Some(long_text(100, 18))),
            ],
            steps: (0..6)
                .map(|i| Step {
                    title: zh(if i == 2 {
                        two_lines.clone()
                    } else {
                        long_text(4, i)
                    }),
                    detail: zh(long_text(30 + 30 * i, i + 3)),
                })
                .collect(),
            statutory_days: 20,
            promised_days: 5,
            visits: 2,
            fees: zh(long_text(60, 19)),
            location: zh(long_text(70, 20)),
            hours: zh(long_text(40, 21)),
            phone: "020-12345678".into(),
            complaint: zh(long_text(50, 22)),
            online_url: Some("https://tyj.gz.gov.cn/bsfw/wsbl/stress/".into()),
            faq: vec!["stress-faq".into(), "faq-high-risk-license".into()],
            source_url: None,
        },
    });
    catalog.documents.push(Document {
        id: "stress-document".into(),
        meta: DocumentMeta {
            revision: 1,
            title: zh(five_lines.clone()),
            category: catalog
                .site
                .document_categories
                .first()
                .map(|c| c.id.clone())
                .unwrap_or_default(),
            published: date(21),
            summary: Some(zh(long_text(90, 23))),
            attachments: Vec::new(),
            source_url: Some("https://tyj.gz.gov.cn/xxgk/stress/".into()),
        },
        body: body(every_block),
    });
    catalog.faqs.push(Faq {
        id: "stress-faq".into(),
        kind: FaqKind::Faq,
        category: zh(long_text(12, 24)),
        date: date(22),
        question: zh(five_lines.clone()),
        answer: body(vec![paragraph(long_text(300, 25))]),
    });
    catalog.venues.push(Venue {
        id: "stress-venue".into(),
        name: zh(two_lines.clone()),
        address: zh(long_text(50, 26)),
        hours: zh(long_text(40, 27)),
        free_periods: (0..3).map(|i| zh(long_text(30 + 20 * i, i))).collect(),
        facilities: (0..8).map(|i| zh(long_text(6 + i, i))).collect(),
        booking_phone: "020-87654321".into(),
        map: Some("assets/maps/tianhe-sports-centre.png".into()),
        url: Some("https://tyj.gz.gov.cn/cgkf/stress/".into()),
    });
    catalog.channels.push(Channel {
        id: "stress-channel".into(),
        kind: ChannelKind::Survey,
        name: zh(two_lines),
        description: zh(long_text(160, 28)),
        url: Some("https://tyj.gz.gov.cn/hdjl/stress/".into()),
        phone: None,
    });
    catalog.sort();
    catalog
}
