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
