//! The pass-through ceiling for `make bench`: consume the input topic and produce every value unchanged to the
//! output topic, with the service's own client settings and nothing else (no decode, stages, record, budget).
//!
//! Reads the same configuration as the service (`--config FILE`, `NEWS_ENRICHER__*` variables) and runs until
//! killed. Offsets are stored after each send is enqueued and committed by the consumer's auto-commit, the
//! cheapest bookkeeping that still commits: the ceiling any consume-process-produce service on this client and
//! broker can approach.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message;
use rdkafka::producer::{BaseRecord, DefaultProducerContext, ThreadedProducer};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut config = None;
    while let Some(arg) = args.next() {
        if arg == "--config" {
            config = args.next().map(PathBuf::from);
        }
    }
    let settings = news_enricher::settings::load(config.as_deref())?;
    let kafka = &settings.kafka;
    let consumer: BaseConsumer =
        kafka.consumer_config(settings.pipeline.max_message_bytes.as_u64()).create().context("consumer")?;
    let producer: ThreadedProducer<DefaultProducerContext> = kafka.producer_config().create().context("producer")?;
    consumer.subscribe(&kafka.input_topics()).context("subscribe")?;
    loop {
        let Some(message) = consumer.poll(Duration::from_millis(100)) else { continue };
        let message = message.context("consume")?;
        let mut record = BaseRecord::to(&kafka.output_topic).payload(message.payload().unwrap_or_default());
        if let Some(key) = message.key() {
            record = record.key(key);
        }
        // A full producer queue is backpressure: wait for deliveries to free room and send the same record again.
        while let Err((e, returned)) = producer.send(record) {
            match e {
                KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull) => {
                    std::thread::sleep(Duration::from_millis(1));
                    record = returned;
                }
                other => return Err(other).context("produce"),
            }
        }
        consumer.store_offset_from_message(&message).context("store offset")?;
    }
}
