//! The service guide page: its summary facts, materials, steps, legal
//! basis, related questions and the online service as a QR code.

use super::super::words::{self, Word};
use super::super::{GuideData, GuideStep, ListItem, Material};
use super::{Presenter, labelled, model, strings};
use crate::content::ItemRef;

impl Presenter<'_> {
    /// The service guide page.
    pub fn guide(&self, id: &str) -> Option<GuideData> {
        let Some(ItemRef::Guide(guide)) = self.catalog.item(id) else {
            return None;
        };
        let meta = &guide.meta;
        let days = self.w(Word::WorkingDays);
        let visits = if meta.visits == 0 {
            self.w(Word::FullyOnline).to_owned()
        } else {
            words::count(self.lang, meta.visits, Word::Visits)
        };
        let materials = meta
            .materials
            .iter()
            .map(|m| {
                let mut detail = format!(
                    "{} · {} · {} · {}",
                    words::count(self.lang, m.copies, Word::Copies),
                    words::material_form(self.lang, m.form),
                    words::material_format(self.lang, m.format),
                    self.t(&m.source)
                );
                if let Some(notes) = &m.notes {
                    detail.push_str(&format!("\n{}", self.t(notes)));
                }
                Material {
                    name: self.t(&m.name).into(),
                    detail: detail.into(),
                }
            })
            .collect();
        let facts = vec![
            labelled(
                self.w(Word::TimeLimits),
                format!(
                    "{}\n{}",
                    words::labelled(
                        self.w(Word::Statutory),
                        &format!("{} {days}", meta.statutory_days)
                    ),
                    words::labelled(
                        self.w(Word::Promised),
                        &format!("{} {days}", meta.promised_days)
                    ),
                ),
            ),
            labelled(self.w(Word::Fees), self.t(&meta.fees)),
            labelled(
                self.w(Word::PlaceAndHours),
                format!(
                    "{}\n{}\n{}",
                    self.t(&meta.location),
                    words::labelled(self.w(Word::Window), &self.t(&meta.window)),
                    self.t(&meta.hours)
                ),
            ),
            labelled(
                self.w(Word::PhoneNumbers),
                format!(
                    "{}\n{}",
                    words::labelled(self.w(Word::Phone), &meta.phone),
                    words::labelled(self.w(Word::Complaints), &self.t(&meta.complaint)),
                ),
            ),
        ];
        let related = meta
            .faq
            .iter()
            .filter_map(|faq_id| match self.catalog.item(faq_id) {
                Some(ItemRef::Faq(faq)) => Some(faq),
                _ => None,
            })
            .map(|f| ListItem {
                id: f.id.as_str().into(),
                title: self.title(&f.question).into(),
                chinese_only: self.chinese_only(&f.question),
                meta: f.date.date().to_string().into(),
                category: words::faq_kind(self.lang, f.kind).into(),
                summary: "".into(),
                pinned: false,
                urgent: false,
            })
            .collect();
        let online = meta.online_url.as_deref().or(meta.source_url.as_deref());
        Some(GuideData {
            id: id.into(),
            title: self.title(&meta.title).into(),
            machine_note: self.machine_note(&meta.title).into(),
            category: self
                .catalog
                .guide_category(&meta.category)
                .map(|c| self.t(&c.name))
                .unwrap_or_default()
                .into(),
            department: self.t(&meta.department).into(),
            time_limit: format!("{} {}", meta.promised_days, days).into(),
            fees: self.t(&meta.fees).into(),
            place: self.t(&meta.location).into(),
            visits: visits.into(),
            eligibility: strings(meta.eligibility.iter().map(|e| self.t(e))),
            materials: model(materials),
            steps: model(
                meta.steps
                    .iter()
                    .map(|s| GuideStep {
                        title: self.title(&s.title).into(),
                        detail: self.t(&s.detail).into(),
                    })
                    .collect(),
            ),
            facts: model(facts),
            legal_basis: strings(meta.legal_basis.iter().map(|e| self.t(e))),
            online_url: online.unwrap_or_default().into(),
            online_qr: online
                .map(|url| self.images.qr_code(url))
                .unwrap_or_default(),
            related: model(related),
        })
    }
}
