//! Recorded writing for tests and benches (the `emulator` feature): stroke
//! sequences of characters as a finger draws them, read from
//! `tests/fixtures/handwriting/characters.toml` (its header describes the
//! format).

use std::path::Path;

use serde::Deserialize;

use super::ink::{Ink, Point};
use crate::content::Lang;

/// The side of the square the recorded points are on.
pub const SQUARE: f32 = 1000.0;

/// Which script a recorded shape belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// The same shape in simplified and traditional.
    Both,
    /// Simplified only.
    Simplified,
    /// Traditional only.
    Traditional,
}

impl Script {
    /// The language of a visitor who writes this shape.
    pub fn lang(self) -> Lang {
        match self {
            Script::Traditional => Lang::ZhHant,
            Script::Both | Script::Simplified => Lang::ZhHans,
        }
    }
}

/// One recorded character.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recorded {
    /// The character written.
    pub text: String,
    /// Its script.
    pub script: Script,
    /// Whether the model is expected to recognise it.
    #[serde(default = "yes")]
    pub recognized: bool,
    /// The strokes, points on a [`SQUARE`]-sided square.
    pub strokes: Vec<Vec<[f32; 2]>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    character: Vec<Recorded>,
}

/// Why recorded writing could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordedError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not in the format.
    #[error("{path} is not recorded writing: {source}")]
    Parse {
        /// The file.
        path: String,
        /// Why.
        source: Box<toml::de::Error>,
    },
}

/// The characters recorded in `path`.
pub fn load(path: &Path) -> Result<Vec<Recorded>, RecordedError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| RecordedError::Read {
        path: shown.clone(),
        source,
    })?;
    let file: File = toml::from_str(&text).map_err(|source| RecordedError::Parse {
        path: shown,
        source: Box::new(source),
    })?;
    Ok(file.character)
}

impl Recorded {
    /// Points no further apart than this (pad pixels) when scaled: a
    /// finger's movement as touch events report it.
    const STEP: f32 = 12.0;

    /// The strokes scaled to a `side`-sided pad, with points added between
    /// the recorded ones so that none are more than [`Self::STEP`] apart.
    pub fn scaled(&self, side: f32) -> Vec<Vec<Point>> {
        let scale = side / SQUARE;
        self.strokes
            .iter()
            .map(|stroke| {
                let mut points: Vec<Point> = Vec::new();
                for [x, y] in stroke {
                    let next = Point {
                        x: x * scale,
                        y: y * scale,
                    };
                    if let Some(last) = points.last().copied() {
                        let distance = (next.x - last.x).hypot(next.y - last.y);
                        let steps = (distance / Self::STEP).ceil().max(1.0) as usize;
                        for step in 1..steps {
                            let t = step as f32 / steps as f32;
                            points.push(Point {
                                x: last.x + (next.x - last.x) * t,
                                y: last.y + (next.y - last.y) * t,
                            });
                        }
                    }
                    points.push(next);
                }
                points
            })
            .collect()
    }

    /// The writing as ink on a `side`-sided pad, after its first `strokes`
    /// strokes.
    pub fn ink(&self, side: f32, strokes: usize) -> Ink {
        let mut ink = Ink::new(side, side);
        for stroke in self.scaled(side).into_iter().take(strokes) {
            let mut points = stroke.into_iter();
            if let Some(first) = points.next() {
                ink.begin(first);
            }
            points.for_each(|point| ink.extend(point));
        }
        ink
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixtures_load_and_scale_with_points_between() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/handwriting/characters.toml");
        let recorded = load(&path).unwrap();
        assert!(recorded.len() >= 12);
        let one = recorded.iter().find(|r| r.text == "一").unwrap();
        let scaled = one.scaled(500.0);
        assert_eq!(scaled.len(), 1);
        assert!(scaled[0].len() > 20, "{:?}", scaled[0]);
        assert!(
            scaled[0]
                .windows(2)
                .all(|w| (w[1].x - w[0].x).abs() <= Recorded::STEP)
        );
        assert_eq!(one.ink(500.0, 1).strokes().len(), 1);
    }
}
