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
