//! QR codes for "take it with you", encoded by `fast_qr`.

use fast_qr::{ECL, QRBuilder};
use slint::{Image, Rgb8Pixel, SharedPixelBuffer};

/// Modules of white border around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// A QR code as a square matrix of dark (true) and light modules,
/// quiet zone included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side.
    pub size: usize,
    /// Row-major modules.
    pub modules: Vec<bool>,
}

/// Encodes `text` with medium error correction.
pub fn encode(text: &str) -> Result<QrMatrix, fast_qr::qr::QRCodeError> {
    let code = QRBuilder::new(text).ecl(ECL::M).build()?;
    let size = code.size + 2 * QUIET_ZONE;
    let mut modules = vec![false; size * size];
    for row in 0..code.size {
        for column in 0..code.size {
            modules[(row + QUIET_ZONE) * size + column + QUIET_ZONE] =
                code.data[row * code.size + column].value();
        }
    }
    Ok(QrMatrix { size, modules })
}

/// The code as an image, one pixel per module (the UI scales it up pixelated).
/// A URL that cannot be encoded yields an empty image and a log line.
pub fn image(text: &str) -> Image {
    match encode(text) {
        Ok(matrix) => {
            let mut buffer =
                SharedPixelBuffer::<Rgb8Pixel>::new(matrix.size as u32, matrix.size as u32);
            for (pixel, dark) in buffer.make_mut_slice().iter_mut().zip(&matrix.modules) {
                let value = if *dark { 0 } else { 255 };
                *pixel = Rgb8Pixel {
                    r: value,
                    g: value,
                    b: value,
                };
            }
            Image::from_rgb8(buffer)
        }
        Err(error) => {
            tracing::warn!(url = text, "cannot encode QR code: {error:?}");
            Image::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_with_finder_patterns_and_quiet_zone() {
        let matrix = encode("https://tyj.gz.gov.cn/zwgk/").unwrap();
        assert!(matrix.size >= 21 + 2 * QUIET_ZONE);
        assert!(!matrix.modules[0], "quiet zone is light");
        let top_left = QUIET_ZONE * matrix.size + QUIET_ZONE;
        assert!(matrix.modules[top_left], "finder pattern corner is dark");
        assert!(matrix.modules[top_left + 6]);
        assert!(
            !matrix.modules[top_left + matrix.size + 1],
            "finder ring is light inside"
        );
    }
}
