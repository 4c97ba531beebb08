//! The `[language]` configuration section.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Settings of the language detection stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanguageSettings {
    /// Languages the feed is expected to carry (ISO 639-1 or 639-3). They sharpen short texts: when fastText is
    /// unsure, lingua decides among them. Other languages are still reported (fastText knows 176). Each must be
    /// one whose lingua model is compiled in (see `Cargo.toml`); an empty list uses fastText alone.
    pub expected_languages: Vec<String>,
    /// Path of fastText's `lid.176.ftz` (`make models` fetches it); relative paths start at the working directory.
    pub model_path: PathBuf,
    /// How many characters of title and body are read; news states its language in the first paragraph.
    pub prefix_chars: usize,
    /// fastText's top probability from which its answer stands without asking lingua.
    pub fasttext_threshold: f32,
    /// Confidence from which a result is marked `reliable`.
    pub reliability_threshold: f32,
    /// An unlisted language fastText prefers is kept (not handed to lingua) when its probability is at least this
    /// many times the probability fastText gives all expected languages together.
    pub unlisted_ratio: f32,
    /// Exponent on fastText's probabilities where they are combined with lingua's (lingua's confidence times
    /// fastText's probability within the list to this power): 0 lets lingua alone choose among the expected
    /// languages, 1 weighs the two models alike. fastText is the weaker judge of short texts, hence below 1.
    pub fasttext_weight: f32,
    /// Confidence below which a combined answer becomes `und` (the guess then leads the alternatives): texts in
    /// languages neither model knows score low on the list, and naming one of the expected languages for them
    /// would be a guess. For texts of more than 40 characters.
    pub undetermined_below: f32,
    /// The same for texts of at most 40 characters (headlines), on which both models are less sure even of the
    /// languages they know.
    pub undetermined_below_short: f32,
    /// How many characters lingua reads at most; it is only asked about short or ambiguous texts, and its cost
    /// grows with length.
    pub lingua_max_chars: usize,
    /// On texts longer than this many characters, lingua's confidences are tempered to the evidence of this
    /// many (its log-odds scaled by this over the length read): untempered, lingua is certain of one of the
    /// expected languages on any long text, including texts in other languages. 0 leaves them as they are.
    pub lingua_reference_chars: usize,
}

impl Default for LanguageSettings {
    fn default() -> Self {
        Self {
            expected_languages: DEFAULT_EXPECTED.iter().map(|c| (*c).to_owned()).collect(),
            model_path: PathBuf::from(".cache/models/lid.176.ftz"),
            prefix_chars: 1000,
            fasttext_threshold: 0.9,
            reliability_threshold: 0.5,
            unlisted_ratio: 3.0,
            lingua_max_chars: 400,
            lingua_reference_chars: 30,
            fasttext_weight: 0.3,
            undetermined_below: 0.25,
            undetermined_below_short: 0.2,
        }
    }
}

/// The twenty languages the news feeds carry, all with a lingua model compiled in.
pub const DEFAULT_EXPECTED: [&str; 20] = [
    "ar", "de", "en", "es", "fa", "fr", "he", "hi", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru", "tr", "uk", "ur",
    "zh",
];
