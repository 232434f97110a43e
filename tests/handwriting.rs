//! The handwriting recognizer on recorded writing
//! (tests/fixtures/handwriting/characters.toml): each character is offered
//! to a visitor of its script among the first candidates, per stroke, and
//! the shapes the model does not know are the ones listed as such.
//! Skipped, with the reason, where libzinnia or its model is missing
//! (`scripts/install-test-deps.sh` installs them).

use std::path::Path;

use lobby_kiosk::handwriting::recorded::{self, Recorded};
use lobby_kiosk::handwriting::{DEFAULT_MODEL, Recognizer, in_script, probe};

/// The candidates the pad shows.
const SHOWN: usize = 10;
/// The pad's side in the portrait layout (logical px).
const PAD: f32 = 560.0;

fn recorded() -> Vec<Recorded> {
    recorded::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handwriting/characters.toml"),
    )
    .expect("the fixtures load")
}

fn recognizer() -> Option<Recognizer> {
    let model = Path::new(DEFAULT_MODEL);
    match probe(model).and_then(|zinnia| Recognizer::open(zinnia, model)) {
        Ok(recognizer) => Some(recognizer),
        Err(why) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// Where `recorded`'s character is among the candidates a visitor of its
/// script is shown after its last stroke (None: not shown).
fn rank(recognizer: &mut Recognizer, recorded: &Recorded) -> (Option<usize>, Vec<String>) {
    let ink = recorded.ink(PAD, recorded.strokes.len());
    let found = recognizer.classify(&ink, SHOWN).expect("classified");
    let shown: Vec<String> = in_script(found, recorded.script.lang())
        .into_iter()
        .map(|c| c.text)
        .collect();
    (shown.iter().position(|c| *c == recorded.text), shown)
}

#[test]
fn recorded_characters_are_offered_in_the_visitors_script() {
    let Some(mut recognizer) = recognizer() else {
        return;
    };
    let mut report = Vec::new();
    let mut wrong = Vec::new();
    for character in recorded() {
        let (rank, shown) = rank(&mut recognizer, &character);
        report.push(format!(
            "{} ({:?}): {} — {}",
            character.text,
            character.script,
            rank.map_or("not offered".to_owned(), |r| format!("#{}", r + 1)),
            shown.join(" ")
        ));
        if rank.is_some() != character.recognized {
            wrong.push(character.text.clone());
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        wrong.is_empty(),
        "recognized otherwise than listed: {wrong:?}\n{}",
        report.join("\n")
    );
}

#[test]
fn candidates_follow_each_stroke() {
    let Some(mut recognizer) = recognizer() else {
        return;
    };
    let characters = recorded();
    let three = characters
        .iter()
        .find(|c| c.text == "三")
        .expect("三 is recorded");
    for (strokes, expected) in ["一", "二", "三"].into_iter().enumerate() {
        let found = recognizer
            .classify(&three.ink(PAD, strokes + 1), SHOWN)
            .unwrap();
        assert!(
            found.iter().any(|c| c.text == expected),
            "{expected} after {} strokes: {found:?}",
            strokes + 1
        );
    }
}
