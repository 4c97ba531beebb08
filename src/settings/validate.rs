//! Cross-field rules checked once at startup; every message names the key to fix.

use std::time::Duration;

use super::{bytes_usize, load::ConfigError, Settings};

impl Settings {
    /// Checks the rules a parsed configuration must also follow.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut errors = Vec::new();
        let k = &self.kafka;
        let p = &self.pipeline;
        let mut need = |ok: bool, message: String| {
            if !ok {
                errors.push(message);
            }
        };
        need(!k.brokers.trim().is_empty(), "kafka.brokers: must name at least one broker".into());
        need(!k.group_id.trim().is_empty(), "kafka.group_id: must not be empty".into());
        let inputs = k.input_topics();
        need(!inputs.is_empty(), "kafka.input_topic: must name at least one topic".into());
        need(!k.output_topic.trim().is_empty(), "kafka.output_topic: must not be empty".into());
        need(!k.dead_letter_topic.trim().is_empty(), "kafka.dead_letter_topic: must not be empty".into());
        need(
            !inputs.contains(&k.output_topic.as_str()),
            format!("kafka.output_topic: `{}` is also an input topic (records would loop)", k.output_topic),
        );
        need(
            !inputs.contains(&k.dead_letter_topic.as_str()),
            format!("kafka.dead_letter_topic: `{}` is also an input topic", k.dead_letter_topic),
        );
        need(
            k.dead_letter_topic != k.output_topic,
            "kafka.dead_letter_topic: must differ from kafka.output_topic".into(),
        );
        need(
            matches!(k.auto_offset_reset.as_str(), "earliest" | "latest"),
            format!("kafka.auto_offset_reset: `{}` is not `earliest` or `latest`", k.auto_offset_reset),
        );
        need(
            matches!(
                k.security_protocol.to_ascii_lowercase().as_str(),
                "plaintext" | "ssl" | "sasl_plaintext" | "sasl_ssl"
            ),
            format!(
                "kafka.security_protocol: `{}` is not plaintext, ssl, sasl_plaintext or sasl_ssl",
                k.security_protocol
            ),
        );
        need(
            matches!(k.compression.as_str(), "none" | "gzip" | "snappy" | "lz4" | "zstd"),
            format!("kafka.compression: `{}` is not none, gzip, snappy, lz4 or zstd", k.compression),
        );
        need(
            p.drain_timeout < k.session_timeout,
            "pipeline.drain_timeout: must be shorter than kafka.session_timeout, or a drain on revocation outlives \
             the group session"
                .into(),
        );
        // librdkafka refuses this pair at client creation, naming its own keys; say it here with ours.
        need(
            k.max_poll_interval >= k.session_timeout,
            "kafka.max_poll_interval: must be at least kafka.session_timeout".into(),
        );
        // Lag, broker RTT and producer readiness come from the statistics callback: zero would switch them off.
        need(
            (Duration::from_secs(1)..=Duration::from_secs(60)).contains(&k.statistics_interval),
            "kafka.statistics_interval: must be between 1s and 60s (lag and broker metrics come from it)".into(),
        );
        need(p.max_in_flight_messages >= 1, "pipeline.max_in_flight_messages: must be at least 1".into());
        need(p.max_message_bytes.as_u64() >= 1024, "pipeline.max_message_bytes: must be at least 1KiB".into());
        need(
            p.max_in_flight_bytes >= p.max_message_bytes,
            "pipeline.max_in_flight_bytes: must be at least pipeline.max_message_bytes, or a large message could \
             never be admitted"
                .into(),
        );
        need(bytes_usize(p.max_in_flight_bytes) < usize::MAX, "pipeline.max_in_flight_bytes: too large".into());
        need(
            k.max_record_bytes.as_u64() >= 1024 && k.dead_letter_max_bytes.as_u64() >= 4096,
            "kafka.max_record_bytes / kafka.dead_letter_max_bytes: must be at least 1KiB / 4KiB".into(),
        );
        if let Err(e) = self.http.addr() {
            need(false, format!("http.listen_addr: `{}` is not host:port ({e})", self.http.listen_addr));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::super::load_from;

    fn errors_for(pairs: &[(&str, &str)]) -> String {
        let env: HashMap<String, String> = pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        load_from(None, env).unwrap_err().to_string()
    }

    #[test]
    fn cross_field_rules_name_their_keys() {
        let e = errors_for(&[("NEWS_ENRICHER__KAFKA__OUTPUT_TOPIC", "articles.raw")]);
        assert!(e.contains("kafka.output_topic"), "{e}");
        let e = errors_for(&[("NEWS_ENRICHER__PIPELINE__DRAIN_TIMEOUT", "60s")]);
        assert!(e.contains("pipeline.drain_timeout"), "{e}");
        let e = errors_for(&[("NEWS_ENRICHER__PIPELINE__MAX_IN_FLIGHT_BYTES", "1MiB")]);
        assert!(e.contains("pipeline.max_in_flight_bytes"), "{e}");
        let e = errors_for(&[("NEWS_ENRICHER__HTTP__LISTEN_ADDR", "localhost")]);
        assert!(e.contains("http.listen_addr"), "{e}");
        let e = errors_for(&[("NEWS_ENRICHER__KAFKA__STATISTICS_INTERVAL", "0s")]);
        assert!(e.contains("kafka.statistics_interval"), "{e}");
        let e = errors_for(&[("NEWS_ENRICHER__KAFKA__DEAD_LETTER_TOPIC", "articles.enriched")]);
        assert!(e.contains("kafka.dead_letter_topic"), "{e}");
    }
}
