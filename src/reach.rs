//! The reach zone: the part of the screen a visitor in front of the kiosk,
//! standing or in a wheelchair, can touch, worked out from how the panel is
//! mounted (`[mounting]` in `kiosk.toml`).
//!
//! The ADA 2010 Standards for Accessible Design (§308.2.1, unobstructed
//! forward reach) put operable parts between 15 in (380 mm) and 48 in
//! (1220 mm) above the floor. A floor-standing 43″ panel in portrait whose
//! bottom edge is 400 mm up has its top at 1352 mm: its top 14 % is out of
//! reach, and the UI keeps every control below it (the emulator's layout
//! check fails a screen where one is not). The same panel in landscape is in
//! reach all over.

use std::fmt;

/// The lowest point a visitor reaches, in mm above the floor.
pub const LOWEST_REACH_MM: u32 = 380;
/// The highest point a visitor reaches, in mm above the floor.
pub const HIGHEST_REACH_MM: u32 = 1220;
/// The share of the screen's height that must lie inside the reach zone in
/// the orientation with the most out of it: below this the pages have too
/// little room for their controls.
pub const MIN_SHARE_IN_REACH: f32 = 0.6;

/// How the panel is mounted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mounting {
    /// The panel's active area: its long side, in mm.
    pub long_side_mm: u32,
    /// Its short side, in mm.
    pub short_side_mm: u32,
    /// The height of the screen's bottom edge above the floor, in mm.
    pub bottom_edge_mm: u32,
}

/// A mounting the kiosk refuses.
#[derive(Debug, Clone, PartialEq)]
pub enum MountingError {
    /// A side of the panel is 0 mm, or the short side is the longer.
    NoArea,
    /// The screen's bottom edge is below the lowest point a visitor reaches.
    BottomTooLow {
        /// Its height above the floor, in mm.
        bottom_mm: u32,
    },
    /// Too little of the screen lies inside the reach zone.
    TooLittleInReach {
        /// The share that does, in the orientation with the least.
        share: f32,
    },
}

impl fmt::Display for MountingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MountingError::NoArea => write!(
                f,
                "must be the panel's active area as [long side, short side] in mm, both above 0 (a 43-inch panel: [952, 535])"
            ),
            MountingError::BottomTooLow { bottom_mm } => write!(
                f,
                "is {bottom_mm} mm: below {LOWEST_REACH_MM} mm (ADA 2010 §308.2.1) a visitor cannot reach the bottom of the screen"
            ),
            MountingError::TooLittleInReach { share } => write!(
                f,
                "leaves {:.0} % of the screen in portrait between {LOWEST_REACH_MM} and {HIGHEST_REACH_MM} mm above the floor (ADA 2010 §308.2.1); at least {:.0} % must be, or the pages have no room for their controls",
                share * 100.0,
                MIN_SHARE_IN_REACH * 100.0
            ),
        }
    }
}

impl std::error::Error for MountingError {}

impl Mounting {
    /// The mounting, if the kiosk can keep its controls in reach on it in
    /// either orientation.
    pub fn check(self) -> Result<Mounting, MountingError> {
        if self.short_side_mm == 0 || self.long_side_mm < self.short_side_mm {
            return Err(MountingError::NoArea);
        }
        if self.bottom_edge_mm < LOWEST_REACH_MM {
            return Err(MountingError::BottomTooLow {
                bottom_mm: self.bottom_edge_mm,
            });
        }
        let portrait = self.zone(false);
        let share = portrait.bottom - portrait.top;
        if share < MIN_SHARE_IN_REACH {
            return Err(MountingError::TooLittleInReach { share });
        }
        Ok(self)
    }

    /// The reach zone with the panel's long side horizontal (`landscape`)
    /// or vertical.
    pub fn zone(&self, landscape: bool) -> ReachZone {
        let height = if landscape {
            self.short_side_mm
        } else {
            self.long_side_mm
        }
        .max(1);
        let top_mm = self.bottom_edge_mm.saturating_add(height);
        let above = top_mm.saturating_sub(HIGHEST_REACH_MM).min(height);
        let below = LOWEST_REACH_MM
            .saturating_sub(self.bottom_edge_mm)
            .min(height);
        ReachZone {
            top: above as f32 / height as f32,
            bottom: 1.0 - below as f32 / height as f32,
        }
    }
}

/// The part of the screen inside the reach zone, as shares of its height
/// from the top (0.0 is the top edge, 1.0 the bottom edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReachZone {
    /// Where the zone starts.
    pub top: f32,
    /// Where it ends.
    pub bottom: f32,
}

impl ReachZone {
    /// The whole screen.
    pub const WHOLE_SCREEN: ReachZone = ReachZone {
        top: 0.0,
        bottom: 1.0,
    };

    /// The zone on a screen `height_px` tall: its top and bottom, in pixels
    /// from the top, rounded inwards.
    pub fn in_pixels(&self, height_px: f32) -> (f32, f32) {
        (
            (self.top * height_px).ceil(),
            (self.bottom * height_px).floor(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLOOR_STANDING_43: Mounting = Mounting {
        long_side_mm: 952,
        short_side_mm: 535,
        bottom_edge_mm: 400,
    };

    #[test]
    fn a_floor_standing_43_inch_portrait_panel_has_its_top_out_of_reach() {
        let zone = FLOOR_STANDING_43.check().expect("usable").zone(false);
        // 400 + 952 = 1352 mm: 132 mm of 952 above the reach, 266.2 px of 1920.
        assert_eq!(zone.in_pixels(1920.0), (267.0, 1920.0));
    }

    #[test]
    fn the_same_panel_in_landscape_is_in_reach_all_over() {
        assert_eq!(FLOOR_STANDING_43.zone(true), ReachZone::WHOLE_SCREEN);
    }

    #[test]
    fn a_bottom_edge_below_the_lowest_reach_is_refused() {
        let low = Mounting {
            bottom_edge_mm: 300,
            ..FLOOR_STANDING_43
        };
        assert_eq!(
            low.check(),
            Err(MountingError::BottomTooLow { bottom_mm: 300 })
        );
    }

    #[test]
    fn a_panel_mostly_above_the_reach_is_refused() {
        let high = Mounting {
            bottom_edge_mm: 900,
            ..FLOOR_STANDING_43
        };
        let error = high.check().expect_err("too high");
        // 1220 - 900 = 320 mm of 952 in reach.
        assert_eq!(error.to_string().split(" %").next(), Some("leaves 34"));
    }

    #[test]
    fn a_panel_without_area_is_refused() {
        let flat = Mounting {
            short_side_mm: 0,
            ..FLOOR_STANDING_43
        };
        assert_eq!(flat.check(), Err(MountingError::NoArea));
    }
}
