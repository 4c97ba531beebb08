//! End-to-end tests: the real binary, as a separate process, against a real Kafka-protocol broker process
//! on 127.0.0.1 (`make broker-up`; `NEWS_ENRICHER_TEST_BROKERS` names it). Ignored by a plain `cargo test`;
//! `make test` runs them with `--include-ignored` after starting the broker. For debugging a run:
//! `E2E_LOG=debug` (service log level), `E2E_SESSION_TIMEOUT=30s E2E_MAX_POLL_INTERVAL=60s`
//! (slow brokers; the second must not be below the first), `E2E_DEBUG=cgrp,fetch` (librdkafka debug contexts),
//! `E2E_STRATEGY=roundrobin` (assignment strategy); each service's log is kept in `target/tmp/e2e-logs/`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed expectation is a failed test

#[path = "../common/mod.rs"]
mod common;
mod prometheus;
mod replay;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{audit, corpus, create_topics, produce, uuid_like, TestMessage};

const MAX_MESSAGE_BYTES: usize = 64 * 1024;

fn brokers() -> String {
    std::env::var("NEWS_ENRICHER_TEST_BROKERS")
        .expect("NEWS_ENRICHER_TEST_BROKERS is not set: run these through `make test` (it starts the broker)")
}

#[derive(Clone)]
struct Topics {
    input: String,
    output: String,
    dead: String,
    group: String,
}

async fn topics(partitions: i32) -> Topics {
    let id = uuid_like();
    let t = Topics {
        input: format!("in-{id}"),
        output: format!("out-{id}"),
        dead: format!("dlq-{id}"),
        group: format!("g-{id}"),
    };
    create_topics(&brokers(), &[(&t.input, partitions), (&t.output, partitions), (&t.dead, 1)]).await;
    t
}

/// The binary running as a child process, with its log captured.
struct Service {
    child: Child,
    http: String,
}

impl Service {
    fn start(t: &Topics, name: &str) -> Self {
        let log_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-logs");
        std::fs::create_dir_all(&log_dir).unwrap();
        let log_path = log_dir.join(format!("{}-{name}.log", t.group));
        let mut child = Command::new(env!("CARGO_BIN_EXE_news-enricher"))
            .arg("run")
            .env("NEWS_ENRICHER__KAFKA__BROKERS", brokers())
            .env("NEWS_ENRICHER__KAFKA__INPUT_TOPIC", &t.input)
            .env("NEWS_ENRICHER__KAFKA__OUTPUT_TOPIC", &t.output)
            .env("NEWS_ENRICHER__KAFKA__DEAD_LETTER_TOPIC", &t.dead)
            .env("NEWS_ENRICHER__KAFKA__GROUP_ID", &t.group)
            // 10 s finds a dead member quickly; a slower broker (tansu on SQLite under load) may need more to answer
            // heartbeats in time: `E2E_SESSION_TIMEOUT=30s`.
            .env("NEWS_ENRICHER__KAFKA__SESSION_TIMEOUT", std::env::var("E2E_SESSION_TIMEOUT").unwrap_or("10s".into()))
            // noida-db 0.2.3 mishandles the cooperative protocol's second join round and may hold a join round until
            // the rebalance timeout (max.poll.interval.ms) expires (README, "Tests and the test broker"): the e2e
            // suite uses an eager assignor and a short rebalance timeout; cooperative-sticky is covered on the
            // mock cluster.
            .env(
                "NEWS_ENRICHER__KAFKA__ASSIGNMENT_STRATEGY",
                std::env::var("E2E_STRATEGY").unwrap_or("roundrobin".into()),
            )
            .env(
                "NEWS_ENRICHER__KAFKA__MAX_POLL_INTERVAL",
                std::env::var("E2E_MAX_POLL_INTERVAL").unwrap_or("12s".into()),
            )
            .env("NEWS_ENRICHER__KAFKA__STATISTICS_INTERVAL", "1s")
            .env("NEWS_ENRICHER__PIPELINE__DRAIN_TIMEOUT", "8s")
            .env("NEWS_ENRICHER__PIPELINE__MAX_MESSAGE_BYTES", "64KiB")
            .env("NEWS_ENRICHER__PIPELINE__MAX_IN_FLIGHT_MESSAGES", "200")
            .env("NEWS_ENRICHER__PIPELINE__MAX_IN_FLIGHT_BYTES", "4MiB")
            .env("NEWS_ENRICHER__HTTP__LISTEN_ADDR", "127.0.0.1:0")
            .env("NEWS_ENRICHER__LOG__FORMAT", "json")
            .envs(std::env::var("E2E_DEBUG").ok().map(|d| ("NEWS_ENRICHER__KAFKA__CONSUMER_OPTIONS__DEBUG", d)))
            .env("NEWS_ENRICHER__LOG__LEVEL", std::env::var("E2E_LOG").unwrap_or("info".into()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the binary");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut log = std::fs::File::create(&log_path).ok();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(f) = log.as_mut() {
                    use std::io::Write;
                    let _ = writeln!(f, "{line}");
                }
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                    if let Some(addr) = v.get("http_addr").and_then(|a| a.as_str()) {
                        let _ = tx.send(addr.to_owned());
                    }
                }
            }
        });
        let http = rx.recv_timeout(Duration::from_secs(60)).expect("the service logs its HTTP address");
        Self { child, http }
    }

    fn get(&self, path: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(&self.http) else { return (0, String::new()) };
        let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        let mut r = String::new();
        let _ = s.read_to_string(&mut r);
        let status = r.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, r.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned())
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self.get("/readyz").0 == 200 {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("service never became ready");
    }

    fn metric(&self, name: &str) -> f64 {
        self.get("/metrics")
            .1
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0.0)
    }

    fn terminate(mut self) -> ExitStatus {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("did not exit within 60 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Audits both output topics for `messages`, off the async runtime (the audit consumer blocks). The bound is
/// 300 s, or `E2E_AUDIT_SECONDS` for slower brokers (tansu with SQLite storage needs several times longer).
async fn audit_all(t: &Topics, messages: &[TestMessage]) -> common::Audit {
    let (t, expected) = (t.clone(), messages.len());
    let bound = std::env::var("E2E_AUDIT_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    tokio::task::spawn_blocking(move || audit(&brokers(), &t.output, &t.dead, expected, Duration::from_secs(bound)))
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs a broker process: make test"]
async fn ten_thousand_messages_with_one_percent_junk_are_all_accounted_for() {
    let t = topics(4).await;
    let messages = corpus(10_000, MAX_MESSAGE_BYTES);
    produce(&brokers(), &t.input, &messages).await;
    let service = Service::start(&t, "a");
    let found = audit_all(&t, &messages).await;
    found.assert_complete(&messages, 0);
    let junk = messages.iter().filter(|m| m.junk.is_some()).count();
    assert_eq!(found.dead.len(), junk);
    assert_eq!(found.output.len(), 10_000 - junk);
    assert!(service.terminate().success(), "SIGTERM drains and exits 0");
}

#[tokio::test]
#[ignore = "needs a broker process: make test"]
async fn sigterm_mid_run_then_restart_loses_nothing_and_duplicates_nothing() {
    let t = topics(3).await;
    let messages = corpus(4_000, MAX_MESSAGE_BYTES);
    produce(&brokers(), &t.input, &messages).await;
    let first = Service::start(&t, "first");
    first.wait_ready();
    let deadline = Instant::now() + Duration::from_secs(120);
    while first.metric("news_enricher_records_produced_total") < 500.0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = first.terminate();
    assert!(status.success(), "drained and exited 0: {status:?}");
    let second = Service::start(&t, "second");
    let found = audit_all(&t, &messages).await;
    // The drain finished in time, so its offsets were committed: the restart redoes nothing.
    found.assert_complete(&messages, 0);
    assert!(second.terminate().success());
}

#[tokio::test]
#[ignore = "needs a broker process: make test"]
async fn two_processes_in_one_group_split_the_partitions_and_account_for_everything() {
    let t = topics(6).await;
    let a = Service::start(&t, "a");
    let b = Service::start(&t, "b");
    a.wait_ready();
    b.wait_ready();
    let messages = corpus(3_000, MAX_MESSAGE_BYTES);
    produce(&brokers(), &t.input, &messages).await;
    let found = audit_all(&t, &messages).await;
    found.assert_complete(&messages, 0);
    let (pa, pb) = (a.metric("news_enricher_partitions_assigned"), b.metric("news_enricher_partitions_assigned"));
    assert_eq!(pa + pb, 6.0, "partitions split {pa} + {pb}");
    let (ca, cb) = (a.metric("news_enricher_records_produced_total"), b.metric("news_enricher_records_produced_total"));
    assert!(ca > 0.0 && cb > 0.0, "both instances did work: {ca} and {cb}");
    assert!(a.terminate().success());
    assert!(b.terminate().success());
}
