//! Text tokenizer for the tagger: word and punctuation tokens with char offsets, sentence breaks, and the
//! trimming of Arabic proclitics off the start of a tagged name.
//!
//! Hand-written because the tokens must match the training corpora's conventions (CoNLL-style: punctuation
//! split off, abbreviations and acronyms keep their dot, Arabic clitics stay on the word as in ANERcorp), which
//! no general word segmenter reproduces; `unicode-segmentation` splits `U.S.` and keeps `l'État` whole.

use super::normalize::{is_arabic_letter, normalize};
use crate::charclass;

/// One token: its text and char (Unicode scalar) offsets into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token text.
    pub text: &'a str,
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
}

fn is_word(c: char) -> bool {
    charclass::is_alphanumeric(c) || is_mark(c)
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Han, kana and Hangul are split one char per token: no tagger reads them yet, and it keeps offsets exact.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}')
}

const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "Gen", "Col", "Lt", "Sgt", "Gov", "Sen",
    "Rep", "Prof", "Mt", "M", "Mme", "Mlle", "vs", "etc", "No", "Ave", "Bros",
];

/// Splits text into tokens. Inside a word, `'`, `’`, `-` and `.` are kept when a letter or digit follows
/// (`O'Neil`, `Jean-Pierre`, `U.S`), and `,` between digits (`1,000`); a final `.` stays on acronyms and known
/// abbreviations (`U.S.`, `Inc.`).
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if charclass::is_whitespace(c) || charclass::is_control(c) {
            i += 1;
            continue;
        }
        let start = i;
        if is_cjk(c) || !is_word(c) {
            i += 1;
        } else {
            while i < chars.len() {
                let c = chars[i].1;
                if is_cjk(c) {
                    break;
                }
                if is_word(c) {
                    i += 1;
                    continue;
                }
                let next = chars.get(i + 1).map(|x| x.1);
                let joins = match c {
                    '\'' | '’' | '-' | '.' => next.is_some_and(|n| is_word(n) && !is_cjk(n)),
                    ',' => chars[i - 1].1.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                    _ => false,
                };
                if !joins {
                    break;
                }
                i += 1;
            }
            if chars.get(i).is_some_and(|x| x.1 == '.') {
                let word = &text[byte_at(start)..byte_at(i)];
                if word.contains('.') || ABBREVIATIONS.contains(&word) {
                    i += 1;
                }
            }
        }
        out.push(Token { text: &text[byte_at(start)..byte_at(i)], start, end: i });
    }
    out
}

/// Splits a token list into sentences: after `.`, `?`, `!`, `؟`, `。` tokens, at line breaks, and every 200
/// tokens (long runs without punctuation are page furniture, and shorter inputs keep decoding local).
pub fn sentences(text: &str, tokens: &[Token<'_>]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut begin = 0;
    let chars: Vec<char> = text.chars().collect();
    for (k, t) in tokens.iter().enumerate() {
        let terminal = matches!(t.text, "." | "?" | "!" | "؟" | "。" | "！" | "？");
        let newline = tokens.get(k + 1).is_some_and(|n| chars[t.end..n.start].contains(&'\n'));
        if terminal || newline || k + 1 - begin >= 200 {
            out.push(begin..k + 1);
            begin = k + 1;
        }
    }
    if begin < tokens.len() {
        out.push(begin..tokens.len());
    }
    out
}

/// Number of leading chars of an Arabic token to leave out of a name it starts: a conjunction (`و`, `ف`)
/// and/or preposition (`ب`, `ك`, `ل`) glued to the name. `known` scores a normalised form as a name (how often
/// it was seen inside names in training, gazetteer names counting once). The letters are stripped when what
/// remains is known at least as well as the whole token (`وروسيا` → `روسيا`, but `واشنطن` stays), or starts
/// with the article `ال` while the whole token is unknown (`وبالقاهرة` → `القاهرة`, but `بالي` stays). Names that
/// merely start with these letters (`بغداد`, `فرنسا`) keep them, since their remainder is no name. `لل` (`ل` +
/// `ال` with the alef elided) is left whole: no substring of it spells the name.
pub fn proclitic_chars(token: &str, known: &dyn Fn(&str) -> u32) -> usize {
    if !token.chars().next().is_some_and(is_arabic_letter) {
        return 0;
    }
    let mut norm = String::new();
    normalize(token, &mut norm);
    let whole_known = known(&norm);
    // Candidate strips of 1 and 2 letters, shorter first.
    let letters: Vec<char> = norm.chars().collect();
    let mut best = 0;
    for k in 1..=2usize {
        if letters.len() < k + 2 {
            break;
        }
        let ok_prefix = match k {
            1 => "وفبكل".contains(letters[0]),
            _ => "وف".contains(letters[0]) && "بكل".contains(letters[1]),
        };
        if !ok_prefix {
            continue;
        }
        let rest: String = letters[k..].iter().collect();
        if rest.starts_with("لل") {
            continue;
        }
        let rest_known = known(&rest);
        if (rest_known > 0 && rest_known >= whole_known) || (rest.starts_with("ال") && whole_known == 0) {
            best = k;
            break;
        }
    }
    if best == 0 {
        return 0;
    }
    // Skip `best` letters of the original token and any marks that ride on them.
    let mut letters_seen = 0;
    let mut n = 0;
    for c in token.chars() {
        if is_mark(c) || ('\u{200C}'..='\u{200F}').contains(&c) {
            n += 1;
            continue;
        }
        if letters_seen == best {
            break;
        }
        letters_seen += 1;
        n += 1;
    }
    n
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn latin_punctuation_and_abbreviations() {
        assert_eq!(
            texts("Mr. O'Neil (U.S.) paid $1,000, then left."),
            ["Mr.", "O'Neil", "(", "U.S.", ")", "paid", "$", "1,000", ",", "then", "left", "."]
        );
        assert_eq!(texts("Jean-Pierre vit à l'Élysée."), ["Jean-Pierre", "vit", "à", "l'Élysée", "."]);
    }

    #[test]
    fn offsets_are_char_offsets_inside_the_text() {
        let text = "قال «محمد» في 北京 إنّ Ünïcode—test…";
        let chars: Vec<char> = text.chars().collect();
        let toks = tokenize(text);
        assert!(toks.iter().any(|t| t.text == "北"));
        for t in &toks {
            assert!(t.start < t.end && t.end <= chars.len());
            assert_eq!(chars[t.start..t.end].iter().collect::<String>(), t.text);
        }
        assert!(toks.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn sentence_breaks() {
        let text = "A b. C d\nE f";
        let toks = tokenize(text);
        assert_eq!(sentences(text, &toks), vec![0..3, 3..5, 5..7]);
    }

    #[test]
    fn arabic_proclitics_trimmed_only_when_the_rest_is_a_name() {
        let known = |w: &str| match w {
            "روسيا" | "واشنطن" => 5,
            "بغداد" | "وروسيا" | "بالي" | "اشنطن" => 1,
            _ => 0,
        };
        assert_eq!(proclitic_chars("وروسيا", &known), 1);
        assert_eq!(proclitic_chars("وبالقاهرة", &known), 2);
        assert_eq!(proclitic_chars("بغداد", &known), 0);
        assert_eq!(proclitic_chars("فرنسا", &known), 0);
        assert_eq!(proclitic_chars("للأمم", &known), 0);
        assert_eq!(proclitic_chars("Paris", &known), 0);
        assert_eq!(proclitic_chars("بالي", &known), 0);
        assert_eq!(proclitic_chars("واشنطن", &known), 0);
        // Marks on a stripped letter go with it.
        assert_eq!(proclitic_chars("وَروسيا", &known), 2);
    }

    proptest::proptest! {
        #[test]
        fn tokens_are_ordered_slices_of_the_text(text in "(\\PC|[ .,'\\-\n]|وال|U\\.S\\.){0,60}") {
            let chars: Vec<char> = text.chars().collect();
            let toks = tokenize(&text);
            for t in &toks {
                proptest::prop_assert!(t.start < t.end && t.end <= chars.len());
                proptest::prop_assert_eq!(chars[t.start..t.end].iter().collect::<String>(), t.text);
                proptest::prop_assert!(proclitic_chars(t.text, &|_| 1) < t.end - t.start);
            }
            proptest::prop_assert!(toks.windows(2).all(|w| w[0].end <= w[1].start));
            let sents = sentences(&text, &toks);
            proptest::prop_assert_eq!(sents.iter().map(|r| r.len()).sum::<usize>(), toks.len());
        }
    }
}
