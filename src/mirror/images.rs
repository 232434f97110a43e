//! Pictures from the site stored as content assets. The kiosk draws PNG,
//! so JPEG and GIF are converted; each picture is named after its URL, so
//! a re-run finds it again.

use std::path::Path;

use sha2::{Digest, Sha256};
use url::Url;

/// Largest picture accepted (the authoring format's limit for assets).
const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Where the picture from `url` is stored, relative to the content folder.
pub fn asset_path(url: &Url) -> String {
    let hash = format!("{:x}", Sha256::digest(url.as_str().as_bytes()));
    format!("assets/mirror/{}.png", &hash[..16])
}

/// Stores `bytes` (PNG, JPEG or GIF) as a PNG asset; returns its path.
/// Errors name the URL and say what is wrong.
pub fn store(content: &Path, url: &Url, bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "{url}: {} bytes, more than the 20 MiB an asset may have",
            bytes.len()
        ));
    }
    let format =
        image::guess_format(bytes).map_err(|_| format!("{url}: not a PNG, JPEG or GIF picture"))?;
    let png = if format == image::ImageFormat::Png {
        bytes.to_vec()
    } else {
        let picture = image::load_from_memory_with_format(bytes, format)
            .map_err(|error| format!("{url}: cannot decode the picture: {error}"))?;
        let mut png = Vec::new();
        picture
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|error| format!("{url}: cannot convert the picture to PNG: {error}"))?;
        png
    };
    let relative = asset_path(url);
    let path = content.join(&relative);
    if std::fs::read(&path).is_ok_and(|existing| existing == png) {
        return Ok(relative);
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    }
    std::fs::write(&path, png)
        .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    Ok(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg() -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(4, 3, image::Rgb([200, 30, 30]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        bytes
    }

    #[test]
    fn jpeg_becomes_a_png_asset_named_after_its_url() {
        let dir = tempfile::tempdir().unwrap();
        let url = Url::parse("https://tyj.gz.gov.cn/img/a.jpg").unwrap();
        let path = store(dir.path(), &url, &jpeg()).unwrap();
        assert_eq!(path, asset_path(&url));
        let stored = std::fs::read(dir.path().join(&path)).unwrap();
        assert_eq!(
            image::guess_format(&stored).unwrap(),
            image::ImageFormat::Png
        );
        assert_eq!(image::load_from_memory(&stored).unwrap().width(), 4);
    }

    #[test]
    fn html_instead_of_a_picture_is_refused_with_its_url() {
        let dir = tempfile::tempdir().unwrap();
        let url = Url::parse("https://tyj.gz.gov.cn/img/missing.png").unwrap();
        let error = store(dir.path(), &url, b"<html>404</html>").unwrap_err();
        assert_eq!(
            error,
            "https://tyj.gz.gov.cn/img/missing.png: not a PNG, JPEG or GIF picture"
        );
    }
}
