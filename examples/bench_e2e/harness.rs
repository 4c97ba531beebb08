//! The measuring side of the end-to-end benchmark: topics, a loader that produces bursts or a paced stream, a
//! collector that sees every output (and dead-letter) record arrive, and the process under test read from /proc.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::DefaultProducerContext;
use rdkafka::producer::{BaseRecord, Producer, ThreadedProducer};

use crate::corpus;

/// Fresh topics and a group for one process under test.
pub struct Topics {
    pub input: String,
    pub output: String,
    pub dead: String,
    pub group: String,
}

impl Topics {
    pub fn create(brokers: &str, tag: &str, partitions: i32) -> anyhow::Result<Self> {
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis();
        let id = format!("{tag}-{stamp}");
        let t = Topics {
            input: format!("bench-in-{id}"),
            output: format!("bench-out-{id}"),
            dead: format!("bench-dlq-{id}"),
            group: format!("bench-g-{id}"),
        };
        let admin: AdminClient<DefaultClientContext> =
            ClientConfig::new().set("bootstrap.servers", brokers).create()?;
        let new = [
            NewTopic::new(&t.input, partitions, TopicReplication::Fixed(1)),
            NewTopic::new(&t.output, partitions, TopicReplication::Fixed(1)),
            NewTopic::new(&t.dead, 1, TopicReplication::Fixed(1)),
        ];
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        for r in runtime.block_on(admin.create_topics(&new, &AdminOptions::new()))? {
            r.map_err(|(topic, e)| anyhow::anyhow!("creating {topic}: {e}"))?;
        }
        Ok(t)
    }
}

/// The process under test (the service or the pass-through program), configured through the environment.
pub struct Subject {
    child: Child,
}

impl Subject {
    pub fn start(bin: &Path, args: &[&str], env: &[(String, String)], log: &Path) -> anyhow::Result<Self> {
        let log = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let child = Command::new(bin)
            .args(args)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        Ok(Self { child })
    }

    /// User plus system CPU seconds so far, from /proc/<pid>/stat (all threads).
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))?;
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
        let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: f64 =
            fields.get(11..13).context("short /proc stat")?.iter().filter_map(|f| f.parse::<f64>().ok()).sum();
        Ok(ticks / clock_ticks())
    }

    /// Peak resident set size in MiB (VmHWM).
    pub fn peak_rss_mib(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .context("no VmHWM")?;
        Ok(kib / 1024.0)
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGTERM via `kill`, so the service drains as in production; SIGKILL if it has not exited after 30 s.
    pub fn stop(mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if !self.alive() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn clock_ticks() -> f64 {
    // Linux reports CPU time in USER_HZ, 100 on every mainstream architecture; `getconf` confirms it.
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

#[derive(Default)]
struct Seen {
    arrived: HashMap<String, Instant>,
    /// Per output record: the pipeline's own `timings.total_us`, and the milliseconds from the service handing
    /// the record to its producer (the message's create time) to its arrival here.
    parts: HashMap<String, (u64, i64)>,
    dead: usize,
}

/// Where the time of one record went, in ms: inside the pipeline (decode to record, wall clock), the output
/// leg (service producer linger, broker, collector fetch) and the rest (loader linger, broker, the service's
/// fetch, queueing for a worker and for in-order delivery, serialisation).
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub pipeline_ms: f64,
    pub output_ms: f64,
    pub rest_ms: f64,
}

/// `"total_us":N` of an enriched record, without parsing the whole JSON.
fn total_us(value: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"\"total_us\":";
    let at = value.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let digits = value[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&value[at..at + digits]).ok()?.parse().ok()
}

fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Watches the output and dead-letter topics in a thread and notes when each key arrives.
pub struct Collector {
    seen: Arc<(Mutex<Seen>, Condvar)>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Collector {
    pub fn start(brokers: &str, t: &Topics) -> anyhow::Result<Self> {
        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            .set("group.id", format!("{}-collector", t.group))
            .set("auto.offset.reset", "earliest")
            .set("enable.auto.commit", "false")
            // Arrival times are the latency measure: do not let the broker hold a fetch for long.
            .set("fetch.wait.max.ms", "5")
            .create()?;
        consumer.subscribe(&[&t.output, &t.dead])?;
        let dead_topic = t.dead.clone();
        let seen = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
                let Some(Ok(m)) = consumer.poll(Duration::from_millis(50)) else { continue };
                let now = Instant::now();
                let now_ms = unix_ms();
                let key = String::from_utf8_lossy(m.key().unwrap_or_default()).into_owned();
                let parts = m
                    .payload()
                    .and_then(total_us)
                    .zip(m.timestamp().to_millis())
                    .map(|(us, created)| (us, now_ms - created));
                let (lock, cv) = &*seen2;
                let Ok(mut s) = lock.lock() else { return };
                if m.topic() == dead_topic {
                    s.dead += 1;
                }
                if let Some(p) = parts {
                    s.parts.insert(key.clone(), p);
                }
                s.arrived.insert(key, now);
                cv.notify_all();
            }
        });
        Ok(Self { seen, stop, thread: Some(thread) })
    }

    /// Waits until every key has arrived; returns their arrival times, or fails after `timeout`.
    pub fn wait_for(&self, keys: &[String], timeout: Duration) -> anyhow::Result<Vec<Instant>> {
        let deadline = Instant::now() + timeout;
        let (lock, cv) = &*self.seen;
        let mut s = lock.lock().map_err(|_| anyhow::anyhow!("collector poisoned"))?;
        loop {
            let missing = keys.iter().filter(|k| !s.arrived.contains_key(*k)).count();
            if missing == 0 {
                return Ok(keys.iter().filter_map(|k| s.arrived.get(k).copied()).collect());
            }
            let now = Instant::now();
            if now >= deadline {
                bail!("{missing} of {} records did not arrive within {timeout:?}", keys.len());
            }
            s = cv.wait_timeout(s, deadline - now).map_err(|_| anyhow::anyhow!("collector poisoned"))?.0;
        }
    }

    /// The split of each key's latency (`latency_ms` from the loader's send to arrival), for records that carry
    /// timings (the service's; the pass-through copies values unchanged).
    pub fn parts(&self, keys: &[String], latency_ms: &[f64]) -> Vec<Parts> {
        let Ok(s) = self.seen.0.lock() else { return Vec::new() };
        keys.iter()
            .zip(latency_ms)
            .filter_map(|(k, total)| {
                let &(us, output_ms) = s.parts.get(k)?;
                let pipeline_ms = us as f64 / 1e3;
                let output_ms = output_ms as f64;
                Some(Parts { pipeline_ms, output_ms, rest_ms: (total - pipeline_ms - output_ms).max(0.0) })
            })
            .collect()
    }

    pub fn dead_letters(&self) -> usize {
        self.seen.0.lock().map(|s| s.dead).unwrap_or(0)
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Produces benchmark messages to the input topic.
pub struct Loader {
    producer: ThreadedProducer<DefaultProducerContext>,
    topic: String,
}

impl Loader {
    pub fn new(brokers: &str, topic: &str) -> anyhow::Result<Self> {
        let producer = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            .set("linger.ms", "2")
            .set("compression.type", "lz4")
            .set("message.max.bytes", "20000000")
            .set("queue.buffering.max.kbytes", "1048576")
            .create()?;
        Ok(Self { producer, topic: topic.to_owned() })
    }

    /// Sends `messages` with fresh keys (`prefix` + index); `interval` paces them (zero: as fast as possible).
    /// Returns the keys and the time each was handed to the client.
    pub fn send(
        &self,
        messages: &[corpus::Message],
        prefix: &str,
        interval: Duration,
    ) -> anyhow::Result<(Vec<String>, Vec<Instant>)> {
        let mut keys = Vec::with_capacity(messages.len());
        let mut sent = Vec::with_capacity(messages.len());
        let start = Instant::now();
        for (i, m) in messages.iter().enumerate() {
            let due = start + interval * i as u32;
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
            let key = format!("{prefix}-{i}");
            // The id inside the value must match the key: the service keys its output by the article id.
            let value = rekey(&m.value, &m.key, &key);
            let mut record = BaseRecord::to(&self.topic).key(&key).payload(&value);
            sent.push(Instant::now());
            loop {
                match self.producer.send(record) {
                    Ok(()) => break,
                    Err((_, returned)) => {
                        std::thread::sleep(Duration::from_millis(1));
                        record = returned;
                    }
                }
            }
            keys.push(key);
        }
        self.producer.flush(Duration::from_secs(60))?;
        Ok((keys, sent))
    }
}

fn rekey(value: &[u8], old: &str, new: &str) -> Vec<u8> {
    let needle = format!("\"id\":\"{old}\"");
    let text = String::from_utf8_lossy(value);
    text.replacen(&needle, &format!("\"id\":\"{new}\""), 1).into_bytes()
}
