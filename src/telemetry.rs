//! Logging set up once: JSON lines in production, readable text on a terminal; `RUST_LOG` overrides the
//! configured level. librdkafka's own logs arrive through rdkafka's `tracing` feature.

use tracing_subscriber::{fmt, EnvFilter};

use crate::settings::{LogFormat, LogSettings};

/// Installs the global subscriber. Logs go to stderr so that stdout stays free for command output.
pub fn init(log: &LogSettings) {
    // html5ever reports every recoverable HTML error at warn; pages are full of them and they say nothing
    // about the service, so they only show when asked for (RUST_LOG).
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(format!("{},html5ever=error", log.level)))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second call (tests) keeps the first subscriber.
    let _ = match log.format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
        LogFormat::Text => builder.with_target(false).try_init(),
    };
}

/// An error and its causes as one line, `outer: cause: root cause`, for the one log line per handled error.
/// A cause whose text the message before it already contains is left out (librdkafka's errors repeat their
/// code in both), so the line says each thing once.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut last = line.clone();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !last.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        last = text;
        source = cause.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] Middle);

    #[derive(Debug, thiserror::Error)]
    #[error("middle")]
    struct Middle(#[source] std::io::Error);

    #[test]
    fn chain_lists_every_cause_once() {
        let e = Outer(Middle(std::io::Error::other("disk gone")));
        assert_eq!(error_chain(&e), "outer: middle: disk gone");
        let kafka = rdkafka::error::KafkaError::MessageProduction(rdkafka::types::RDKafkaErrorCode::QueueFull);
        let line = error_chain(&kafka);
        assert_eq!(line, kafka.to_string(), "the code already in the message is not repeated");
    }
}
