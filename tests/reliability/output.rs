//! Scenario 6: the output topic cannot take a record. A record over `kafka.max_record_bytes` is deterministic
//! (it will never fit): it is dead-lettered with its cause and the partition's offset moves on. (Authorisation
//! failures, which are fatal, are covered on the mock cluster in tests/it.)

use crate::common::{corpus, TestMessage};
use crate::harness::{base_env, block_on, produce, set, snapshot, topics, wait_lag_zero, Rng, Service};

#[test]
#[ignore = "needs a broker process: make reliability"]
fn records_over_the_output_size_limit_are_dead_lettered_and_offsets_move_on() {
    let mut rng = Rng::new("too-large", 0x51_2e);
    let t = block_on(topics(2));
    let mut messages = corpus(600, 64 * 1024);
    // Articles whose input fits pipeline.max_message_bytes (64 KiB) but whose enriched record cannot fit a
    // 16 KiB kafka.max_record_bytes, at seeded positions among ordinary ones.
    let mut large = Vec::new();
    for _ in 0..30 {
        let i = rng.range(0, messages.len() as u64) as usize;
        if messages[i].junk.is_some() || large.contains(&i) {
            continue;
        }
        let body =
            "The harbour council met again to discuss the river crossing and the railway timetable. ".repeat(400);
        let key = messages[i].key.clone();
        messages[i] = TestMessage {
            value: serde_json::json!({ "id": key, "body": body, "content_type": "text/plain" })
                .to_string()
                .into_bytes(),
            key,
            junk: None,
        };
        large.push(i);
    }
    block_on(produce(&t.input, &messages));
    let mut env = base_env(&t);
    set(&mut env, "KAFKA__MAX_RECORD_BYTES", "16KiB");
    let service = Service::start(&t, "too-large", &env);
    // Every offset is committed: the service moved past the records it could not write.
    wait_lag_zero(&t);
    let snap = snapshot(&t);
    snap.assert_none_lost(&messages);
    for &i in &large {
        let key = &messages[i].key;
        assert!(!snap.output.contains_key(key), "{key} exceeds the output limit yet was written");
        assert_eq!(snap.dead_kind.get(key).map(String::as_str), Some("record_too_large"), "{key}");
    }
    for m in messages.iter().filter(|m| m.junk.is_none() && !large.iter().any(|&i| messages[i].key == m.key)) {
        assert!(snap.output.contains_key(&m.key), "{} should be in the output", m.key);
    }
    println!(
        "too-large: {} messages, {} over the record limit dead-lettered, {} duplicates",
        messages.len(),
        large.len(),
        snap.duplicates()
    );
    assert_eq!(snap.duplicates(), 0);
    assert!(service.terminate().0, "a too-large record is not fatal");
}
