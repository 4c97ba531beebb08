//! Every metric the service exports, registered once in one explicit registry passed down from the
//! composition root. Labels come only from bounded sets (stage, error kind, topic, partition, top languages).

use prometheus::{
    exponential_buckets, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec,
    Opts, Registry,
};

use crate::contract::{EnrichedRecord, EntityType};
use crate::pipeline::{ErrorKind, Stage};

/// Languages given their own label value in `records_by_language_total`; the rest count as `other`.
const TOP_LANGUAGES: [&str; 24] = [
    "ar", "en", "fr", "ru", "es", "de", "tr", "fa", "zh", "ur", "he", "hi", "id", "it", "ja", "ko", "nl", "pl", "pt",
    "uk", "sv", "el", "ro", "und",
];

/// Stages with latency histograms.
pub const TIMED_STAGES: [&str; 5] = ["decode", "cleanup", "language", "entities", "serialize"];

/// The service's metrics.
#[derive(Clone)]
pub struct Metrics {
    /// Messages read from the input topics.
    pub consumed: IntCounterVec,
    /// Enriched records acknowledged by the output topic.
    pub produced: IntCounter,
    /// Messages acknowledged by the dead-letter topic, by stage and kind.
    pub dead_letters: IntCounterVec,
    /// Messages each stage finished.
    pub stage_processed: IntCounterVec,
    /// Messages each stage failed on.
    pub stage_failed: IntCounterVec,
    /// Per-stage latency.
    pub stage_duration: HistogramVec,
    /// Input message timestamp to output acknowledgement.
    pub end_to_end: Histogram,
    /// High watermark minus stored offset, per assigned partition.
    pub consumer_lag: IntGaugeVec,
    /// Messages admitted and not yet acknowledged.
    pub in_flight_messages: IntGauge,
    /// Bytes of message values admitted and not yet acknowledged.
    pub in_flight_bytes: IntGauge,
    /// Items waiting between the runtime's steps.
    pub queue_depth: IntGaugeVec,
    /// Rebalance events by kind.
    pub rebalances: IntCounterVec,
    /// Partitions currently assigned.
    pub partitions_assigned: IntGauge,
    /// Offset commits by result.
    pub commits: IntCounterVec,
    /// Messages in the producer's queue.
    pub producer_queue: IntGauge,
    /// Failed deliveries by kind (retried, dead-lettered or fatal).
    pub delivery_errors: IntCounterVec,
    /// Messages this process saw again after completing them (at-least-once redeliveries).
    pub duplicates: IntCounter,
    /// Broker round-trip time (average over the statistics interval).
    pub broker_rtt: prometheus::GaugeVec,
    /// Broker throttle time (average over the statistics interval).
    pub broker_throttle: prometheus::GaugeVec,
    /// Records by detected language.
    pub records_by_language: IntCounterVec,
    /// Entity mentions by type.
    pub entities: IntCounterVec,
    /// Records with no date, no title or an empty body.
    pub records_missing: IntCounterVec,
    /// Clean characters over raw characters.
    pub cleanup_ratio: Histogram,
    /// 1 while ready to serve (see `/readyz`).
    pub ready: IntGauge,
}

fn counter_vec(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> prometheus::Result<IntCounterVec> {
    let metric = IntCounterVec::new(Opts::new(name, help), labels)?;
    registry.register(Box::new(metric.clone()))?;
    Ok(metric)
}

fn gauge(registry: &Registry, name: &str, help: &str) -> prometheus::Result<IntGauge> {
    let metric = IntGauge::new(name, help)?;
    registry.register(Box::new(metric.clone()))?;
    Ok(metric)
}

fn histogram(registry: &Registry, opts: HistogramOpts) -> prometheus::Result<Histogram> {
    let metric = Histogram::with_opts(opts)?;
    registry.register(Box::new(metric.clone()))?;
    Ok(metric)
}

impl Metrics {
    /// Creates and registers every metric, with label values pre-created where the set is known, so dashboards
    /// see zeros instead of gaps.
    pub fn register(registry: &Registry, revision: &str) -> prometheus::Result<Self> {
        let build_info = IntGaugeVec::new(
            Opts::new("news_enricher_build_info", "Build information; always 1."),
            &["version", "revision"],
        )?;
        registry.register(Box::new(build_info.clone()))?;
        build_info.with_label_values(&[crate::VERSION, revision]).set(1);

        let stage_duration = HistogramVec::new(
            HistogramOpts::new("news_enricher_stage_duration_seconds", "Time spent per message in each stage.")
                .buckets(exponential_buckets(0.000_01, 2.5, 14)?),
            &["stage"],
        )?;
        registry.register(Box::new(stage_duration.clone()))?;
        let broker_rtt = prometheus::GaugeVec::new(
            Opts::new(
                "news_enricher_broker_rtt_seconds",
                "Average broker round-trip time, from librdkafka statistics.",
            ),
            &["client", "broker"],
        )?;
        registry.register(Box::new(broker_rtt.clone()))?;
        let broker_throttle = prometheus::GaugeVec::new(
            Opts::new(
                "news_enricher_broker_throttle_seconds",
                "Average broker throttle time, from librdkafka statistics.",
            ),
            &["client", "broker"],
        )?;
        registry.register(Box::new(broker_throttle.clone()))?;
        let consumer_lag = IntGaugeVec::new(
            Opts::new("news_enricher_consumer_lag", "High watermark minus the stored offset, per assigned partition."),
            &["topic", "partition"],
        )?;
        registry.register(Box::new(consumer_lag.clone()))?;
        let queue_depth = IntGaugeVec::new(
            Opts::new("news_enricher_queue_depth", "Items waiting between the runtime's steps."),
            &["queue"],
        )?;
        registry.register(Box::new(queue_depth.clone()))?;

        let metrics = Self {
            consumed: counter_vec(
                registry,
                "news_enricher_messages_consumed_total",
                "Messages read from the input topics.",
                &["topic"],
            )?,
            produced: {
                let c = IntCounter::new(
                    "news_enricher_records_produced_total",
                    "Enriched records acknowledged by the output topic.",
                )?;
                registry.register(Box::new(c.clone()))?;
                c
            },
            dead_letters: counter_vec(
                registry,
                "news_enricher_dead_letters_total",
                "Messages acknowledged by the dead-letter topic.",
                &["stage", "kind"],
            )?,
            stage_processed: counter_vec(
                registry,
                "news_enricher_stage_processed_total",
                "Messages a stage finished.",
                &["stage"],
            )?,
            stage_failed: counter_vec(
                registry,
                "news_enricher_stage_failed_total",
                "Messages a stage failed on.",
                &["stage"],
            )?,
            stage_duration,
            end_to_end: histogram(
                registry,
                HistogramOpts::new(
                    "news_enricher_end_to_end_latency_seconds",
                    "Input message timestamp to output acknowledgement.",
                )
                .buckets(exponential_buckets(0.001, 2.0, 18)?),
            )?,
            consumer_lag,
            in_flight_messages: gauge(
                registry,
                "news_enricher_in_flight_messages",
                "Messages admitted and not yet acknowledged.",
            )?,
            in_flight_bytes: gauge(
                registry,
                "news_enricher_in_flight_bytes",
                "Bytes of message values admitted and not yet acknowledged.",
            )?,
            queue_depth,
            rebalances: counter_vec(
                registry,
                "news_enricher_rebalances_total",
                "Rebalance events by kind.",
                &["kind"],
            )?,
            partitions_assigned: gauge(
                registry,
                "news_enricher_partitions_assigned",
                "Partitions currently assigned.",
            )?,
            commits: counter_vec(registry, "news_enricher_commits_total", "Offset commits by result.", &["result"])?,
            producer_queue: gauge(
                registry,
                "news_enricher_producer_queue_messages",
                "Messages in the producer's queue.",
            )?,
            delivery_errors: counter_vec(
                registry,
                "news_enricher_delivery_errors_total",
                "Failed deliveries by kind.",
                &["kind"],
            )?,
            duplicates: {
                let c = IntCounter::new(
                    "news_enricher_duplicates_total",
                    "Messages this process processed again after completing them.",
                )?;
                registry.register(Box::new(c.clone()))?;
                c
            },
            broker_rtt,
            broker_throttle,
            records_by_language: counter_vec(
                registry,
                "news_enricher_records_by_language_total",
                "Records by detected language (top languages, else other).",
                &["language"],
            )?,
            entities: counter_vec(registry, "news_enricher_entities_total", "Entity mentions by type.", &["type"])?,
            records_missing: counter_vec(
                registry,
                "news_enricher_records_missing_total",
                "Records with no date, no title or an empty body.",
                &["field"],
            )?,
            cleanup_ratio: histogram(
                registry,
                HistogramOpts::new("news_enricher_cleanup_ratio", "Clean characters over raw characters per record.")
                    .buckets(vec![0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0]),
            )?,
            ready: gauge(
                registry,
                "news_enricher_ready",
                "1 while ready (partitions assigned, producer up, not draining).",
            )?,
        };
        for stage in TIMED_STAGES {
            metrics.stage_processed.with_label_values(&[stage]);
            metrics.stage_failed.with_label_values(&[stage]);
            metrics.stage_duration.with_label_values(&[stage]);
        }
        // Failures outside the timed stages: a caught panic, and a record the output topic refused.
        for stage in [Stage::Pipeline, Stage::Produce] {
            metrics.stage_failed.with_label_values(&[stage.as_str()]);
        }
        for kind in ErrorKind::ALL {
            metrics.dead_letters.with_label_values(&[stage_of(kind).as_str(), kind.as_str()]);
        }
        for kind in ["assign", "revoke", "error"] {
            metrics.rebalances.with_label_values(&[kind]);
        }
        for result in ["ok", "error"] {
            metrics.commits.with_label_values(&[result]);
        }
        for field in ["date", "title", "body"] {
            metrics.records_missing.with_label_values(&[field]);
        }
        for t in ["PER", "ORG", "LOC", "MISC"] {
            metrics.entities.with_label_values(&[t]);
        }
        Ok(metrics)
    }

    /// Counts what a finished record says: stage timings, language, entities, missing fields, cleanup ratio.
    pub fn observe_record(&self, record: &EnrichedRecord, raw_chars: usize, serialize_secs: f64) {
        let t = &record.timings;
        for (stage, us) in [
            ("decode", t.decode_us),
            ("cleanup", t.cleanup_us),
            ("language", t.language_us),
            ("entities", t.entities_us),
        ] {
            self.stage_processed.with_label_values(&[stage]).inc();
            self.stage_duration.with_label_values(&[stage]).observe(us as f64 / 1e6);
        }
        self.stage_processed.with_label_values(&["serialize"]).inc();
        self.stage_duration.with_label_values(&["serialize"]).observe(serialize_secs);
        let code = record.language.code.as_str();
        let label = if TOP_LANGUAGES.contains(&code) { code } else { "other" };
        self.records_by_language.with_label_values(&[label]).inc();
        for entity in &record.entities {
            let t = match entity.entity_type {
                EntityType::Person => "PER",
                EntityType::Organization => "ORG",
                EntityType::Location => "LOC",
                EntityType::Misc => "MISC",
            };
            self.entities.with_label_values(&[t]).inc();
        }
        if record.published_at.is_none() {
            self.records_missing.with_label_values(&["date"]).inc();
        }
        if record.title.is_none() {
            self.records_missing.with_label_values(&["title"]).inc();
        }
        if record.text.is_empty() {
            self.records_missing.with_label_values(&["body"]).inc();
        }
        if raw_chars > 0 {
            self.cleanup_ratio.observe(record.text.chars().count() as f64 / raw_chars as f64);
        }
    }

    /// Counts a message a stage rejected.
    pub fn observe_failure(&self, stage: Stage) {
        self.stage_failed.with_label_values(&[stage.as_str()]).inc();
    }
}

/// The stage label a kind of failure is reported under.
pub fn stage_of(kind: ErrorKind) -> Stage {
    match kind {
        ErrorKind::StagePanic => Stage::Pipeline,
        ErrorKind::RecordTooLarge => Stage::Produce,
        ErrorKind::SerializeFailed => Stage::Serialize,
        _ => Stage::Decode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_without_name_clashes_and_encodes() {
        let registry = Registry::new();
        let metrics = Metrics::register(&registry, "abc").unwrap();
        metrics.produced.inc();
        let mut out = String::new();
        prometheus::TextEncoder::new().encode_utf8(&registry.gather(), &mut out).unwrap();
        assert!(out.contains("news_enricher_records_produced_total 1"));
        assert!(out.contains("news_enricher_build_info{revision=\"abc\""));
    }
}
