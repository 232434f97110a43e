//! Scripted sessions for the command line: a small text script of taps,
//! swipes, waits and screenshots.
//!
//! ```text
//! # comments start with '#'
//! tap 540 960            # coordinates
//! tap "辦事指南"          # an element's accessible label
//! long-press 200 80 3s
//! swipe 540 1500 540 600 300ms
//! wait 2s
//! shot home.png          # written into the output folder
//! ```

use std::path::Path;
use std::time::Duration;

use super::{Emulator, EmulatorError};

/// One step of a script.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Tap at coordinates.
    Tap(f32, f32),
    /// Tap the element with this label.
    TapLabel(String),
    /// Hold at coordinates.
    LongPress(f32, f32, Duration),
    /// Drag between two points.
    Swipe((f32, f32), (f32, f32), Duration),
    /// Let time pass.
    Wait(Duration),
    /// Write a screenshot.
    Shot(String),
}

/// A script line that could not be understood.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("line {line}: {message}")]
pub struct ScriptError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A failure while running a script.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {source}")]
pub struct RunError {
    /// 1-based line.
    pub line: usize,
    /// What went wrong.
    pub source: EmulatorError,
}

/// Parses a script; every bad line is reported.
pub fn parse(text: &str) -> Result<Vec<(usize, Step)>, Vec<ScriptError>> {
    let mut steps = Vec::new();
    let mut errors = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = strip_comment(raw).trim();
        if content.is_empty() {
            continue;
        }
        match parse_step(content) {
            Ok(step) => steps.push((line, step)),
            Err(message) => errors.push(ScriptError { line, message }),
        }
    }
    if errors.is_empty() {
        Ok(steps)
    } else {
        Err(errors)
    }
}

fn strip_comment(line: &str) -> &str {
    let mut in_quotes = false;
    for (index, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '#' if !in_quotes => return &line[..index],
            _ => {}
        }
    }
    line
}

fn parse_step(content: &str) -> Result<Step, String> {
    let (command, rest) = content
        .split_once(char::is_whitespace)
        .unwrap_or((content, ""));
    let rest = rest.trim();
    let args: Vec<&str> = rest.split_whitespace().collect();
    let number = |text: &str| {
        text.parse::<f32>()
            .map_err(|_| format!("`{text}` is not a number"))
    };
    match command {
        "tap" if rest.starts_with('"') => {
            let label = rest
                .strip_prefix('"')
                .and_then(|r| r.strip_suffix('"'))
                .ok_or("unclosed quote in label")?;
            Ok(Step::TapLabel(label.to_owned()))
        }
        "tap" if args.len() == 2 => Ok(Step::Tap(number(args[0])?, number(args[1])?)),
        "long-press" if args.len() == 3 => Ok(Step::LongPress(
            number(args[0])?,
            number(args[1])?,
            duration(args[2])?,
        )),
        "swipe" if args.len() == 5 => Ok(Step::Swipe(
            (number(args[0])?, number(args[1])?),
            (number(args[2])?, number(args[3])?),
            duration(args[4])?,
        )),
        "wait" if args.len() == 1 => Ok(Step::Wait(duration(args[0])?)),
        "shot" if args.len() == 1 => Ok(Step::Shot(args[0].to_owned())),
        "tap" | "long-press" | "swipe" | "wait" | "shot" => Err(format!(
            "wrong arguments for `{command}`; see the examples at the top of the script docs"
        )),
        other => Err(format!(
            "unknown command `{other}` (use tap, long-press, swipe, wait, shot)"
        )),
    }
}

/// Parses `250ms`, `3s` or `1.5s`.
pub fn duration(text: &str) -> Result<Duration, String> {
    let error = || format!("`{text}` is not a duration (write 250ms or 3s)");
    if let Some(ms) = text.strip_suffix("ms") {
        return ms
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| error());
    }
    let seconds = text.strip_suffix('s').ok_or_else(error)?;
    seconds
        .parse::<f64>()
        .ok()
        .filter(|s| *s >= 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(error)
}

/// Runs parsed steps, writing screenshots into `out`; returns the files written.
pub fn run(
    emulator: &mut Emulator,
    steps: &[(usize, Step)],
    out: &Path,
) -> Result<Vec<std::path::PathBuf>, RunError> {
    let mut written = Vec::new();
    for (line, step) in steps {
        let result = match step {
            Step::Tap(x, y) => {
                emulator.tap(*x, *y);
                Ok(())
            }
            Step::TapLabel(label) => emulator.tap_label(label),
            Step::LongPress(x, y, d) => {
                emulator.long_press(*x, *y, *d);
                Ok(())
            }
            Step::Swipe(from, to, d) => {
                emulator.swipe(*from, *to, *d);
                Ok(())
            }
            Step::Wait(d) => {
                emulator.advance(*d);
                Ok(())
            }
            Step::Shot(name) => {
                let path = out.join(name);
                written.push(path.clone());
                emulator.screenshot(&path)
            }
        };
        result.map_err(|source| RunError {
            line: *line,
            source,
        })?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_command() {
        let steps = parse("# demo\ntap 10 20\ntap \"辦事指南\" # by label\nlong-press 1 2 3s\nswipe 1 2 3 4 250ms\nwait 1.5s\nshot a.png\n").unwrap();
        let kinds: Vec<Step> = steps.into_iter().map(|(_, s)| s).collect();
        assert_eq!(
            kinds,
            [
                Step::Tap(10.0, 20.0),
                Step::TapLabel("辦事指南".into()),
                Step::LongPress(1.0, 2.0, Duration::from_secs(3)),
                Step::Swipe((1.0, 2.0), (3.0, 4.0), Duration::from_millis(250)),
                Step::Wait(Duration::from_millis(1500)),
                Step::Shot("a.png".into()),
            ]
        );
    }

    #[test]
    fn reports_every_bad_line() {
        let errors = parse("tap x 1\njump 3\nwait soon\n").unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 2, 3]);
        assert_eq!(
            errors[1].to_string(),
            "line 2: unknown command `jump` (use tap, long-press, swipe, wait, shot)"
        );
    }
}
