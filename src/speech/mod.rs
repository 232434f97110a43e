//! Speech: the read-aloud mode's engine (issue 17), apart from the screen.
//!
//! - [`voice`]: which espeak-ng voice speaks each [`Lang`](crate::content::Lang)
//!   ([`Voices`], a `kiosk.toml` section later), and which part of a Chinese
//!   utterance goes to the English voice.
//! - [`utterance`]: turning shown text into what is spoken ([`Utterance`]):
//!   markup and pictographs out, separators as pauses, dates, document
//!   numbers, times and phone numbers as a listener expects them.
//! - [`engine`]: the [`Speaker`] the UI talks to, its [`Settings`] (rate,
//!   volume) and errors.
//! - [`espeak`]: [`EspeakSpeaker`] (espeak-ng on a worker thread, to the
//!   default ALSA device; why espeak-ng and its measured latency are there),
//!   [`probe`] (is speech available, and if not, why),
//!   [`has_playback_device`] and
//!   [`Espeak::synthesize_wav`].
//! - [`recording`]: [`RecordingSpeaker`], for the emulator's tests.
//!
//! The module imports only `crate::content` (for `Lang`); it knows nothing
//! of the UI or the running kiosk.

pub mod engine;
pub mod espeak;
pub mod recording;
pub mod utterance;
pub mod voice;

pub use engine::{Settings, Speaker, SynthesisError, Unavailable};
pub use espeak::{Espeak, EspeakSpeaker, has_playback_device, probe};
pub use recording::{Event, RecordingSpeaker, Spoken};
pub use utterance::Utterance;
pub use voice::{Part, Voices};
