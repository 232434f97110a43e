//! Candidates in the visitor's script.
//!
//! The recognizer's model (`tegaki-zinnia-simplified-chinese`, Debian's only
//! zinnia model for Chinese) knows simplified characters. A zh-Hant visitor
//! is offered each candidate through the content's converter
//! ([`to_traditional`]): writing 门 or a 門 the model takes for 门 offers
//! 門. Search matches either script, so the query works the same.

use crate::content::Lang;
use crate::content::convert::to_traditional;

/// One recognized character and the recognizer's score (higher is better;
/// zinnia's SVM margin, not a probability).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The character.
    pub text: String,
    /// The recognizer's score.
    pub score: f32,
}

/// `candidates` as the visitor of `lang` reads them: traditional for
/// zh-Hant (a character whose traditional form is already offered is left
/// out), as recognized otherwise. The order stays.
pub fn in_script(candidates: Vec<Candidate>, lang: Lang) -> Vec<Candidate> {
    if lang != Lang::ZhHant {
        return candidates;
    }
    let mut shown: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let text = to_traditional(&candidate.text);
        if !shown.iter().any(|c| c.text == text) {
            shown.push(Candidate {
                text,
                score: candidate.score,
            });
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(text: &str) -> Candidate {
        Candidate {
            text: text.to_owned(),
            score: 0.0,
        }
    }

    #[test]
    fn traditional_visitors_get_traditional_candidates_once() {
        let found = vec![candidate("门"), candidate("門"), candidate("体")];
        let texts = |c: Vec<Candidate>| c.into_iter().map(|c| c.text).collect::<Vec<_>>();
        assert_eq!(texts(in_script(found.clone(), Lang::ZhHant)), ["門", "體"]);
        assert_eq!(texts(in_script(found, Lang::ZhHans)), ["门", "門", "体"]);
    }
}
