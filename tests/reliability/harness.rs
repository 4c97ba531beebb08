//! The reliability suite's harness: the real binary as a child process with per-scenario settings, its
//! metrics and resident memory, a throughput sampler, broker control and a seeded random source (the broker
//! side of the audit is in `audit.rs`, re-exported here).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

pub use crate::audit::*;

/// How long any wait in the suite may take before the scenario fails (generous: a loaded 2-core CI box).
pub const PATIENCE: Duration = Duration::from_secs(240);

pub fn brokers() -> String {
    std::env::var("NEWS_ENRICHER_TEST_BROKERS")
        .expect("NEWS_ENRICHER_TEST_BROKERS is not set: run these through `make reliability` (it starts the broker)")
}

/// `soak` for the heavy profile (`make soak`), anything else for the `make test` profile.
pub fn soak() -> bool {
    std::env::var("NEWS_ENRICHER_RELIABILITY_PROFILE").is_ok_and(|p| p == "soak")
}

/// SplitMix64: a tiny seeded generator, so a scenario's fault points reproduce from the printed seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(scenario: &str, default_seed: u64) -> Self {
        let seed = std::env::var("NEWS_ENRICHER_RELIABILITY_SEED").ok().and_then(|s| s.parse().ok());
        let seed = seed.unwrap_or(default_seed);
        println!("{scenario}: seed {seed} (NEWS_ENRICHER_RELIABILITY_SEED={seed} reproduces it)");
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo).max(1)
    }
}

/// The binary as a child process, with its log captured to a file and scanned for a few events.
pub struct Service {
    pub child: Child,
    pub http: String,
    events: Arc<Mutex<Vec<serde_json::Value>>>,
}

/// One HTTP GET to the service's listener: status and body (status 0 when it does not answer).
pub fn http_get(addr: &str, path: &str) -> (u16, String) {
    use std::io::Read;
    let Ok(mut s) = std::net::TcpStream::connect(addr) else { return (0, String::new()) };
    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut r = String::new();
    let _ = s.read_to_string(&mut r);
    let status = r.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, r.split("\r\n\r\n").nth(1).unwrap_or_default().to_owned())
}

/// Sum of every series of a metric on the service listening at `addr`.
pub fn metric_at(addr: &str, name: &str) -> f64 {
    http_get(addr, "/metrics")
        .1
        .lines()
        .filter(|l| l.starts_with(&format!("{name} ")) || l.starts_with(&format!("{name}{{")))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Samples the records written by a set of services (output plus dead letters, summed) every 100 ms, to
/// measure the most the group wrote within any one commit interval: the work a lost commit can make redone.
pub struct Throughput {
    addrs: Arc<Mutex<Vec<String>>>,
    samples: Arc<Mutex<Vec<(Instant, f64)>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Throughput {
    pub fn start() -> Self {
        let t = Self { addrs: Arc::default(), samples: Arc::default(), stop: Arc::default() };
        let (addrs, samples, stop) = (t.addrs.clone(), t.samples.clone(), t.stop.clone());
        std::thread::spawn(move || {
            let mut last: HashMap<String, f64> = HashMap::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for a in addrs.lock().unwrap().iter() {
                    let w = metric_at(a, "news_enricher_records_produced_total")
                        + metric_at(a, "news_enricher_dead_letters_total");
                    // A stopped service keeps its last count.
                    let e = last.entry(a.clone()).or_default();
                    *e = e.max(w);
                }
                samples.lock().unwrap().push((Instant::now(), last.values().sum()));
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        t
    }

    pub fn watch(&self, service: &Service) {
        self.addrs.lock().unwrap().push(service.http.clone());
    }

    /// The most records written within any `window`.
    pub fn peak(&self, window: Duration) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let s = self.samples.lock().unwrap();
        let mut peak = 0.0f64;
        for (i, (t0, w0)) in s.iter().enumerate() {
            for (t1, w1) in &s[i..] {
                // One sample past the window, so the peak over-approximates rather than under.
                if t1.duration_since(*t0) > window + Duration::from_millis(200) {
                    break;
                }
                peak = peak.max(w1 - w0);
            }
        }
        peak as usize
    }
}

/// The base settings every scenario starts from; each overrides what it tests.
pub fn base_env(t: &Topics) -> Vec<(String, String)> {
    [
        ("KAFKA__BROKERS", brokers()),
        ("KAFKA__INPUT_TOPIC", t.input.clone()),
        ("KAFKA__OUTPUT_TOPIC", t.output.clone()),
        ("KAFKA__DEAD_LETTER_TOPIC", t.dead.clone()),
        ("KAFKA__GROUP_ID", t.group.clone()),
        ("KAFKA__SESSION_TIMEOUT", "10s".into()),
        ("KAFKA__STATISTICS_INTERVAL", "1s".into()),
        ("KAFKA__COMMIT_INTERVAL", "1s".into()),
        // noida-db mishandles cooperative rebalances and holds join rounds until the rebalance timeout (README,
        // "Tests and the test broker"): an eager assignor and a short timeout, as in the e2e suite.
        ("KAFKA__ASSIGNMENT_STRATEGY", "roundrobin".into()),
        ("KAFKA__MAX_POLL_INTERVAL", "12s".into()),
        ("PIPELINE__DRAIN_TIMEOUT", "8s".into()),
        ("PIPELINE__MAX_MESSAGE_BYTES", "64KiB".into()),
        ("PIPELINE__MAX_IN_FLIGHT_MESSAGES", "200".into()),
        ("PIPELINE__MAX_IN_FLIGHT_BYTES", "4MiB".into()),
        ("HTTP__LISTEN_ADDR", "127.0.0.1:0".into()),
        ("LOG__FORMAT", "json".into()),
        ("LOG__LEVEL", "info".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Replaces or adds `key` in an environment list.
pub fn set(env: &mut Vec<(String, String)>, key: &str, value: &str) {
    env.retain(|(k, _)| k != key);
    env.push((key.to_owned(), value.to_owned()));
}

impl Service {
    pub fn start(t: &Topics, name: &str, env: &[(String, String)]) -> Self {
        let log_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("reliability-logs");
        std::fs::create_dir_all(&log_dir).unwrap();
        let log_path = log_dir.join(format!("{}-{name}.log", t.group));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_news-enricher"));
        cmd.arg("run").stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(format!("NEWS_ENRICHER__{k}"), v);
        }
        let mut child = cmd.spawn().expect("start the binary");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        std::thread::spawn(move || {
            let mut log = std::fs::File::create(&log_path).ok();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(f) = log.as_mut() {
                    let _ = writeln!(f, "{line}");
                }
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
                if let Some(addr) = v.get("http_addr").and_then(|a| a.as_str()) {
                    let _ = tx.send(addr.to_owned());
                }
                if v.get("level").and_then(|l| l.as_str()).is_some_and(|l| l != "INFO")
                    || v.get("message").and_then(|m| m.as_str()) == Some("stopped")
                {
                    sink.lock().unwrap().push(v);
                }
            }
        });
        let http = rx.recv_timeout(Duration::from_secs(120)).expect("the service logs its HTTP address");
        Self { child, http, events }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        http_get(&self.http, path)
    }

    /// Waits until `/readyz` answers `want` (200 or 503).
    pub fn wait_readyz(&self, want: u16) {
        let deadline = Instant::now() + PATIENCE;
        while self.get("/readyz").0 != want {
            assert!(Instant::now() < deadline, "/readyz never answered {want}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sum of every series of a metric.
    pub fn metric(&self, name: &str) -> f64 {
        metric_at(&self.http, name)
    }

    /// Waits until this process has written `at_least` records (output plus dead letters).
    pub fn wait_written(&self, at_least: u64) {
        let deadline = Instant::now() + PATIENCE;
        while self.written() < at_least as f64 {
            assert!(Instant::now() < deadline, "never wrote {at_least} records");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Records written (output plus dead letters) so far, from the service's own counters.
    pub fn written(&self) -> f64 {
        self.metric("news_enricher_records_produced_total") + self.metric("news_enricher_dead_letters_total")
    }

    /// Warning and error log events, and the final `stopped` event.
    pub fn events(&self) -> Vec<serde_json::Value> {
        self.events.lock().unwrap().clone()
    }

    /// SIGTERM, then waits for the exit; returns whether it exited 0 and whether its drain completed.
    pub fn terminate(mut self) -> (bool, bool) {
        let _ = Command::new("kill").arg("-TERM").arg(self.pid().to_string()).status();
        let status = self.wait_exit();
        // The reader thread may lag the exit by a moment; the pipe closes once the process is gone.
        let deadline = Instant::now() + Duration::from_secs(10);
        let drained = loop {
            let stopped = self.events().into_iter().find(|e| e["message"] == "stopped");
            if let Some(e) = stopped {
                break e["drained"].as_bool().unwrap_or(false);
            }
            if Instant::now() > deadline {
                break false;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        (status.success(), drained)
    }

    /// SIGKILL: no drain, no flush, no commit.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("did not exit in time");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Resident set size now and its high-water mark, in bytes, from `/proc/<pid>/status`.
    pub fn rss(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map_or(0, |kb| kb * 1024)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the async client helpers from the suite's plain (blocking) tests.
pub fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(f)
}

/// Stops or starts the test broker through the Makefile (`NEWS_ENRICHER_TEST_BROKER_CTL` is the make command
/// with the broker's port and data dir, set by `make reliability`).
pub fn broker_ctl(action: &str) {
    let ctl = std::env::var("NEWS_ENRICHER_TEST_BROKER_CTL")
        .expect("NEWS_ENRICHER_TEST_BROKER_CTL is not set: run the broker-restart scenario through `make reliability`");
    let mut words = ctl.split_whitespace();
    let program = words.next().expect("a command");
    let status = Command::new(program)
        .args(words)
        .args(match action {
            "down" => vec!["broker-down", "BROKER_KEEP_DATA=1"],
            _ => vec!["broker-up"],
        })
        .status()
        .expect("run the broker control command");
    assert!(status.success(), "broker {action} failed");
}
