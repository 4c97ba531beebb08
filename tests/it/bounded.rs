//! The runtime with a bounded assignment (what `replay` runs): exactly the given offset ranges, then it stops on
//! its own with every end committed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use news_enricher::app::{build_pipeline, App, Input};
use news_enricher::contract::ReplayInfo;
use news_enricher::kafka::bounds::Bounds;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::mocking::MockCluster;
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};
use tokio_util::sync::CancellationToken;

use super::common::{corpus, produce, uuid_like};
use super::{committed, settings, Topics, MAX_MESSAGE_BYTES};

/// (partition, offset) of every record in `topics`, read until `expected` arrived (or 60 s).
fn origins(brokers: &str, topics: &[&str], expected: usize) -> Vec<(i32, i64, serde_json::Value)> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", format!("read-{}", uuid_like()))
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap();
    consumer.subscribe(topics).unwrap();
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut idle = Instant::now();
    while Instant::now() < deadline && !(out.len() >= expected && idle.elapsed() > Duration::from_secs(1)) {
        if let Some(Ok(m)) = consumer.poll(Duration::from_millis(100)) {
            idle = Instant::now();
            let v: serde_json::Value = serde_json::from_slice(m.payload().unwrap_or_default()).unwrap();
            let (p, o) = (v["source"]["partition"].as_i64().unwrap(), v["source"]["offset"].as_i64().unwrap());
            out.push((p as i32, o, v));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bounded_assignment_processes_exactly_its_ranges_and_stops_with_the_ends_committed() {
    let cluster = MockCluster::new(1).unwrap();
    let brokers = cluster.bootstrap_servers();
    let t = Topics::new(&cluster, 3);
    produce(&brokers, &t.input, &corpus(600, MAX_MESSAGE_BYTES)).await;
    // Partition 0 from 10 to 50, partition 1 a single message, partition 2 not at all.
    let ranges: BTreeMap<i32, (i64, i64)> = [(0, (10, 50)), (1, (3, 4))].into_iter().collect();
    let mut start = TopicPartitionList::new();
    for (&p, &(from, _)) in &ranges {
        start.add_partition_offset(&t.input, p, Offset::Offset(from)).unwrap();
    }
    let bounds = Arc::new(Bounds::new(ranges.iter().map(|(&p, &(_, end))| ((t.input.clone(), p), end)).collect()));
    let settings = settings(&brokers, &t, &[]);
    let replay = ReplayInfo { run_id: "r1".into(), from: "0:10,1:3".into(), to: "0:50,1:4".into() };
    let pipeline = Arc::new(build_pipeline(&settings).unwrap().with_replay(Some(replay.clone())));
    let app =
        App::build_with(settings, pipeline, CancellationToken::new(), Input::Assign { start, bounds }).await.unwrap();
    // No cancellation: the run returns by itself once both partitions reached their ends.
    tokio::time::timeout(Duration::from_secs(120), app.run()).await.expect("stops by itself").expect("clean stop");

    let want: BTreeSet<(i32, i64)> = ranges.iter().flat_map(|(&p, &(a, b))| (a..b).map(move |o| (p, o))).collect();
    let found = origins(&brokers, &[&t.output, &t.dead], want.len());
    let got: BTreeSet<(i32, i64)> = found.iter().map(|(p, o, _)| (*p, *o)).collect();
    assert_eq!(got, want);
    assert_eq!(found.len(), want.len(), "no duplicates");
    let records: Vec<_> =
        found.iter().filter(|(_, _, v)| v["schema_version"].is_number() && v["text"].is_string()).collect();
    assert!(!records.is_empty());
    for (_, _, v) in records {
        assert_eq!(v["replay"], serde_json::to_value(&replay).unwrap());
    }
    let offsets = committed(&brokers, &t.group, &t.input, 3);
    assert_eq!(
        offsets,
        [Offset::Offset(50), Offset::Offset(4), Offset::Invalid],
        "ends committed, partition 2 untouched"
    );
}
