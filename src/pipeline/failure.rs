//! Why a message could not be processed: the stage, a bounded kind (a metric label) and a message.

use std::any::Any;
use std::fmt;

use crate::contract::ErrorInfo;

/// Where in the pipeline a message failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Reading the message value.
    Decode,
    /// The pipeline as a whole (a panic is not attributable to one stage without unwinding details).
    Pipeline,
    /// Serialising the record.
    Serialize,
    /// Writing the record to the output topic.
    Produce,
}

impl Stage {
    /// The label used in records, headers and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Decode => "decode",
            Stage::Pipeline => "pipeline",
            Stage::Serialize => "serialize",
            Stage::Produce => "produce",
        }
    }
}

/// Every reason a message can be dead-lettered. A closed set, so it can label metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ErrorKind {
    /// The message had no value (a tombstone).
    #[error("message has no value")]
    NoValue,
    /// The value is larger than `pipeline.max_message_bytes`.
    #[error("message value is over the size limit")]
    Oversized,
    /// The value is not UTF-8.
    #[error("message value is not valid UTF-8")]
    InvalidUtf8,
    /// The value is not JSON (or nests deeper than the parser allows).
    #[error("message value is not valid JSON")]
    InvalidJson,
    /// The value is JSON but not an object.
    #[error("message value is not a JSON object")]
    NotAnObject,
    /// There is no `body` field.
    #[error("required field `body` is missing")]
    MissingBody,
    /// A known field has the wrong type.
    #[error("a field has the wrong type")]
    InvalidField,
    /// `body` is empty or only whitespace.
    #[error("`body` is empty")]
    EmptyBody,
    /// `content_type` is neither HTML nor plain text.
    #[error("unsupported content type")]
    UnsupportedContentType,
    /// A stage panicked on this message.
    #[error("a stage panicked")]
    StagePanic,
    /// The enriched record is larger than the output topic accepts.
    #[error("record too large for the output topic")]
    RecordTooLarge,
    /// The record could not be serialised.
    #[error("record could not be serialised")]
    SerializeFailed,
}

impl ErrorKind {
    /// All kinds, for pre-registering metric label values.
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::NoValue,
        ErrorKind::Oversized,
        ErrorKind::InvalidUtf8,
        ErrorKind::InvalidJson,
        ErrorKind::NotAnObject,
        ErrorKind::MissingBody,
        ErrorKind::InvalidField,
        ErrorKind::EmptyBody,
        ErrorKind::UnsupportedContentType,
        ErrorKind::StagePanic,
        ErrorKind::RecordTooLarge,
        ErrorKind::SerializeFailed,
    ];

    /// The label used in records, headers and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NoValue => "no_value",
            ErrorKind::Oversized => "oversized",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::NotAnObject => "not_an_object",
            ErrorKind::MissingBody => "missing_body",
            ErrorKind::InvalidField => "invalid_field",
            ErrorKind::EmptyBody => "empty_body",
            ErrorKind::UnsupportedContentType => "unsupported_content_type",
            ErrorKind::StagePanic => "stage_panic",
            ErrorKind::RecordTooLarge => "record_too_large",
            ErrorKind::SerializeFailed => "serialize_failed",
        }
    }
}

/// A message that cannot be processed, and why. Deterministic: the same bytes fail the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Where.
    pub stage: Stage,
    /// What kind.
    pub kind: ErrorKind,
    /// Details for a person.
    pub message: String,
}

impl Failure {
    /// A failure with details.
    pub fn new(stage: Stage, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { stage, kind, message: message.into() }
    }

    /// A caught panic.
    pub fn from_panic(payload: &Box<dyn Any + Send>) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-string panic payload".to_owned());
        Self::new(Stage::Pipeline, ErrorKind::StagePanic, format!("panic: {what}"))
    }

    /// The record form.
    pub fn to_info(&self) -> ErrorInfo {
        ErrorInfo {
            stage: self.stage.as_str().to_owned(),
            kind: self.kind.as_str().to_owned(),
            message: self.message.clone(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed ({}): {}", self.stage.as_str(), self.kind.as_str(), self.message)
    }
}

impl std::error::Error for Failure {}
