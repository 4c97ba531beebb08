//! Typed configuration: layered loading (defaults, `--config` file, environment) and validation into settings
//! the rest of the program trusts.

mod kafka;
mod load;
mod validate;

use std::net::SocketAddr;
use std::time::Duration;

use bytesize::ByteSize;
use serde::{Deserialize, Serialize};

pub use kafka::KafkaSettings;
pub use load::{load, load_from, ConfigError, ENV_PREFIX};

/// All settings, as loaded. Use [`Settings::validate`] before trusting them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Brokers, topics, group and client options.
    pub kafka: KafkaSettings,
    /// Concurrency and limits of the processing pipeline.
    pub pipeline: PipelineSettings,
    /// The metrics and probes listener.
    pub http: HttpSettings,
    /// Logging.
    pub log: LogSettings,
    /// The cleanup stage.
    #[serde(default)]
    pub cleanup: crate::cleanup::CleanupSettings,
    /// The language detection stage.
    #[serde(default)]
    pub language: crate::language::LanguageSettings,
    /// The entity stage's knowledge base.
    #[serde(default)]
    pub entities: crate::entities::EntitySettings,
    /// The entity stage's statistical tagger.
    #[serde(default)]
    pub ner: NerSettings,
}

/// The statistical entity tagger (`src/ner`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct NerSettings {
    /// Run the per-language taggers; off, the knowledge base alone finds entities.
    pub enabled: bool,
    /// Folder of `<lang>.crf` models (`make train` rebuilds them); relative to the working directory.
    pub model_dir: std::path::PathBuf,
}

impl Default for NerSettings {
    fn default() -> Self {
        Self { enabled: true, model_dir: "models/ner".into() }
    }
}

/// Concurrency and limits.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineSettings {
    /// Worker threads running the stages; 0 means one per core.
    pub workers: usize,
    /// Messages being processed or awaiting delivery at once, across partitions.
    pub max_in_flight_messages: usize,
    /// Bytes of message values being processed or awaiting delivery at once. Bounds memory with the producer
    /// and fetch queue limits in `[kafka]`.
    pub max_in_flight_bytes: ByteSize,
    /// Largest message value accepted; larger ones go to the dead-letter topic (`oversized`).
    pub max_message_bytes: ByteSize,
    /// Time allowed, on shutdown or partition revocation, for in-flight messages to be delivered.
    #[serde(with = "humantime_serde")]
    pub drain_timeout: Duration,
    /// Run cleanup, language detection and entity tagging; off, records carry the raw body and no enrichment.
    /// Only for measuring the plumbing's cost (`make bench`); never switch it off in production.
    #[serde(default = "stages_enabled_default")]
    pub stages_enabled: bool,
}

fn stages_enabled_default() -> bool {
    true
}

impl PipelineSettings {
    /// Worker threads to start: the configured number, or one per core.
    pub fn worker_threads(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
        }
    }
}

/// The HTTP listener for `/metrics`, `/livez` and `/readyz`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// Address to bind; port 0 binds a free port (the log says which).
    pub listen_addr: String,
}

impl HttpSettings {
    /// The parsed address (validated at startup).
    pub fn addr(&self) -> Result<SocketAddr, std::net::AddrParseError> {
        self.listen_addr.parse()
    }
}

/// Logging.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `json` (production) or `text` (a terminal).
    pub format: LogFormat,
    /// Default filter (`info`, `debug`, or an `EnvFilter` directive); `RUST_LOG` overrides it.
    pub level: String,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines.
    Text,
}

/// Bytes as `usize`, saturating (settings are validated to fit).
pub(crate) fn bytes_usize(size: ByteSize) -> usize {
    usize::try_from(size.as_u64()).unwrap_or(usize::MAX)
}
