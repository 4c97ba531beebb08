//! Output normalisation: NFC, presentation forms folded, invisible junk removed, whitespace collapsed.
//!
//! This is the form every text field leaves the stage in. It is deliberately not NFKC: compatibility folding
//! rewrites word ligatures such as ﷺ and superscripts that readers expect to see. Harder folding for matching
//! (tatweel, diacritics, letter variants) belongs to the entities stage's matching view, not here.

use std::borrow::Cow;

use icu_normalizer::ComposingNormalizerBorrowed;

/// Decodes HTML character references (`&amp;`, `&#1576;`, `&nbsp;`) left in text dumps and metadata.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if s.contains('&') {
        html_escape::decode_html_entities(s)
    } else {
        Cow::Borrowed(s)
    }
}

/// Normalises one line or paragraph: the result has no newline and no leading, trailing or doubled spaces.
pub fn inline(s: &str) -> String {
    let folded = fold_chars(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Normalises a multi-paragraph text: each line is normalised inline and blank-line runs become one `\n\n`.
/// Lines that are not separated by a blank line stay separate paragraphs as well, since dumps and extractors
/// write one block per line.
pub fn paragraphs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let line = inline(line);
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&line);
    }
    out
}

/// NFC plus the character-level rules; every kind of whitespace becomes a plain space (newlines included),
/// so callers split lines first.
fn fold_chars(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            // Zero-width non-joiner is spelling inside Persian (and Kurdish, Urdu) words: keep it only there.
            '\u{200C}' => {
                let joins_letters =
                    i > 0 && i + 1 < chars.len() && is_arabic_letter(chars[i - 1]) && is_arabic_letter(chars[i + 1]);
                if joins_letters {
                    out.push(c);
                }
            }
            // Zero-width joiner only means something inside emoji sequences.
            '\u{200D}' => {
                if i > 0 && is_emoji_like(chars[i - 1]) {
                    out.push(c);
                }
            }
            c if is_invisible_junk(c) => {}
            c if c.is_whitespace() => out.push(' '),
            c if c.is_control() => {}
            c if is_foldable_presentation_form(c) => {
                let mut buf = [0u8; 4];
                let nfkc = ComposingNormalizerBorrowed::new_nfkc().normalize(c.encode_utf8(&mut buf));
                out.push_str(&nfkc);
            }
            c => out.push(c),
        }
    }
    match ComposingNormalizerBorrowed::new_nfc().normalize(&out) {
        Cow::Borrowed(_) => out,
        Cow::Owned(nfc) => nfc,
    }
}

/// Direction marks and embeddings, zero-width spaces, BOM, word joiner, soft hyphen, variation selectors
/// outside emoji: all invisible, all noise for search and offsets.
fn is_invisible_junk(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFFC}'
            | '\u{FFFD}'
    )
}

/// Arabic and Latin presentation forms that only exist for legacy rendering. The Arabic word ligatures
/// U+FDF0–U+FDFF (ﷲ, ﷺ, ...) are left alone: they are what the author wrote.
fn is_foldable_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB00}'..='\u{FB06}' | '\u{FB50}'..='\u{FDCF}' | '\u{FE70}'..='\u{FEFC}')
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}')
}

fn is_emoji_like(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27BF}' | '\u{1F000}'..='\u{1FAFF}' | '\u{FE0F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_whitespace_of_every_kind() {
        assert_eq!(inline(" a\u{00A0}\u{00A0}b\tc\u{3000} "), "a b c");
        assert_eq!(paragraphs("one\n\n\n  two  \n\nthree"), "one\n\ntwo\n\nthree");
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(inline("e\u{0301}te\u{0301}"), "\u{00E9}t\u{00E9}");
    }

    #[test]
    fn folds_arabic_presentation_forms_but_keeps_word_ligatures() {
        // ﻛﺘﺎﺏ in presentation forms is the word كتاب; ﷺ stays as written.
        assert_eq!(inline("\u{FEDB}\u{FE98}\u{FE8E}\u{FE8F} \u{FDFA}"), "كتاب \u{FDFA}");
        assert_eq!(inline("\u{FB01}le"), "file");
    }

    #[test]
    fn keeps_zwnj_inside_persian_words_only() {
        assert_eq!(inline("می\u{200C}خواهم"), "می\u{200C}خواهم");
        assert_eq!(inline("word\u{200C} next\u{200C}"), "word next");
    }

    #[test]
    fn removes_direction_marks_and_zero_width_junk() {
        assert_eq!(inline("\u{200F}مرحبا\u{200E} \u{202B}x\u{202C}\u{200B}y\u{FEFF}"), "مرحبا xy");
    }

    #[test]
    fn decodes_entities() {
        assert_eq!(decode_entities("Tom &amp; Jerry&nbsp;&#1576;"), "Tom & Jerry\u{00A0}\u{0628}");
    }
}
