//! The page of an interaction channel (局长信箱, 调查征集, 咨询电话, …): what
//! it is for, its phone, and its link as a "take it with you" QR code.

use super::super::DetailData;
use super::super::navigation::Section;
use super::super::words::Word;
use super::{DetailContent, Presenter, heading, model, paragraph};
use crate::content::model::Channel;

impl Presenter<'_> {
    /// The detail page of `channel`.
    pub(super) fn channel(&self, channel: &Channel) -> DetailContent {
        let mut blocks = vec![paragraph(self.t(&channel.description))];
        if let Some(phone) = &channel.phone {
            blocks.push(heading(self.w(Word::Phone)));
            blocks.push(paragraph(phone.clone()));
        }
        let url = channel.url.as_deref();
        DetailContent {
            detail: DetailData {
                id: channel.id.as_str().into(),
                title: self.title(&channel.name).into(),
                meta: self.section_title(Section::Interaction).into(),
                machine_note: self.machine_note(&channel.description).into(),
                blocks: model(blocks),
                source_url: url.unwrap_or_default().into(),
                source_qr: url.map(|url| self.images.qr_code(url)).unwrap_or_default(),
                ..DetailData::default()
            },
            tables: Vec::new(),
        }
    }
}
