//! news-enricher: a Kafka stream processor that cleans news articles, detects their language and links the
//! entities they mention, one enriched record per article.
#![forbid(unsafe_code)]

pub mod cleanup;
pub mod contract;
pub mod entities;
pub mod language;
pub mod ner;
pub mod pipeline;

/// The crate version, as written into every record's `pipeline.version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
