//! The composition root: the only place that creates the consumer, producer, worker pool, channels, stages
//! and metrics. Building (load models, connect, check topics, bind) and running are separate steps.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use prometheus::Registry;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, Producer};
use rdkafka::TopicPartitionList;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::cleanup::Cleaner;
use crate::entities::kb::parse_entities;
use crate::entities::{EntityTagger, KbInput};
use crate::health::Health;
use crate::http::HttpServer;
use crate::kafka::bounds::Bounds;
use crate::kafka::budget::Budget;
use crate::kafka::context::{ConsumerCtx, ProducerCtx, Shared};
use crate::kafka::sink::Sink;
use crate::kafka::source::Source;
use crate::language::LanguageDetector;
use crate::metrics::Metrics;
use crate::ner::NerModels;
use crate::pipeline::{DecodeLimits, Pipeline};
use crate::settings::{bytes_usize, Settings};
use crate::worker::OutputLimits;

/// Why the service could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A Kafka client could not be created or reached.
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    /// A topic the service writes to does not exist.
    #[error("{key}: topic `{topic}` does not exist on the cluster")]
    MissingTopic {
        /// The config key naming it.
        key: &'static str,
        /// The topic.
        topic: String,
    },
    /// A stage could not be built (model or knowledge base missing or invalid).
    #[error("stage setup: {0}")]
    Stage(String),
    /// The HTTP listener could not bind or serve.
    #[error("http listener: {0}")]
    Http(#[from] std::io::Error),
    /// Metrics could not be registered.
    #[error("metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    /// The worker pool could not start.
    #[error("worker pool: {0}")]
    Pool(#[from] rayon::ThreadPoolBuildError),
    /// A fatal error stopped the service.
    #[error("stopped on a fatal error: {0}")]
    Fatal(String),
}

/// Builds the three stages from settings.
pub fn build_pipeline(settings: &Settings) -> Result<Pipeline, AppError> {
    let limits = DecodeLimits { max_message_bytes: bytes_usize(settings.pipeline.max_message_bytes) };
    let stage = |e: &dyn std::fmt::Display| AppError::Stage(e.to_string());
    let cleaner = Cleaner::new(&settings.cleanup).map_err(|e| stage(&e))?;
    let detector = LanguageDetector::new(&settings.language).map_err(|e| stage(&e))?;
    let kb = KbInput::read(&settings.entities).map_err(|e| stage(&e))?;
    let entities = parse_entities(&kb.entities).map_err(|e| stage(&e))?;
    let tagger = EntityTagger::from_entities(&kb, &entities).map_err(|e| stage(&e))?;
    let ner = if settings.ner.enabled {
        let mut ner = NerModels::load(&settings.ner.model_dir).map_err(|e| stage(&format!("ner.model_dir: {e}")))?;
        ner.add_kb_names(&entities);
        Some(ner)
    } else {
        None
    };
    let mut models: BTreeMap<String, String> = detector.models();
    models.insert("kb".into(), tagger.kb_version().to_owned());
    if let Some(ner) = &ner {
        models.extend(ner.versions().into_iter().map(|(lang, v)| (format!("ner.{lang}"), v)));
    }
    Ok(Pipeline::new(limits, cleaner, detector, tagger, config_hash(settings), models)
        .with_ner(ner)
        .with_stages_enabled(settings.pipeline.stages_enabled))
}

/// Identifies the settings that change what a record says (stage settings), so a replay can tell whether
/// the output would differ.
pub fn config_hash(settings: &Settings) -> String {
    let relevant = serde_json::json!({
        "max_message_bytes": settings.pipeline.max_message_bytes.as_u64(),
        "cleanup": settings.cleanup,
        "language": settings.language,
        "entities": settings.entities,
        "ner": settings.ner,
    });
    let digest = Sha256::digest(relevant.to_string().as_bytes());
    format!("sha256:{}", &hex::encode(digest)[..16])
}

/// Output size limits from settings.
pub fn output_limits(settings: &Settings) -> OutputLimits {
    OutputLimits {
        max_record_bytes: bytes_usize(settings.kafka.max_record_bytes),
        dead_letter_max_bytes: bytes_usize(settings.kafka.dead_letter_max_bytes),
    }
}

/// The git revision baked in at build time (`NEWS_ENRICHER_REVISION`), or `unknown`.
pub fn revision() -> &'static str {
    option_env!("NEWS_ENRICHER_REVISION").unwrap_or("unknown")
}

/// What the consumer reads.
pub enum Input {
    /// The group's share of the configured input topics, until stopped (the service).
    Subscribe,
    /// Fixed partitions from fixed offsets, each up to its end offset, then stop (replay).
    Assign {
        /// Partitions and the offsets to start from.
        start: TopicPartitionList,
        /// Where each partition ends.
        bounds: Arc<Bounds>,
    },
}

/// A built service, connected and bound, not yet consuming.
pub struct App {
    settings: Settings,
    shared: Arc<Shared>,
    consumer: Arc<BaseConsumer<ConsumerCtx>>,
    producer: FutureProducer<ProducerCtx>,
    pool: Arc<rayon::ThreadPool>,
    pipeline: Arc<Pipeline>,
    http: HttpServer,
    http_addr: SocketAddr,
    bounds: Option<Arc<Bounds>>,
}

impl App {
    /// Builds the service: metrics, clients (checking that the output topics exist), worker pool, listener.
    pub async fn build(
        settings: Settings,
        pipeline: Arc<Pipeline>,
        cancel: CancellationToken,
    ) -> Result<Self, AppError> {
        Self::build_with(settings, pipeline, cancel, Input::Subscribe).await
    }

    /// Builds the runtime for a given input: the service's subscription or a replay's bounded assignment.
    pub async fn build_with(
        settings: Settings,
        pipeline: Arc<Pipeline>,
        cancel: CancellationToken,
        input: Input,
    ) -> Result<Self, AppError> {
        let registry = Registry::new();
        let metrics = Metrics::register(&registry, revision())?;
        let health = Arc::new(Health::default());
        let shared = Arc::new(
            Shared::new(health.clone(), metrics.clone(), settings.pipeline.drain_timeout, cancel)
                .with_offset_reset(&settings.kafka.auto_offset_reset),
        );

        let producer: FutureProducer<ProducerCtx> =
            settings.kafka.producer_config().create_with_context(ProducerCtx { shared: shared.clone() })?;
        let metadata_producer = producer.clone();
        let metadata = tokio::task::spawn_blocking(move || {
            metadata_producer.client().fetch_metadata(None, Duration::from_secs(15))
        })
        .await
        .map_err(|e| AppError::Stage(format!("metadata task: {e}")))??;
        for (key, topic) in [
            ("kafka.output_topic", &settings.kafka.output_topic),
            ("kafka.dead_letter_topic", &settings.kafka.dead_letter_topic),
        ] {
            if !metadata.topics().iter().any(|t| t.name() == topic && t.error().is_none()) {
                return Err(AppError::MissingTopic { key, topic: topic.clone() });
            }
        }
        for topic in settings.kafka.input_topics() {
            if !metadata.topics().iter().any(|t| t.name() == topic) {
                warn!(topic, "input topic does not exist yet; consuming once it is created");
            }
        }
        health.set_producer_up(true);

        let consumer: BaseConsumer<ConsumerCtx> = settings
            .kafka
            .consumer_config(settings.pipeline.max_message_bytes.as_u64())
            .create_with_context(ConsumerCtx { shared: shared.clone() })?;
        let bounds = match input {
            Input::Subscribe => {
                consumer.subscribe(&settings.kafka.input_topics())?;
                None
            }
            Input::Assign { start, bounds } => {
                // No group membership, no rebalances: the group only keeps the committed offsets.
                consumer.assign(&start)?;
                health.set_assignment(start.count());
                Some(bounds)
            }
        };

        let workers = settings.pipeline.worker_threads();
        let pool =
            rayon::ThreadPoolBuilder::new().num_threads(workers).thread_name(|i| format!("stage-{i}")).build()?;
        let addr = settings.http.addr().map_err(|e| AppError::Http(std::io::Error::other(e)))?;
        let http = HttpServer::bind(addr, registry, health, metrics.ready.clone()).await?;
        let http_addr = http.local_addr()?;
        info!(
            %http_addr, workers, group = %settings.kafka.group_id, input = %settings.kafka.input_topic,
            output = %settings.kafka.output_topic, dead_letter = %settings.kafka.dead_letter_topic,
            "service built; metrics at http://{http_addr}/metrics"
        );
        Ok(Self {
            settings,
            shared,
            consumer: Arc::new(consumer),
            producer,
            pool: Arc::new(pool),
            pipeline,
            http,
            http_addr,
            bounds,
        })
    }

    /// The address `/metrics`, `/livez` and `/readyz` are served on.
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// State shared by the poll loop and the sink (offsets stored so far), for progress reporting.
    pub fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    /// Consumes until the cancellation token fires (signal, fatal error, or a bounded run's end), then drains:
    /// stop polling, let in-flight messages be delivered within the drain timeout, flush, commit stored offsets,
    /// leave the group.
    pub async fn run(self) -> Result<(), AppError> {
        let Self { settings, shared, consumer, producer, pool, pipeline, http, bounds, .. } = self;
        let cancel = shared.cancel.clone();
        let http_cancel = CancellationToken::new();
        let http_task = tokio::spawn(http.serve(http_cancel.clone()));

        let p = &settings.pipeline;
        let budget = Arc::new(Budget::new(p.max_in_flight_messages, bytes_usize(p.max_in_flight_bytes)));
        let limits = output_limits(&settings);
        let (jobs_tx, jobs_rx) = mpsc::channel(p.max_in_flight_messages.max(1));
        let sink = Sink {
            producer: producer.clone(),
            consumer: consumer.clone(),
            shared: shared.clone(),
            budget: budget.clone(),
            output_topic: settings.kafka.output_topic.clone(),
            dead_letter_topic: settings.kafka.dead_letter_topic.clone(),
            limits,
        };
        let mut sink_task = tokio::spawn(sink.run(jobs_rx));
        let source = Source {
            consumer: consumer.clone(),
            shared: shared.clone(),
            budget,
            pool,
            pipeline,
            limits,
            jobs: jobs_tx,
            bounds,
        };
        let poll_thread = std::thread::Builder::new().name("kafka-poll".into()).spawn(move || source.run())?;

        cancel.cancelled().await;
        shared.health.set_draining();
        info!("draining: polling stopped, finishing in-flight messages");
        let started = Instant::now();
        let _ = tokio::task::spawn_blocking(move || poll_thread.join()).await;
        let sink_finished = tokio::time::timeout(p.drain_timeout, &mut sink_task).await.is_ok();
        if !sink_finished {
            sink_task.abort();
        }
        // After a fatal error the sink stops at once: drained means every admitted message was acknowledged.
        let in_flight = shared.tracker().in_flight(None);
        let drained = sink_finished && in_flight == 0 && shared.health.fatal().is_none();
        if !drained {
            warn!(in_flight, "drain incomplete; undelivered messages will be consumed again after restart");
        }
        let remaining = p.drain_timeout.saturating_sub(started.elapsed()).max(Duration::from_secs(1));
        let flush_producer = producer.clone();
        let _ = tokio::task::spawn_blocking(move || flush_producer.flush(remaining)).await;
        let commit_consumer = consumer.clone();
        let committed = tokio::task::spawn_blocking(move || {
            let result = commit_consumer.commit_consumer_state(CommitMode::Sync);
            commit_consumer.unsubscribe();
            result
        })
        .await;
        match committed {
            Ok(Ok(())) => shared.metrics.commits.with_label_values(&["ok"]).inc(),
            Ok(Err(KafkaError::ConsumerCommit(rdkafka::types::RDKafkaErrorCode::NoOffset))) => {}
            Ok(Err(e)) => {
                shared.metrics.commits.with_label_values(&["error"]).inc();
                warn!(error = %e, "final commit failed; the last uncommitted messages will be consumed again");
            }
            Err(e) => warn!(error = %e, "final commit task failed"),
        }
        // Closing the consumer leaves the group now rather than at session timeout; it blocks, so off the reactor.
        let _ = tokio::task::spawn_blocking(move || drop(consumer)).await;
        http_cancel.cancel();
        let _ = http_task.await;
        info!(drained, elapsed_ms = started.elapsed().as_millis() as u64, "stopped");
        match shared.health.fatal() {
            Some(reason) => Err(AppError::Fatal(reason)),
            None => Ok(()),
        }
    }
}
