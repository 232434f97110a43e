//! The emulator's screen: an RGB framebuffer that Slint's software renderer
//! draws into and that is an embedded-graphics `DrawTarget` (like the board's
//! plain framebuffer), so debug overlays such as touch points draw on it too.

use std::path::Path;

use embedded_graphics::pixelcolor::{Rgb888, RgbColor};
use embedded_graphics::prelude::{DrawTarget, OriginDimensions, Pixel, Size};
use slint::Rgb8Pixel;

/// A width × height RGB framebuffer.
#[derive(Clone)]
pub struct Framebuffer {
    width: u32,
    height: u32,
    pixels: Vec<Rgb8Pixel>,
}

/// A screenshot could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// File system error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// PNG encoding error.
    #[error("{path}: cannot encode PNG: {source}")]
    Encode {
        /// The file.
        path: String,
        /// Why.
        source: png::EncodingError,
    },
    /// PNG decoding error.
    #[error("{path}: cannot decode PNG: {source}")]
    Decode {
        /// The file.
        path: String,
        /// Why.
        source: png::DecodingError,
    },
    /// A PNG of an unexpected kind.
    #[error("{path}: expected an 8-bit RGB PNG")]
    Format {
        /// The file.
        path: String,
    },
}

impl Framebuffer {
    /// A black framebuffer.
    pub fn new(width: u32, height: u32) -> Self {
        Framebuffer {
            width,
            height,
            pixels: vec![Rgb8Pixel { r: 0, g: 0, b: 0 }; (width * height) as usize],
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels, row-major, for the renderer.
    pub fn pixels_mut(&mut self) -> &mut [Rgb8Pixel] {
        &mut self.pixels
    }

    /// The colour at (x, y).
    pub fn pixel(&self, x: u32, y: u32) -> Option<Rgb888> {
        (x < self.width && y < self.height).then(|| {
            let p = self.pixels[(y * self.width + x) as usize];
            Rgb888::new(p.r, p.g, p.b)
        })
    }

    /// Writes the framebuffer as a PNG.
    pub fn save_png(&self, path: &Path) -> Result<(), ImageError> {
        let name = path.display().to_string();
        let file = std::fs::File::create(path).map_err(|source| ImageError::Io {
            path: name.clone(),
            source,
        })?;
        self.write_png(std::io::BufWriter::new(file), name)
    }

    /// The framebuffer as PNG bytes.
    pub fn encode_png(&self) -> Result<Vec<u8>, ImageError> {
        let mut bytes = Vec::new();
        self.write_png(&mut bytes, "the screen".to_owned())?;
        Ok(bytes)
    }

    fn write_png(&self, out: impl std::io::Write, name: String) -> Result<(), ImageError> {
        let mut encoder = png::Encoder::new(out, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let bytes: Vec<u8> = self.pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
        encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&bytes))
            .map_err(|source| ImageError::Encode { path: name, source })
    }

    /// Reads a PNG written by [`Framebuffer::save_png`].
    pub fn load_png(path: &Path) -> Result<Self, ImageError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| ImageError::Io {
            path: name.clone(),
            source,
        })?;
        let decoder = png::Decoder::new(std::io::BufReader::new(file));
        let mut reader = decoder.read_info().map_err(|source| ImageError::Decode {
            path: name.clone(),
            source,
        })?;
        let mut bytes = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader
            .next_frame(&mut bytes)
            .map_err(|source| ImageError::Decode {
                path: name.clone(),
                source,
            })?;
        if info.color_type != png::ColorType::Rgb || info.bit_depth != png::BitDepth::Eight {
            return Err(ImageError::Format { path: name });
        }
        Framebuffer::from_rgb(info.width, info.height, &bytes[..info.buffer_size()])
            .ok_or(ImageError::Format { path: name })
    }

    /// A framebuffer of packed 8-bit RGB rows; None when `rgb` is not
    /// `width` × `height` × 3 bytes.
    pub fn from_rgb(width: u32, height: u32, rgb: &[u8]) -> Option<Self> {
        if rgb.len() as u64 != u64::from(width) * u64::from(height) * 3 {
            return None;
        }
        let pixels = rgb
            .chunks_exact(3)
            .map(|c| Rgb8Pixel {
                r: c[0],
                g: c[1],
                b: c[2],
            })
            .collect();
        Some(Framebuffer {
            width,
            height,
            pixels,
        })
    }

    /// Share of pixels (0–1) whose channels differ by more than `tolerance`
    /// from `other`; 1.0 when the sizes differ.
    pub fn difference(&self, other: &Framebuffer, tolerance: u8) -> f64 {
        if self.width != other.width || self.height != other.height {
            return 1.0;
        }
        let differing = self
            .pixels
            .iter()
            .zip(&other.pixels)
            .filter(|(a, b)| {
                a.r.abs_diff(b.r) > tolerance
                    || a.g.abs_diff(b.g) > tolerance
                    || a.b.abs_diff(b.b) > tolerance
            })
            .count();
        differing as f64 / self.pixels.len().max(1) as f64
    }
}

impl OriginDimensions for Framebuffer {
    fn size(&self) -> Size {
        Size::new(self.width, self.height)
    }
}

impl DrawTarget for Framebuffer {
    type Color = Rgb888;
    type Error = std::convert::Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<Self::Color>>>(
        &mut self,
        pixels: I,
    ) -> Result<(), Self::Error> {
        for Pixel(point, color) in pixels {
            if point.x >= 0
                && point.y >= 0
                && (point.x as u32) < self.width
                && (point.y as u32) < self.height
            {
                self.pixels[(point.y as u32 * self.width + point.x as u32) as usize] = Rgb8Pixel {
                    r: color.r(),
                    g: color.g(),
                    b: color.b(),
                };
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use embedded_graphics::prelude::*;
    use embedded_graphics::primitives::{Circle, PrimitiveStyle};

    #[test]
    fn draws_with_embedded_graphics_and_round_trips_png() {
        let mut framebuffer = Framebuffer::new(40, 30);
        Circle::new(Point::new(10, 5), 20)
            .into_styled(PrimitiveStyle::with_fill(Rgb888::RED))
            .draw(&mut framebuffer)
            .unwrap();
        assert_eq!(framebuffer.pixel(20, 15), Some(Rgb888::RED));
        assert_eq!(framebuffer.pixel(0, 0), Some(Rgb888::BLACK));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shot.png");
        framebuffer.save_png(&path).unwrap();
        let loaded = Framebuffer::load_png(&path).unwrap();
        assert_eq!(loaded.difference(&framebuffer, 0), 0.0);
        assert!(loaded.difference(&Framebuffer::new(40, 30), 0) > 0.1);
    }
}
