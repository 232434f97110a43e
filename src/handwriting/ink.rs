//! What the visitor wrote on the pad: strokes of points.

/// One point of a stroke, in the pad's logical pixels (origin top left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// From the pad's left edge.
    pub x: f32,
    /// From the pad's top edge.
    pub y: f32,
}

/// The strokes written so far on a pad of a given size. A stroke is begun
/// by [`Ink::begin`], grows by [`Ink::extend`] and ends with the finger
/// lifting; the next `begin` starts a new one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ink {
    width: f32,
    height: f32,
    strokes: Vec<Vec<Point>>,
}

impl Ink {
    /// Points closer than this (pad pixels) to the stroke's last point are
    /// dropped: a resting finger adds nothing to the shape.
    const MIN_STEP: f32 = 2.0;

    /// Empty ink on a `width` × `height` pad.
    pub fn new(width: f32, height: f32) -> Ink {
        Ink {
            width,
            height,
            strokes: Vec::new(),
        }
    }

    /// The pad's width.
    pub fn width(&self) -> f32 {
        self.width
    }

    /// The pad's height.
    pub fn height(&self) -> f32 {
        self.height
    }

    /// Starts a stroke at `point`.
    pub fn begin(&mut self, point: Point) {
        self.strokes.push(vec![self.clamp(point)]);
    }

    /// Adds `point` to the stroke being written (begins one if none is).
    pub fn extend(&mut self, point: Point) {
        let point = self.clamp(point);
        match self.strokes.last_mut() {
            Some(stroke) => {
                let far = stroke.last().is_none_or(|last| {
                    (last.x - point.x).abs() + (last.y - point.y).abs() >= Self::MIN_STEP
                });
                if far {
                    stroke.push(point);
                }
            }
            None => self.strokes.push(vec![point]),
        }
    }

    /// The strokes, oldest first.
    pub fn strokes(&self) -> &[Vec<Point>] {
        &self.strokes
    }

    /// Whether nothing is written.
    pub fn is_empty(&self) -> bool {
        self.strokes.is_empty()
    }

    /// Wipes the pad (its size stays).
    pub fn clear(&mut self) {
        self.strokes.clear();
    }

    /// The ink as SVG path commands (`M x y L x y …`), for drawing it.
    pub fn path_commands(&self) -> String {
        let mut commands = String::new();
        for stroke in &self.strokes {
            for (index, point) in stroke.iter().enumerate() {
                let verb = if index == 0 { 'M' } else { 'L' };
                commands.push_str(&format!("{verb}{:.0} {:.0} ", point.x, point.y));
            }
            // A tap (one point) still shows as a dot.
            if let [only] = stroke.as_slice() {
                commands.push_str(&format!("L{:.0} {:.0} ", only.x + 1.0, only.y));
            }
        }
        commands.trim_end().to_owned()
    }

    fn clamp(&self, point: Point) -> Point {
        Point {
            x: point.x.clamp(0.0, self.width.max(0.0)),
            y: point.y.clamp(0.0, self.height.max(0.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    #[test]
    fn strokes_grow_and_keep_inside_the_pad() {
        let mut ink = Ink::new(100.0, 100.0);
        ink.begin(p(10.0, 10.0));
        ink.extend(p(10.5, 10.5));
        ink.extend(p(50.0, 10.0));
        ink.begin(p(-5.0, 150.0));
        assert_eq!(ink.strokes().len(), 2);
        assert_eq!(ink.strokes()[0], [p(10.0, 10.0), p(50.0, 10.0)]);
        assert_eq!(ink.strokes()[1], [p(0.0, 100.0)]);
        assert_eq!(ink.path_commands(), "M10 10 L50 10 M0 100 L1 100");
        ink.clear();
        assert!(ink.is_empty());
        assert_eq!(ink.width(), 100.0);
    }

    #[test]
    fn a_move_without_a_press_starts_a_stroke() {
        let mut ink = Ink::new(10.0, 10.0);
        ink.extend(p(1.0, 1.0));
        assert_eq!(ink.strokes().len(), 1);
    }
}
