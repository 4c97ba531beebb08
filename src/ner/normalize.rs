//! Token normalisation for features: Arabic orthographic folding and clitic stripping, case folding, word shape.

use crate::charclass;

/// Folds a token into the form its word features use: lower case; Arabic diacritics and tatweel dropped,
/// alef variants, alef maqsura and teh marbuta folded (writers vary on exactly these letters).
pub fn normalize(token: &str, out: &mut String) {
    out.clear();
    for c in token.chars() {
        match c {
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' | '\u{200C}'..='\u{200F}' => {}
            'أ' | 'إ' | 'آ' | 'ٱ' => out.push('ا'),
            'ى' => out.push('ي'),
            'ة' => out.push('ه'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// True for letters of the Arabic script block.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}')
}

/// Proclitics found on a normalised Arabic token, and the stem left after stripping them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clitics<'a> {
    /// Byte length of the stripped prefix (conjunction, preposition, article), 0 when none.
    pub prefix_len: usize,
    /// Conjunction `و`/`ف` present.
    pub conj: bool,
    /// Preposition `ب`/`ك`/`ل` present.
    pub prep: bool,
    /// Definite article present (including `لل` = `ل` + `ال`).
    pub article: bool,
    /// The token without its proclitics.
    pub stem: &'a str,
}

/// Strips Arabic proclitics from a normalised token: conjunction (`و`, `ف`), then preposition (`ب`, `ك`, `ل`),
/// then article (`ال`; `لل` for `ل`+`ال`). A strip is taken only when at least three letters remain, since
/// names such as `بغداد` or `فرنسا` start with the same letters; the stem feature tolerates the rest.
pub fn strip_clitics(norm: &str) -> Clitics<'_> {
    let mut rest = norm;
    let mut c = Clitics { prefix_len: 0, conj: false, prep: false, article: false, stem: norm };
    let long_enough = |s: &str| s.chars().count() >= 3;
    for conj in ["و", "ف"] {
        if let Some(r) = rest.strip_prefix(conj) {
            if long_enough(r) {
                rest = r;
                c.conj = true;
                break;
            }
        }
    }
    if let Some(r) = rest.strip_prefix("لل") {
        if long_enough(r) {
            rest = r;
            c.prep = true;
            c.article = true;
        }
    }
    if !c.article {
        for prep in ["ب", "ك", "ل"] {
            if let Some(r) = rest.strip_prefix(prep) {
                if r.starts_with("ال") && long_enough(&r[4..]) {
                    rest = r;
                    c.prep = true;
                    break;
                }
            }
        }
        if let Some(r) = rest.strip_prefix("ال") {
            if long_enough(r) {
                rest = r;
                c.article = true;
            }
        }
    }
    c.prefix_len = norm.len() - rest.len();
    c.stem = rest;
    c
}

/// A compact word shape for cased scripts: runs of upper (`X`), lower (`x`), digit (`d`) and other characters
/// collapsed, e.g. `McDonald` → `XxXx`, `B-52` → `X-d`.
pub fn shape(token: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    for c in token.chars() {
        let k = if charclass::is_uppercase(c) {
            'X'
        } else if charclass::is_lowercase(c) {
            'x'
        } else if charclass::is_numeric(c) {
            'd'
        } else if charclass::is_alphabetic(c) {
            'a'
        } else {
            c
        };
        if k != last {
            out.push(k);
            last = k;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        let mut out = String::new();
        normalize(s, &mut out);
        out
    }

    #[test]
    fn arabic_folding_and_clitics() {
        assert_eq!(norm("الإمارات"), "الامارات");
        assert_eq!(norm("مُحَمَّد"), "محمد");
        let n = norm("وبالعاصمة");
        let c = strip_clitics(&n);
        assert!(c.conj && c.prep && c.article);
        assert_eq!(c.stem, "عاصمه");
        let n = norm("للأمم");
        assert_eq!(strip_clitics(&n).stem, "امم");
        // A name that merely starts with a preposition letter keeps it.
        assert_eq!(strip_clitics(&norm("بغداد")).stem, "بغداد");
        assert_eq!(strip_clitics(&norm("وروسيا")).stem, "روسيا");
    }

    #[test]
    fn shapes() {
        let mut s = String::new();
        shape("McDonald", &mut s);
        assert_eq!(s, "XxXx");
        shape("B-52", &mut s);
        assert_eq!(s, "X-d");
    }
}
