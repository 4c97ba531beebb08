//! The `[kafka]` section, and the one function that turns it into librdkafka client configurations.

use std::collections::BTreeMap;
use std::time::Duration;

use bytesize::ByteSize;
use rdkafka::ClientConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

/// Brokers, topics, group membership and client options.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaSettings {
    /// Bootstrap servers, comma-separated `host:port`.
    pub brokers: String,
    /// Consumer group; replicas with the same group split the partitions.
    pub group_id: String,
    /// Topic(s) to consume: one name, or a comma-separated list.
    pub input_topic: String,
    /// Topic the enriched records go to, keyed by article id.
    pub output_topic: String,
    /// Topic for messages that cannot be processed, with the original bytes and the reason.
    pub dead_letter_topic: String,
    /// `client.id` reported to the brokers.
    pub client_id: String,
    /// Static group membership (`group.instance.id`); empty for dynamic membership. In Kubernetes, the pod name.
    pub instance_id: String,
    /// `partition.assignment.strategy`; cooperative-sticky moves only the partitions that must move.
    pub assignment_strategy: String,
    /// Where a group with no committed offset starts: `earliest` or `latest`.
    pub auto_offset_reset: String,
    /// Group session timeout; must exceed `pipeline.drain_timeout`.
    #[serde(with = "humantime_serde")]
    pub session_timeout: Duration,
    /// Longest time between polls before the member is considered stuck.
    #[serde(with = "humantime_serde")]
    pub max_poll_interval: Duration,
    /// How often stored offsets are committed (they are also committed synchronously on drain).
    #[serde(with = "humantime_serde")]
    pub commit_interval: Duration,
    /// How often librdkafka reports statistics (lag, broker RTT, queue sizes).
    #[serde(with = "humantime_serde")]
    pub statistics_interval: Duration,
    /// Bytes the consumer pre-fetches per partition queue (`queued.max.messages.kbytes`).
    pub fetch_queue_bytes: ByteSize,
    /// Bytes the producer may buffer before sends wait (`queue.buffering.max.kbytes`).
    pub producer_queue_bytes: ByteSize,
    /// How long the producer retries a record before reporting failure (`delivery.timeout.ms`).
    #[serde(with = "humantime_serde")]
    pub delivery_timeout: Duration,
    /// Producer compression: `none`, `gzip`, `snappy`, `lz4` or `zstd`.
    pub compression: String,
    /// Producer batching delay (`linger.ms`).
    #[serde(with = "humantime_serde")]
    pub linger: Duration,
    /// Largest enriched record; larger ones go to the dead-letter topic (`record_too_large`).
    pub max_record_bytes: ByteSize,
    /// Largest dead-letter record; the original value is truncated (and flagged) beyond it.
    pub dead_letter_max_bytes: ByteSize,
    /// `plaintext`, `ssl`, `sasl_plaintext` or `sasl_ssl`.
    pub security_protocol: String,
    /// SASL mechanism (`PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`); empty when not using SASL.
    pub sasl_mechanism: String,
    /// SASL user name.
    pub sasl_username: String,
    /// SASL password (masked in `check-config`).
    #[serde(serialize_with = "mask")]
    pub sasl_password: SecretString,
    /// CA certificate file for TLS.
    pub ssl_ca_location: String,
    /// Client certificate file for mutual TLS.
    pub ssl_certificate_location: String,
    /// Client key file for mutual TLS.
    pub ssl_key_location: String,
    /// Password of the client key (masked in `check-config`).
    #[serde(serialize_with = "mask")]
    pub ssl_key_password: SecretString,
    /// Extra librdkafka consumer properties, applied last (they win).
    pub consumer_options: BTreeMap<String, String>,
    /// Extra librdkafka producer properties, applied last (they win).
    pub producer_options: BTreeMap<String, String>,
}

fn mask<S: Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(if secret.expose_secret().is_empty() { "" } else { "********" })
}

fn millis(d: Duration) -> String {
    d.as_millis().to_string()
}

impl KafkaSettings {
    /// The input topics.
    pub fn input_topics(&self) -> Vec<&str> {
        self.input_topic.split(',').map(str::trim).filter(|t| !t.is_empty()).collect()
    }

    /// Options shared by consumer and producer: brokers, client id, security, statistics.
    fn common(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config
            .set("bootstrap.servers", &self.brokers)
            .set("client.id", &self.client_id)
            .set("statistics.interval.ms", millis(self.statistics_interval))
            .set("security.protocol", &self.security_protocol);
        let optional = [
            ("sasl.mechanisms", self.sasl_mechanism.as_str()),
            ("sasl.username", self.sasl_username.as_str()),
            ("sasl.password", self.sasl_password.expose_secret()),
            ("ssl.ca.location", self.ssl_ca_location.as_str()),
            ("ssl.certificate.location", self.ssl_certificate_location.as_str()),
            ("ssl.key.location", self.ssl_key_location.as_str()),
            ("ssl.key.password", self.ssl_key_password.expose_secret()),
        ];
        for (key, value) in optional {
            if !value.is_empty() {
                config.set(librdkafka_key(key), value);
            }
        }
        config
    }

    /// The consumer configuration: at-least-once (offsets stored only after delivery, committed periodically
    /// and on drain), bounded fetch queue, and a per-partition fetch size that holds the largest message the
    /// pipeline accepts (`largest_message`, `pipeline.max_message_bytes`), with room to spare.
    pub fn consumer_config(&self, largest_message: u64) -> ClientConfig {
        let mut config = self.common();
        // Kafka brokers (KIP-74) return a batch larger than the fetch size rather than nothing; older or
        // other Kafka-protocol brokers need the fetch size to hold the message. Sized so every message up to the
        // pipeline's limit, and an oversized one up to 128 KiB over it, can arrive to be processed or
        // dead-lettered; `consumer_options` can raise it further.
        let fetch = (largest_message + 2 * 64 * 1024).max(1024 * 1024);
        config
            .set("group.id", &self.group_id)
            .set("enable.auto.commit", "true")
            .set("enable.auto.offset.store", "false")
            .set("auto.commit.interval.ms", millis(self.commit_interval))
            .set("auto.offset.reset", &self.auto_offset_reset)
            .set("partition.assignment.strategy", &self.assignment_strategy)
            .set("session.timeout.ms", millis(self.session_timeout))
            .set("max.poll.interval.ms", millis(self.max_poll_interval))
            .set("queued.max.messages.kbytes", (self.fetch_queue_bytes.as_u64() / 1024).max(1).to_string())
            .set("enable.partition.eof", "false")
            .set("max.partition.fetch.bytes", fetch.to_string());
        if !self.instance_id.is_empty() {
            config.set("group.instance.id", &self.instance_id);
        }
        for (key, value) in &self.consumer_options {
            config.set(librdkafka_key(key), value);
        }
        config
    }

    /// The producer configuration: idempotent, `acks=all`, bounded queue.
    pub fn producer_config(&self) -> ClientConfig {
        let mut config = self.common();
        let largest = self.max_record_bytes.max(self.dead_letter_max_bytes).as_u64();
        config
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("compression.type", &self.compression)
            .set("linger.ms", millis(self.linger))
            .set("delivery.timeout.ms", millis(self.delivery_timeout))
            .set("queue.buffering.max.kbytes", (self.producer_queue_bytes.as_u64() / 1024).max(1).to_string())
            // Room for the largest record plus protocol overhead.
            .set("message.max.bytes", (largest + 64 * 1024).to_string());
        for (key, value) in &self.producer_options {
            config.set(librdkafka_key(key), value);
        }
        config
    }
}

/// librdkafka property names use dots, which environment variables cannot carry: `fetch_wait_max_ms` set as
/// `NEWS_ENRICHER__KAFKA__CONSUMER_OPTIONS__FETCH_WAIT_MAX_MS` means `fetch.wait.max.ms` (no librdkafka
/// property contains an underscore).
fn librdkafka_key(key: &str) -> String {
    key.replace('_', ".")
}
