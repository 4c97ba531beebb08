//! The Kafka side of the service: client contexts (rebalance, statistics), the poll loop that admits
//! messages, the sink that writes results in order and stores offsets after delivery.

pub mod bounds;
pub mod budget;
pub mod context;
pub mod errors;
pub mod lag;
pub mod offsets;
pub mod sink;
pub mod source;

use std::sync::Arc;

use rdkafka::message::OwnedMessage;
use tokio::sync::oneshot;

use crate::worker::Outcome;
use offsets::TopicPartition;

/// A message handed to the worker pool, in consumption order.
#[derive(Debug)]
pub struct Job {
    /// Its partition.
    pub tp: TopicPartition,
    /// Its offset.
    pub offset: i64,
    /// Its cost in the in-flight budget.
    pub cost: usize,
    /// The message (kept for dead-lettering a record the output topic rejects).
    pub message: Arc<OwnedMessage>,
    /// Delivery attempts that failed transiently so far.
    pub attempts: u32,
    /// The worker's result.
    pub result: oneshot::Receiver<Outcome>,
}
