//! Normalised matching views of a text, with a map from every view char back to the original char offsets.
//!
//! Three levels, each a superset of the previous one's folding:
//! - [`Level::Fold`]: case folding, Latin accents and Arabic/Hebrew diacritics and tatweel removed, Arabic
//!   alef/ya/ta-marbuta/hamza and Persian letter variants unified, digits folded to ASCII.
//! - [`Level::Key`]: also drops separators inside names (spaces, hyphens, apostrophes, ZWNJ), folds letters that
//!   transliterations swap (ج/غ/گ for g, ڤ, ژ; not پ/ب, which would make Persian `اروپا` "Europe" the Arabic
//!   `اروبا` "Aruba") and collapses doubled letters, so `بيونغ يانغ`,
//!   `بيونج يانج` and `بيونغيانغ` share one key.
//! - [`Level::Loose`]: also drops Arabic-script long vowels inside words (`كييف` = `كيف`); only long names are
//!   matched at this level, because short keys without vowels collide.
//!
//! Hand-written: no crate folds Arabic-script spelling variants while keeping an offset map.

use icu_normalizer::DecomposingNormalizerBorrowed;

use crate::charclass;

/// How much a view folds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Orthographic folding only; separators kept.
    Fold,
    /// Spacing- and spelling-insensitive key.
    Key,
    /// Key without medial Arabic-script long vowels.
    Loose,
}

/// A normalised view: `text` plus, per view char, the run of original chars it came from.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The folded text.
    pub text: String,
    /// Per char of `text`: first and last original char index that produced it (a collapsed run spans several).
    origins: Vec<(u32, u32)>,
    /// Byte offset in `text` → char index in `text` (valid at char boundaries, plus the end).
    char_at_byte: Vec<u32>,
}

impl View {
    /// Builds the view of `original` at `level`.
    pub fn new(original: &str, level: Level) -> Self {
        Self::at_levels(original, &[level]).pop().unwrap_or_default()
    }

    /// Builds the views of `original` at each of `levels` in one pass (the per-char folding is shared).
    pub fn at_levels(original: &str, levels: &[Level]) -> Vec<Self> {
        let mut views = vec![View::default(); levels.len()];
        for view in &mut views {
            view.text.reserve(original.len());
            view.origins.reserve(original.len());
            view.char_at_byte.reserve(original.len() + 1);
        }
        fold_text_levels(original.chars(), levels, |k, c, origin, collapse| {
            let view = &mut views[k];
            if collapse {
                if let Some(last) = view.origins.last_mut() {
                    last.1 = origin;
                }
            } else {
                view.push(c, origin);
            }
        });
        for view in &mut views {
            view.char_at_byte.resize(view.text.len() + 1, 0);
            view.char_at_byte[view.text.len()] = view.origins.len() as u32;
        }
        views
    }

    fn push(&mut self, c: char, origin: u32) {
        let byte = self.text.len();
        self.char_at_byte.resize(byte + 1, 0);
        self.char_at_byte[byte] = self.origins.len() as u32;
        self.text.push(c);
        self.origins.push((origin, origin));
    }

    /// Original char runs `(first, last)` of the first and last view chars of the byte range `start..end`.
    pub fn origin_span(&self, start: usize, end: usize) -> Option<((u32, u32), (u32, u32))> {
        let first = *self.char_at_byte.get(start)? as usize;
        let last = (*self.char_at_byte.get(end)? as usize).checked_sub(1)?;
        Some((*self.origins.get(first)?, *self.origins.get(last)?))
    }
}

/// The key of a label or word at `level`, without offsets (no map is built: this runs for every KB label).
pub fn key(text: &str, level: Level) -> String {
    let mut out = String::with_capacity(text.len());
    key_into(text.chars(), level, &mut out);
    out
}

/// [`key`] of a char sequence, written into `out` (cleared first): lets per-word loops reuse one buffer.
pub fn key_into(chars: impl IntoIterator<Item = char>, level: Level, out: &mut String) {
    out.clear();
    fold_text(chars, level, |c, _, collapse| {
        if !collapse {
            out.push(c);
        }
    });
}

/// Folds `original` at `level`, calling `emit(char, original index, collapse)` per output char; `collapse` is
/// true when the char repeats the previous output char and extends its run instead.
fn fold_text(original: impl IntoIterator<Item = char>, level: Level, mut emit: impl FnMut(char, u32, bool)) {
    fold_text_levels(original, &[level], |_, c, origin, collapse| emit(c, origin, collapse));
}

/// [`fold_text`] at several levels at once: `emit(level index, char, original index, collapse)`. Each level
/// keeps its own previous output char; the folding of each original char is computed once for all.
fn fold_text_levels(
    original: impl IntoIterator<Item = char>,
    levels: &[Level],
    mut emit: impl FnMut(usize, char, u32, bool),
) {
    let mut prev_word_char = false;
    let mut last: Vec<Option<char>> = vec![None; levels.len()];
    let mut buf = Vec::with_capacity(4);
    for (i, c) in original.into_iter().enumerate() {
        let i = i as u32;
        let word_start = !prev_word_char;
        prev_word_char = is_word_char(c);
        buf.clear();
        fold_char(c, &mut buf);
        // Capitals are not collapsed: doubled letters in acronyms are distinct (`PPC` is not `PCC`).
        let cased = charclass::is_uppercase(c);
        for &f in &buf {
            for (k, (&level, last)) in levels.iter().zip(last.iter_mut()).enumerate() {
                let f = if level >= Level::Key {
                    if is_name_separator(f) {
                        continue;
                    }
                    key_class(f)
                } else {
                    f
                };
                if level == Level::Loose && !word_start && is_arabic_long_vowel(f) {
                    continue;
                }
                // Doubled Latin/Cyrillic letters vary across transliterations (Mohammed, Mohamed); in Arabic
                // script a doubled letter is usually a clitic meeting a word (`ببيروت`) and collapsing it makes
                // collisions.
                let collapse = level >= Level::Key
                    && !cased
                    && *last == Some(f)
                    && !is_arabic_script(f)
                    && !f.is_ascii_digit()
                    && is_letter(f);
                emit(k, f, i, collapse);
                *last = Some(f);
            }
        }
    }
}

/// A char that belongs to a word: letters, digits, combining marks and tatweel.
pub fn is_word_char(c: char) -> bool {
    is_letter(c) || is_mark(c) || c == '\u{640}' || (!c.is_ascii() && charclass::is_numeric(c))
}

/// `char::is_alphanumeric` with the scripts we see most answered by range: std's table lookup for non-ASCII
/// chars dominated KB load and matching profiles.
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7F}' => false,
        '\u{621}'..='\u{63A}' | '\u{641}'..='\u{64A}' | '\u{660}'..='\u{669}' | '\u{671}'..='\u{6D3}' => true,
        '\u{6F0}'..='\u{6F9}' | '\u{410}'..='\u{44F}' | '\u{4E00}'..='\u{9FFF}' => true,
        _ => charclass::is_alphanumeric(c),
    }
}

/// Combining marks we drop: Arabic harakat and Quranic marks, Hebrew points, Latin combining diacritics.
pub fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{300}'..='\u{36F}' | '\u{591}'..='\u{5C7}' | '\u{610}'..='\u{61A}' | '\u{64B}'..='\u{65F}'
        | '\u{670}' | '\u{6D6}'..='\u{6ED}' | '\u{8D3}'..='\u{8FF}')
}

/// Separators that may sit inside a name and are ignored in keys.
fn is_name_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'
                ..='\u{2015}'
                    | '\''
                    | '\u{2019}'
                    | '\u{2018}'
                    | '\u{2BC}'
                    | '\u{B7}'
                    | '\u{200C}'
                    | '\u{200D}'
                    | '\u{200E}'
                    | '\u{200F}'
                    | '\u{30FB}'
                    | '_'
        )
}

fn is_arabic_script(c: char) -> bool {
    matches!(c, '\u{600}'..='\u{6FF}' | '\u{750}'..='\u{77F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_arabic_long_vowel(c: char) -> bool {
    matches!(c, 'ا' | 'و' | 'ي')
}

/// Letters that transliterations of one foreign sound swap freely.
fn key_class(c: char) -> char {
    match c {
        'غ' | 'گ' | 'ڨ' => 'ج',
        'ڤ' | 'ڥ' => 'ف',
        'ژ' => 'ز',
        'ﺓ' => 'ه',
        _ => c,
    }
}

/// Appends the folded form of `c` (zero, one or more chars) to `out`.
pub fn fold_char(c: char, out: &mut Vec<char>) {
    let folded = match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ى' | 'ئ' | 'ی' | 'ۍ' | 'ې' => 'ي',
        'ة' | 'ۀ' | 'ە' => 'ه',
        'ؤ' => 'و',
        'ک' | 'ڪ' => 'ك',
        'ء' | '\u{640}' => return,
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        'ё' | 'Ё' => 'е',
        'ß' => {
            out.extend(['s', 's']);
            return;
        }
        _ if is_mark(c) => return,
        _ if c.is_ascii() => {
            out.push(c.to_ascii_lowercase());
            return;
        }
        // The Arabic block has no case: skips std's lower-case table search for most chars of Arabic text.
        '\u{600}'..='\u{6FF}' => c,
        _ if matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}') => {
            // Latin letters with accents: keep the base letter (Vladímir = Vladimir, Kyjiw = Kyjiw).
            let nfd = DecomposingNormalizerBorrowed::new_nfd();
            for d in nfd.normalize_iter(std::iter::once(c)) {
                if !is_mark(d) {
                    out.extend(d.to_lowercase());
                }
            }
            return;
        }
        _ => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push(folded);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pyongyang_spellings_share_one_key() {
        let a = key("بيونغ يانغ", Level::Key);
        assert_eq!(a, key("بيونج يانج", Level::Key));
        assert_eq!(a, key("بيونغيانغ", Level::Key));
        assert_eq!(key("P'yŏngyang", Level::Key), key("Pyongyang", Level::Key));
    }

    #[test]
    fn arabic_letters_and_diacritics_fold() {
        assert_eq!(key("أُوكْرَانِيَا", Level::Fold), key("اوكرانيا", Level::Fold));
        assert_eq!(key("كوريـــا", Level::Fold), "كوريا");
        assert_eq!(key("الجزيرة", Level::Fold), "الجزيره");
        assert_eq!(key("ایران", Level::Fold), key("إيران", Level::Fold));
        assert_eq!(key("١٢٣", Level::Fold), "123");
    }

    #[test]
    fn loose_level_drops_medial_long_vowels_only() {
        assert_eq!(key("كييف", Level::Loose), key("كيف", Level::Loose));
        assert!(key("اوكرانيا", Level::Loose).starts_with('ا'));
    }

    #[test]
    fn offsets_map_back_to_original_chars() {
        let text = "في بيونغ يانغ اليوم";
        let view = View::new(text, Level::Key);
        let k = key("بيونغيانغ", Level::Key);
        let start = view.text.find(&k).unwrap();
        let ((s, _), (_, e)) = view.origin_span(start, start + k.len()).unwrap();
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[s as usize..=e as usize].iter().collect::<String>(), "بيونغ يانغ");
    }

    #[test]
    fn views_built_together_equal_views_built_alone() {
        let text = "وبالقاهرة قال Mohammed bin Salman في بيونغ يانغ،  كييف- P'yŏngyang ١٢٣ ÉTÉ Straße";
        let levels = [Level::Fold, Level::Key, Level::Loose];
        let together = View::at_levels(text, &levels);
        for (view, level) in together.iter().zip(levels) {
            let alone = View::new(text, level);
            assert_eq!(view.text, alone.text);
            assert_eq!(view.origins, alone.origins);
            assert_eq!(view.char_at_byte, alone.char_at_byte);
            assert_eq!(view.text, key(text, level));
        }
    }

    #[test]
    fn arabic_block_is_caseless() {
        // `fold_char` keeps these chars as they are instead of lower-casing them.
        for c in '\u{600}'..='\u{6FF}' {
            assert!(c.to_lowercase().eq([c]), "{c:?} has a lower case");
        }
    }

    #[test]
    fn doubled_latin_letters_collapse_into_one_run() {
        let view = View::new("Mohammed", Level::Key);
        assert_eq!(view.text, "mohamed");
        let (_, (first, last)) = view.origin_span(0, 5).unwrap();
        assert_eq!((first, last), (4, 5));
        assert_eq!(key("ببيروت", Level::Key), "ببيروت");
    }
}
