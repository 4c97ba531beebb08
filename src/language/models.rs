//! The two statistical models behind the stage: fastText `lid.176` over 176 languages, and lingua over the
//! expected languages.

use std::path::{Path, PathBuf};

use super::LanguageError;

/// One candidate language with its probability under one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Record code (ISO 639-1, else 639-3) as the model names it.
    pub code: String,
    /// Probability, 0 to 1.
    pub p: f32,
}

/// fastText's language identification model, loaded from the cache `make models` fills.
pub struct FastTextLid {
    model: fasttext::FastText,
}

impl FastTextLid {
    /// Loads `lid.176.ftz`; a missing file is an error that says how to fetch it.
    pub fn load(path: &Path) -> Result<Self, LanguageError> {
        if !path.is_file() {
            return Err(LanguageError::ModelMissing { path: path.to_path_buf() });
        }
        let shown = path.to_str().ok_or_else(|| LanguageError::ModelLoad {
            path: path.to_path_buf(),
            reason: "path is not valid UTF-8".into(),
        })?;
        let mut model = fasttext::FastText::new();
        model.load_model(shown).map_err(|reason| LanguageError::ModelLoad { path: PathBuf::from(shown), reason })?;
        Ok(Self { model })
    }

    /// The `k` most probable languages of one line of text, most probable first. The line must not contain a
    /// newline: the `"\n"` appended here is the end-of-sentence token the model saw in training, as the official
    /// tools add it; without it short texts score differently from the published results.
    pub fn predict(&self, line: &str, k: usize) -> Vec<Scored> {
        let mut input = String::with_capacity(line.len() + 1);
        input.push_str(line);
        input.push('\n');
        let k = i32::try_from(k).unwrap_or(i32::MAX);
        // The only errors are a NUL byte (removed when the sample is prepared) or a C++ exception; neither says
        // anything about the language, so they read as "no opinion".
        let predictions = self.model.predict(&input, k, 0.0).unwrap_or_default();
        predictions
            .into_iter()
            .map(|p| Scored {
                code: p.label.strip_prefix("__label__").unwrap_or(&p.label).to_owned(),
                p: p.prob.clamp(0.0, 1.0),
            })
            .collect()
    }
}

#[cfg(test)]
impl FastTextLid {
    /// Every label the model can return, `__label__` stripped.
    pub fn labels(&self) -> Vec<String> {
        let (labels, _) = self.model.get_labels().unwrap_or_default();
        labels.into_iter().map(|l| l.strip_prefix("__label__").unwrap_or(&l).to_owned()).collect()
    }
}

/// lingua restricted to the expected languages, models preloaded so no request pays for loading them.
pub struct Lingua {
    detector: lingua::LanguageDetector,
}

impl Lingua {
    /// Builds lingua over `codes` (record codes). Each must be a language whose model crate is compiled in.
    pub fn new(codes: &[String]) -> Result<Option<Self>, LanguageError> {
        let compiled = lingua::Language::all();
        let mut languages = Vec::with_capacity(codes.len());
        for code in codes {
            let found = compiled.iter().find(|l| l.iso_code_639_1().to_string() == *code);
            match found {
                Some(language) => languages.push(*language),
                None => return Err(LanguageError::UnsupportedLanguage { code: code.clone() }),
            }
        }
        // lingua needs two languages to compare; with fewer, fastText answers alone.
        if languages.len() < 2 {
            return Ok(None);
        }
        let detector =
            lingua::LanguageDetectorBuilder::from_languages(&languages).with_preloaded_language_models().build();
        Ok(Some(Self { detector }))
    }

    /// Relative confidence of each expected language, most likely first; empty when no expected language writes
    /// in the text's script.
    pub fn confidences(&self, text: &str) -> Vec<Scored> {
        self.detector
            .compute_language_confidence_values(text)
            .into_iter()
            .filter(|(_, p)| *p > 0.0)
            .map(|(language, p)| Scored { code: language.iso_code_639_1().to_string(), p: p as f32 })
            .collect()
    }
}

/// The languages whose lingua model is compiled into this binary, as record codes.
pub fn compiled_lingua_languages() -> Vec<String> {
    let mut codes: Vec<String> = lingua::Language::all().iter().map(|l| l.iso_code_639_1().to_string()).collect();
    codes.sort();
    codes
}
