//! Function-word evidence between Hindi and the Devanagari languages fastText mistakes it for on short texts.
//!
//! On Hindi sentences of a few words lid.176 often answers Marathi (or Nepali, Sanskrit) with high probability,
//! while lingua, which has no Marathi model, cannot weigh in: Devanagari alone makes it answer Hindi. Hindi
//! writes its copula, negation and postpositions as separate words that these neighbours do not use (Marathi
//! says `आहे`, `नाही`, `च्या`; Nepali `छ`, `लाई`), so a sentence with Hindi function words and none of theirs is
//! Hindi whatever fastText says. Hand-written: no crate covers this pair, and the lists are closed-class words
//! from the grammars, not from any data set.

/// Words that are Hindi and not Marathi or Nepali: copula, negation, postpositions, pronouns, conjunctions.
const HINDI: [&str; 21] = [
    "है",
    "हैं",
    "था",
    "थी",
    "थे",
    "नहीं",
    "में",
    "का",
    "की",
    "के",
    "ने",
    "से",
    "और",
    "भी",
    "यह",
    "वह",
    "ये",
    "वे",
    "उसे",
    "क्या",
    "हुआ",
];

/// Words of Marathi and Nepali that Hindi does not use.
const NEIGHBOURS: [&str; 14] =
    ["आहे", "आहेत", "नाही", "आणि", "च्या", "मध्ये", "केले", "झाले", "छ", "छन्", "लाई", "भयो", "हुन्छ", "गरे"];

/// Marathi's retroflex lateral, common in it and rare in Hindi.
const MARATHI_LETTER: char = 'ळ';

/// Whether a Devanagari text reads as Hindi by its function words: some Hindi ones, none of the neighbours'.
pub fn reads_as_hindi(text: &str) -> bool {
    if text.contains(MARATHI_LETTER) {
        return false;
    }
    let mut hindi = false;
    for word in text.split(|c: char| !is_devanagari_letter(c)).filter(|w| !w.is_empty()) {
        if NEIGHBOURS.contains(&word) {
            return false;
        }
        hindi |= HINDI.contains(&word);
    }
    hindi
}

/// Devanagari letters, vowel signs and virama (U+0900–U+097F without the danda, digits and abbreviation sign).
fn is_devanagari_letter(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0963}' | '\u{0971}'..='\u{097F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hindi_function_words_decide_without_the_neighbours_own() {
        assert!(reads_as_hindi("सरकार ने नई योजना की घोषणा की"));
        assert!(reads_as_hindi("वह घर नहीं गया।"));
        // Marathi: its copula and genitive; Nepali: its copula and object marker.
        assert!(!reads_as_hindi("सरकारने नवीन योजना जाहीर केली आहे"));
        assert!(!reads_as_hindi("शहराच्या मध्ये मोठी बाजारपेठ"));
        assert!(!reads_as_hindi("सरकारले नयाँ योजना घोषणा गरेको छ"));
        assert!(!reads_as_hindi("ही नवी योजना वेळेवर"));
        assert!(!reads_as_hindi("नमस्ते"));
    }
}
