//! Character classes for the hot loops: `char::is_alphabetic` and friends answered from a table for the scripts
//! news is mostly written in, with the standard library's answer everywhere else.
//!
//! std answers ASCII inline but walks a compressed table for every other char; that walk was 9-13% of a text
//! article's instructions (callgrind), called per char by the NER word shape, the date tokenizer, the language
//! preparation and the furniture counts. The table below covers U+0000..U+07FF (Latin, Greek, Cyrillic,
//! Armenian, Hebrew, Arabic, Syriac) and is filled from std's own predicates on first use, so every answer is
//! std's by construction (a test checks the whole range); only the lookup is cheaper.

use std::sync::LazyLock;

const ALPHA: u8 = 1;
const ALNUM: u8 = 1 << 1;
const UPPER: u8 = 1 << 2;
const LOWER: u8 = 1 << 3;
const NUMERIC: u8 = 1 << 4;
const WHITESPACE: u8 = 1 << 5;
const CONTROL: u8 = 1 << 6;

/// Chars below this are answered by the table.
const TABLE_END: u32 = 0x800;

static TABLE: LazyLock<[u8; TABLE_END as usize]> = LazyLock::new(|| {
    let mut table = [0u8; TABLE_END as usize];
    for (cp, slot) in table.iter_mut().enumerate() {
        let Some(c) = char::from_u32(cp as u32) else { continue };
        let classes = [
            (c.is_alphabetic(), ALPHA),
            (c.is_alphanumeric(), ALNUM),
            (c.is_uppercase(), UPPER),
            (c.is_lowercase(), LOWER),
            (c.is_numeric(), NUMERIC),
            (c.is_whitespace(), WHITESPACE),
            (c.is_control(), CONTROL),
        ];
        *slot = classes.iter().filter(|(yes, _)| *yes).fold(0, |k, (_, bit)| k | bit);
    }
    table
});

#[inline]
fn class(c: char) -> Option<u8> {
    TABLE.get(c as usize).copied()
}

/// Same as [`char::is_alphabetic`].
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    class(c).map_or_else(|| c.is_alphabetic(), |k| k & ALPHA != 0)
}

/// Same as [`char::is_alphanumeric`].
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    class(c).map_or_else(|| c.is_alphanumeric(), |k| k & ALNUM != 0)
}

/// Same as [`char::is_uppercase`].
#[inline]
pub fn is_uppercase(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    class(c).map_or_else(|| c.is_uppercase(), |k| k & UPPER != 0)
}

/// Same as [`char::is_lowercase`].
#[inline]
pub fn is_lowercase(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    class(c).map_or_else(|| c.is_lowercase(), |k| k & LOWER != 0)
}

/// Same as [`char::is_numeric`].
#[inline]
pub fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    class(c).map_or_else(|| c.is_numeric(), |k| k & NUMERIC != 0)
}

/// Same as [`char::is_whitespace`].
#[inline]
pub fn is_whitespace(c: char) -> bool {
    class(c).map_or_else(|| c.is_whitespace(), |k| k & WHITESPACE != 0)
}

/// Same as [`char::is_control`].
#[inline]
pub fn is_control(c: char) -> bool {
    class(c).map_or_else(|| c.is_control(), |k| k & CONTROL != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Pair = (fn(char) -> bool, fn(char) -> bool);

    #[test]
    fn every_answer_is_std_s_answer() {
        let pairs: [(&str, Pair); 7] = [
            ("alphabetic", (is_alphabetic, char::is_alphabetic)),
            ("alphanumeric", (is_alphanumeric, char::is_alphanumeric)),
            ("uppercase", (is_uppercase, char::is_uppercase)),
            ("lowercase", (is_lowercase, char::is_lowercase)),
            ("numeric", (is_numeric, char::is_numeric)),
            ("whitespace", (is_whitespace, char::is_whitespace)),
            ("control", (is_control, char::is_control)),
        ];
        // The table's range, the fallback just past it, and a sample of the rest of the code space.
        let probes = (0..0x1000u32).chain((0x1000..=0x10FFFF).step_by(97)).filter_map(char::from_u32);
        for c in probes {
            for (name, (ours, std)) in &pairs {
                assert_eq!(ours(c), std(c), "{name} of U+{:04X}", c as u32);
            }
        }
    }
}
