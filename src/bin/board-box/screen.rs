//! What the board's display shows compared with what the emulator renders:
//! the same tolerance as the emulator's golden screenshots, and the quarter
//! turns of `SLINT_KMS_ROTATION`.

use embedded_graphics::prelude::{DrawTarget, Pixel, Point};
use lobby_kiosk::emulator::Framebuffer;

/// A pixel differs when one of its channels differs by more than this
/// (the emulator's golden screenshots use the same).
pub const CHANNEL_TOLERANCE: u8 = 24;
/// A screen matches when at most this share of its pixels differ (the
/// emulator's golden screenshots use the same).
pub const MAX_DIFFERENCE: f64 = 0.002;

/// `SLINT_KMS_ROTATION`: how the picture is turned on the panel (Slint's
/// `RenderingRotation`: 90 is a quarter turn to the right, clockwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// 0°.
    None,
    /// 90° clockwise.
    Right,
    /// 180°.
    UpsideDown,
    /// 90° counter-clockwise (270° clockwise).
    Left,
}

impl Rotation {
    /// The rotation for `SLINT_KMS_ROTATION=degrees`.
    pub fn from_degrees(degrees: u32) -> Option<Rotation> {
        match degrees {
            0 => Some(Rotation::None),
            90 => Some(Rotation::Right),
            180 => Some(Rotation::UpsideDown),
            270 => Some(Rotation::Left),
            _ => None,
        }
    }

    /// Where a point of a `size` picture lands on the panel.
    pub fn turn_point(self, (x, y): (f32, f32), (width, height): (u32, u32)) -> (f32, f32) {
        let (width, height) = (width as f32, height as f32);
        match self {
            Rotation::None => (x, y),
            Rotation::Right => (height - y, x),
            Rotation::UpsideDown => (width - x, height - y),
            Rotation::Left => (y, width - x),
        }
    }

    /// The picture as the panel shows it.
    pub fn turn(self, picture: &Framebuffer) -> Framebuffer {
        let (width, height) = (picture.width(), picture.height());
        let mut turned = match self {
            Rotation::None | Rotation::UpsideDown => Framebuffer::new(width, height),
            Rotation::Right | Rotation::Left => Framebuffer::new(height, width),
        };
        let pixels = (0..height).flat_map(|y| (0..width).map(move |x| (x, y)));
        let turned_pixels = pixels.filter_map(|(x, y)| {
            let colour = picture.pixel(x, y)?;
            let (tx, ty) = match self {
                Rotation::None => (x, y),
                Rotation::Right => (height - 1 - y, x),
                Rotation::UpsideDown => (width - 1 - x, height - 1 - y),
                Rotation::Left => (y, width - 1 - x),
            };
            Some(Pixel(Point::new(tx as i32, ty as i32), colour))
        });
        let Ok(()) = turned.draw_iter(turned_pixels);
        turned
    }
}

/// A screendump could not be read.
#[derive(Debug, thiserror::Error)]
#[error("not a QEMU screendump (binary PPM, 8-bit RGB): {0}")]
pub struct PpmError(&'static str);

/// Decodes QEMU's binary PPM screendump: `P6\n<width> <height>\n255\n`
/// then the RGB rows (QEMU's `ppm_save` writes exactly this header). Parsed
/// here, a dozen lines, rather than by enabling the `image` crate's PNM
/// codec, which feature unification would build into the kiosk as well.
pub fn from_ppm(bytes: &[u8]) -> Result<Framebuffer, PpmError> {
    let mut fields = Vec::with_capacity(4);
    let mut rest = bytes;
    while fields.len() < 4 {
        let end = rest
            .iter()
            .position(u8::is_ascii_whitespace)
            .ok_or(PpmError("the header ends early"))?;
        fields.push(std::str::from_utf8(&rest[..end]).map_err(|_| PpmError("header is not text"))?);
        // Exactly one whitespace byte after each field: the pixels may start
        // with bytes that look like whitespace.
        rest = &rest[end + 1..];
    }
    if fields[0] != "P6" || fields[3] != "255" {
        return Err(PpmError("not P6 with 255 levels"));
    }
    let size = |field: &str| field.parse::<u32>().map_err(|_| PpmError("bad size"));
    let (width, height) = (size(fields[1])?, size(fields[2])?);
    Framebuffer::from_rgb(width, height, rest).ok_or(PpmError("pixel data does not match the size"))
}

/// Share of pixels (0–1) of `screen` that differ from `reference`.
pub fn difference(screen: &Framebuffer, reference: &Framebuffer) -> f64 {
    screen.difference(reference, CHANNEL_TOLERANCE)
}

/// Whether the screen shows anything but black.
pub fn is_blank(screen: &Framebuffer) -> bool {
    screen.difference(&Framebuffer::new(screen.width(), screen.height()), 0) == 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use embedded_graphics::pixelcolor::Rgb888;

    fn marked(width: u32, height: u32) -> Framebuffer {
        let mut picture = Framebuffer::new(width, height);
        let Ok(()) = picture.draw_iter([Pixel(Point::new(1, 0), Rgb888::new(255, 0, 0))]);
        picture
    }

    #[test]
    fn reads_a_ppm_whose_pixels_start_with_whitespace_bytes() {
        let mut ppm = b"P6\n2 1\n255\n".to_vec();
        ppm.extend_from_slice(&[0x20, 0x0a, 0x09, 1, 2, 3]);
        let screen = from_ppm(&ppm).expect("a valid PPM");
        assert_eq!(screen.pixel(0, 0), Some(Rgb888::new(0x20, 0x0a, 0x09)));
        assert_eq!(screen.pixel(1, 0), Some(Rgb888::new(1, 2, 3)));
        assert!(from_ppm(&ppm[..ppm.len() - 1]).is_err(), "truncated");
        assert!(from_ppm(b"P5\n2 1\n255\n").is_err(), "grey");
    }

    #[test]
    fn a_quarter_turn_right_puts_the_top_on_the_right() {
        // A 4×2 picture with a red pixel at (1, 0), near the top left.
        let turned = Rotation::Right.turn(&marked(4, 2));
        assert_eq!((turned.width(), turned.height()), (2, 4));
        assert_eq!(turned.pixel(1, 1), Some(Rgb888::new(255, 0, 0)));
        assert_eq!(
            Rotation::Right.turn_point((1.5, 0.5), (4, 2)),
            (1.5, 1.5),
            "points turn with the pixels"
        );
        let back = Rotation::Left.turn(&turned);
        assert_eq!(back.difference(&marked(4, 2), 0), 0.0);
    }
}
