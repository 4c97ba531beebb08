//! Statistical named-entity tagger: per-language linear-chain CRFs over hashed features, run in pure Rust.
//!
//! Pure: tokens or text in, IOB2 tags or char-offset spans out. Models live in `models/ner/<lang>.crf` and are
//! rebuilt by `make train` (tools/train-ner). Languages without a model get `None` so the caller can fall back
//! to the knowledge base alone.

pub mod conll;
pub mod corpus;
pub mod eval;
pub mod factru;
mod features;
mod hash;
pub mod lexicons;
pub mod model;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod model_tests;
mod normalize;
pub mod tag;
pub mod tokenize;
mod triggers;

pub use features::FEATURE_SET;
pub use lexicons::{Clusters, Gazetteer, Lexicons};
pub use model::{CrfModel, ModelError, Scratch};
pub use tag::Tag;

use crate::contract::EntityType;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Why models could not be loaded or data read.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// The model folder or a file in it is unreadable.
    #[error("reading {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A model file is malformed.
    #[error("model {path}: {source}")]
    Model {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: ModelError,
    },
    /// An evaluation data set is unreadable.
    #[error(transparent)]
    Corpus(#[from] corpus::CorpusError),
}

/// An entity found by the tagger, in char (Unicode scalar) offsets of the tagged text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NerSpan {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// Class.
    pub entity_type: EntityType,
}

/// The taggers of every language that has a model.
#[derive(Debug, Default)]
pub struct NerModels {
    models: BTreeMap<String, CrfModel>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl NerModels {
    /// Loads every `<lang>.crf` file of `dir`.
    pub fn load(dir: &Path) -> Result<NerModels, NerError> {
        let io = |source| NerError::Io { path: dir.to_path_buf(), source };
        let mut models = BTreeMap::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_none_or(|e| e != "crf") {
                continue;
            }
            let Some(lang) = path.file_stem().and_then(|s| s.to_str()).map(str::to_string) else { continue };
            let bytes = std::fs::read(&path).map_err(|source| NerError::Io { path: path.clone(), source })?;
            let model =
                CrfModel::from_bytes(&bytes).map_err(|source| NerError::Model { path: path.clone(), source })?;
            models.insert(lang, model);
        }
        Ok(NerModels { models })
    }

    /// Builds a set from models already read (tests, tools).
    pub fn from_models(models: impl IntoIterator<Item = (String, CrfModel)>) -> NerModels {
        NerModels { models: models.into_iter().collect() }
    }

    /// Languages with a model, sorted.
    pub fn languages(&self) -> Vec<&str> {
        self.models.keys().map(String::as_str).collect()
    }

    /// The model of one language.
    pub fn model(&self, lang: &str) -> Option<&CrfModel> {
        self.models.get(lang)
    }

    /// Versions for the record's `pipeline.models`: `ner.<lang>` → `crf-<date>-<digest>`.
    pub fn versions(&self) -> BTreeMap<String, String> {
        self.models.iter().map(|(l, m)| (format!("ner.{l}"), m.version().to_string())).collect()
    }

    /// All versions in one string, `ner.ar=crf-…,ner.en=crf-…`.
    pub fn version(&self) -> String {
        self.versions().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
    }

    /// Extends the gazetteer of `lang`'s model with names (from the knowledge base); false without a model.
    pub fn add_names<'a>(&mut self, lang: &str, names: impl IntoIterator<Item = (&'a str, EntityType)>) -> bool {
        match self.models.get_mut(lang) {
            Some(m) => {
                m.add_names(names);
                true
            }
            None => false,
        }
    }

    /// Adds the labels of the knowledge base's people and organisations to each model's gazetteer, in the
    /// model's language. The models were trained with the curated files' labels as PER and ORG names
    /// (`tools/train-ner/gazetteer.py`), so this keeps run time equal to training and lets the weights learned
    /// for those classes apply to entities users add to their own knowledge-base files.
    pub fn add_kb_names(&mut self, entities: &[crate::entities::kb::KbEntity]) {
        for (lang, model) in &mut self.models {
            let names = entities
                .iter()
                .filter(|e| matches!(e.entity_type, EntityType::Person | EntityType::Organization))
                .flat_map(|e| e.labels.get(lang).into_iter().flatten().map(|l| (l.as_str(), e.entity_type)));
            model.add_names(names);
        }
    }

    /// IOB2 tags for one sentence's tokens; `None` when `lang` has no model.
    pub fn tag_tokens(&self, lang: &str, tokens: &[&str]) -> Option<Vec<Tag>> {
        let model = self.models.get(lang)?;
        Some(SCRATCH.with(|s| model.tag(tokens, &mut s.borrow_mut())))
    }

    /// Entity spans in `text`; `None` when `lang` has no model (Chinese, Japanese, ... today).
    pub fn tag_text(&self, lang: &str, text: &str) -> Option<Vec<NerSpan>> {
        let model = self.models.get(lang)?;
        let tokens = tokenize::tokenize(text);
        let known = |w: &str| model.entity_word_count(hash::hash_str(w)) + u32::from(model.is_gazetteer_word(w));
        let mut spans = Vec::new();
        SCRATCH.with(|s| {
            let mut scratch = s.borrow_mut();
            let mut table = features::WordTable::default();
            let ids: Vec<u32> = tokens.iter().map(|t| model.intern(&mut table, t.text, &mut scratch)).collect();
            for range in tokenize::sentences(text, &tokens) {
                let sent = &tokens[range.clone()];
                let tags = model.tag_interned(&ids[range], &table, &mut scratch);
                for (a, b, entity_type) in tag::token_spans(&tags) {
                    let trim = tokenize::proclitic_chars(sent[a].text, &known);
                    let start = sent[a].start + trim;
                    if start < sent[b - 1].end {
                        spans.push(NerSpan { start, end: sent[b - 1].end, entity_type });
                    }
                }
            }
        });
        Some(spans)
    }
}

/// The hash of a token's normalised form, as model files store entity word forms.
pub fn word_hash(token: &str) -> u64 {
    let mut norm = String::new();
    normalize::normalize(token, &mut norm);
    hash::hash_str(&norm)
}
