//! Recognizing with Debian's `libzinnia`: [`Zinnia`] (the library, loaded
//! at run time), [`Recognizer`] (the library with a model open), [`probe`]
//! and why the pad may be unavailable ([`Unavailable`]).
//!
//! # Why zinnia, loaded with `libloading`
//!
//! zinnia (SVM-based online handwriting recognition, Taku Kudo) is packaged
//! for every architecture the kiosk runs on (`libzinnia0`), with a
//! simplified-Chinese model (`tegaki-zinnia-simplified-chinese`, 26 MB
//! installed). It recognizes offline, per stroke, from the points the
//! finger drew. The library is opened with `dlopen` (the `libloading`
//! crate) rather than linked: the kiosk builds and cross-compiles without
//! it, runs on a board that lacks it, and the pad then says why it is
//! unavailable instead of the program failing to start.
//!
//! # Why our own declarations
//!
//! No maintained Rust binding exists (the crates named after zinnia are
//! unmaintained and link at build time). The C API used is eleven
//! functions of `zinnia.h` (0.06), declared below as function-pointer
//! types with the header's signatures; each pointer is looked up by name
//! when the library is loaded, so a missing symbol is an [`Unavailable`]
//! and not a crash.
//!
//! # Memory
//!
//! `zinnia_recognizer_open` maps the model file read-only (`mmap`) and
//! builds a small table over it: the model's pages are the page cache's,
//! shared and dropped under pressure, not the kiosk's anonymous memory. A
//! [`Recognizer`] is made when the visitor opens the pad and dropped when
//! they leave it (`benches/handwriting.rs` measures what it adds).

use std::ffi::{CStr, CString, c_char, c_float, c_int};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use libloading::Library;

use super::candidates::Candidate;
use super::ink::Ink;

/// The library's file name (`libzinnia0`'s soname).
pub const LIBRARY: &str = "libzinnia.so.0";

/// Where `tegaki-zinnia-simplified-chinese` installs its model (the
/// default of `[handwriting] model` in kiosk.toml).
pub const DEFAULT_MODEL: &str = crate::config::HANDWRITING_MODEL;

/// Why the handwriting pad is unavailable: what the pad and the admin
/// panel say.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// `libzinnia.so.0` cannot be loaded.
    #[error("libzinnia is not installed (apt-get install libzinnia0): {0}")]
    NoLibrary(String),
    /// The library lacks a function the kiosk calls.
    #[error("libzinnia lacks `{name}`: {detail}")]
    MissingSymbol {
        /// The function's name.
        name: &'static str,
        /// What the dynamic loader said.
        detail: String,
    },
    /// No model file.
    #[error(
        "no handwriting model at {} (apt-get install tegaki-zinnia-simplified-chinese)",
        path.display()
    )]
    NoModel {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// zinnia could not open the model.
    #[error("zinnia cannot open the model {}: {detail}", path.display())]
    BadModel {
        /// The model file.
        path: PathBuf,
        /// What zinnia said.
        detail: String,
    },
    /// The library could not make a recognizer or a character.
    #[error("zinnia could not allocate its {0}")]
    OutOfMemory(&'static str),
}

/// Why writing could not be classified.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecognitionError {
    /// A point is outside what zinnia takes (coordinates are C ints).
    #[error("a point is outside the pad")]
    BadPoint,
    /// zinnia returned no result (it does for ink it cannot read).
    #[error("zinnia could not classify the ink: {0}")]
    Failed(String),
}

enum RecognizerT {}
enum CharacterT {}
enum ResultT {}

type RecognizerNew = unsafe extern "C" fn() -> *mut RecognizerT;
type RecognizerDestroy = unsafe extern "C" fn(*mut RecognizerT);
type RecognizerOpen = unsafe extern "C" fn(*mut RecognizerT, *const c_char) -> c_int;
type RecognizerStrerror = unsafe extern "C" fn(*mut RecognizerT) -> *const c_char;
type RecognizerClassify =
    unsafe extern "C" fn(*mut RecognizerT, *const CharacterT, usize) -> *mut ResultT;
type CharacterNew = unsafe extern "C" fn() -> *mut CharacterT;
type CharacterDestroy = unsafe extern "C" fn(*mut CharacterT);
type CharacterSetSize = unsafe extern "C" fn(*mut CharacterT, usize);
type CharacterAdd = unsafe extern "C" fn(*mut CharacterT, usize, c_int, c_int) -> c_int;
type CharacterClear = unsafe extern "C" fn(*mut CharacterT);
type ResultValue = unsafe extern "C" fn(*mut ResultT, usize) -> *const c_char;
type ResultScore = unsafe extern "C" fn(*mut ResultT, usize) -> c_float;
type ResultSize = unsafe extern "C" fn(*mut ResultT) -> usize;
type ResultDestroy = unsafe extern "C" fn(*mut ResultT);

/// `libzinnia`, loaded, with the functions the kiosk calls.
pub struct Zinnia {
    recognizer_new: RecognizerNew,
    recognizer_destroy: RecognizerDestroy,
    recognizer_open: RecognizerOpen,
    recognizer_strerror: RecognizerStrerror,
    recognizer_classify: RecognizerClassify,
    character_new: CharacterNew,
    character_destroy: CharacterDestroy,
    character_set_width: CharacterSetSize,
    character_set_height: CharacterSetSize,
    character_add: CharacterAdd,
    character_clear: CharacterClear,
    result_value: ResultValue,
    result_score: ResultScore,
    result_size: ResultSize,
    result_destroy: ResultDestroy,
    /// Keeps the functions above mapped; dropped last.
    _library: Library,
}

impl std::fmt::Debug for Zinnia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Zinnia")
    }
}

impl Zinnia {
    /// Loads [`LIBRARY`] and looks up its functions.
    pub fn load() -> Result<Arc<Zinnia>, Unavailable> {
        // SAFETY: libzinnia's initialisers only set up C++ statics; loading
        // it has no other side effect.
        let library = unsafe { Library::new(LIBRARY) }
            .map_err(|error| Unavailable::NoLibrary(error.to_string()))?;
        fn symbol<T: Copy>(library: &Library, name: &'static str) -> Result<T, Unavailable> {
            let nul_terminated = format!("{name}\0");
            // SAFETY: each `T` below is the function's type in zinnia.h
            // (0.06); the pointer is used only while `library` is loaded,
            // which the `Zinnia` holding both guarantees.
            unsafe { library.get::<T>(nul_terminated.as_bytes()) }
                .map(|found| *found)
                .map_err(|error| Unavailable::MissingSymbol {
                    name,
                    detail: error.to_string(),
                })
        }
        Ok(Arc::new(Zinnia {
            recognizer_new: symbol(&library, "zinnia_recognizer_new")?,
            recognizer_destroy: symbol(&library, "zinnia_recognizer_destroy")?,
            recognizer_open: symbol(&library, "zinnia_recognizer_open")?,
            recognizer_strerror: symbol(&library, "zinnia_recognizer_strerror")?,
            recognizer_classify: symbol(&library, "zinnia_recognizer_classify")?,
            character_new: symbol(&library, "zinnia_character_new")?,
            character_destroy: symbol(&library, "zinnia_character_destroy")?,
            character_set_width: symbol(&library, "zinnia_character_set_width")?,
            character_set_height: symbol(&library, "zinnia_character_set_height")?,
            character_add: symbol(&library, "zinnia_character_add")?,
            character_clear: symbol(&library, "zinnia_character_clear")?,
            result_value: symbol(&library, "zinnia_result_value")?,
            result_score: symbol(&library, "zinnia_result_score")?,
            result_size: symbol(&library, "zinnia_result_size")?,
            result_destroy: symbol(&library, "zinnia_result_destroy")?,
            _library: library,
        }))
    }
}

/// Whether handwriting is available with the model at `model`: the library
/// loads and the model file is there. The model is not opened (that is
/// [`Recognizer::open`], when the pad opens).
pub fn probe(model: &Path) -> Result<Arc<Zinnia>, Unavailable> {
    let zinnia = Zinnia::load()?;
    if !model.is_file() {
        return Err(Unavailable::NoModel {
            path: model.to_owned(),
        });
    }
    Ok(zinnia)
}

/// A zinnia recognizer with a model open, and the character it classifies.
/// Not `Send`: it lives on the thread that made it (the UI's).
pub struct Recognizer {
    zinnia: Arc<Zinnia>,
    recognizer: *mut RecognizerT,
    character: *mut CharacterT,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recognizer")
    }
}

impl Recognizer {
    /// Opens the model at `model` (zinnia maps it).
    pub fn open(zinnia: Arc<Zinnia>, model: &Path) -> Result<Recognizer, Unavailable> {
        if !model.is_file() {
            return Err(Unavailable::NoModel {
                path: model.to_owned(),
            });
        }
        let bad_model = |detail: String| Unavailable::BadModel {
            path: model.to_owned(),
            detail,
        };
        let path = CString::new(model.as_os_str().as_encoded_bytes())
            .map_err(|_| bad_model("the path contains a NUL byte".to_owned()))?;
        // SAFETY: zinnia's constructors take nothing and return an owned
        // object or NULL.
        let (recognizer, character) =
            unsafe { ((zinnia.recognizer_new)(), (zinnia.character_new)()) };
        // Owned from here: dropping it frees both.
        let opened = Recognizer {
            zinnia,
            recognizer,
            character,
        };
        if recognizer.is_null() {
            return Err(Unavailable::OutOfMemory("recognizer"));
        }
        if character.is_null() {
            return Err(Unavailable::OutOfMemory("character"));
        }
        // SAFETY: `recognizer` is live and `path` a NUL-terminated string
        // that outlives the call.
        let ok = unsafe { (opened.zinnia.recognizer_open)(recognizer, path.as_ptr()) };
        if ok == 0 {
            return Err(bad_model(opened.error()));
        }
        Ok(opened)
    }

    /// The best `limit` candidates for `ink`, best first (none for empty
    /// ink).
    pub fn classify(
        &mut self,
        ink: &Ink,
        limit: usize,
    ) -> Result<Vec<Candidate>, RecognitionError> {
        if ink.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let zinnia = &self.zinnia;
        let coordinate = |value: f32| {
            let rounded = value.round();
            (rounded >= 0.0 && rounded <= c_int::MAX as f32)
                .then_some(rounded as c_int)
                .ok_or(RecognitionError::BadPoint)
        };
        // SAFETY: `character` is live (owned by `self`); zinnia copies the
        // values it is given.
        unsafe {
            (zinnia.character_clear)(self.character);
            (zinnia.character_set_width)(self.character, ink.width().max(1.0) as usize);
            (zinnia.character_set_height)(self.character, ink.height().max(1.0) as usize);
            for (id, stroke) in ink.strokes().iter().enumerate() {
                for point in stroke {
                    let (x, y) = (coordinate(point.x)?, coordinate(point.y)?);
                    (zinnia.character_add)(self.character, id, x, y);
                }
            }
        }
        // SAFETY: both objects are live; the result is owned by us and
        // destroyed below, after its values are copied.
        let result =
            unsafe { (zinnia.recognizer_classify)(self.recognizer, self.character, limit) };
        if result.is_null() {
            return Err(RecognitionError::Failed(self.error()));
        }
        // SAFETY: `result` is live until destroyed at the end; each value
        // is a NUL-terminated UTF-8 string owned by it, copied before.
        let candidates = unsafe {
            let size = (zinnia.result_size)(result);
            let candidates = (0..size)
                .filter_map(|i| {
                    let value = (zinnia.result_value)(result, i);
                    (!value.is_null()).then(|| Candidate {
                        text: CStr::from_ptr(value).to_string_lossy().into_owned(),
                        score: (zinnia.result_score)(result, i),
                    })
                })
                .collect();
            (zinnia.result_destroy)(result);
            candidates
        };
        Ok(candidates)
    }

    /// zinnia's last error message.
    fn error(&self) -> String {
        // SAFETY: `recognizer` is live; the message is a NUL-terminated
        // string it owns, copied at once.
        unsafe {
            let message = (self.zinnia.recognizer_strerror)(self.recognizer);
            if message.is_null() {
                return "no detail".to_owned();
            }
            CStr::from_ptr(message).to_string_lossy().into_owned()
        }
    }
}

impl Drop for Recognizer {
    fn drop(&mut self) {
        // SAFETY: both pointers were made by this library, are owned by
        // `self` alone and are not used after this.
        unsafe {
            if !self.character.is_null() {
                (self.zinnia.character_destroy)(self.character);
            }
            if !self.recognizer.is_null() {
                (self.zinnia.recognizer_destroy)(self.recognizer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handwriting::ink::Point;

    /// The recognizer when zinnia and its model are installed
    /// (`scripts/install-test-deps.sh`); None, with the reason printed,
    /// otherwise.
    fn recognizer() -> Option<Recognizer> {
        let opened = probe(Path::new(DEFAULT_MODEL))
            .and_then(|zinnia| Recognizer::open(zinnia, Path::new(DEFAULT_MODEL)));
        match opened {
            Ok(recognizer) => Some(recognizer),
            Err(why) => {
                eprintln!("skipped: {why}");
                None
            }
        }
    }

    fn line(ink: &mut Ink, from: (f32, f32), to: (f32, f32)) {
        ink.begin(Point {
            x: from.0,
            y: from.1,
        });
        for step in 1..=8 {
            let t = step as f32 / 8.0;
            ink.extend(Point {
                x: from.0 + (to.0 - from.0) * t,
                y: from.1 + (to.1 - from.1) * t,
            });
        }
    }

    #[test]
    fn a_missing_model_is_named() {
        let Ok(zinnia) = Zinnia::load() else { return };
        let missing = Path::new("/nonexistent/handwriting.model");
        let error = Recognizer::open(zinnia, missing).unwrap_err();
        assert_eq!(
            error,
            Unavailable::NoModel {
                path: missing.to_owned()
            }
        );
        assert!(
            error
                .to_string()
                .contains("tegaki-zinnia-simplified-chinese")
        );
    }

    #[test]
    fn a_file_that_is_no_model_is_refused() {
        let Ok(zinnia) = Zinnia::load() else { return };
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.model");
        std::fs::write(&junk, b"not a zinnia model").unwrap();
        let error = Recognizer::open(zinnia, &junk).unwrap_err();
        assert!(matches!(error, Unavailable::BadModel { .. }), "{error}");
    }

    #[test]
    fn recognizes_a_written_cross_per_stroke() {
        let Some(mut recognizer) = recognizer() else {
            return;
        };
        let mut ink = Ink::new(300.0, 300.0);
        assert_eq!(recognizer.classify(&ink, 10).unwrap(), []);
        line(&mut ink, (40.0, 150.0), (260.0, 150.0));
        let one = recognizer.classify(&ink, 10).unwrap();
        assert_eq!(one.first().map(|c| c.text.as_str()), Some("一"), "{one:?}");
        line(&mut ink, (150.0, 30.0), (150.0, 280.0));
        let two = recognizer.classify(&ink, 10).unwrap();
        assert_eq!(two.first().map(|c| c.text.as_str()), Some("十"), "{two:?}");
        assert!(two.len() > 1 && two.len() <= 10);
    }
}
