//! In-process wiring tests: the real service (`App`) against librdkafka's mock cluster, including its fault
//! injection. Fast, no broker process needed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed expectation is a failed test

mod bounded;
#[path = "../common/mod.rs"]
mod common;
mod logs;
mod observability;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use common::{audit, corpus, uuid_like};
use news_enricher::app::{build_pipeline, App, AppError};
use news_enricher::settings::{load_from, Settings};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::mocking::MockCluster;
use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

const MAX_MESSAGE_BYTES: usize = 64 * 1024;

struct Topics {
    input: String,
    output: String,
    dead: String,
    group: String,
}

impl Topics {
    fn new(cluster: &MockCluster<'static, rdkafka::producer::DefaultProducerContext>, partitions: i32) -> Self {
        let id = uuid_like();
        let t = Self {
            input: format!("in-{id}"),
            output: format!("out-{id}"),
            dead: format!("dlq-{id}"),
            group: format!("g-{id}"),
        };
        for (name, p) in [(&t.input, partitions), (&t.output, partitions), (&t.dead, 1)] {
            cluster.create_topic(name, p, 1).expect("create topic");
        }
        t
    }
}

fn settings(brokers: &str, t: &Topics, extra: &[(&str, &str)]) -> Settings {
    let mut env: HashMap<String, String> = [
        ("KAFKA__BROKERS", brokers),
        ("KAFKA__INPUT_TOPIC", &t.input),
        ("KAFKA__OUTPUT_TOPIC", &t.output),
        ("KAFKA__DEAD_LETTER_TOPIC", &t.dead),
        ("KAFKA__GROUP_ID", &t.group),
        ("KAFKA__STATISTICS_INTERVAL", "1s"),
        ("KAFKA__SESSION_TIMEOUT", "10s"),
        ("PIPELINE__DRAIN_TIMEOUT", "5s"),
        ("PIPELINE__MAX_MESSAGE_BYTES", "64KiB"),
        ("PIPELINE__MAX_IN_FLIGHT_MESSAGES", "64"),
        ("PIPELINE__MAX_IN_FLIGHT_BYTES", "1MiB"),
        ("HTTP__LISTEN_ADDR", "127.0.0.1:0"),
    ]
    .iter()
    .map(|(k, v)| (format!("NEWS_ENRICHER__{k}"), (*v).to_owned()))
    .collect();
    for (k, v) in extra {
        env.insert(format!("NEWS_ENRICHER__{k}"), (*v).to_owned());
    }
    load_from(None, env).expect("test settings")
}

struct TestApp {
    cancel: CancellationToken,
    handle: JoinHandle<Result<(), AppError>>,
    http: std::net::SocketAddr,
}

/// Builds and starts the real service.
async fn spawn_app(settings: Settings) -> TestApp {
    let pipeline = Arc::new(build_pipeline(&settings).expect("pipeline"));
    let cancel = CancellationToken::new();
    let app = App::build(settings, pipeline, cancel.clone()).await.expect("app builds");
    let http = app.http_addr();
    TestApp { cancel, http, handle: tokio::spawn(app.run()) }
}

impl TestApp {
    async fn stop(self) -> Result<(), AppError> {
        self.cancel.cancel();
        self.handle.await.expect("app task")
    }
}

async fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
        .await
        .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned();
    (status, body)
}

/// Waits (bounded, generously: the suite runs many clusters at once on two cores) for `/readyz` to say 200.
async fn wait_ready(addr: std::net::SocketAddr) {
    for _ in 0..1200 {
        if http_get(addr, "/readyz").await.0 == 200 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("service never became ready");
}

fn committed(brokers: &str, group: &str, topic: &str, partitions: i32) -> Vec<Offset> {
    let consumer: BaseConsumer =
        ClientConfig::new().set("bootstrap.servers", brokers).set("group.id", group).create().expect("consumer");
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition(topic, p);
    }
    let got = consumer.committed_offsets(tpl, Duration::from_secs(10)).expect("committed offsets");
    got.elements().iter().map(|e| e.offset()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_ends_in_exactly_one_topic_with_its_reason() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 4);
    let messages = corpus(2_000, MAX_MESSAGE_BYTES);
    common::produce(&brokers, &t.input, &messages).await;
    let app = spawn_app(settings(&brokers, &t, &[])).await;
    let found = tokio::task::spawn_blocking({
        let (b, o, d) = (brokers.clone(), t.output.clone(), t.dead.clone());
        move || audit(&b, &o, &d, 2_000, Duration::from_secs(120))
    })
    .await
    .unwrap();
    found.assert_complete(&messages, 0);
    let expected_kinds = [
        ("invalid_json", "invalid_json"),
        ("invalid_utf8", "invalid_utf8"),
        ("missing_body", "missing_body"),
        ("empty_body", "empty_body"),
        ("oversized", "oversized"),
        ("deeply_nested", "invalid_json"),
        ("not_an_object", "not_an_object"),
        ("wrong_type", "invalid_field"),
    ];
    for m in messages.iter().filter(|m| m.junk.is_some()) {
        let kind = &found.dead[&m.key].1;
        if let Some((_, want)) = expected_kinds.iter().find(|(junk, _)| Some(*junk) == m.junk) {
            assert_eq!(kind, want, "{} ({:?})", m.key, m.junk);
        } else {
            assert!(["invalid_utf8", "invalid_json"].contains(&kind.as_str()), "binary junk got {kind}");
        }
    }
    let (status, metrics) = http_get(app.http, "/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.contains("news_enricher_dead_letters_total{kind=\"oversized\",stage=\"decode\"} 20"), "{metrics}");
    app.stop().await.expect("clean stop");
    let offsets = committed(&brokers, &t.group, &t.input, 4);
    let total: i64 = offsets.iter().map(|o| o.to_raw().unwrap_or(0)).sum();
    assert_eq!(total, 2_000, "every consumed offset committed on drain: {offsets:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_split_the_partitions_and_together_account_for_everything() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 6);
    let a = spawn_app(settings(&brokers, &t, &[])).await;
    let b = spawn_app(settings(&brokers, &t, &[])).await;
    wait_ready(a.http).await;
    wait_ready(b.http).await;
    let messages = corpus(1_000, MAX_MESSAGE_BYTES);
    common::produce(&brokers, &t.input, &messages).await;
    let found = tokio::task::spawn_blocking({
        let (b, o, d) = (brokers.clone(), t.output.clone(), t.dead.clone());
        move || audit(&b, &o, &d, 1_000, Duration::from_secs(120))
    })
    .await
    .unwrap();
    // Both joined before the data arrived: no redelivery is expected.
    found.assert_complete(&messages, 0);
    let assigned = |m: &str| -> i64 {
        m.lines()
            .find(|l| l.starts_with("news_enricher_partitions_assigned "))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(-1)
    };
    let (pa, pb) = (assigned(&http_get(a.http, "/metrics").await.1), assigned(&http_get(b.http, "/metrics").await.1));
    assert_eq!(pa + pb, 6, "the two instances split the six partitions ({pa} + {pb})");
    assert!(pa > 0 && pb > 0);
    a.stop().await.unwrap();
    b.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_produce_errors_and_a_broker_outage_lose_nothing() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 3);
    let app = spawn_app(settings(&brokers, &t, &[])).await;
    wait_ready(app.http).await;
    let messages = corpus(600, MAX_MESSAGE_BYTES);
    cluster.request_errors(RDKafkaApiKey::Produce, &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS; 30]);
    cluster.broker_round_trip_time(1, Duration::from_millis(50)).unwrap();
    common::produce(&brokers, &t.input, &messages[..300]).await;
    cluster.broker_down(1).unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    cluster.broker_up(1).unwrap();
    cluster.broker_round_trip_time(1, Duration::ZERO).unwrap();
    common::produce(&brokers, &t.input, &messages[300..]).await;
    let found = tokio::task::spawn_blocking({
        let (b, o, d) = (brokers.clone(), t.output.clone(), t.dead.clone());
        move || audit(&b, &o, &d, 600, Duration::from_secs(180))
    })
    .await
    .unwrap();
    // At-least-once: a retried produce whose first attempt did land may be duplicated, within the in-flight window.
    found.assert_complete(&messages, 64);
    app.stop().await.expect("recovers without a restart and stops cleanly");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_output_topic_that_rejects_writes_stops_the_service_without_committing_past_them() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 1);
    let messages = corpus(20, MAX_MESSAGE_BYTES);
    common::produce(&brokers, &t.input, &messages).await;
    // From now on every produce request is refused, as a broker without write ACLs on the topic would.
    cluster.request_errors(RDKafkaApiKey::Produce, &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED; 50]);
    let app = spawn_app(settings(&brokers, &t, &[])).await;
    let result = tokio::time::timeout(Duration::from_secs(60), app.handle).await.expect("stops by itself").unwrap();
    match result {
        Err(AppError::Fatal(reason)) => assert!(reason.contains("cannot write"), "{reason}"),
        other => panic!("expected a fatal error, got {other:?}"),
    }
    cluster.clear_request_errors(RDKafkaApiKey::Produce);
    let offsets = committed(&brokers, &t.group, &t.input, 1);
    assert!(
        offsets.iter().all(|o| matches!(o, Offset::Invalid) || o.to_raw() == Some(0)),
        "nothing may be committed past unwritten records: {offsets:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_and_metrics_are_served() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 2);
    let app = spawn_app(settings(&brokers, &t, &[])).await;
    assert_eq!(http_get(app.http, "/livez").await.0, 200);
    wait_ready(app.http).await;
    let (status, body) = http_get(app.http, "/readyz").await;
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ok"}"#));
    let (_, metrics) = http_get(app.http, "/metrics").await;
    for name in ["news_enricher_build_info", "news_enricher_stage_duration_seconds_bucket", "news_enricher_ready 1"] {
        assert!(metrics.contains(name), "{name} missing");
    }
    app.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_output_topic_fails_startup_naming_the_key() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 1);
    let mut s = settings(&brokers, &t, &[]);
    s.kafka.output_topic = format!("absent-{}", uuid_like());
    let pipeline = Arc::new(build_pipeline(&s).unwrap());
    match App::build(s, pipeline, CancellationToken::new()).await {
        Err(e) => assert!(e.to_string().contains("kafka.output_topic"), "{e}"),
        Ok(_) => panic!("built without an output topic"),
    }
}

#[test]
fn committed_json_schemas_match_the_record_types() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema");
    for (name, schema) in news_enricher::contract::schema::all() {
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert_eq!(
            committed,
            news_enricher::contract::schema::render(&schema).unwrap(),
            "docs/schema/{name} is stale: run `make schema`"
        );
    }
}

#[test]
fn a_bad_config_exits_64_naming_the_key() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .arg("check-config")
        .env("NEWS_ENRICHER__PIPELINE__MAX_IN_FLIGHT_BYTES", "1KiB")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pipeline.max_in_flight_bytes"));
}

#[test]
fn process_writes_records_and_dead_letters_and_reports_failure_in_its_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let lines = [
        r#"{"id":"a","body":"<html><body><article><p>The council met on Monday to approve the plan.</p></article></body></html>","content_type":"text/html"}"#,
        r#"{"id":"b","body":"not closed"#,
        r#"{"id":"c","body":"Plain text report about the harvest.\n\nSecond paragraph."}"#,
    ];
    std::fs::write(&input, lines.join("\n")).unwrap();
    let (output, dead) = (dir.path().join("out.jsonl"), dir.path().join("dead.jsonl"));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .args(["process", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&output)
        .arg("--dead-letter")
        .arg(&dead)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "a dead-lettered line makes the exit code 1");
    let records: Vec<serde_json::Value> =
        std::fs::read_to_string(&output).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(), ["a", "c"]);
    let dead: Vec<serde_json::Value> =
        std::fs::read_to_string(&dead).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["error"]["kind"], "invalid_json");
}

#[test]
fn the_shipped_cluster_configs_load_and_validate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["deploy/k8s/base/config/config.toml", "deploy/k8s/overlays/dev/config.toml"] {
        let settings = load_from(Some(&root.join(file)), HashMap::new());
        assert!(settings.is_ok(), "{file}: {}", settings.err().map(|e| e.to_string()).unwrap_or_default());
    }
}

#[test]
fn check_config_masks_secrets() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_news-enricher"))
        .arg("check-config")
        .env("NEWS_ENRICHER__KAFKA__SASL_PASSWORD", "hunter2-secret")
        .env("NEWS_ENRICHER__KAFKA__SASL_USERNAME", "svc")
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(!printed.contains("hunter2-secret"), "secret printed");
    assert!(printed.contains("\"sasl_password\": \"********\"") && printed.contains("\"sasl_username\": \"svc\""));
}
