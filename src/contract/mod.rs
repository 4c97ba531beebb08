//! The record contract: the raw article we consume, the enriched record and the dead-letter record we produce.
//!
//! Everything else in the crate depends on these types; they depend on nothing but serde. A change to a field's
//! name or meaning bumps [`SCHEMA_VERSION`] and regenerates `docs/schema/` (`news-enricher schema`).

mod ids;
pub mod schema;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use ids::{canonical_url, content_hash, derive_id};

/// Version of the output and dead-letter records. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// One raw article as scrapers publish it: the value of an input message.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct RawArticle {
    /// The page as HTML, or text already extracted from a page. Required, non-empty.
    pub body: String,
    /// `text/html` or `text/plain` (parameters such as `; charset=utf-8` are ignored); sniffed when absent.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Stable id chosen by the producer; when absent, a hash of the canonical URL, else of the body.
    #[serde(default)]
    pub id: Option<String>,
    /// Address the page was fetched from.
    #[serde(default)]
    pub url: Option<String>,
    /// Title as the scraper saw it; used when the page itself has none.
    #[serde(default)]
    pub title: Option<String>,
    /// Publication time as the scraper saw it (RFC 3339 or a date in the page's language).
    #[serde(default)]
    pub published_at: Option<String>,
    /// Site or feed name; passed through under `input_meta.source`.
    #[serde(default)]
    pub source: Option<serde_json::Value>,
    /// Language hint (ISO 639-1 or 639-3); used only to break ties.
    #[serde(default)]
    pub language: Option<String>,
    /// Every other field, passed through unchanged under `input_meta`.
    #[serde(flatten)]
    #[schemars(skip)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// How the body is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ContentType {
    /// An HTML page.
    #[serde(rename = "text/html")]
    Html,
    /// Text already extracted from a page.
    #[serde(rename = "text/plain")]
    Text,
}

/// The enriched record: one per input article, keyed by `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EnrichedRecord {
    /// Version of this contract ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The article id: the input `id`, else `url:<sha256 of the canonical URL>`, else `body:<sha256 of the body>`.
    pub id: String,
    /// The input URL, unchanged.
    pub url: Option<String>,
    /// The headline, once, normalised; `null` when neither the page nor the input has one.
    pub title: Option<String>,
    /// The clean main text: paragraphs separated by a blank line (`\n\n`), NFC, whitespace collapsed.
    pub text: String,
    /// Author names as printed, without `By`/`كتبت:` prefixes; empty when unknown.
    pub authors: Vec<String>,
    /// Publication time, RFC 3339 with an offset when the source gives one, else local time without offset
    /// (`2024-11-18T13:10:00`), or a bare date (`2024-11-18`); `null` when unknown, never invented.
    pub published_at: Option<String>,
    /// How the body was read (`text/html` or `text/plain`).
    pub content_type: ContentType,
    /// Detected language of title and text.
    pub language: Language,
    /// Entity mentions in `title` and `text`, ordered by field (title first) then start offset.
    pub entities: Vec<Entity>,
    /// Entities counted per canonical entity, most mentioned first.
    pub entity_summary: EntitySummary,
    /// `sha256:<hex>` of the normalised title and text, for de-duplication across sources.
    pub content_hash: String,
    /// Where the input came from in Kafka; `null` when processed offline.
    pub source: Option<SourcePosition>,
    /// What produced this record.
    pub pipeline: PipelineInfo,
    /// Microseconds spent per stage.
    pub timings: Timings,
    /// Short machine-readable notes (`no_title`, `no_date`, `entities_kb_only`, ...).
    pub warnings: Vec<String>,
    /// Input fields outside the contract, passed through unchanged (including `source`).
    pub input_meta: serde_json::Map<String, serde_json::Value>,
    /// Present only on records written by `news-enricher replay`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<ReplayInfo>,
}

/// Detected language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Language {
    /// ISO 639-1 code, or ISO 639-3 where the language has no 639-1 code; `und` when there is no text to judge.
    pub code: String,
    /// ISO 639-3 code; `und` when undetermined.
    pub code3: String,
    /// ISO 15924 script of the text itself (`Arab`, `Latn`, `Cyrl`, `Hans`, ...); `Zyyy` when none.
    pub script: String,
    /// Confidence in `code`, 0 to 1.
    pub confidence: f32,
    /// Whether `confidence` clears the configured threshold.
    pub reliable: bool,
    /// Up to three other candidates, most likely first.
    #[serde(default)]
    pub alternatives: Vec<LanguageAlternative>,
}

impl Language {
    /// The undetermined language: no letters to judge.
    pub fn undetermined(script: &str) -> Self {
        Self {
            code: "und".into(),
            code3: "und".into(),
            script: script.into(),
            confidence: 0.0,
            reliable: false,
            alternatives: Vec::new(),
        }
    }
}

/// Another language candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LanguageAlternative {
    /// ISO 639-1 (or 639-3) code.
    pub code: String,
    /// Confidence, 0 to 1.
    pub confidence: f32,
}

/// Which field an entity offset points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The record's `title`.
    Title,
    /// The record's `text`.
    Text,
}

/// Entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub enum EntityType {
    /// A person.
    #[serde(rename = "PER")]
    Person,
    /// An organisation.
    #[serde(rename = "ORG")]
    Organization,
    /// A place.
    #[serde(rename = "LOC")]
    Location,
    /// Anything else with a name (events, nationalities used as names, works).
    #[serde(rename = "MISC")]
    Misc,
}

/// One entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Entity {
    /// `title` or `text`.
    pub field: Field,
    /// Start offset in Unicode scalar values (Rust `char`s) into the field.
    pub start: usize,
    /// End offset (exclusive) in Unicode scalar values.
    pub end: usize,
    /// The mention exactly as it stands in the field: `field[start..end]`.
    pub text: String,
    /// `PER`, `ORG`, `LOC` or `MISC`.
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Wikidata id (`Q7747`) or `null` when not linked.
    pub kb_id: Option<String>,
    /// Canonical label of the linked entity; the mention text when not linked.
    pub name: String,
}

/// Entities counted per canonical entity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EntitySummary {
    /// People, most mentioned first.
    pub persons: Vec<SummaryItem>,
    /// Organisations, most mentioned first.
    pub organizations: Vec<SummaryItem>,
    /// Places, most mentioned first.
    pub locations: Vec<SummaryItem>,
}

/// One canonical entity and how often the article mentions it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SummaryItem {
    /// Wikidata id, or `null` for unlinked names (counted by name).
    pub kb_id: Option<String>,
    /// Canonical label.
    pub name: String,
    /// Mentions in title and text.
    pub count: usize,
}

/// A position in a Kafka topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourcePosition {
    /// Topic the message was read from.
    pub topic: String,
    /// Partition.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
    /// The message's own timestamp (RFC 3339, UTC, milliseconds), `null` when the broker gave none.
    pub timestamp: Option<String>,
}

/// What produced a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PipelineInfo {
    /// The news-enricher version.
    pub version: String,
    /// `sha256:` prefix of the settings that change output (stage settings, not Kafka or HTTP ones).
    pub config_hash: String,
    /// Model and data versions by component (`langid`, `kb`, `ner.ar`, ...).
    pub models: BTreeMap<String, String>,
}

/// Microseconds spent per stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Timings {
    /// Decoding and validating the input message.
    pub decode_us: u64,
    /// Cleanup stage.
    pub cleanup_us: u64,
    /// Language detection stage.
    pub language_us: u64,
    /// Entity stage.
    pub entities_us: u64,
    /// Whole pipeline, decode to record.
    pub total_us: u64,
}

/// Marks a record written by a replay run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReplayInfo {
    /// Identifier of the replay run.
    pub run_id: String,
    /// The `--from` bound as given.
    pub from: String,
    /// The `--to` bound as given.
    pub to: String,
}

/// What the service writes to the dead-letter topic for a message it could not process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeadLetterRecord {
    /// Version of this contract ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The original message key, base64; `null` when the message had none.
    pub key: Option<String>,
    /// The original message value, base64, byte for byte; `null` when the message had none. Values too large
    /// for the dead-letter topic (`kafka.dead_letter_max_bytes`) keep only their first bytes: see
    /// `value_truncated`, and read the full value at `source`.
    pub value: Option<String>,
    /// Length of the original value in bytes.
    pub value_size: usize,
    /// Whether `value` holds only the first bytes of the original value.
    pub value_truncated: bool,
    /// The original message headers, values base64.
    pub headers: Vec<DeadLetterHeader>,
    /// Where the message came from; `null` when processed offline.
    pub source: Option<SourcePosition>,
    /// Why it could not be processed.
    pub error: ErrorInfo,
    /// The news-enricher version that rejected it.
    pub pipeline_version: String,
}

/// One original message header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeadLetterHeader {
    /// Header name.
    pub key: String,
    /// Header value, base64; `null` for a null header.
    pub value: Option<String>,
}

/// Why a message was dead-lettered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorInfo {
    /// Stage that rejected it: `decode`, `cleanup`, `language`, `entities`, `serialize` or `produce`.
    pub stage: String,
    /// Machine-readable kind (see the README's table): `invalid_utf8`, `invalid_json`, `missing_body`, ...
    pub kind: String,
    /// Human-readable reason.
    pub message: String,
}

/// Kafka header names set on dead-letter messages, so tools can filter without parsing the value.
pub mod dlq_headers {
    /// Stage that failed.
    pub const STAGE: &str = "news-enricher-error-stage";
    /// Error kind.
    pub const KIND: &str = "news-enricher-error-kind";
    /// Human-readable reason (truncated to 512 bytes).
    pub const MESSAGE: &str = "news-enricher-error-message";
    /// Source topic, partition and offset as `topic/partition/offset`.
    pub const ORIGIN: &str = "news-enricher-origin";
}
