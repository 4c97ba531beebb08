//! One message through the pipeline to the bytes that will be written: the enriched record, or the
//! dead-letter record with the reason. Runs on the worker pool; shared by the service and `process`.

use std::time::Instant;

use crate::contract::SourcePosition;
use crate::metrics::Metrics;
use crate::pipeline::{dead_letter_record, Envelope, ErrorKind, Failure, Original, Pipeline, Stage};

/// Size limits on what is written.
#[derive(Debug, Clone, Copy)]
pub struct OutputLimits {
    /// Largest enriched record.
    pub max_record_bytes: usize,
    /// Largest dead-letter record.
    pub dead_letter_max_bytes: usize,
}

/// What to write for one message.
#[derive(Debug)]
pub enum Outcome {
    /// The enriched record, keyed by article id.
    Record {
        /// The article id.
        key: String,
        /// The record as JSON.
        payload: Vec<u8>,
    },
    /// The dead-letter record.
    DeadLetter {
        /// Why.
        failure: Failure,
        /// The dead-letter record as JSON.
        payload: Vec<u8>,
    },
}

/// Runs one message through the pipeline and serialises the result.
pub fn run(
    pipeline: &Pipeline,
    metrics: Option<&Metrics>,
    original: &Original<'_>,
    timestamp_ms: Option<i64>,
    limits: OutputLimits,
) -> Outcome {
    let envelope = Envelope { value: original.value, source: original.source, timestamp_ms };
    let failure = match pipeline.process(&envelope) {
        Ok(processed) => {
            let started = Instant::now();
            match serde_json::to_vec(&processed.record) {
                Ok(payload) if payload.len() <= limits.max_record_bytes => {
                    if let Some(m) = metrics {
                        m.observe_record(&processed.record, processed.raw_chars, started.elapsed().as_secs_f64());
                    }
                    return Outcome::Record { key: processed.record.id, payload };
                }
                Ok(payload) => Failure::new(
                    Stage::Serialize,
                    ErrorKind::RecordTooLarge,
                    format!(
                        "record is {} bytes, over kafka.max_record_bytes ({})",
                        payload.len(),
                        limits.max_record_bytes
                    ),
                ),
                Err(e) => Failure::new(Stage::Serialize, ErrorKind::SerializeFailed, e.to_string()),
            }
        }
        Err(failure) => failure,
    };
    if let Some(m) = metrics {
        m.observe_failure(failure.stage);
    }
    dead_letter(original, failure, limits)
}

/// The dead-letter outcome for a message that failed.
pub fn dead_letter(original: &Original<'_>, failure: Failure, limits: OutputLimits) -> Outcome {
    let record = dead_letter_record(original, &failure, limits.dead_letter_max_bytes);
    // A dead-letter record holds only strings and numbers: serialising it cannot fail.
    let payload = serde_json::to_vec(&record).unwrap_or_default();
    Outcome::DeadLetter { failure, payload }
}

/// The position of a message, as records carry it.
pub fn source_position(topic: &str, partition: i32, offset: i64, timestamp_ms: Option<i64>) -> SourcePosition {
    SourcePosition {
        topic: topic.to_owned(),
        partition,
        offset,
        timestamp: timestamp_ms
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
    }
}
