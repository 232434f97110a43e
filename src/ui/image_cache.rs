//! Decoded images and QR codes of one catalog, made once instead of on
//! every render (a tap, a language switch, a sync report on a map's page
//! decoded the map's PNG again).
//!
//! The app keeps one cache per content and drops it with that content.
//! Decoded pictures are large (a 960 × 600 map is 2.3 MB of pixels), so
//! only the last [`IMAGES_KEPT`] are kept; QR codes are a few hundred
//! bytes each and all are kept.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use slint::Image;

use super::{images, qr};
use crate::content::AssetSource;

/// How many decoded pictures the cache keeps: more than a page shows, few
/// enough that a visitor leafing through many pages does not grow memory.
pub const IMAGES_KEPT: usize = 8;

/// The images and QR codes made for one content.
#[derive(Default)]
pub struct ImageCache {
    /// Asset path and its picture (None: missing or unreadable), newest last.
    pictures: RefCell<VecDeque<(String, Option<Image>)>>,
    qr_codes: RefCell<HashMap<String, Image>>,
}

impl ImageCache {
    /// The picture at `asset`, decoded on first use; None (logged once)
    /// when the asset is missing or not a PNG this decoder reads.
    pub fn picture(&self, assets: &dyn AssetSource, asset: &str) -> Option<Image> {
        let mut pictures = self.pictures.borrow_mut();
        if let Some(index) = pictures.iter().position(|(path, _)| path == asset) {
            let entry = pictures.remove(index)?;
            let picture = entry.1.clone();
            pictures.push_back(entry);
            return picture;
        }
        let picture = assets
            .read(asset)
            .and_then(|bytes| images::decode_png(&bytes));
        if picture.is_none() {
            tracing::warn!(asset, "image not available; showing its caption only");
        }
        if pictures.len() == IMAGES_KEPT {
            pictures.pop_front();
        }
        pictures.push_back((asset.to_owned(), picture.clone()));
        picture
    }

    /// The QR code of `url`, encoded on first use.
    pub fn qr_code(&self, url: &str) -> Image {
        self.qr_codes
            .borrow_mut()
            .entry(url.to_owned())
            .or_insert_with(|| qr::image(url))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    /// Assets that count their reads.
    struct Counted {
        reads: Cell<usize>,
    }

    impl AssetSource for Counted {
        fn read(&self, path: &str) -> Option<Vec<u8>> {
            self.reads.set(self.reads.get() + 1);
            (path != "missing.png").then(|| {
                include_bytes!("../../content/demo/assets/maps/tianhe-sports-centre.png").to_vec()
            })
        }
    }

    #[test]
    fn a_picture_is_decoded_once_and_the_oldest_leaves_first() {
        let assets = Counted {
            reads: Cell::new(0),
        };
        let cache = ImageCache::default();
        assert!(cache.picture(&assets, "a.png").is_some());
        assert!(cache.picture(&assets, "a.png").is_some());
        assert_eq!(
            assets.reads.get(),
            1,
            "the second render reuses the picture"
        );
        assert!(cache.picture(&assets, "missing.png").is_none());
        assert!(cache.picture(&assets, "missing.png").is_none());
        assert_eq!(assets.reads.get(), 2, "a missing asset is looked for once");
        for n in 0..IMAGES_KEPT {
            cache.picture(&assets, &format!("other-{n}.png"));
        }
        let reads = assets.reads.get();
        cache.picture(&assets, "a.png");
        assert_eq!(assets.reads.get(), reads + 1, "a.png left the cache");
    }

    #[test]
    fn a_qr_code_is_encoded_once() {
        let cache = ImageCache::default();
        let first = cache.qr_code("https://tyj.gz.gov.cn/");
        let again = cache.qr_code("https://tyj.gz.gov.cn/");
        assert_eq!(first, again);
        assert_eq!(cache.qr_codes.borrow().len(), 1);
    }
}
