//! Folding for matching only (never for output): case, Arabic letter variants and diacritics, digits.
//!
//! Dates and furniture detection compare text through these folds so `الإثنين`/`الاثنين`, `٢٠٢٤`/`2024` and
//! `Février`/`fevrier` meet. The text the stage outputs is never folded.

/// Folds a name or a piece of text for lookup: lower case, no dots, spaces or accents that vary between
/// sites, Arabic letter variants and diacritics unified, Arabic-Indic and Persian digits as ASCII.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out.retain(|c| c != '.' && c != ' ');
    out
}

/// The per-character part of [`fold_key`], shared with the date tokenizer (which keeps spaces and dots).
pub fn fold_char(c: char, out: &mut String) {
    for c in c.to_lowercase() {
        fold_lower(c, out);
    }
}

fn fold_lower(c: char, out: &mut String) {
    match c {
        '\u{0660}'..='\u{0669}' => out.push(char::from(b'0' + (c as u32 - 0x0660) as u8)),
        '\u{06F0}'..='\u{06F9}' => out.push(char::from(b'0' + (c as u32 - 0x06F0) as u8)),
        'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
        'ى' | 'ی' | 'ې' => out.push('ي'),
        'ک' => out.push('ك'),
        'ة' => out.push('ه'),
        'ڤ' => out.push('ف'),
        '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}' | '\u{200C}' | '\u{200D}' => {}
        '،' => out.push(','),
        'é' | 'è' | 'ê' | 'ë' => out.push('e'),
        'û' | 'ü' | 'ú' => out.push('u'),
        'ä' | 'á' | 'à' | 'â' => out.push('a'),
        'ö' | 'ó' | 'ô' => out.push('o'),
        'í' | 'î' | 'ï' => out.push('i'),
        'ı' => out.push('i'),
        'ç' => out.push('c'),
        'ş' => out.push('s'),
        'ğ' => out.push('g'),
        'ñ' => out.push('n'),
        c => out.push(c),
    }
}

/// Folds text for parsing: like [`fold_key`] but keeping spaces and dots, with all whitespace as one space.
pub fn fold_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() {
            out.push(' ');
        } else {
            fold_char(c, &mut out);
        }
    }
    out
}

/// The shortest prefix of [`fold_text`]`(s)` that is at least `min_bytes` long (or all of it): what a
/// `starts_with` test against patterns of at most that length needs, without folding a whole paragraph.
pub fn fold_prefix(s: &str, min_bytes: usize) -> String {
    let mut out = String::with_capacity(min_bytes + 8);
    for c in s.chars() {
        if out.len() >= min_bytes {
            break;
        }
        if c.is_whitespace() {
            out.push(' ');
        } else {
            fold_char(c, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_digits_letters_and_case() {
        assert_eq!(fold_key("١٨ ۲۰۲۴"), "182024");
        assert_eq!(fold_text("الإثنين Février Şubat"), "الاثنين fevrier subat");
    }

    #[test]
    fn a_folded_prefix_is_a_prefix_of_the_folded_text() {
        let text = "اقرأ أيضاً: الحكومة\tÉTÉ İstanbul ١٨ ۲۰۲۴";
        let whole = fold_text(text);
        for n in 0..=whole.len() + 2 {
            let prefix = fold_prefix(text, n);
            assert!(whole.starts_with(&prefix), "{n}");
            assert!(prefix.len() >= n.min(whole.len()), "{n}");
        }
    }
}
