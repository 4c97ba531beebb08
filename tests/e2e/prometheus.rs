//! The service scraped by a real Prometheus server (Debian's `prometheus` package, `make prometheus-install`):
//! `promtool check metrics` accepts the exposition, and the query API shows the counters moving and the lag
//! of every input partition back at zero once the traffic is processed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{brokers, topics, Service, MAX_MESSAGE_BYTES};
use crate::common::{corpus, produce};

const PROMETHEUS: &str = "/usr/bin/prometheus";
const PROMTOOL: &str = "/usr/bin/promtool";

/// A Prometheus server on 127.0.0.1, storing into a temporary directory, killed on drop.
struct Prometheus {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Prometheus {
    /// Starts the server scraping `target` (host:port) every second and waits until it is ready.
    fn start(target: &str) -> Self {
        assert!(Path::new(PROMETHEUS).exists(), "{PROMETHEUS} missing: run `make prometheus-install`");
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: news-enricher\n    \
                 scrape_interval: 1s\n    scrape_timeout: 1s\n    static_configs:\n      - targets: ['{target}']\n"
            ),
        )
        .unwrap();
        // The kernel picks a free port; it is released just before Prometheus binds it (nothing else here races).
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let log = std::fs::File::create(log_path()).unwrap();
        let child = Command::new(PROMETHEUS)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.tsdb.path={}", dir.path().join("data").display()))
            .arg(format!("--web.listen-address={addr}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start prometheus");
        let server = Self { child, addr, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(60);
        while http_get(&server.addr, "/-/ready").0 != 200 {
            assert!(Instant::now() < deadline, "prometheus not ready in 60 s; log: {}", log_path().display());
            std::thread::sleep(Duration::from_millis(200));
        }
        server
    }

    /// An instant query: each result's labels and value.
    fn query(&self, promql: &str) -> Vec<(serde_json::Value, f64)> {
        let q: String = url::form_urlencoded::byte_serialize(promql.as_bytes()).collect();
        let (status, body) = http_get(&self.addr, &format!("/api/v1/query?query={q}"));
        assert_eq!(status, 200, "query {promql}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["data"]["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["metric"].clone(), r["value"][1].as_str().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN)))
            .collect()
    }

    /// The single value of `promql`, `None` while it has no result.
    fn scalar(&self, promql: &str) -> Option<f64> {
        self.query(promql).first().map(|(_, v)| *v)
    }

    /// Polls until `promql` has exactly `want` (bounded; Prometheus sees a change one scrape later).
    fn wait_for(&self, promql: &str, want: f64) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let got = self.scalar(promql);
            if got == Some(want) {
                return;
            }
            assert!(Instant::now() < deadline, "{promql} = {got:?}, expected {want} within 120 s");
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn log_path() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-logs");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("prometheus.log")
}

fn http_get(addr: &str, path: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(addr) else { return (0, String::new()) };
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut r = String::new();
    let _ = s.read_to_string(&mut r);
    let status = r.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, r.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned())
}

#[tokio::test]
#[ignore = "needs a broker process and Prometheus: make test"]
async fn prometheus_sees_the_counters_move_and_the_lag_return_to_zero() {
    let t = topics(4).await;
    let messages = corpus(1_000, MAX_MESSAGE_BYTES);
    let junk = messages.iter().filter(|m| m.junk.is_some()).count();
    let good = messages.len() - junk;
    produce(&brokers(), &t.input, &messages).await;
    let service = Service::start(&t, "prometheus");
    service.wait_ready();
    let prometheus = Prometheus::start(&service.http);
    prometheus.wait_for("up{job=\"news-enricher\"}", 1.0);

    prometheus.wait_for("news_enricher_records_produced_total", good as f64);
    prometheus.wait_for(&format!("sum(news_enricher_messages_consumed_total{{topic=\"{}\"}})", t.input), 1_000.0);
    prometheus.wait_for("sum(news_enricher_dead_letters_total)", junk as f64);
    // One junk message of each kind per hundred; "binary" and "deeply_nested" land on the parser's kinds.
    let per_kind = (messages.len() / 100) as f64;
    for (kind, count) in [
        ("missing_body", per_kind),
        ("empty_body", per_kind),
        ("oversized", per_kind),
        ("not_an_object", per_kind),
        ("invalid_field", per_kind),
    ] {
        let got = prometheus.scalar(&format!("sum(news_enricher_dead_letters_total{{kind=\"{kind}\"}})"));
        assert_eq!(got, Some(count), "dead letters of kind {kind}");
    }
    let parser = prometheus.scalar("sum(news_enricher_dead_letters_total{kind=~\"invalid_json|invalid_utf8\"})");
    assert_eq!(parser, Some(4.0 * per_kind), "invalid_json, invalid_utf8, binary and deeply_nested junk");
    assert_eq!(prometheus.scalar("sum(news_enricher_records_by_language_total)"), Some(good as f64));
    assert_eq!(
        prometheus.scalar("sum(news_enricher_stage_duration_seconds_count{stage=\"cleanup\"})"),
        Some(good as f64)
    );

    // Lag: one series per input partition, all back at zero, and no sample ever below zero.
    let lag = format!("news_enricher_consumer_lag{{topic=\"{}\"}}", t.input);
    prometheus.wait_for(&format!("count({lag})"), 4.0);
    prometheus.wait_for(&format!("max({lag})"), 0.0);
    let partitions: Vec<String> = prometheus
        .query(&lag)
        .iter()
        .map(|(labels, _)| labels["partition"].as_str().unwrap_or_default().to_owned())
        .collect();
    let mut sorted = partitions.clone();
    sorted.sort();
    assert_eq!(sorted, ["0", "1", "2", "3"]);
    assert_eq!(prometheus.scalar(&format!("min(min_over_time({lag}[10m]))")), Some(0.0), "never negative");
    assert_eq!(prometheus.scalar("news_enricher_ready"), Some(1.0));
    let build = prometheus.query("news_enricher_build_info");
    assert_eq!(build.len(), 1);
    assert!(build[0].0["revision"].as_str().is_some_and(|r| !r.is_empty() && r != "unknown"), "{:?}", build[0].0);

    // promtool's own lint of the exposition, after traffic has created every labelled series.
    let (status, exposition) = service.get("/metrics");
    assert_eq!(status, 200);
    let mut promtool = Command::new(PROMTOOL)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run promtool (make prometheus-install)");
    {
        use std::io::Write;
        promtool.stdin.take().unwrap().write_all(exposition.as_bytes()).unwrap();
    }
    let out = promtool.wait_with_output().unwrap();
    assert!(
        out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
        "promtool check metrics: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(service.terminate().success());
}
