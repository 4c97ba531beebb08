//! Observability against the mock cluster: each `/readyz` transition, lag series that follow the assignment
//! through rebalances, and the build revision. Every wait is bounded and every hold is one the test controls
//! (a coordinator that answers "not available", the output's broker down), so no outcome depends on timing.

use std::collections::BTreeMap;
use std::time::Duration;

use rdkafka::mocking::{MockCluster, MockCoordinator};
use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};

use super::{audit, common, corpus, http_get, settings, spawn_app, wait_ready, Topics, MAX_MESSAGE_BYTES};

/// Polls `check` every 100 ms until it returns `Some`, for at most `secs` seconds.
async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..secs * 10 {
        if let Some(found) = check().await {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("gave up after {secs} s waiting for {what}");
}

/// The value of an unlabelled series in Prometheus text.
fn sample(metrics: &str, name: &str) -> Option<f64> {
    metrics.lines().find(|l| l.starts_with(&format!("{name} "))).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
}

/// `news_enricher_consumer_lag` series of one topic: partition to value, exactly as exported.
fn lag_series(metrics: &str, topic: &str) -> BTreeMap<i32, String> {
    let prefix = "news_enricher_consumer_lag{";
    metrics
        .lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .filter(|l| l.contains(&format!("topic=\"{topic}\"")))
        .filter_map(|l| {
            let partition = l.split("partition=\"").nth(1)?.split('"').next()?.parse().ok()?;
            Some((partition, l.rsplit(' ').next()?.to_owned()))
        })
        .collect()
}

fn status_and_reason(body: &str) -> (String, Option<String>) {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    (v["status"].as_str().unwrap_or_default().to_owned(), v["reason"].as_str().map(str::to_owned))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_assignment_then_drain_while_the_listener_stays_up() {
    // Two brokers: the group and the input on broker 1, the output on broker 2, which the test takes down to hold
    // deliveries (and so the drain) open for as long as it needs.
    let cluster = MockCluster::new(2).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 1);
    cluster.coordinator(MockCoordinator::Group(t.group.clone()), 1).unwrap();
    cluster.partition_leader(&t.input, 0, Some(1)).unwrap();
    cluster.partition_leader(&t.output, 0, Some(2)).unwrap();
    cluster.partition_leader(&t.dead, 0, Some(2)).unwrap();
    // The coordinator answers "not available" until the test clears it: no assignment can happen before.
    cluster.request_errors(
        RDKafkaApiKey::FindCoordinator,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE; 500],
    );
    let app =
        spawn_app(settings(&brokers, &t, &[("PIPELINE__DRAIN_TIMEOUT", "25s"), ("KAFKA__SESSION_TIMEOUT", "30s")]))
            .await;

    let (status, body) = http_get(app.http, "/readyz").await;
    assert_eq!(status, 503, "ready without an assignment: {body}");
    assert_eq!(status_and_reason(&body), ("unavailable".into(), Some("no partition assignment yet".into())));
    assert_eq!(http_get(app.http, "/livez").await.0, 200, "waiting for the group is progress, not a hang");
    assert_eq!(sample(&http_get(app.http, "/metrics").await.1, "news_enricher_ready"), Some(0.0));

    cluster.clear_request_errors(RDKafkaApiKey::FindCoordinator);
    wait_ready(app.http).await;
    let (status, body) = http_get(app.http, "/readyz").await;
    assert_eq!((status, status_and_reason(&body).0.as_str()), (200, "ok"));
    assert_eq!(sample(&http_get(app.http, "/metrics").await.1, "news_enricher_ready"), Some(1.0));

    // With the output's broker down every delivery waits, so the drain cannot finish until the test restores it.
    cluster.broker_down(2).unwrap();
    let messages = corpus(20, MAX_MESSAGE_BYTES);
    common::produce(&brokers, &t.input, &messages).await;
    eventually(60, "all 20 messages consumed and held in flight", || async {
        let m = http_get(app.http, "/metrics").await.1;
        (sample(&m, "news_enricher_in_flight_messages")? >= 1.0
            && m.contains(&format!("news_enricher_messages_consumed_total{{topic=\"{}\"}} 20", t.input)))
        .then_some(())
    })
    .await;

    app.cancel.cancel();
    let body = eventually(30, "/readyz to report draining", || async {
        let (status, body) = http_get(app.http, "/readyz").await;
        (status == 503).then_some(body)
    })
    .await;
    assert_eq!(status_and_reason(&body), ("unavailable".into(), Some("draining".into())));
    assert_eq!(http_get(app.http, "/livez").await.0, 200, "draining is progress");
    let (status, metrics) = http_get(app.http, "/metrics").await;
    assert_eq!((status, sample(&metrics, "news_enricher_ready")), (200, Some(0.0)), "metrics served while draining");

    cluster.broker_up(2).unwrap();
    let http = app.http;
    app.stop().await.expect("drains and stops cleanly once the output is writable");
    assert!(tokio::net::TcpStream::connect(http).await.is_err(), "the listener closes only at the very end");
    let found = tokio::task::spawn_blocking(move || audit(&brokers, &t.output, &t.dead, 20, Duration::from_secs(60)))
        .await
        .unwrap();
    found.assert_complete(&messages, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_counts_an_empty_assignment_as_ready_and_a_lost_producer_as_not() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 1);
    let a = spawn_app(settings(&brokers, &t, &[])).await;
    wait_ready(a.http).await;
    // One partition, two members: the second owns nothing, and a stable group with nothing to give it is ready.
    let b = spawn_app(settings(&brokers, &t, &[])).await;
    wait_ready(b.http).await;
    assert_eq!(sample(&http_get(b.http, "/metrics").await.1, "news_enricher_partitions_assigned"), Some(0.0));
    b.stop().await.unwrap();

    cluster.broker_down(1).unwrap();
    let body = eventually(60, "/readyz to report the lost producer", || async {
        let (status, body) = http_get(a.http, "/readyz").await;
        (status == 503).then_some(body)
    })
    .await;
    assert_eq!(status_and_reason(&body), ("unavailable".into(), Some("producer has no broker connection".into())));
    assert_eq!(http_get(a.http, "/livez").await.0, 200, "a broker outage is waited out, not a reason to restart");
    cluster.broker_up(1).unwrap();
    wait_ready(a.http).await;
    a.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lag_series_follow_the_assignment_through_rebalances_and_return_to_zero() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 6);
    let messages = corpus(600, MAX_MESSAGE_BYTES);
    common::produce(&brokers, &t.input, &messages).await;
    let a = spawn_app(settings(&brokers, &t, &[])).await;
    let all: Vec<i32> = (0..6).collect();
    eventually(120, "instance A's lag to reach zero on all six partitions", || async {
        let series = lag_series(&http_get(a.http, "/metrics").await.1, &t.input);
        (series.keys().copied().collect::<Vec<_>>() == all && series.values().all(|v| v == "0")).then_some(())
    })
    .await;

    // A second instance joins: each must export exactly the partitions it owns, and together all six once.
    let b = spawn_app(settings(&brokers, &t, &[])).await;
    let (sa, sb) = eventually(120, "lag series to match the split assignment", || async {
        let (ma, mb) = (http_get(a.http, "/metrics").await.1, http_get(b.http, "/metrics").await.1);
        let (sa, sb) = (lag_series(&ma, &t.input), lag_series(&mb, &t.input));
        let owned = |m: &str| sample(m, "news_enricher_partitions_assigned").unwrap_or(-1.0) as usize;
        let split = !sa.is_empty() && !sb.is_empty() && sa.len() == owned(&ma) && sb.len() == owned(&mb);
        let mut union: Vec<i32> = sa.keys().chain(sb.keys()).copied().collect();
        union.sort_unstable();
        (split && union == all).then_some((sa, sb))
    })
    .await;
    for value in sa.values().chain(sb.values()) {
        assert!(value.parse::<i64>().is_ok_and(|v| v >= 0), "lag {value} is not a count");
    }

    // B leaves: A owns all six again and exports all six, none stale, none missing.
    b.stop().await.unwrap();
    eventually(120, "instance A to export all six partitions again", || async {
        let series = lag_series(&http_get(a.http, "/metrics").await.1, &t.input);
        (series.keys().copied().collect::<Vec<_>>() == all && series.values().all(|v| v == "0")).then_some(())
    })
    .await;
    let metrics = http_get(a.http, "/metrics").await.1;
    assert!(sample(&metrics, "news_enricher_rebalances_total{kind=\"revoke\"}").unwrap_or(0.0) >= 1.0, "{metrics}");
    a.stop().await.unwrap();
}

#[test]
fn build_info_carries_the_checkout_revision() {
    let revision = news_enricher::app::revision();
    // An explicit revision (container builds) wins over the checkout's; the same variable reaches this process.
    let expected = match std::env::var("NEWS_ENRICHER_REVISION").ok().filter(|r| !r.is_empty()) {
        Some(explicit) => explicit,
        None => {
            let out = std::process::Command::new("git")
                .args(["rev-parse", "--short=12", "HEAD"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .expect("git runs: this test checks the revision of a git checkout");
            assert!(out.status.success(), "not a git checkout");
            String::from_utf8(out.stdout).unwrap().trim().to_owned()
        }
    };
    assert_eq!(revision, expected, "build.rs bakes HEAD into the binary");
}
