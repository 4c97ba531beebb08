//! The poll loop: a dedicated thread that polls the consumer, admits messages into the in-flight budget,
//! hands them to the worker pool and queues them, in order, for the sink.
//!
//! When the budget is full the loop pauses its partitions and keeps polling (so rebalances and group
//! membership are served) until room frees up: backpressure reaches the broker without blocking the group.
//!
//! With [`Bounds`] (replay) it also drops what lies past each partition's end, keeps finished partitions
//! paused, and stops once every partition is finished and everything read has been handed on.

use std::collections::VecDeque;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message, OwnedMessage};
use rdkafka::{Offset, TopicPartitionList};
use tokio::sync::{mpsc, oneshot};
use tracing::{debug, info, warn};

use super::bounds::Bounds;
use super::budget::Budget;
use super::context::{ConsumerCtx, Shared};
use super::errors::{classify, Action};
use super::Job;
use crate::pipeline::{Original, Pipeline};
use crate::worker::{self, OutputLimits};

/// How long one poll waits for a message.
const POLL_WAIT: Duration = Duration::from_millis(100);
/// How long the loop waits for budget before polling again while holding messages.
const BUDGET_WAIT: Duration = Duration::from_millis(50);

/// Everything the poll loop needs.
pub struct Source {
    /// The consumer, shared with the sink (which stores offsets) and shutdown (which commits).
    pub consumer: Arc<BaseConsumer<ConsumerCtx>>,
    /// Shared state.
    pub shared: Arc<Shared>,
    /// In-flight limits.
    pub budget: Arc<Budget>,
    /// The worker pool running the stages.
    pub pool: Arc<rayon::ThreadPool>,
    /// The stages.
    pub pipeline: Arc<Pipeline>,
    /// Output size limits.
    pub limits: OutputLimits,
    /// Jobs, in consumption order, to the sink.
    pub jobs: mpsc::Sender<Job>,
    /// Per-partition end offsets of a bounded run; `None` for the service.
    pub bounds: Option<Arc<Bounds>>,
}

impl Source {
    /// Runs until cancelled or the sink goes away. Messages held but not yet admitted are dropped on exit:
    /// their offsets were never stored, so they are consumed again after a restart.
    pub fn run(self) {
        let mut held: VecDeque<OwnedMessage> = VecDeque::new();
        let mut paused = false;
        while !self.shared.cancel.is_cancelled() {
            if held.is_empty() && self.bounds.as_ref().is_some_and(|b| b.all_finished()) {
                info!("every partition reached its end offset; draining");
                self.shared.cancel.cancel();
                break;
            }
            self.shared.health.touch();
            self.drop_revoked(&mut held);
            while let Some(message) = held.front() {
                let cost = self.budget.cost(message.payload().map_or(0, <[u8]>::len));
                if !self.budget.acquire(cost, if paused { BUDGET_WAIT } else { Duration::ZERO }) {
                    break;
                }
                if let Some(message) = held.pop_front() {
                    if !self.dispatch(message, cost) {
                        return;
                    }
                }
            }
            if held.is_empty() == paused {
                paused = !paused;
                self.set_paused(paused);
            }
            match self.consumer.poll(if paused { Duration::ZERO } else { POLL_WAIT }) {
                Some(Ok(message)) => {
                    self.shared.health.consumer_ok();
                    let message = message.detach();
                    if self.in_bounds(&message) {
                        held.push_back(message);
                    }
                }
                Some(Err(e)) => {
                    if classify(&e) == Action::Fatal {
                        self.shared.fatal(format!("consumer: {e}"));
                    } else {
                        self.shared.health.consumer_error();
                        warn!(error = %crate::telemetry::error_chain(&e), "consumer poll error");
                    }
                }
                None => self.check_positions(),
            }
            self.shared.metrics.queue_depth.with_label_values(&["held"]).set(held.len() as i64);
        }
        debug!(held = held.len(), "poll loop stopped");
    }

    fn set_paused(&self, pause: bool) {
        let Ok(mut assignment) = self.consumer.assignment() else { return };
        if let (false, Some(bounds)) = (pause, &self.bounds) {
            // Finished partitions stay paused: resuming them would only fetch what is dropped again.
            assignment = assignment
                .elements()
                .iter()
                .filter(|e| !bounds.is_finished(&(e.topic().to_owned(), e.partition())))
                .fold(TopicPartitionList::new(), |mut tpl, e| {
                    tpl.add_partition(e.topic(), e.partition());
                    tpl
                });
        }
        let result = if pause { self.consumer.pause(&assignment) } else { self.consumer.resume(&assignment) };
        if let Err(e) = result {
            warn!(error = %e, pause, "could not pause or resume partitions");
        }
        debug!(pause, "in-flight budget {}", if pause { "full: partitions paused" } else { "free: resumed" });
    }

    /// Whether a polled message is to be processed (always, unbounded); pauses its partition once finished.
    fn in_bounds(&self, message: &OwnedMessage) -> bool {
        let Some(bounds) = &self.bounds else { return true };
        let tp = (message.topic().to_owned(), message.partition());
        let admitted = bounds.admit(&tp, message.offset());
        if bounds.is_finished(&tp) {
            let mut tpl = TopicPartitionList::new();
            tpl.add_partition(&tp.0, tp.1);
            if let Err(e) = self.consumer.pause(&tpl) {
                debug!(error = %e, partition = tp.1, "could not pause a finished partition");
            }
        }
        admitted
    }

    /// On an idle poll, a bounded run's partitions whose position reached the end are finished.
    fn check_positions(&self) {
        let Some(bounds) = &self.bounds else { return };
        let Ok(positions) = self.consumer.position() else { return };
        for e in positions.elements() {
            if let Offset::Offset(position) = e.offset() {
                bounds.reached(&(e.topic().to_owned(), e.partition()), position);
            }
        }
    }

    /// Messages held for partitions that were revoked belong to their next owner now.
    fn drop_revoked(&self, held: &mut VecDeque<OwnedMessage>) {
        let revoked: Vec<_> = std::mem::take(&mut *self.shared.revoked.lock().unwrap_or_else(PoisonError::into_inner));
        if !revoked.is_empty() {
            held.retain(|m| !revoked.iter().any(|(t, p)| t == m.topic() && *p == m.partition()));
        }
    }

    /// Hands one admitted message to the pool and queues its job for the sink. False when the sink is gone.
    fn dispatch(&self, message: OwnedMessage, cost: usize) -> bool {
        let tp = (message.topic().to_owned(), message.partition());
        let offset = message.offset();
        if self.shared.tracker().begin(&tp, offset) {
            self.shared.metrics.duplicates.inc();
        }
        let metrics = &self.shared.metrics;
        metrics.consumed.with_label_values(&[&tp.0]).inc();
        let (messages, bytes) = self.budget.in_use();
        metrics.in_flight_messages.set(i64::try_from(messages).unwrap_or(i64::MAX));
        metrics.in_flight_bytes.set(i64::try_from(bytes).unwrap_or(i64::MAX));

        let message = Arc::new(message);
        let (tx, rx) = oneshot::channel();
        let (pipeline, job_message, limits) = (self.pipeline.clone(), message.clone(), self.limits);
        let job_metrics = self.shared.metrics.clone();
        self.pool.spawn(move || {
            let m = &*job_message;
            let headers = owned_headers(m);
            let timestamp_ms = m.timestamp().to_millis();
            let source = worker::source_position(m.topic(), m.partition(), m.offset(), timestamp_ms);
            let original = Original { key: m.key(), value: m.payload(), headers: &headers, source: Some(&source) };
            // The receiver is gone only when the sink stopped; the message is then redelivered after restart.
            let _ = tx.send(worker::run(&pipeline, Some(&job_metrics), &original, timestamp_ms, limits));
        });
        let job = Job { tp, offset, cost, message, attempts: 0, result: rx };
        self.jobs.blocking_send(job).is_ok()
    }
}

/// A message's headers as owned pairs.
pub fn owned_headers(message: &OwnedMessage) -> Vec<(String, Option<Vec<u8>>)> {
    message
        .headers()
        .map(|headers| headers.iter().map(|h| (h.key.to_owned(), h.value.map(<[u8]>::to_vec))).collect())
        .unwrap_or_default()
}
