//! Pictures of the authoring folder, judged by what the files hold, not by
//! their names: PNG is published as it is, JPEG is converted to PNG (the
//! kiosk draws PNG), anything else is refused with what it is.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use super::MAX_ASSET_BYTES;
use crate::content::AssetSource;
use crate::content::model::AssetInfo;

/// Longest side of a converted JPEG, in pixels: the long side of the
/// kiosk's 1080×1920 screen. A phone photo (4032×3024) would otherwise cost
/// the board 49 MB of pixels to show.
const MAX_CONVERTED_SIDE: u32 = 1920;

/// Largest picture decoded while checking, in pixels per side.
const MAX_SIDE: u32 = 16_384;

/// Memory the decoder may use for one picture.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// Checks pictures once each and keeps the converted ones.
pub struct Pictures {
    root: PathBuf,
    checked: HashMap<String, Result<(), String>>,
    converted: BTreeMap<String, Vec<u8>>,
}

impl Pictures {
    /// Pictures under the content folder `root`.
    pub fn new(root: &Path) -> Self {
        Pictures {
            root: root.to_owned(),
            checked: HashMap::new(),
            converted: BTreeMap::new(),
        }
    }

    /// Whether the asset (already in `assets`) is a picture the kiosk can
    /// show; a JPEG is converted, and its entry in `assets` then describes
    /// the PNG that is published. The error says what the file is instead.
    pub fn check(
        &mut self,
        asset: &str,
        assets: &mut BTreeMap<String, AssetInfo>,
    ) -> Result<(), String> {
        if let Some(result) = self.checked.get(asset) {
            return result.clone();
        }
        let result = self.inspect(asset).map(|converted| {
            if let Some(png) = converted {
                assets.insert(
                    asset.to_owned(),
                    AssetInfo {
                        size: png.len() as u64,
                        sha256: format!("{:x}", Sha256::digest(&png)),
                    },
                );
                self.converted.insert(asset.to_owned(), png);
            }
        });
        self.checked.insert(asset.to_owned(), result.clone());
        result
    }

    /// The published bytes of the folder's assets.
    pub fn into_assets(self) -> CompiledAssets {
        CompiledAssets {
            root: self.root,
            converted: self.converted,
        }
    }

    /// `Ok(None)` for a good PNG, `Ok(Some(png))` for a converted JPEG.
    fn inspect(&self, asset: &str) -> Result<Option<Vec<u8>>, String> {
        let bytes = std::fs::read(self.root.join(asset))
            .map_err(|error| format!("cannot read the picture `{asset}`: {error}"))?;
        let format = image::guess_format(&bytes).map_err(|_| {
            let holds = if std::str::from_utf8(&bytes).is_ok() {
                "it holds text"
            } else {
                "its content is neither"
            };
            format!("`{asset}` is not a picture ({holds}): the kiosk shows PNG or JPEG pictures")
        })?;
        let picture = decode(&bytes, format).map_err(|error| {
            format!(
                "`{asset}` is a damaged {format:?} picture ({error}): save it again as PNG or JPEG"
            )
        })?;
        match format {
            ImageFormat::Png => Ok(None),
            ImageFormat::Jpeg => to_png(picture)
                .map(Some)
                .map_err(|error| format!("`{asset}` could not be converted to PNG: {error}")),
            other => Err(format!(
                "`{asset}` is a {other:?} picture: the kiosk shows PNG or JPEG, convert it to one of them"
            )),
        }
    }
}

/// Decodes a picture within limits, turned upright as its EXIF tag says.
fn decode(bytes: &[u8], format: ImageFormat) -> image::ImageResult<DynamicImage> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut picture = DynamicImage::from_decoder(decoder)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// A decoded JPEG as PNG, scaled down to the screen when larger.
fn to_png(picture: DynamicImage) -> Result<Vec<u8>, String> {
    let picture = if picture.width().max(picture.height()) > MAX_CONVERTED_SIDE {
        picture.resize(
            MAX_CONVERTED_SIDE,
            MAX_CONVERTED_SIDE,
            image::imageops::FilterType::Triangle,
        )
    } else {
        picture
    };
    let mut png = Vec::new();
    DynamicImage::ImageRgb8(picture.to_rgb8())
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|error| error.to_string())?;
    if png.len() as u64 > MAX_ASSET_BYTES {
        return Err(format!(
            "as PNG it is {:.1} MiB, over the {} MiB limit",
            png.len() as f64 / 1_048_576.0,
            MAX_ASSET_BYTES / 1_048_576
        ));
    }
    Ok(png)
}

/// The bytes a compiled folder publishes for its assets: the files, with
/// converted pictures in place of their JPEG originals (the asset keeps its
/// name).
#[derive(Debug, Clone)]
pub struct CompiledAssets {
    root: PathBuf,
    converted: BTreeMap<String, Vec<u8>>,
}

impl CompiledAssets {
    /// The published bytes of `path` (`assets/…`).
    pub fn bytes(&self, path: &str) -> std::io::Result<Vec<u8>> {
        if let Some(png) = self.converted.get(path) {
            return Ok(png.clone());
        }
        let relative = Path::new(path);
        if !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("`{path}` is not a path inside the content folder"),
            ));
        }
        std::fs::read(self.root.join(relative))
    }
}

impl AssetSource for CompiledAssets {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        self.bytes(path).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        DynamicImage::ImageRgb8(image::RgbImage::new(width, height))
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
            .unwrap();
        bytes
    }

    #[test]
    fn large_jpeg_is_scaled_to_the_screen() {
        let picture = decode(&jpeg(4000, 1000), ImageFormat::Jpeg).unwrap();
        let png = to_png(picture).unwrap();
        let back = image::load_from_memory(&png).unwrap();
        assert_eq!((back.width(), back.height()), (1920, 480));
    }

    #[test]
    fn names_do_not_matter_contents_do() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("photo.png"), jpeg(8, 8)).unwrap();
        std::fs::write(dir.path().join("fake.png"), "hello").unwrap();
        std::fs::write(dir.path().join("cut.jpg"), &jpeg(8, 8)[..40]).unwrap();
        let mut assets = BTreeMap::new();
        let mut pictures = Pictures::new(dir.path());
        assert_eq!(pictures.check("photo.png", &mut assets), Ok(()));
        assert!(assets.contains_key("photo.png"), "converted: {assets:?}");
        let fake = pictures.check("fake.png", &mut assets).unwrap_err();
        assert!(fake.contains("not a picture (it holds text)"), "{fake}");
        let cut = pictures.check("cut.jpg", &mut assets).unwrap_err();
        assert!(cut.contains("damaged Jpeg picture"), "{cut}");
        let published = pictures.into_assets();
        let png = published.bytes("photo.png").unwrap();
        assert_eq!(image::guess_format(&png).unwrap(), ImageFormat::Png);
        assert_eq!(published.read("fake.png"), Some(b"hello".to_vec()));
        assert_eq!(published.read("../etc/passwd"), None);
        assert_eq!(published.read("/etc/passwd"), None);
    }
}
