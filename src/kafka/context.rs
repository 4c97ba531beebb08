//! Client contexts: rebalance handling (drain and commit on revocation), statistics into metrics
//! (lag, broker RTT, producer queue), error routing.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::{KafkaError, KafkaResult};
use rdkafka::statistics::Statistics;
use rdkafka::{ClientContext, TopicPartitionList};
use tokio_util::sync::CancellationToken;
use tracing::{debug, error, info, warn};

use super::lag::{partition_lags, ResetPolicy};
use super::offsets::{OffsetTracker, TopicPartition};
use crate::health::Health;
use crate::metrics::Metrics;
use crate::telemetry::error_chain;

/// State shared by the poll loop, the sink and the client contexts.
pub struct Shared {
    /// In-flight offsets per partition.
    pub tracker: Mutex<OffsetTracker>,
    /// Probe state.
    pub health: Arc<Health>,
    /// Metrics.
    pub metrics: Metrics,
    /// How long a revocation waits for in-flight messages of the revoked partitions.
    pub drain_timeout: Duration,
    /// Partitions revoked since the poll loop last looked (it drops messages it holds for them).
    pub revoked: Mutex<Vec<TopicPartition>>,
    /// Cancelled on shutdown or a fatal error.
    pub cancel: CancellationToken,
    lag_series: Mutex<HashSet<TopicPartition>>,
    /// Partitions assigned by the last rebalances: statistics queued before a revocation but served after it
    /// still call the revoked partitions desired, and must not bring their series back.
    owned: Mutex<HashSet<TopicPartition>>,
    reset: ResetPolicy,
}

impl Shared {
    /// Fresh shared state.
    pub fn new(health: Arc<Health>, metrics: Metrics, drain_timeout: Duration, cancel: CancellationToken) -> Self {
        Self {
            tracker: Mutex::default(),
            health,
            metrics,
            drain_timeout,
            revoked: Mutex::default(),
            cancel,
            lag_series: Mutex::default(),
            owned: Mutex::default(),
            reset: ResetPolicy::default(),
        }
    }

    /// Where partitions without a committed offset start (`kafka.auto_offset_reset`), which is what their lag
    /// counts from.
    pub fn with_offset_reset(mut self, auto_offset_reset: &str) -> Self {
        self.reset = ResetPolicy::from_config(auto_offset_reset);
        self
    }

    /// The offset tracker, even if a thread panicked while holding it (its state stays consistent: every
    /// method finishes its change before returning).
    pub fn tracker(&self) -> std::sync::MutexGuard<'_, OffsetTracker> {
        self.tracker.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops the service because of an error nothing here can fix.
    pub fn fatal(&self, reason: String) {
        error!(reason = %reason, "fatal error; stopping");
        self.health.set_fatal(reason);
        self.cancel.cancel();
    }

    /// Exports the lag of every partition the statistics show as ours, and removes the series of any partition
    /// they no longer do (revoked, or its watermarks unknown), so no value outlives its meaning.
    fn set_lag(&self, stats: &Statistics) {
        let owned = self.owned.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let mut seen = HashSet::new();
        for (tp, lag) in partition_lags(stats, self.reset).into_iter().filter(|(tp, _)| owned.contains(tp)) {
            self.metrics.consumer_lag.with_label_values(&[&tp.0, &tp.1.to_string()]).set(lag);
            seen.insert(tp);
        }
        let mut series = self.lag_series.lock().unwrap_or_else(PoisonError::into_inner);
        for gone in series.difference(&seen) {
            let _ = self.metrics.consumer_lag.remove_label_values(&[&gone.0, &gone.1.to_string()]);
        }
        *series = seen;
    }

    fn drop_lag(&self, tps: &[TopicPartition]) {
        let mut owned = self.owned.lock().unwrap_or_else(PoisonError::into_inner);
        for tp in tps {
            owned.remove(tp);
        }
        let mut series = self.lag_series.lock().unwrap_or_else(PoisonError::into_inner);
        for tp in tps {
            if series.remove(tp) {
                let _ = self.metrics.consumer_lag.remove_label_values(&[&tp.0, &tp.1.to_string()]);
            }
        }
    }

    /// Broker RTT and throttle time, labelled by client role: the consumer and producer share a `client.id`, so
    /// labelling by it would let one client's numbers overwrite the other's.
    fn set_broker_stats(&self, role: &str, stats: &Statistics) {
        for broker in stats.brokers.values().filter(|b| b.nodeid >= 0) {
            let labels = [role, broker.name.as_str()];
            if let Some(rtt) = &broker.rtt {
                self.metrics.broker_rtt.with_label_values(&labels).set(rtt.avg as f64 / 1e6);
            }
            if let Some(throttle) = &broker.throttle {
                self.metrics.broker_throttle.with_label_values(&labels).set(throttle.avg as f64 / 1e3);
            }
        }
    }
}

fn partitions(tpl: &TopicPartitionList) -> Vec<TopicPartition> {
    tpl.elements().iter().map(|e| (e.topic().to_owned(), e.partition())).collect()
}

/// The consumer's context.
pub struct ConsumerCtx {
    /// Shared state.
    pub shared: Arc<Shared>,
}

impl ClientContext for ConsumerCtx {
    fn stats(&self, stats: Statistics) {
        self.shared.set_lag(&stats);
        self.shared.set_broker_stats("consumer", &stats);
        // librdkafka's prefetch queue: the first queue a message waits in, before the poll loop takes it.
        let prefetched: i64 = stats
            .topics
            .values()
            .flat_map(|t| t.partitions.values())
            .filter(|p| p.partition >= 0 && p.desired)
            .map(|p| p.fetchq_cnt.max(0))
            .sum();
        self.shared.metrics.queue_depth.with_label_values(&["fetch"]).set(prefetched);
    }

    fn error(&self, error: KafkaError, reason: &str) {
        if error.rdkafka_error_code() == Some(rdkafka::types::RDKafkaErrorCode::Fatal) {
            self.shared.fatal(format!("consumer: {error}: {reason}"));
        } else {
            self.shared.health.consumer_error();
            warn!(error = %error_chain(&error), reason, "consumer error");
        }
    }
}

impl ConsumerContext for ConsumerCtx {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        let shared = &self.shared;
        match rebalance {
            Rebalance::Revoke(tpl) => {
                let revoked = partitions(tpl);
                shared.metrics.rebalances.with_label_values(&["revoke"]).inc();
                // Let what is in flight for these partitions be delivered and its offsets stored, so the next
                // owner starts after it. The sink runs on other threads, so waiting here is safe.
                let deadline = Instant::now() + shared.drain_timeout;
                // After a fatal error nothing more is delivered: waiting would only delay the exit.
                while shared.tracker().in_flight(Some(&revoked)) > 0
                    && Instant::now() < deadline
                    && shared.health.fatal().is_none()
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                let abandoned = shared.tracker().forget(&revoked);
                if abandoned > 0 {
                    warn!(
                        abandoned,
                        "revocation drain timed out; these messages will be redelivered to the next owner"
                    );
                }
                match consumer.commit_consumer_state(CommitMode::Sync) {
                    Ok(()) => shared.metrics.commits.with_label_values(&["ok"]).inc(),
                    Err(KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset)) => {}
                    Err(e) => {
                        shared.metrics.commits.with_label_values(&["error"]).inc();
                        warn!(error = %error_chain(&e), "commit on revocation failed");
                    }
                }
                shared.drop_lag(&revoked);
                shared.revoked.lock().unwrap_or_else(PoisonError::into_inner).extend(revoked.iter().cloned());
                let remaining = shared.health.assigned().saturating_sub(revoked.len());
                shared.health.revoked(remaining);
                shared.metrics.partitions_assigned.set(i64::try_from(remaining).unwrap_or(0));
                info!(partitions = ?revoked, remaining, "partitions revoked");
            }
            Rebalance::Assign(_) => {}
            Rebalance::Error(e) => {
                shared.metrics.rebalances.with_label_values(&["error"]).inc();
                warn!(error = %error_chain(e), "rebalance error");
            }
        }
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(tpl) = rebalance {
            let shared = &self.shared;
            shared.metrics.rebalances.with_label_values(&["assign"]).inc();
            shared.owned.lock().unwrap_or_else(PoisonError::into_inner).extend(partitions(tpl));
            let assigned = consumer.assignment().map_or(tpl.count(), |a| a.count());
            shared.health.set_assignment(assigned);
            shared.metrics.partitions_assigned.set(i64::try_from(assigned).unwrap_or(0));
            info!(added = ?partitions(tpl), assigned, "partitions assigned");
        }
    }

    fn commit_callback(&self, result: KafkaResult<()>, _offsets: &TopicPartitionList) {
        match result {
            Ok(()) => self.shared.metrics.commits.with_label_values(&["ok"]).inc(),
            // Nothing stored since the last commit: not a failure.
            Err(KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset)) => {}
            Err(e) => {
                self.shared.metrics.commits.with_label_values(&["error"]).inc();
                warn!(error = %error_chain(&e), "offset commit failed");
            }
        }
    }
}

/// The producer's context.
pub struct ProducerCtx {
    /// Shared state.
    pub shared: Arc<Shared>,
}

impl ClientContext for ProducerCtx {
    fn stats(&self, stats: Statistics) {
        let shared = &self.shared;
        shared.metrics.producer_queue.set(i64::try_from(stats.msg_cnt).unwrap_or(i64::MAX));
        shared.set_broker_stats("producer", &stats);
        let up = stats.brokers.values().any(|b| b.nodeid >= 0 && b.state == "UP");
        shared.health.set_producer_up(up);
        debug!(up, queued = stats.msg_cnt, "producer statistics");
    }

    fn error(&self, error: KafkaError, reason: &str) {
        use rdkafka::types::RDKafkaErrorCode as Code;
        match error.rdkafka_error_code() {
            Some(Code::Fatal) => self.shared.fatal(format!("producer: {error}: {reason}")),
            Some(Code::AllBrokersDown) => {
                self.shared.health.set_producer_up(false);
                warn!(error = %error_chain(&error), reason, "producer lost every broker");
            }
            _ => warn!(error = %error_chain(&error), reason, "producer error"),
        }
    }
}
