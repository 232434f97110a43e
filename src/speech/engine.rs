//! What the UI speaks through: the [`Speaker`] trait, its [`Settings`], and
//! why speech may be unavailable ([`Unavailable`]) or fail
//! ([`SynthesisError`]). [`super::espeak`] speaks for real,
//! [`super::recording`] records for tests.

use std::io;
use std::process::ExitStatus;

use serde::Deserialize;

use super::Utterance;
use crate::content::Lang;

/// How fast and how loud speech is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Words per minute (espeak-ng's `-s`), kept within [`Settings::RATES`].
    pub rate: u16,
    /// Amplitude (espeak-ng's `-a`, 100 is its default), kept within
    /// [`Settings::VOLUMES`].
    pub volume: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rate: 175,
            volume: 100,
        }
    }
}

impl Settings {
    /// The rates offered, in words per minute.
    pub const RATES: std::ops::RangeInclusive<u16> = 100..=350;
    /// The volumes offered, as espeak-ng amplitudes.
    pub const VOLUMES: std::ops::RangeInclusive<u8> = 20..=200;
    const RATE_STEP: u16 = 25;
    const VOLUME_STEP: u8 = 20;

    /// One step faster, up to the fastest rate.
    pub fn faster(self) -> Settings {
        Settings {
            rate: self.rate.saturating_add(Self::RATE_STEP),
            ..self
        }
        .clamped()
    }

    /// One step slower, down to the slowest rate.
    pub fn slower(self) -> Settings {
        Settings {
            rate: self.rate.saturating_sub(Self::RATE_STEP),
            ..self
        }
        .clamped()
    }

    /// One step louder, up to the loudest.
    pub fn louder(self) -> Settings {
        Settings {
            volume: self.volume.saturating_add(Self::VOLUME_STEP),
            ..self
        }
        .clamped()
    }

    /// One step softer, down to the softest.
    pub fn softer(self) -> Settings {
        Settings {
            volume: self.volume.saturating_sub(Self::VOLUME_STEP),
            ..self
        }
        .clamped()
    }

    /// The settings within the offered ranges.
    pub fn clamped(self) -> Settings {
        Settings {
            rate: self.rate.clamp(*Self::RATES.start(), *Self::RATES.end()),
            volume: self
                .volume
                .clamp(*Self::VOLUMES.start(), *Self::VOLUMES.end()),
        }
    }
}

/// What the UI speaks through. Every call returns at once: speaking happens
/// elsewhere and never blocks the caller.
pub trait Speaker: Send + Sync {
    /// Speaks `utterance`, interrupting whatever is being spoken. An empty
    /// utterance is not spoken: it only stops what is.
    fn speak(&self, utterance: Utterance);
    /// Stops speaking (nothing happens when nothing is being spoken).
    fn stop(&self);
    /// Holds the utterance being spoken where it is.
    fn pause(&self);
    /// Goes on with a held utterance.
    fn resume(&self);
    /// Whether an utterance is being spoken now. A held one is not: the
    /// visitor who paused it may have walked away, so the idle reset counts
    /// on.
    fn is_speaking(&self) -> bool;
    /// The rate and volume the next utterance is spoken at.
    fn settings(&self) -> Settings;
    /// Sets the rate and volume (clamped) for the next utterance; the one
    /// being spoken keeps its own (speak it again to hear the change).
    fn set_settings(&self, settings: Settings);
}

/// Why speech is unavailable: what the admin panel and the status say.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// No espeak-ng program.
    #[error("espeak-ng is not installed (apt-get install espeak-ng)")]
    NoProgram,
    /// The program is there but does not run.
    #[error("espeak-ng does not run: {0}")]
    Broken(String),
    /// A configured voice is missing or lacks its data.
    #[error(
        "espeak-ng has no usable voice `{voice}` for {lang}: {detail} (apt-get install espeak-ng-data, or configure another voice)"
    )]
    NoVoice {
        /// The language the voice is for.
        lang: Lang,
        /// The voice's name.
        voice: String,
        /// What espeak-ng said.
        detail: String,
    },
    /// No ALSA playback device.
    #[error("no sound device: no ALSA playback device in /dev/snd")]
    NoSoundDevice,
}

/// Why an utterance could not be made into sound.
#[derive(Debug, thiserror::Error)]
pub enum SynthesisError {
    /// The utterance is empty: nothing was run and no file written.
    #[error("nothing to speak: the utterance is empty")]
    Empty,
    /// espeak-ng could not be started or fed.
    #[error("espeak-ng could not be run: {0}")]
    Run(#[from] io::Error),
    /// espeak-ng failed.
    #[error("espeak-ng failed ({status}): {stderr}")]
    Failed {
        /// Its exit status.
        status: ExitStatus,
        /// What it printed on stderr.
        stderr: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_step_within_their_ranges() {
        let settings = Settings::default();
        assert_eq!(settings.faster().rate, 200);
        assert_eq!(settings.slower().rate, 150);
        assert_eq!(settings.louder().volume, 120);
        assert_eq!(settings.softer().volume, 80);
        let mut fast = settings;
        for _ in 0..20 {
            fast = fast.faster().louder();
        }
        assert_eq!((fast.rate, fast.volume), (350, 200));
        let mut slow = settings;
        for _ in 0..20 {
            slow = slow.slower().softer();
        }
        assert_eq!((slow.rate, slow.volume), (100, 20));
        let wild = Settings {
            rate: 9000,
            volume: 0,
        }
        .clamped();
        assert_eq!((wild.rate, wild.volume), (350, 20));
    }

    #[test]
    fn settings_deserialize_with_defaults() {
        let settings: Settings = toml::from_str("rate = 150").unwrap();
        assert_eq!(
            settings,
            Settings {
                rate: 150,
                volume: 100
            }
        );
    }
}
