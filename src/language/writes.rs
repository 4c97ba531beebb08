//! Which writing systems each fastText `lid.176` language is written in, so that a label the text's own script
//! rules out cannot win.
//!
//! fastText hashes character n-grams into shared buckets, and on a short text the collisions show: a Chinese
//! sentence scored as Serbian or Korean, a Ukrainian one as Macedonian written in Latin letters. The script is
//! read from the letters themselves ([`super::script`]) and is far surer than that. Hand-written: no crate maps
//! lid.176 labels to ISO 15924 codes; the table follows each language's usual orthography (CLDR's likely
//! subtags), listing the scripts other than Latin. A label not listed here is written in Latin letters only.

/// Non-Latin writing systems and the lid.176 labels written in them.
const NON_LATIN: [(&str, &[&str]); 26] = [
    ("Arab", &["ar", "arz", "azb", "ckb", "fa", "ku", "lrc", "mzn", "pnb", "ps", "sd", "ug", "ur"]),
    ("Hebr", &["he", "yi"]),
    ("Deva", &["bh", "dty", "gom", "hi", "mai", "mr", "ne", "new", "sa"]),
    (
        "Cyrl",
        &[
            "av", "ba", "be", "bg", "bxr", "ce", "cv", "kk", "krc", "kv", "ky", "lez", "mhr", "mk", "mn", "mrj", "myv",
            "os", "ru", "rue", "sah", "sr", "tg", "tt", "tyv", "uk", "uz", "xal",
        ],
    ),
    // Japanese is `Jpan` (kana) and Korean `Kore` (Hangul): the stage names those from the script alone.
    ("Hani", &["wuu", "yue", "zh"]),
    ("Jpan", &["ja"]),
    ("Kore", &["ko"]),
    ("Grek", &["el"]),
    ("Armn", &["hy"]),
    ("Geor", &["ka", "xmf"]),
    ("Thai", &["th"]),
    ("Laoo", &["lo"]),
    ("Khmr", &["km"]),
    ("Mymr", &["my"]),
    ("Sinh", &["si"]),
    ("Beng", &["as", "bn", "bpy"]),
    ("Gujr", &["gu"]),
    ("Guru", &["pa"]),
    ("Orya", &["or"]),
    ("Taml", &["ta"]),
    ("Telu", &["te"]),
    ("Knda", &["kn"]),
    ("Mlym", &["ml"]),
    ("Ethi", &["am"]),
    ("Tibt", &["bo"]),
    ("Thaa", &["dv"]),
];

/// Labels of the table above that are also commonly written in Latin letters.
const ALSO_LATIN: [&str; 4] = ["ku", "sr", "tt", "uz"];

/// Whether a text whose letters are in `script` (ISO 15924, as [`super::script`] names it) can be in the
/// language fastText calls `label`. Scripts the table does not know rule nothing out.
pub fn writes_in(label: &str, script: &str) -> bool {
    let script = match script {
        "Hans" | "Hant" | "Hani" => "Hani",
        other => other,
    };
    let written_in = |wanted: &str| NON_LATIN.iter().any(|(s, labels)| *s == wanted && labels.contains(&label));
    match script {
        "Latn" => !NON_LATIN.iter().any(|(_, labels)| labels.contains(&label)) || ALSO_LATIN.contains(&label),
        _ if NON_LATIN.iter().any(|(s, _)| *s == script) => written_in(script),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_rules_out_the_languages_not_written_in_it() {
        assert!(writes_in("zh", "Hans") && writes_in("yue", "Hant") && writes_in("zh", "Hani"));
        assert!(!writes_in("sr", "Hans") && !writes_in("ko", "Hani") && !writes_in("ja", "Hans"));
        assert!(writes_in("uk", "Cyrl") && writes_in("mk", "Cyrl") && !writes_in("en", "Cyrl"));
        assert!(writes_in("ur", "Arab") && !writes_in("hi", "Arab") && !writes_in("ur", "Deva"));
        assert!(writes_in("en", "Latn") && writes_in("sr", "Latn") && !writes_in("ru", "Latn"));
    }

    #[test]
    fn an_unknown_script_rules_nothing_out() {
        assert!(writes_in("en", "Cher") && writes_in("ru", "Zyyy"));
    }
}
