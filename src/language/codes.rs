//! Language codes: fastText labels and hints turned into the record's ISO 639-1 / 639-3 pair.

/// A language as the record names it: ISO 639-1 where the language has one, else ISO 639-3, plus its 639-3 code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// ISO 639-1, or ISO 639-3 when there is no 639-1 code.
    pub code: String,
    /// ISO 639-3.
    pub code3: String,
}

/// The record's codes for a fastText `lid.176` label (`__label__` already stripped).
///
/// lid.176 uses ISO 639-1 codes where they exist and 639-3 otherwise, with four labels that are not what the
/// standard means by them: `als` (Alemannic, whose code is `gsw`; `als` is Tosk Albanian), `eml` (retired, split
/// into Emilian `egl` and Romagnol), `bh` (the Bihari collective, 639-2 `bih`) and `nah` (the Nahuatl collective).
pub fn from_label(label: &str) -> Code {
    let (code, code3) = match label {
        "als" => ("gsw", "gsw"),
        "eml" => ("egl", "egl"),
        "bh" => ("bh", "bih"),
        "nah" => ("nah", "nah"),
        other => {
            return match (isolang::Language::from_639_1(other), isolang::Language::from_639_3(other)) {
                (Some(lang), _) => Code { code: other.to_owned(), code3: lang.to_639_3().to_owned() },
                (None, Some(lang)) => {
                    Code { code: lang.to_639_1().unwrap_or(other).to_owned(), code3: other.to_owned() }
                }
                (None, None) => Code { code: other.to_owned(), code3: "und".to_owned() },
            }
        }
    };
    Code { code: code.to_owned(), code3: code3.to_owned() }
}

/// A language hint or a configured language (`en`, `EN`, `eng`, `en-US`, `zh_Hant`) as a record code, or `None`
/// when it names no known language.
pub fn normalise(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.len() {
        2 => isolang::Language::from_639_1(&primary).map(|_| primary),
        3 => isolang::Language::from_639_3(&primary).map(|lang| lang.to_639_1().map_or(primary.clone(), str::to_owned)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_two_and_three_letter_labels() {
        assert_eq!(from_label("en"), Code { code: "en".into(), code3: "eng".into() });
        assert_eq!(from_label("fa"), Code { code: "fa".into(), code3: "fas".into() });
        assert_eq!(from_label("ceb"), Code { code: "ceb".into(), code3: "ceb".into() });
        assert_eq!(from_label("als"), Code { code: "gsw".into(), code3: "gsw".into() });
        assert_eq!(from_label("zz"), Code { code: "zz".into(), code3: "und".into() });
    }

    #[test]
    fn normalises_hints() {
        assert_eq!(normalise("EN").as_deref(), Some("en"));
        assert_eq!(normalise("ara").as_deref(), Some("ar"));
        assert_eq!(normalise("pt-BR").as_deref(), Some("pt"));
        assert_eq!(normalise("zh_Hant").as_deref(), Some("zh"));
        assert_eq!(normalise("yue").as_deref(), Some("yue"));
        assert_eq!(normalise("english"), None);
        assert_eq!(normalise(""), None);
    }
}
