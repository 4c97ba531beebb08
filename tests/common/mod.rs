//! Helpers shared by the in-process (mock cluster) and end-to-end (real broker) suites: a corpus of good and
//! bad messages, producing, and the audit that checks every message landed in exactly one place.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use base64::Engine;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Message};

/// One test message: key (= expected record id), value, and whether it must be dead-lettered.
#[derive(Debug, Clone)]
pub struct TestMessage {
    pub key: String,
    pub value: Vec<u8>,
    pub junk: Option<&'static str>,
}

/// Sentences written for the tests, in several languages and scripts.
const SENTENCES: [&str; 8] = [
    "The finance ministers met in Brussels on Tuesday to discuss the new budget rules for the coming year.",
    "وقال المتحدث باسم الحكومة إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة بمشاركة وفود من عدة دول.",
    "Le gouvernement a annoncé mardi un nouveau plan pour soutenir les agriculteurs touchés par la sécheresse.",
    "Министр иностранных дел заявил, что переговоры продолжатся в Женеве на следующей неделе.",
    "El presidente visitó ayer la región afectada por las inundaciones y prometió ayuda inmediata.",
    "Die Regierung will die Steuern für kleine Unternehmen im kommenden Jahr deutlich senken.",
    "Bakan, yeni ekonomi programının önümüzdeki ay açıklanacağını söyledi.",
    "外交部发言人表示，双方将在下周继续就贸易问题进行磋商。",
];

/// Kinds of bad input, each of which must reach the dead-letter topic.
pub const JUNK_KINDS: [&str; 9] = [
    "invalid_json",
    "invalid_utf8",
    "missing_body",
    "empty_body",
    "oversized",
    "binary",
    "deeply_nested",
    "not_an_object",
    "wrong_type",
];

fn junk_value(kind: &str, i: usize, max_message_bytes: usize) -> Vec<u8> {
    match kind {
        "invalid_json" => format!("{{\"body\": \"unterminated {i}").into_bytes(),
        "invalid_utf8" => {
            let mut v = format!("{{\"body\": \"bad bytes {i} ").into_bytes();
            v.extend_from_slice(&[0xC3, 0x28, 0xFF]);
            v.extend_from_slice(b"\"}");
            v
        }
        "missing_body" => format!("{{\"title\": \"no body {i}\"}}").into_bytes(),
        "empty_body" => b"{\"body\": \"   \"}".to_vec(),
        "oversized" => {
            let body = "x".repeat(max_message_bytes + 10);
            serde_json::json!({ "body": body }).to_string().into_bytes()
        }
        // Deterministic pseudo-random bytes (xorshift), so a failure reproduces.
        "binary" => {
            let mut x = 0x9E37_79B9_7F4A_7C15_u64 ^ (i as u64);
            (0..200)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x & 0xFF) as u8
                })
                .collect()
        }
        "deeply_nested" => format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes(),
        "not_an_object" => format!("[\"body\", {i}]").into_bytes(),
        _ => format!("{{\"body\": {i}}}").into_bytes(),
    }
}

/// `n` messages, of which about 1% of each junk kind; ids `m-00000`… in order.
pub fn corpus(n: usize, max_message_bytes: usize) -> Vec<TestMessage> {
    (0..n)
        .map(|i| {
            let key = format!("m-{i:05}");
            // Every 100 messages carry one of each junk kind, spread out.
            let slot = i % 100;
            if slot >= 50 && slot < 50 + JUNK_KINDS.len() {
                let kind = JUNK_KINDS[slot - 50];
                return TestMessage { key, value: junk_value(kind, i, max_message_bytes), junk: Some(kind) };
            }
            let sentence = SENTENCES[i % SENTENCES.len()];
            let html = i % 3 == 0;
            let body = if html {
                format!("<html><head><title>Report {i}</title></head><body><nav>Home | World</nav><article><h1>Report {i}</h1><p>{sentence}</p><p>{sentence}</p></article><footer>© News</footer></body></html>")
            } else {
                format!("Report {i}\n\n{sentence}\n\n{sentence}")
            };
            let value = serde_json::json!({
                "id": key,
                "body": body,
                "content_type": if html { "text/html" } else { "text/plain" },
                "url": format!("https://news.example/{i}"),
                "scraper": "test",
            });
            TestMessage { key, value: value.to_string().into_bytes(), junk: None }
        })
        .collect()
}

/// Creates topics on a real broker.
pub async fn create_topics(brokers: &str, topics: &[(&str, i32)]) {
    let admin: AdminClient<DefaultClientContext> =
        ClientConfig::new().set("bootstrap.servers", brokers).create().expect("admin client");
    let new: Vec<NewTopic<'_>> =
        topics.iter().map(|(name, parts)| NewTopic::new(name, *parts, TopicReplication::Fixed(1))).collect();
    let results = admin.create_topics(&new, &AdminOptions::new()).await.expect("create topics");
    for r in results {
        r.expect("topic created");
    }
}

/// Produces messages in order, keyed, to round-robin partitions by key hash.
pub async fn produce(brokers: &str, topic: &str, messages: &[TestMessage]) {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("message.max.bytes", "20000000")
        .set("linger.ms", "5")
        .create()
        .expect("producer");
    let sends = messages.iter().map(|m| {
        let producer = producer.clone();
        async move {
            producer
                .send(FutureRecord::to(topic).key(&m.key).payload(&m.value), Duration::from_secs(30))
                .await
                .map_err(|(e, _)| e)
        }
    });
    for r in futures::future::join_all(sends).await {
        r.expect("produce");
    }
}

/// What landed where.
#[derive(Debug, Default)]
pub struct Audit {
    /// Output records per key.
    pub output: HashMap<String, usize>,
    /// Dead-letter records per key, with the error kind of the first one.
    pub dead: HashMap<String, (usize, String)>,
}

impl Audit {
    /// Keys expected but found nowhere.
    pub fn missing(&self, messages: &[TestMessage]) -> Vec<String> {
        messages
            .iter()
            .filter(|m| !self.output.contains_key(&m.key) && !self.dead.contains_key(&m.key))
            .map(|m| m.key.clone())
            .collect()
    }

    /// Copies beyond the first, over both topics.
    pub fn duplicates(&self) -> usize {
        self.output.values().map(|c| c - 1).sum::<usize>() + self.dead.values().map(|(c, _)| c - 1).sum::<usize>()
    }

    /// Asserts every message is in exactly the right place: good ones in the output, junk in the dead-letter
    /// topic, none in both, none missing.
    pub fn assert_complete(&self, messages: &[TestMessage], max_duplicates: usize) {
        let missing = self.missing(messages);
        assert!(missing.is_empty(), "{} messages lost, e.g. {:?}", missing.len(), &missing[..missing.len().min(5)]);
        for m in messages {
            match m.junk {
                None => {
                    assert!(!self.dead.contains_key(&m.key), "{} was dead-lettered: {:?}", m.key, self.dead.get(&m.key))
                }
                Some(kind) => assert!(!self.output.contains_key(&m.key), "junk {kind} {} reached the output", m.key),
            }
        }
        let dups = self.duplicates();
        assert!(dups <= max_duplicates, "{dups} duplicates, more than the {max_duplicates} allowed");
    }
}

/// Reads both topics from the beginning until every expected key is seen (or `timeout`), then a short idle
/// period to catch duplicates.
pub fn audit(brokers: &str, output: &str, dead_letter: &str, expected: usize, timeout: Duration) -> Audit {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("audit-{}", uuid_like()))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()
        .expect("audit consumer");
    consumer.subscribe(&[output, dead_letter]).expect("subscribe");
    let mut audit = Audit::default();
    let deadline = Instant::now() + timeout;
    let mut idle_since = Instant::now();
    let b64 = base64::engine::general_purpose::STANDARD;
    loop {
        let seen: HashSet<&String> = audit.output.keys().chain(audit.dead.keys()).collect();
        let complete = seen.len() >= expected;
        if Instant::now() > deadline || (complete && idle_since.elapsed() > Duration::from_secs(2)) {
            break;
        }
        match consumer.poll(Duration::from_millis(200)) {
            Some(Ok(m)) => {
                idle_since = Instant::now();
                if m.topic() == output {
                    let key = String::from_utf8_lossy(m.key().unwrap_or_default()).into_owned();
                    *audit.output.entry(key).or_default() += 1;
                } else {
                    let record: serde_json::Value =
                        serde_json::from_slice(m.payload().unwrap_or_default()).expect("dead-letter JSON");
                    let key = record["key"]
                        .as_str()
                        .and_then(|k| b64.decode(k).ok())
                        .map(|k| String::from_utf8_lossy(&k).into_owned())
                        .unwrap_or_default();
                    let kind = record["error"]["kind"].as_str().unwrap_or_default().to_owned();
                    audit.dead.entry(key).or_insert((0, kind)).0 += 1;
                }
            }
            Some(Err(e)) => panic!("audit consumer: {e}"),
            None => {}
        }
    }
    audit
}

/// A unique suffix for topic and group names.
pub fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{:x}-{}-{}", t, std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}
