//! Scenarios 1 and 7: load. A large corpus with junk of every kind, and a burst of large articles arriving
//! all at once, far faster than one worker can process them, while resident memory is sampled from `/proc`.

use std::time::{Duration, Instant};

use crate::common::{corpus, TestMessage};
use crate::harness::{base_env, block_on, produce, set, snapshot, soak, topics, wait_lag_zero, Rng, Service, PATIENCE};

const MIB: u64 = 1024 * 1024;

/// A plain-text article of about `bytes` bytes, written for this test, varied by `seed` so no two are alike.
fn large_article(rng: &mut Rng, key: &str, bytes: usize) -> Vec<u8> {
    const WORDS: [&str; 16] = [
        "ministers",
        "agreed",
        "budget",
        "harbour",
        "election",
        "council",
        "river",
        "farmers",
        "talks",
        "weather",
        "markets",
        "school",
        "railway",
        "hospital",
        "court",
        "festival",
    ];
    let mut body = format!("Dispatch {key}\n\n");
    while body.len() < bytes {
        let sentence: Vec<&str> = (0..12).map(|_| WORDS[rng.range(0, WORDS.len() as u64) as usize]).collect();
        body.push_str(&sentence.join(" "));
        body.push_str(if rng.range(0, 6) == 0 { ".\n\n" } else { ". " });
    }
    serde_json::json!({ "id": key, "body": body, "content_type": "text/plain", "url": format!("https://news.example/{key}") })
        .to_string()
        .into_bytes()
}

/// Scenario 7: the whole burst is on the topic before the service starts consuming it (input infinitely
/// faster than processing), with one worker. The in-flight budget must hold (never more than its messages or
/// bytes), resident memory must stay under a bound derived from the configured byte limits, and nothing is lost.
#[test]
#[ignore = "needs a broker process: make reliability"]
fn a_burst_far_faster_than_processing_keeps_memory_bounded_and_loses_nothing() {
    let mut rng = Rng::new("burst", 0xb0_0057);
    // The soak burst stays under librdkafka's 100 MB `receive.message.max.bytes`: the test broker answers a fetch
    // with the whole backlog whatever `fetch.max.bytes` says, and a larger response fails every fetch (the first
    // soak run, with 4,000 articles, 161 MB, made no progress for that reason; docs/RELIABILITY.md).
    let (count, size) = if soak() { (2_000, 40_000) } else { (300, 40_000) };
    let partitions = 2;
    let t = block_on(topics(partitions));
    let mut env = base_env(&t);
    let (fetch_queue, producer_queue, in_flight_bytes, in_flight_messages) = (MIB, 4 * MIB, 2 * MIB, 50);
    set(&mut env, "PIPELINE__WORKERS", "1");
    set(&mut env, "PIPELINE__MAX_MESSAGE_BYTES", "256KiB");
    set(&mut env, "PIPELINE__MAX_IN_FLIGHT_BYTES", &in_flight_bytes.to_string());
    set(&mut env, "PIPELINE__MAX_IN_FLIGHT_MESSAGES", &in_flight_messages.to_string());
    set(&mut env, "KAFKA__FETCH_QUEUE_BYTES", &fetch_queue.to_string());
    set(&mut env, "KAFKA__PRODUCER_QUEUE_BYTES", &producer_queue.to_string());
    set(&mut env, "KAFKA__MAX_RECORD_BYTES", "1MiB");
    // One fetch response per partition may land on top of the queue limit: cap it too.
    set(&mut env, "KAFKA__CONSUMER_OPTIONS__FETCH_MAX_BYTES", &MIB.to_string());
    set(&mut env, "KAFKA__CONSUMER_OPTIONS__MAX_PARTITION_FETCH_BYTES", &(512 * 1024).to_string());

    let service = Service::start(&t, "burst", &env);
    service.wait_readyz(200);
    // Baseline: models and knowledge base loaded, nothing consumed yet.
    let (baseline, _) = service.rss();
    let messages: Vec<TestMessage> = (0..count)
        .map(|i| {
            let key = format!("b-{i:05}");
            let value = large_article(&mut rng, &key, size);
            TestMessage { key, value, junk: None }
        })
        .collect();
    let burst_bytes: u64 = messages.iter().map(|m| m.value.len() as u64).sum();
    block_on(produce(&t.input, &messages));

    // Each in-flight message lives as its raw bytes, its decoded body, its clean text and its output record:
    // four copies at most. Queues hold what their limits say; 32 MiB covers allocator arenas and fragmentation.
    // The test broker (noida) ignores fetch.max.bytes and answers a fetch with everything after the offset,
    // so one fetch response can be the whole backlog: the bound allows the burst once. A service that buffered
    // the backlog itself (decoded, or as records waiting for the producer) would hold it several times over.
    let buffers = fetch_queue * partitions as u64 + MIB + producer_queue + 4 * in_flight_bytes;
    let bound = baseline + burst_bytes + buffers + 32 * MIB;
    println!("burst: bound = baseline + burst {burst_bytes} + buffers {buffers} + 32 MiB");

    let (mut peak_messages, mut peak_bytes, mut peak_rss) = (0.0f64, 0.0f64, 0u64);
    let deadline = Instant::now() + PATIENCE * 2;
    while service.written() < count as f64 {
        assert!(Instant::now() < deadline, "the burst was not processed in time");
        peak_messages = peak_messages.max(service.metric("news_enricher_in_flight_messages"));
        peak_bytes = peak_bytes.max(service.metric("news_enricher_in_flight_bytes"));
        peak_rss = peak_rss.max(service.rss().0);
        std::thread::sleep(Duration::from_millis(50));
    }
    let (_, hwm) = service.rss();
    wait_lag_zero(&t);
    let snap = snapshot(&t);
    snap.assert_none_lost(&messages);
    println!(
        "burst: {count} messages, {} MiB; baseline RSS {} MiB, peak sampled RSS {} MiB, VmHWM {} MiB, bound {} MiB; \
         in flight at most {peak_messages} messages / {peak_bytes} bytes; {} duplicates",
        burst_bytes / MIB,
        baseline / MIB,
        peak_rss / MIB,
        hwm / MIB,
        bound / MIB,
        snap.duplicates()
    );
    assert!(peak_messages <= in_flight_messages as f64, "in-flight messages over the budget: {peak_messages}");
    assert!(peak_bytes <= in_flight_bytes as f64, "in-flight bytes over the budget: {peak_bytes}");
    assert!(hwm <= bound, "resident memory peaked at {} MiB, over the bound of {} MiB", hwm / MIB, bound / MIB);
    assert_eq!(snap.duplicates(), 0, "no fault, no duplicate");
    assert!(service.terminate().0);
}

/// Scenario 1: a corpus with 1% junk of every kind (invalid JSON and UTF-8, missing and empty body, random
/// binary, deeply nested JSON, wrong types, a value over the size limit) plus one 10 MB article under a raised
/// `pipeline.max_message_bytes`: every message is accounted for, junk only in the dead-letter topic.
#[test]
#[ignore = "needs a broker process: make reliability"]
fn a_large_corpus_with_junk_of_every_kind_and_a_10_mb_article_is_all_accounted_for() {
    let mut rng = Rng::new("corpus", 0xc0_2b05);
    let n = if soak() { 100_000 } else { 3_000 };
    let t = block_on(topics(4));
    // The largest value the broker takes (noida refuses a little over 10 MB, Kafka's default is 1 MB): the
    // oversized junk must reach the service, so the limit sits just under it and the big article under that.
    let broker_max = largest_accepted(&t.input);
    let limit = broker_max - 64 * 1024;
    let huge_size = (limit - 64 * 1024).min(10_000_000);
    // The junk generator's oversized values exceed the limit it is given; generate them against a small
    // limit, then keep one truly oversized value (over the limit) and let the rest be ordinary large articles.
    let mut messages = corpus(n, 64 * 1024);
    let mut first_oversized = true;
    for m in messages.iter_mut().filter(|m| m.junk == Some("oversized")) {
        if first_oversized {
            m.value = serde_json::json!({ "body": "x".repeat(broker_max - 64) }).to_string().into_bytes();
            first_oversized = false;
        } else {
            m.junk = None;
            m.value = large_article(&mut rng, &m.key, 70_000);
        }
    }
    let huge_key = format!("huge-{}", rng.range(0, 1_000));
    let huge = TestMessage { key: huge_key.clone(), value: large_article(&mut rng, &huge_key, huge_size), junk: None };
    let at = rng.range(0, n as u64) as usize;
    messages.insert(at, huge);
    block_on(produce(&t.input, &messages));
    let mut env = base_env(&t);
    set(&mut env, "PIPELINE__MAX_MESSAGE_BYTES", &limit.to_string());
    set(&mut env, "PIPELINE__MAX_IN_FLIGHT_BYTES", &(2 * limit).to_string());
    set(&mut env, "KAFKA__MAX_RECORD_BYTES", "16MiB");
    set(&mut env, "KAFKA__DEAD_LETTER_MAX_BYTES", "16MiB");
    // The test broker answers a fetch with the whole backlog whatever `fetch.max.bytes` says; the soak's 100,000
    // messages make that response larger than librdkafka's default 100 MB receive limit, and every fetch fails
    // (measured: 119 MB). Memory is not what this scenario checks, so let the response through.
    set(&mut env, "KAFKA__CONSUMER_OPTIONS__RECEIVE_MESSAGE_MAX_BYTES", "1000000000");
    let service = Service::start(&t, "corpus", &env);
    wait_lag_zero(&t);
    let snap = snapshot(&t);
    snap.assert_none_lost(&messages);
    let junk = messages.iter().filter(|m| m.junk.is_some()).count();
    for m in messages.iter().filter(|m| m.junk.is_some()) {
        assert!(snap.dead.contains_key(&m.key), "junk {:?} {} not dead-lettered", m.junk, m.key);
    }
    let where_huge = if snap.output.contains_key(&huge_key) {
        "output".to_owned()
    } else {
        format!("dead-letter ({:?})", snap.dead_kind.get(&huge_key))
    };
    println!(
        "corpus: {} messages, {junk} junk dead-lettered, the {huge_size}-byte article at position {at} in the {where_huge}; \
         {} duplicates",
        messages.len(),
        snap.duplicates()
    );
    assert_eq!(snap.dead.len(), junk + usize::from(!snap.output.contains_key(&huge_key)));
    assert_eq!(snap.duplicates(), 0, "no fault, no duplicate");
    assert!(service.terminate().0);
}

/// Probes the broker with values from 10.5 MB down and returns the first size it accepts.
fn largest_accepted(topic: &str) -> usize {
    let probe_topic = format!("{topic}-probe");
    block_on(crate::common::create_topics(&crate::harness::brokers(), &[(&probe_topic, 1)]));
    for size in [10_500_000, 8_000_000, 6_000_000, 4_000_000, 2_000_000, 1_000_000] {
        let probe = TestMessage { key: "probe".into(), value: vec![b' '; size], junk: Some("probe") };
        let producer: rdkafka::producer::FutureProducer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", crate::harness::brokers())
            .set("message.max.bytes", "20000000")
            .create()
            .expect("producer");
        let sent = block_on(producer.send(
            rdkafka::producer::FutureRecord::<str, [u8]>::to(&probe_topic).payload(&probe.value),
            Duration::from_secs(30),
        ));
        if sent.is_ok() {
            println!("corpus: the broker takes {size}-byte values");
            return size;
        }
    }
    panic!("the broker refuses even 1 MB values");
}
