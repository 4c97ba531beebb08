//! news-enricher: a Kafka stream processor that cleans news articles, detects their language and links the
//! entities they mention, one enriched record per article.
//!
//! The stages (`cleanup`, `entities`, `ner`), the record `contract` and message decoding (`pipeline::decode`) build
//! without the default `service` feature; everything around them (Kafka, CLI, metrics, language detection) needs it.
#![forbid(unsafe_code)]

#[cfg(feature = "service")]
pub mod app;
pub mod charclass;
pub mod cleanup;
#[cfg(feature = "service")]
pub mod cli;
#[cfg(feature = "service")]
pub mod commands;
pub mod contract;
#[cfg(feature = "service")]
pub mod embedded;
pub mod entities;
#[cfg(feature = "service")]
pub mod health;
#[cfg(feature = "service")]
pub mod http;
#[cfg(feature = "service")]
pub mod kafka;
#[cfg(feature = "service")]
pub mod language;
#[cfg(feature = "service")]
pub mod metrics;
pub mod ner;
#[cfg(feature = "service")]
pub mod offline;
pub mod pipeline;
#[cfg(feature = "service")]
pub mod replay;
#[cfg(feature = "service")]
pub mod settings;
#[cfg(feature = "service")]
pub mod telemetry;
#[cfg(feature = "service")]
pub mod worker;

/// The crate version, as written into every record's `pipeline.version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
