//! The sink: takes worker results in consumption order, writes each to the output or dead-letter topic,
//! and when the broker acknowledges it, stores the partition's highest contiguous completed offset.
//!
//! A record is never acknowledged to the consumer before the broker acknowledged its output, so a crash at
//! any point loses nothing: what was not stored is consumed again (an at-least-once duplicate).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::stream::{FuturesOrdered, FuturesUnordered, StreamExt};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{Header, Message, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{Offset, TopicPartitionList};
use tokio::sync::mpsc;
use tracing::{debug, warn};

use super::budget::Budget;
use super::context::{ConsumerCtx, ProducerCtx, Shared};
use super::errors::{classify, kind_label, Action};
use super::source::owned_headers;
use super::Job;
use crate::contract::dlq_headers;
use crate::metrics::stage_of;
use crate::pipeline::{ErrorKind, Failure, Original, Stage};
use crate::telemetry::error_chain;
use crate::worker::{self, Outcome, OutputLimits};

/// Longest wait between retries of a record the brokers did not take.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Where results go.
pub struct Sink {
    /// The producer.
    pub producer: FutureProducer<ProducerCtx>,
    /// The consumer, to store offsets.
    pub consumer: Arc<BaseConsumer<ConsumerCtx>>,
    /// Shared state.
    pub shared: Arc<Shared>,
    /// In-flight limits, released on acknowledgement.
    pub budget: Arc<Budget>,
    /// Output topic.
    pub output_topic: String,
    /// Dead-letter topic.
    pub dead_letter_topic: String,
    /// Size limits, for turning an oversized record into a dead letter.
    pub limits: OutputLimits,
}

type Ready = (Job, Outcome);
type Delivered = (Job, Outcome, Result<(), KafkaError>);

impl Sink {
    /// Runs until the job channel closes and everything queued is acknowledged (or given up on fatally).
    pub async fn run(self, mut jobs: mpsc::Receiver<Job>) {
        let mut ordered: FuturesOrdered<Pin<Box<dyn Future<Output = Option<Ready>> + Send>>> = FuturesOrdered::new();
        let mut deliveries: FuturesUnordered<Pin<Box<dyn Future<Output = Delivered> + Send>>> = FuturesUnordered::new();
        let mut open = true;
        while open || !ordered.is_empty() || !deliveries.is_empty() {
            tokio::select! {
                job = jobs.recv(), if open => match job {
                    Some(mut job) => ordered.push_back(Box::pin(async move {
                        // A dropped sender means the worker panicked outside the pipeline's own catch.
                        let outcome = (&mut job.result).await.ok()?;
                        Some((job, outcome))
                    })),
                    None => open = false,
                },
                Some(ready) = ordered.next(), if !ordered.is_empty() => match ready {
                    Some((job, outcome)) => deliveries.push(self.deliver(job, outcome, Duration::ZERO)),
                    None => self.shared.fatal("a worker thread died; stopping so the message is redelivered".into()),
                },
                Some((job, outcome, result)) = deliveries.next(), if !deliveries.is_empty() => {
                    self.acknowledged(job, outcome, result, &mut deliveries);
                }
            }
            self.shared.metrics.queue_depth.with_label_values(&["ordering"]).set(ordered.len() as i64);
            self.shared.metrics.queue_depth.with_label_values(&["delivery"]).set(deliveries.len() as i64);
            if self.shared.health.fatal().is_some() {
                // Nothing more will be written; what is not acknowledged is redelivered after the restart.
                break;
            }
        }
        debug!("sink stopped");
    }

    /// Writes one result after `backoff`, resolving when the broker answers.
    fn deliver(
        &self,
        job: Job,
        outcome: Outcome,
        backoff: Duration,
    ) -> Pin<Box<dyn Future<Output = Delivered> + Send>> {
        let producer = self.producer.clone();
        let (topic, key, headers) = match &outcome {
            Outcome::Record { key, .. } => (
                self.output_topic.clone(),
                Some(key.clone()),
                OwnedHeaders::new().insert(Header { key: "content-type", value: Some("application/json") }).insert(
                    Header { key: "schema-version", value: Some(&crate::contract::SCHEMA_VERSION.to_string()) },
                ),
            ),
            Outcome::DeadLetter { failure, .. } => {
                let origin = format!("{}/{}/{}", job.tp.0, job.tp.1, job.offset);
                let mut message = failure.message.clone();
                truncate_on_char_boundary(&mut message, 512);
                (
                    self.dead_letter_topic.clone(),
                    job.message.key().map(|k| String::from_utf8_lossy(k).into_owned()),
                    OwnedHeaders::new()
                        .insert(Header { key: dlq_headers::STAGE, value: Some(failure.stage.as_str()) })
                        .insert(Header { key: dlq_headers::KIND, value: Some(failure.kind.as_str()) })
                        .insert(Header { key: dlq_headers::MESSAGE, value: Some(&message) })
                        .insert(Header { key: dlq_headers::ORIGIN, value: Some(&origin) }),
                )
            }
        };
        Box::pin(async move {
            if !backoff.is_zero() {
                tokio::time::sleep(backoff).await;
            }
            let payload = match &outcome {
                Outcome::Record { payload, .. } | Outcome::DeadLetter { payload, .. } => payload.as_slice(),
            };
            let mut record = FutureRecord::to(&topic).payload(payload).headers(headers);
            if let Some(key) = key.as_deref() {
                record = record.key(key);
            }
            // Queue full: librdkafka is still delivering earlier records; wait for room.
            let delivery = loop {
                match producer.send_result(record) {
                    Ok(delivery) => break delivery,
                    Err((KafkaError::MessageProduction(rdkafka::types::RDKafkaErrorCode::QueueFull), back)) => {
                        record = back;
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    Err((e, _)) => return (job, outcome, Err(e)),
                }
            };
            let result = match delivery.await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err((e, _))) => Err(e),
                Err(_canceled) => Err(KafkaError::Canceled),
            };
            (job, outcome, result)
        })
    }

    fn acknowledged(
        &self,
        job: Job,
        outcome: Outcome,
        result: Result<(), KafkaError>,
        deliveries: &mut FuturesUnordered<Pin<Box<dyn Future<Output = Delivered> + Send>>>,
    ) {
        let metrics = &self.shared.metrics;
        let error = match result {
            Ok(()) => {
                match &outcome {
                    Outcome::Record { .. } => {
                        metrics.produced.inc();
                        if let Some(ts) = job.message.timestamp().to_millis() {
                            let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
                            let latency_ms = now.saturating_sub(u128::try_from(ts).unwrap_or(0));
                            metrics.end_to_end.observe(latency_ms as f64 / 1000.0);
                        }
                    }
                    Outcome::DeadLetter { failure, .. } => {
                        metrics
                            .dead_letters
                            .with_label_values(&[stage_of(failure.kind).as_str(), failure.kind.as_str()])
                            .inc();
                        log_dead_letter(&job, failure);
                    }
                }
                self.complete(job);
                return;
            }
            Err(e) => e,
        };
        let action = classify(&error);
        metrics.delivery_errors.with_label_values(&[kind_label(action)]).inc();
        match (action, outcome) {
            (Action::DeadLetter, Outcome::Record { payload, .. }) => {
                warn!(topic = %job.tp.0, partition = job.tp.1, offset = job.offset, stage = "produce",
                    error_kind = kind_label(action), error = %error_chain(&error),
                    "output topic rejected the record; dead-lettering it");
                metrics.observe_failure(Stage::Produce);
                let failure = Failure::new(
                    Stage::Produce,
                    ErrorKind::RecordTooLarge,
                    format!("output topic rejected a {}-byte record: {error}", payload.len()),
                );
                let m = &*job.message;
                let headers = owned_headers(m);
                let source = worker::source_position(m.topic(), m.partition(), m.offset(), m.timestamp().to_millis());
                let original = Original { key: m.key(), value: m.payload(), headers: &headers, source: Some(&source) };
                let dead = worker::dead_letter(&original, failure, self.limits);
                deliveries.push(self.deliver(job, dead, Duration::ZERO));
            }
            (Action::Retry, outcome) => {
                let mut job = job;
                job.attempts = job.attempts.saturating_add(1);
                let backoff = MAX_BACKOFF.min(Duration::from_millis(50) * 2u32.saturating_pow(job.attempts.min(10)));
                warn!(topic = %job.tp.0, partition = job.tp.1, offset = job.offset, stage = "produce",
                    error_kind = kind_label(action), error = %error_chain(&error), attempts = job.attempts,
                    "delivery failed; retrying (offset not stored until it succeeds)");
                deliveries.push(self.deliver(job, outcome, backoff));
            }
            (_, outcome) => {
                let which = match outcome {
                    Outcome::Record { .. } => format!("output topic `{}`", self.output_topic),
                    Outcome::DeadLetter { .. } => format!("dead-letter topic `{}`", self.dead_letter_topic),
                };
                self.shared.fatal(format!("cannot write to the {which}: {error}"));
            }
        }
    }

    /// The broker has the result: release the budget and store the offset if it moved.
    fn complete(&self, job: Job) {
        self.budget.release(job.cost);
        let (messages, bytes) = self.budget.in_use();
        self.shared.metrics.in_flight_messages.set(i64::try_from(messages).unwrap_or(i64::MAX));
        self.shared.metrics.in_flight_bytes.set(i64::try_from(bytes).unwrap_or(i64::MAX));
        let Some(next) = self.shared.tracker().complete(&job.tp, job.offset) else { return };
        let mut tpl = TopicPartitionList::new();
        if tpl.add_partition_offset(&job.tp.0, job.tp.1, Offset::Offset(next)).is_ok() {
            if let Err(e) = self.consumer.store_offsets(&tpl) {
                // The partition was revoked meanwhile; its next owner reprocesses from the committed offset.
                debug!(error = %e, topic = %job.tp.0, partition = job.tp.1, "offset not stored");
            }
        }
    }
}

/// The log line of a dead-lettered message, with the fields operators filter on. The warn line carries the
/// kind's fixed description only: a failure's details can quote the message (serde names the value it could not
/// read), so they go to debug, like anything else that may hold article text.
fn log_dead_letter(job: &Job, failure: &Failure) {
    warn!(topic = %job.tp.0, partition = job.tp.1, offset = job.offset, stage = failure.stage.as_str(),
        error_kind = failure.kind.as_str(), error = %failure.kind, "message dead-lettered");
    debug!(topic = %job.tp.0, partition = job.tp.1, offset = job.offset, stage = failure.stage.as_str(),
        error_kind = failure.kind.as_str(), details = %failure.message, "dead-letter details");
}

fn truncate_on_char_boundary(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}
