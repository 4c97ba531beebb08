//! What makes a replay resumable: its identity (run id and consumer group derived from the command), the end
//! offsets frozen at first start, and the offsets its group has committed.
//!
//! The frozen ends live in Kafka, not in a local file, so a replay resumes from any machine: they are the
//! committed offsets of a second group, `<group>.plan`, written once before the first message is processed.

use std::collections::BTreeMap;
use std::time::Duration;

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use sha2::{Digest, Sha256};

use super::range::PartitionRange;
use super::ReplayError;

/// The stable identity of a replay command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Written into every record's `replay.run_id`.
    pub run_id: String,
    /// Consumer group holding the progress.
    pub group: String,
}

impl Identity {
    /// Derived from what defines the work (input topic, bounds as given, output topic, explicit group), so the
    /// same command, run again, is the same run: same id, same group, same progress.
    pub fn derive(topic: &str, from: &str, to: &str, output: &str, group: Option<&str>) -> Self {
        let mut hash = Sha256::new();
        for part in [topic, from, to, output, group.unwrap_or("")] {
            // Length-prefixed so ("a,b", "c") and ("a", "b,c") differ.
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
        let run_id = hex::encode(&hash.finalize()[..8]);
        let group = group.map_or_else(|| format!("news-enricher-replay-{run_id}"), str::to_owned);
        Self { run_id, group }
    }

    /// The group whose committed offsets are the frozen end offsets.
    pub fn plan_group(&self) -> String {
        format!("{}.plan", self.group)
    }
}

/// A consumer in `group` with the service's connection settings; it never subscribes.
pub fn group_client(base: &ClientConfig, group: &str) -> Result<BaseConsumer, ReplayError> {
    let mut config = base.clone();
    config.set("group.id", group).set("enable.auto.commit", "false");
    config.remove("group.instance.id");
    Ok(config.create()?)
}

/// The offsets `group` has committed on `topic`'s partitions (absent: nothing committed).
pub fn committed(
    client: &BaseConsumer,
    topic: &str,
    partitions: &[i32],
    timeout: Duration,
) -> Result<BTreeMap<i32, i64>, ReplayError> {
    let mut tpl = TopicPartitionList::new();
    for &p in partitions {
        tpl.add_partition(topic, p);
    }
    let found = client.committed_offsets(tpl, timeout)?;
    Ok(found
        .elements()
        .iter()
        .filter_map(|e| match e.offset() {
            Offset::Offset(o) if o >= 0 => Some((e.partition(), o)),
            _ => None,
        })
        .collect())
}

/// Commits the ends of `ranges` as the plan group's offsets.
pub fn freeze_ends(client: &BaseConsumer, topic: &str, ranges: &[PartitionRange]) -> Result<(), ReplayError> {
    let mut tpl = TopicPartitionList::new();
    for r in ranges {
        tpl.add_partition_offset(topic, r.partition, Offset::Offset(r.end))?;
    }
    client.commit(&tpl, CommitMode::Sync)?;
    Ok(())
}

/// Applies a plan found in Kafka: ends frozen by the first start replace freshly resolved ones. Returns
/// whether every range had a frozen end (a resumed run).
pub fn apply_frozen(ranges: &mut [PartitionRange], frozen: &BTreeMap<i32, i64>) -> bool {
    let mut all = !ranges.is_empty();
    for r in ranges.iter_mut() {
        match frozen.get(&r.partition) {
            Some(&end) => r.end = end.max(r.start),
            None => all = false,
        }
    }
    all
}

/// Where each range continues from: the group's committed offset when it lies inside the range.
pub fn resume_points(ranges: &[PartitionRange], committed: &BTreeMap<i32, i64>) -> Vec<i64> {
    ranges.iter().map(|r| committed.get(&r.partition).map_or(r.start, |&c| c.clamp(r.start, r.end))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_command_is_the_same_run_and_any_change_is_another() {
        let a = Identity::derive("in", "earliest", "now", "out.v2", None);
        assert_eq!(a, Identity::derive("in", "earliest", "now", "out.v2", None));
        assert_eq!(a.group, format!("news-enricher-replay-{}", a.run_id));
        assert_eq!(a.run_id.len(), 16);
        for other in [
            Identity::derive("in2", "earliest", "now", "out.v2", None),
            Identity::derive("in", "0:1", "now", "out.v2", None),
            Identity::derive("in", "earliest", "0:9", "out.v2", None),
            Identity::derive("in", "earliest", "now", "out.v3", None),
            Identity::derive("in", "earliest", "now", "out.v2", Some("mine")),
        ] {
            assert_ne!(a.run_id, other.run_id);
        }
        assert_eq!(Identity::derive("in", "earliest", "now", "out", Some("mine")).group, "mine");
        assert_eq!(a.plan_group(), format!("{}.plan", a.group));
    }

    #[test]
    fn a_resumed_run_keeps_its_frozen_ends_and_continues_from_its_commits() {
        let mut ranges = vec![
            PartitionRange { partition: 0, start: 0, end: 120 },
            PartitionRange { partition: 1, start: 10, end: 80 },
        ];
        assert!(!apply_frozen(&mut ranges, &[(0, 100)].into_iter().collect()));
        assert!(apply_frozen(&mut ranges, &[(0, 100), (1, 50)].into_iter().collect()));
        assert_eq!((ranges[0].end, ranges[1].end), (100, 50));
        let from = resume_points(&ranges, &[(0, 40), (1, 3)].into_iter().collect());
        assert_eq!(from, [40, 10], "a commit before the range's start does not move it back");
        assert_eq!(resume_points(&ranges, &[(1, 99)].into_iter().collect()), [0, 50]);
    }
}
