//! The pipeline: decode one message, run cleanup, language detection and entity tagging, build the record.
//!
//! Synchronous and free of Kafka: the service runtime, `process` and `replay` all call [`Pipeline::process`].

mod dead_letter;
mod decode;
mod failure;
mod summary;
mod tag;

// Decoding, dead-letter records and the summary build without the `service` feature (the fuzz crate uses them);
// the pipeline itself runs language detection, which needs it.
#[cfg(feature = "service")]
use std::collections::BTreeMap;
#[cfg(feature = "service")]
use std::panic::{catch_unwind, AssertUnwindSafe};
#[cfg(feature = "service")]
use std::time::Instant;

#[cfg(feature = "service")]
use crate::cleanup::{Cleaner, CleanupInput};
#[cfg(feature = "service")]
use crate::contract::{self, PipelineInfo, ReplayInfo, Timings, SCHEMA_VERSION};
use crate::contract::{EnrichedRecord, SourcePosition};
#[cfg(feature = "service")]
use crate::entities::{EntityTagger, Tagged};
#[cfg(feature = "service")]
use crate::language::LanguageDetector;
#[cfg(feature = "service")]
use crate::ner::NerModels;

pub use dead_letter::{dead_letter_record, Original};
pub use decode::{decode, DecodeLimits, Decoded};
pub use failure::{ErrorKind, Failure, Stage};
pub use summary::summarize;
pub use tag::tag_entities;

/// A message as the pipeline sees it: the value bytes and where they came from.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// The message value; `None` for a tombstone.
    pub value: Option<&'a [u8]>,
    /// Kafka position, `None` offline.
    pub source: Option<&'a SourcePosition>,
    /// Message timestamp in milliseconds since the epoch, if any (reference for relative dates).
    pub timestamp_ms: Option<i64>,
}

/// A processed article: the record, and what metrics need that the record does not carry.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The enriched record.
    pub record: EnrichedRecord,
    /// Characters in the raw body (for the cleanup ratio).
    pub raw_chars: usize,
}

/// The three stages and what the record says about them.
#[cfg(feature = "service")]
pub struct Pipeline {
    limits: DecodeLimits,
    cleaner: Cleaner,
    detector: LanguageDetector,
    tagger: EntityTagger,
    ner: Option<NerModels>,
    info: PipelineInfo,
    stages_enabled: bool,
    replay: Option<ReplayInfo>,
}

#[cfg(feature = "service")]
impl Pipeline {
    /// Assembles a pipeline from built stages. `config_hash` identifies the settings that change output.
    pub fn new(
        limits: DecodeLimits,
        cleaner: Cleaner,
        detector: LanguageDetector,
        tagger: EntityTagger,
        config_hash: String,
        models: BTreeMap<String, String>,
    ) -> Self {
        Self {
            limits,
            cleaner,
            detector,
            tagger,
            ner: None,
            info: PipelineInfo { version: crate::VERSION.to_owned(), config_hash, models },
            stages_enabled: true,
            replay: None,
        }
    }

    /// Adds the statistical entity taggers (languages without a model use the knowledge base alone).
    pub fn with_ner(mut self, ner: Option<NerModels>) -> Self {
        self.ner = ner;
        self
    }

    /// The entity stage: knowledge-base matches merged with the statistical tagger's spans for the article's
    /// language; without a tagger for it, the knowledge base alone (the result then says `entities_kb_only`).
    pub fn tag_entities(&self, title: Option<&str>, text: &str, lang: &str, published_at: Option<&str>) -> Tagged {
        tag_entities(&self.tagger, self.ner.as_ref(), title, text, lang, published_at)
    }

    /// Marks every record as written by this replay run.
    pub fn with_replay(mut self, replay: Option<ReplayInfo>) -> Self {
        self.replay = replay;
        self
    }

    /// Switches the three stages off (decode and record building stay): the plumbing-cost benchmark.
    pub fn with_stages_enabled(mut self, enabled: bool) -> Self {
        self.stages_enabled = enabled;
        self
    }

    /// What the records say produced them.
    pub fn info(&self) -> &PipelineInfo {
        &self.info
    }

    /// Processes one message. A panic inside a stage is caught and becomes a [`Failure`], so one bad article
    /// never takes a worker down.
    pub fn process(&self, envelope: &Envelope<'_>) -> Result<Processed, Failure> {
        match catch_unwind(AssertUnwindSafe(|| self.process_inner(envelope))) {
            Ok(result) => result,
            Err(panic) => Err(Failure::from_panic(&panic)),
        }
    }

    fn process_inner(&self, envelope: &Envelope<'_>) -> Result<Processed, Failure> {
        let started = Instant::now();
        let decoded = decode(envelope.value, &self.limits)?;
        let decode_us = micros(started);
        let article = decoded.article;
        let raw_chars = article.body.chars().count();
        let id = contract::derive_id(article.id.as_deref(), article.url.as_deref(), &article.body);
        let reference_time =
            envelope.timestamp_ms.and_then(chrono::DateTime::from_timestamp_millis).map(|t| t.fixed_offset());

        let mut timings = Timings { decode_us, ..Timings::default() };
        let mut warnings = Vec::new();

        let t = Instant::now();
        let cleaned = if self.stages_enabled {
            self.cleaner.clean(&CleanupInput {
                body: &article.body,
                content_type: decoded.content_type,
                url: article.url.as_deref(),
                title_hint: article.title.as_deref(),
                published_hint: article.published_at.as_deref(),
                reference_time,
            })
        } else {
            crate::cleanup::Cleaned {
                content_type: decoded.content_type,
                title: article.title.clone(),
                text: article.body.clone(),
                ..Default::default()
            }
        };
        timings.cleanup_us = micros(t);
        warnings.extend(cleaned.warnings.iter().cloned());

        let t = Instant::now();
        let language = if self.stages_enabled {
            self.detector.detect(cleaned.title.as_deref(), &cleaned.text, article.language.as_deref())
        } else {
            contract::Language::undetermined("Zyyy")
        };
        timings.language_us = micros(t);

        let t = Instant::now();
        let tagged = if self.stages_enabled {
            self.tag_entities(cleaned.title.as_deref(), &cleaned.text, &language.code, cleaned.published_at.as_deref())
        } else {
            Tagged::default()
        };
        timings.entities_us = micros(t);
        warnings.extend(tagged.warnings.iter().cloned());

        if cleaned.title.is_none() {
            warnings.push("no_title".into());
        }
        if cleaned.published_at.is_none() {
            warnings.push("no_date".into());
        }
        if cleaned.text.is_empty() {
            warnings.push("empty_text".into());
        }
        warnings.sort();
        warnings.dedup();

        let mut input_meta = article.extra;
        if let Some(source) = article.source {
            input_meta.insert("source".into(), source);
        }
        timings.total_us = micros(started);
        let record = EnrichedRecord {
            schema_version: SCHEMA_VERSION,
            id,
            url: article.url,
            content_hash: contract::content_hash(cleaned.title.as_deref(), &cleaned.text),
            title: cleaned.title,
            text: cleaned.text,
            authors: cleaned.authors,
            published_at: cleaned.published_at,
            content_type: cleaned.content_type.unwrap_or(contract::ContentType::Text),
            language,
            entity_summary: summarize(&tagged.entities),
            entities: tagged.entities,
            source: envelope.source.cloned(),
            pipeline: self.info.clone(),
            timings,
            warnings,
            input_meta,
            replay: self.replay.clone(),
        };
        Ok(Processed { record, raw_chars })
    }
}

#[cfg(feature = "service")]
fn micros(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX)
}
