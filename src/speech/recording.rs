//! A [`Speaker`] for tests: it speaks nothing and records what it is told
//! (utterance, language, voice, settings; stops, pauses, resumes).

use std::sync::{Mutex, PoisonError};

use super::engine::{Settings, Speaker};
use super::{Utterance, Voices};
use crate::content::Lang;

/// One utterance a [`RecordingSpeaker`] was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spoken {
    /// The words.
    pub text: String,
    /// Their language.
    pub lang: Lang,
    /// The voice that would speak them.
    pub voice: String,
    /// The rate and volume they would be spoken at.
    pub settings: Settings,
}

/// What a [`RecordingSpeaker`] was told, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// An utterance to speak.
    Spoke(Spoken),
    /// A stop, or an empty utterance (which only stops).
    Stopped,
    /// A pause.
    Paused,
    /// A resume.
    Resumed,
    /// The utterance being spoken came to its end (the test says when:
    /// [`RecordingSpeaker::finish`]).
    Finished,
}

/// A [`Speaker`] that speaks nothing and records what it is told: the
/// emulator's tests read it.
#[derive(Debug)]
pub struct RecordingSpeaker {
    voices: Voices,
    events: Mutex<Vec<Event>>,
    settings: Mutex<Settings>,
}

impl RecordingSpeaker {
    /// A recorder that names `voices`' voice for each utterance.
    pub fn new(voices: Voices) -> RecordingSpeaker {
        RecordingSpeaker {
            voices,
            events: Mutex::new(Vec::new()),
            settings: Mutex::new(Settings::default()),
        }
    }

    /// Everything it was told, in order.
    pub fn events(&self) -> Vec<Event> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The utterances it was given, in order.
    pub fn spoken(&self) -> Vec<Spoken> {
        self.events()
            .into_iter()
            .filter_map(|event| match event {
                Event::Spoke(spoken) => Some(spoken),
                _ => None,
            })
            .collect()
    }

    /// Lets the utterance being spoken come to its end: a recorder has no
    /// audio to run out, so a test says when.
    pub fn finish(&self) {
        if self.is_speaking() {
            self.record(Event::Finished);
        }
    }

    fn record(&self, event: Event) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }
}

impl Speaker for RecordingSpeaker {
    fn speak(&self, utterance: Utterance) {
        if utterance.is_empty() {
            return self.stop();
        }
        self.record(Event::Spoke(Spoken {
            voice: self.voices.voice(utterance.lang()).to_owned(),
            lang: utterance.lang(),
            settings: self.settings(),
            text: utterance.text().to_owned(),
        }));
    }

    fn stop(&self) {
        self.record(Event::Stopped);
    }

    fn pause(&self) {
        self.record(Event::Paused);
    }

    fn resume(&self) {
        self.record(Event::Resumed);
    }

    fn is_speaking(&self) -> bool {
        let events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        matches!(events.last(), Some(Event::Spoke(_) | Event::Resumed))
    }

    fn settings(&self) -> Settings {
        *self.settings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set_settings(&self, settings: Settings) {
        *self.settings.lock().unwrap_or_else(PoisonError::into_inner) = settings.clamped();
    }
}
