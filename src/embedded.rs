//! `run --embedded`: the real service on librdkafka's in-process mock cluster, fed with the sample articles,
//! printing each enriched record as it is acknowledged. No broker to set up.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use futures::StreamExt;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Message};
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::app::App;
use crate::contract::{DeadLetterRecord, EnrichedRecord};
use crate::pipeline::Pipeline;
use crate::settings::Settings;

/// One line of `manifest.jsonl`.
#[derive(Debug, Deserialize)]
struct SampleEntry {
    file: String,
    content_type: Option<String>,
    url: Option<String>,
    source: Option<String>,
    language: Option<String>,
}

/// Runs the demo until `cancel` fires.
pub async fn run(
    mut settings: Settings,
    pipeline: Arc<Pipeline>,
    samples: &Path,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let cluster = MockCluster::new(1).context("starting the in-process Kafka cluster")?;
    let k = &mut settings.kafka;
    k.brokers = cluster.bootstrap_servers();
    for (topic, partitions) in
        [(k.input_topic.as_str(), 3), (k.output_topic.as_str(), 3), (k.dead_letter_topic.as_str(), 1)]
    {
        cluster.create_topic(topic, partitions, 1).with_context(|| format!("creating topic {topic}"))?;
    }
    let produced = load_samples(&k.brokers, &k.input_topic, samples).await?;
    println!("embedded Kafka at {} with {produced} messages on `{}`", k.brokers, k.input_topic);

    let printer = tokio::spawn(print_records(
        k.brokers.clone(),
        k.output_topic.clone(),
        k.dead_letter_topic.clone(),
        cancel.clone(),
    ));
    let app = App::build(settings, pipeline, cancel).await?;
    println!(
        "metrics: http://{0}/metrics  probes: http://{0}/livez http://{0}/readyz  (Ctrl-C to stop)",
        app.http_addr()
    );
    let result = app.run().await;
    let _ = printer.await;
    drop(cluster);
    Ok(result?)
}

/// Produces every sample in the manifest, plus one broken message to show the dead-letter path.
async fn load_samples(brokers: &str, topic: &str, dir: &Path) -> anyhow::Result<usize> {
    let manifest = dir.join("manifest.jsonl");
    let text = std::fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let producer: FutureProducer = ClientConfig::new().set("bootstrap.servers", brokers).create()?;
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: SampleEntry = serde_json::from_str(line).with_context(|| format!("manifest line: {line}"))?;
        let body = std::fs::read_to_string(dir.join(&entry.file)).with_context(|| format!("reading {}", entry.file))?;
        let mut message = serde_json::json!({ "body": body });
        for (key, value) in [
            ("content_type", entry.content_type),
            ("url", entry.url),
            ("source", entry.source),
            ("language", entry.language),
        ] {
            if let Some(value) = value {
                message[key] = value.into();
            }
        }
        let payload = message.to_string();
        producer
            .send(FutureRecord::to(topic).key(&entry.file).payload(&payload), Duration::from_secs(5))
            .await
            .map_err(|(e, _)| e)?;
        count += 1;
    }
    producer
        .send(
            FutureRecord::to(topic).key("broken").payload("{\"title\": \"a message without a body\""),
            Duration::from_secs(5),
        )
        .await
        .map_err(|(e, _)| e)?;
    Ok(count + 1)
}

/// Prints records and dead letters as they arrive, readably.
async fn print_records(brokers: String, output: String, dead_letter: String, cancel: CancellationToken) {
    let consumer: StreamConsumer = match ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("group.id", "news-enricher-embedded-printer")
        .set("auto.offset.reset", "earliest")
        .create()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("printer: {e}");
            return;
        }
    };
    if let Err(e) = consumer.subscribe(&[&output, &dead_letter]) {
        eprintln!("printer: {e}");
        return;
    }
    let mut stream = consumer.stream();
    loop {
        let message = tokio::select! {
            _ = cancel.cancelled() => return,
            m = stream.next() => m,
        };
        let Some(Ok(message)) = message else { continue };
        let payload = message.payload().unwrap_or_default();
        if message.topic() == output {
            if let Ok(record) = serde_json::from_slice::<EnrichedRecord>(payload) {
                println!("{}", describe(&record));
            }
        } else if let Ok(dead) = serde_json::from_slice::<DeadLetterRecord>(payload) {
            println!("✗ dead-lettered ({}/{}): {}\n", dead.error.stage, dead.error.kind, dead.error.message);
        }
    }
}

/// A few readable lines about a record.
pub fn describe(record: &EnrichedRecord) -> String {
    let mut out = format!(
        "● {}  [{} {:.2} {}]\n  title:   {}\n  date:    {}\n  authors: {}\n",
        record.id,
        record.language.code,
        record.language.confidence,
        record.language.script,
        record.title.as_deref().unwrap_or("—"),
        record.published_at.as_deref().unwrap_or("—"),
        if record.authors.is_empty() { "—".to_owned() } else { record.authors.join(", ") },
    );
    let s = &record.entity_summary;
    let top: Vec<String> = s
        .persons
        .iter()
        .chain(&s.organizations)
        .chain(&s.locations)
        .take(8)
        .map(|i| format!("{} ({}) ×{}", i.name, i.kb_id.as_deref().unwrap_or("unlinked"), i.count))
        .collect();
    out.push_str(&format!("  entities: {}\n", if top.is_empty() { "—".to_owned() } else { top.join(", ") }));
    let excerpt: String = record.text.chars().take(160).collect::<String>().replace('\n', " ");
    out.push_str(&format!("  text:    {excerpt}…\n"));
    out
}
