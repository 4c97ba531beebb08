//! The suite's view of the broker: topics per scenario, producing with recorded positions, the group's
//! committed offsets and the topics' ends (consumer lag), and the snapshot audit of what landed where.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};

use crate::common::{create_topics, uuid_like, TestMessage};
use crate::harness::{brokers, PATIENCE};

#[derive(Clone)]
pub struct Topics {
    pub input: String,
    pub output: String,
    pub dead: String,
    pub group: String,
    pub partitions: i32,
}

pub async fn topics(partitions: i32) -> Topics {
    let id = uuid_like();
    let t = Topics {
        input: format!("rin-{id}"),
        output: format!("rout-{id}"),
        dead: format!("rdlq-{id}"),
        group: format!("rg-{id}"),
        partitions,
    };
    create_topics(&brokers(), &[(&t.input, partitions), (&t.output, partitions), (&t.dead, 1)]).await;
    t
}

/// Where each key was written on the input topic: (partition, offset).
pub type Positions = HashMap<String, (i32, i64)>;

/// Produces messages and records where each landed.
pub async fn produce(topic: &str, messages: &[TestMessage]) -> Positions {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("message.max.bytes", "20000000")
        .set("linger.ms", "5")
        .create()
        .expect("producer");
    let mut positions = Positions::new();
    // In slices, so a large burst does not queue every future at once.
    for chunk in messages.chunks(2_000) {
        let sends = chunk.iter().map(|m| {
            let producer = producer.clone();
            async move {
                let r = producer
                    .send(FutureRecord::to(topic).key(&m.key).payload(&m.value), Duration::from_secs(60))
                    .await
                    .map_err(|(e, _)| e);
                (m.key.clone(), r)
            }
        });
        for (key, r) in futures::future::join_all(sends).await {
            let d = r.unwrap_or_else(|e| panic!("produce {key}: {e}"));
            positions.insert(key, (d.partition, d.offset));
        }
    }
    positions
}

fn client(group: &str) -> BaseConsumer {
    ClientConfig::new()
        .set("bootstrap.servers", brokers())
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("fetch.message.max.bytes", "20000000")
        .create()
        .expect("consumer")
}

/// The group's committed offset per input partition (`None` when nothing is committed for it).
pub fn committed(t: &Topics) -> Vec<Option<i64>> {
    let consumer = client(&t.group);
    let mut tpl = TopicPartitionList::new();
    for p in 0..t.partitions {
        tpl.add_partition(&t.input, p);
    }
    let deadline = Instant::now() + PATIENCE;
    let got = loop {
        match consumer.committed_offsets(tpl.clone(), Duration::from_secs(30)) {
            Ok(got) => break got,
            Err(e) if Instant::now() < deadline => {
                println!("committed offsets: {e}; retrying");
                std::thread::sleep(Duration::from_millis(500));
            }
            Err(e) => panic!("committed offsets: {e}"),
        }
    };
    (0..t.partitions)
        .map(|p| match got.find_partition(&t.input, p).map(|e| e.offset()) {
            Some(Offset::Offset(o)) => Some(o),
            _ => None,
        })
        .collect()
}

/// One past the last offset of every partition of `topic`.
pub fn ends(topic: &str, partitions: i32) -> Vec<i64> {
    let consumer = client(&format!("watermarks-{}", uuid_like()));
    let deadline = Instant::now() + PATIENCE;
    (0..partitions)
        .map(|p| loop {
            // Right after a broker restart its metadata may not list the partition yet.
            match consumer.fetch_watermarks(topic, p, Duration::from_secs(30)) {
                Ok((_, high)) => break high,
                Err(e) if Instant::now() < deadline => {
                    println!("watermarks of {topic}/{p}: {e}; retrying");
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(e) => panic!("watermarks of {topic}/{p}: {e}"),
            }
        })
        .collect()
}

/// Input messages the group has not committed yet.
pub fn remaining(t: &Topics) -> u64 {
    let c = committed(t);
    let end = ends(&t.input, t.partitions);
    end.iter().zip(c).map(|(e, c)| (e - c.unwrap_or(0)).max(0) as u64).sum()
}

/// Waits until the group has committed the end of every input partition: consumer lag is zero. Fails when the
/// commits stop moving for [`PATIENCE`] (a stall), not after a fixed time: the soak's 100,000 messages take longer
/// than any bound that would still catch a stall in the quick profile.
pub fn wait_lag_zero(t: &Topics) {
    let end = ends(&t.input, t.partitions);
    let (mut deadline, mut last) = (Instant::now() + PATIENCE, -1i64);
    loop {
        let c = committed(t);
        if c.iter().zip(&end).all(|(c, e)| c.is_some_and(|c| c >= *e) || *e == 0) {
            return;
        }
        let done: i64 = c.iter().map(|c| c.unwrap_or(0)).sum();
        if done > last {
            (deadline, last) = (Instant::now() + PATIENCE, done);
        }
        assert!(Instant::now() < deadline, "lag stopped shrinking: committed {c:?}, ends {end:?}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Copies per key in the output and dead-letter topics.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    pub output: HashMap<String, usize>,
    pub dead: HashMap<String, usize>,
    /// The error kind of each dead letter (the first copy's).
    pub dead_kind: HashMap<String, String>,
}

impl Snapshot {
    /// Copies beyond the first, over both topics, per key.
    pub fn duplicated(&self) -> HashMap<String, usize> {
        let mut all: HashMap<String, usize> = HashMap::new();
        for (k, n) in self.output.iter().chain(&self.dead) {
            *all.entry(k.clone()).or_default() += n;
        }
        all.into_iter().filter(|(_, n)| *n > 1).map(|(k, n)| (k, n - 1)).collect()
    }

    pub fn duplicates(&self) -> usize {
        self.duplicated().values().sum()
    }

    /// Every message is in the output or the dead-letter topic; none is missing; junk never in the output.
    pub fn assert_none_lost(&self, messages: &[TestMessage]) {
        let missing: Vec<&str> = messages
            .iter()
            .filter(|m| !self.output.contains_key(&m.key) && !self.dead.contains_key(&m.key))
            .map(|m| m.key.as_str())
            .collect();
        assert!(missing.is_empty(), "{} messages lost, e.g. {:?}", missing.len(), &missing[..missing.len().min(5)]);
        for m in messages.iter().filter(|m| m.junk.is_some()) {
            assert!(!self.output.contains_key(&m.key), "junk {:?} {} reached the output", m.junk, m.key);
        }
    }
}

/// Reads the output and dead-letter topics from the start to their current ends, without a group (so no
/// rebalance delay and no idle-time guess: it stops exactly at the end of what is written now).
pub fn snapshot(t: &Topics) -> Snapshot {
    let mut snap = Snapshot::default();
    for (topic, parts, dead) in [(&t.output, t.partitions, false), (&t.dead, 1, true)] {
        let end = ends(topic, parts);
        let consumer = client(&format!("snapshot-{}", uuid_like()));
        let mut tpl = TopicPartitionList::new();
        for p in 0..parts {
            tpl.add_partition_offset(topic, p, Offset::Beginning).expect("partition");
        }
        consumer.assign(&tpl).expect("assign");
        let mut next = vec![0i64; parts as usize];
        let deadline = Instant::now() + PATIENCE;
        while next.iter().zip(&end).any(|(n, e)| n < e) {
            assert!(Instant::now() < deadline, "snapshot of {topic} stuck at {next:?} of {end:?}");
            match consumer.poll(Duration::from_millis(200)) {
                Some(Ok(m)) => {
                    next[m.partition() as usize] = m.offset() + 1;
                    let key = String::from_utf8_lossy(m.key().unwrap_or_default()).into_owned();
                    if dead {
                        let record: serde_json::Value =
                            serde_json::from_slice(m.payload().unwrap_or_default()).expect("dead-letter JSON");
                        let kind = record["error"]["kind"].as_str().unwrap_or_default().to_owned();
                        snap.dead_kind.entry(key.clone()).or_insert(kind);
                        *snap.dead.entry(key).or_default() += 1;
                    } else {
                        *snap.output.entry(key).or_default() += 1;
                    }
                }
                Some(Err(e)) => panic!("snapshot consumer: {e}"),
                None => {}
            }
        }
    }
    snap
}
