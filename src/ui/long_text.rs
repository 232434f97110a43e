//! Long bodies on a kiosk: a paragraph is cut into chunks of a few hundred
//! characters, and a page shows the first [`PAGE_CHARS`] characters of its
//! blocks, then more when the visitor asks ("read on").
//!
//! Slint lays out every text of a page when it opens, to know the page's
//! height: one 5 MB paragraph froze the screen for seconds and took
//! 300 MB. Chunks keep each text item small; pages bound what one tap lays
//! out to a frame or two.

use slint::{Model, ModelRc, VecModel};

use super::{BlockData, DetailData};

/// The longest chunk of a paragraph, in characters.
pub const CHUNK_CHARS: usize = 1_000;
/// A chunk ends at a sentence end found in its last part, when there is one.
const SENTENCE_SEARCH: usize = 400;
/// Characters laid out per page of a long body: about six screens at the
/// default text size, and a frame or two to lay out when a page opens.
pub const PAGE_CHARS: usize = 5_000;
/// What a block without text (image, QR code, table card) counts for.
const BLOCK_CHARS: usize = 300;

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n' | '.' | '!' | '?' | ';')
}

/// The paragraph `text` in chunks of at most [`CHUNK_CHARS`] characters,
/// cut after a sentence end where one is near the limit. The chunks are
/// slices of `text`: a 5 MB paragraph is cut without copying it.
fn chunks(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let limit = byte_after_chars(rest, CHUNK_CHARS);
        let mut cut = limit;
        if limit < rest.len() {
            let window_start = byte_before_chars(&rest[..limit], SENTENCE_SEARCH);
            if let Some((at, c)) = rest[window_start..limit]
                .char_indices()
                .rev()
                .find(|(_, c)| is_sentence_end(*c))
            {
                cut = window_start + at + c.len_utf8();
            }
        }
        let (chunk, tail) = rest.split_at(cut);
        rest = tail.trim_start_matches('\n');
        Some(chunk.trim_end_matches('\n'))
    })
}

/// Whether `byte` starts a character in UTF-8 (is not a continuation byte).
fn starts_char(byte: u8) -> bool {
    (byte as i8) >= -0x40
}

/// The byte index of the character after the first `chars` characters of
/// `text` (its length when it is shorter), found by counting the bytes
/// that start a character: no decoding.
fn byte_after_chars(text: &str, chars: usize) -> usize {
    text.bytes()
        .enumerate()
        .filter(|(_, byte)| starts_char(*byte))
        .nth(chars)
        .map_or(text.len(), |(at, _)| at)
}

/// The byte index at which the last `chars` characters of `text` start
/// (0 when it is shorter).
fn byte_before_chars(text: &str, chars: usize) -> usize {
    text.bytes()
        .enumerate()
        .rev()
        .filter(|(_, byte)| starts_char(*byte))
        .nth(chars.saturating_sub(1))
        .map_or(0, |(at, _)| at)
}

/// What `blocks` weigh, in characters: their text, and a fixed share for a
/// block without text.
pub fn chars(blocks: &[BlockData]) -> usize {
    blocks.iter().map(weight).sum()
}

fn weight(block: &BlockData) -> usize {
    let text = block.text.chars().count()
        + block
            .items
            .iter()
            .map(|item| item.chars().count())
            .sum::<usize>();
    text.max(BLOCK_CHARS)
}

/// The blocks `pages` pages show, long paragraphs in chunks: each page
/// holds whole blocks and chunks up to [`PAGE_CHARS`] characters and at
/// least one of them. When something is left out, the weight of what is
/// left (counted without cutting the rest into chunks).
fn shown(blocks: &[BlockData], pages: usize) -> (Vec<BlockData>, Option<usize>) {
    let pages = pages.max(1);
    let (mut page, mut page_used) = (1, 0);
    // Whether a piece of this weight still goes on one of the pages.
    let mut fits = |weight: usize| {
        if page_used > 0 && page_used + weight > PAGE_CHARS {
            page += 1;
            page_used = 0;
        }
        page_used += weight;
        page <= pages
    };
    let rest = |index: usize| blocks[index..].iter().map(weight).sum::<usize>();
    let mut shown = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        if block.kind != "paragraph" {
            if !fits(weight(block)) {
                return (shown, Some(rest(index)));
            }
            shown.push(block.clone());
            continue;
        }
        let text = block.text.as_str();
        for chunk in chunks(text) {
            if !fits(chunk.chars().count().max(BLOCK_CHARS)) {
                // The chunk is a slice of `text`: what is left starts there.
                let offset = chunk.as_ptr() as usize - text.as_ptr() as usize;
                let left = text[offset..].chars().count().max(BLOCK_CHARS);
                return (shown, Some(left + rest(index + 1)));
            }
            shown.push(BlockData {
                text: chunk.into(),
                ..block.clone()
            });
        }
    }
    (shown, None)
}

/// Cuts `detail` to what `pages` pages show, long paragraphs in chunks
/// (only the chunks shown are made: a 5 MB paragraph costs its first
/// pages); when more follows, its `more` names the button that shows it
/// (`read_more`, with the share not yet shown).
pub fn paginate(detail: &mut DetailData, pages: usize, read_more: &str) {
    let blocks: Vec<BlockData> = detail.blocks.iter().collect();
    let (shown, left) = shown(&blocks, pages);
    detail.more = match left {
        Some(left) => {
            let used: usize = shown.iter().map(weight).sum();
            let percent = (left * 100).div_ceil((used + left).max(1));
            format!("{read_more} ({percent}%) ↓").into()
        }
        None => "".into(),
    };
    detail.blocks = ModelRc::new(VecModel::from(shown));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_paragraphs_stay_whole() {
        let chunks: Vec<&str> = chunks("一句话。").collect();
        assert_eq!(chunks, ["一句话。"]);
        assert_eq!(super::chunks("").count(), 0);
    }

    #[test]
    fn long_paragraphs_are_cut_after_sentences_and_lose_nothing() {
        let sentence = "市属公共体育场馆在法定节假日免费开放。";
        let text = sentence.repeat(200);
        let chunks: Vec<&str> = chunks(&text).collect();
        assert!(chunks.len() > 1);
        assert!(chunks.iter().all(|c| c.chars().count() <= CHUNK_CHARS));
        assert!(
            chunks.iter().all(|c| c.ends_with('。')),
            "cut after a sentence"
        );
        assert_eq!(chunks.concat(), text);
    }

    #[test]
    fn text_without_sentence_ends_is_cut_at_the_limit() {
        let text = "体".repeat(2 * CHUNK_CHARS + 5);
        let lengths: Vec<usize> = chunks(&text).map(|c| c.chars().count()).collect();
        assert_eq!(lengths, [CHUNK_CHARS, CHUNK_CHARS, 5]);
    }

    #[test]
    fn mixed_scripts_are_cut_by_characters_not_bytes() {
        let text = "Room 3A 体育馆 🏸 open 9:00–21:00, ".repeat(300);
        let chunks: Vec<&str> = chunks(&text).collect();
        let lengths: Vec<usize> = chunks.iter().map(|c| c.chars().count()).collect();
        assert!(lengths.iter().all(|n| *n <= CHUNK_CHARS), "{lengths:?}");
        assert!(lengths[0] > CHUNK_CHARS - SENTENCE_SEARCH, "{lengths:?}");
        assert_eq!(chunks.concat(), text);
    }

    #[test]
    fn pages_hold_whole_blocks_and_chunks_up_to_the_budget() {
        let block = |kind: &str, chars: usize| BlockData {
            kind: kind.into(),
            text: "字".repeat(chars).into(),
            ..BlockData::default()
        };
        let count = |blocks: &[BlockData], pages| shown(blocks, pages).0.len();
        let all = |blocks: &[BlockData], pages| {
            let (shown, left) = shown(blocks, pages);
            shown.len() == blocks.len() && left.is_none()
        };
        let lists: Vec<BlockData> = (0..30).map(|_| block("list", CHUNK_CHARS)).collect();
        let first = count(&lists, 1);
        assert_eq!(first, PAGE_CHARS / CHUNK_CHARS);
        assert_eq!(count(&lists, 2), 2 * first);
        assert!(all(&lists, 100));
        assert_eq!(count(&lists[..3], 1), 3);
        // One huge block still shows, and each page adds one.
        let huge = [block("list", 5 * PAGE_CHARS), block("list", 5 * PAGE_CHARS)];
        assert_eq!(shown(&huge, 1).0.len(), 1);
        assert!(all(&huge, 2));
        // A long paragraph is cut into chunks, a page of them at a time.
        let long = [block("paragraph", 30 * CHUNK_CHARS)];
        let (page, left) = shown(&long, 1);
        assert_eq!(left, Some(25 * CHUNK_CHARS));
        assert_eq!(page.len(), PAGE_CHARS / CHUNK_CHARS);
        assert!(
            page.iter()
                .all(|b| b.kind == "paragraph" && b.text.chars().count() == CHUNK_CHARS)
        );
        assert_eq!(shown(&long, 30).0.len(), 30);
        // Every page adds something, even before a block larger than a page.
        let mut mixed: Vec<BlockData> = (0..5).map(|_| block("paragraph", 900)).collect();
        mixed.push(block("list", 12_000));
        assert_eq!(count(&mixed, 1), 5);
        assert!(all(&mixed, 2));
    }

    #[test]
    fn what_is_left_is_never_counted_as_nothing() {
        let text: String = "字".repeat(CHUNK_CHARS + 1);
        let block = BlockData {
            kind: "paragraph".into(),
            text: text.into(),
            ..BlockData::default()
        };
        let mut detail = DetailData {
            blocks: ModelRc::new(VecModel::from(vec![block; 4])),
            ..DetailData::default()
        };
        paginate(&mut detail, 1, "继续阅读");
        assert!(detail.more.starts_with("继续阅读 ("), "{}", detail.more);
        assert!(!detail.more.contains("(0%)"), "{}", detail.more);
    }
}
