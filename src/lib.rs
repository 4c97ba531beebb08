//! news-enricher: a Kafka stream processor that cleans news articles, detects their language and links the
//! entities they mention, one enriched record per article.
#![forbid(unsafe_code)]

pub mod app;
pub mod charclass;
pub mod cleanup;
pub mod cli;
pub mod commands;
pub mod contract;
pub mod embedded;
pub mod entities;
pub mod health;
pub mod http;
pub mod kafka;
pub mod language;
pub mod metrics;
pub mod ner;
pub mod offline;
pub mod pipeline;
pub mod replay;
pub mod settings;
pub mod telemetry;
pub mod worker;

/// The crate version, as written into every record's `pipeline.version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
