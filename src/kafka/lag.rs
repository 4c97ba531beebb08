//! Consumer lag from librdkafka statistics: per assigned partition, the end of the log minus the group's
//! position, never negative, and only for partitions this consumer owns right now.
//!
//! librdkafka's own `consumer_lag` fields report -1 whenever an offset is unknown and keep describing a
//! partition for a while after it was revoked; exporting them as they are gives the -1 values and stale series
//! other tools are known for. This module derives the value itself and says when there is none.

use rdkafka::statistics::{Partition, Statistics};

use super::offsets::TopicPartition;

/// Where a partition without a stored or committed offset starts (`auto.offset.reset`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResetPolicy {
    /// From the log start: everything in the partition is still to do.
    #[default]
    Earliest,
    /// From the end: only what arrives after the consumer's first fetch is to do.
    Latest,
}

impl ResetPolicy {
    /// Reads a librdkafka `auto.offset.reset` value; anything that does not start from the end (including
    /// `error`, which stops rather than skips) counts from the start, the conservative reading for an alert.
    pub fn from_config(value: &str) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "latest" | "largest" | "end" => ResetPolicy::Latest,
            _ => ResetPolicy::Earliest,
        }
    }
}

/// The lag of one partition, or `None` when the statistics do not say enough to know it (not assigned to
/// this consumer, the internal unassigned partition, watermarks not fetched yet).
pub fn partition_lag(p: &Partition, reset: ResetPolicy) -> Option<i64> {
    if p.partition < 0 || !p.desired || p.hi_offset < 0 {
        return None;
    }
    // Messages past the last stable offset cannot be delivered yet under read_committed (librdkafka's
    // default), so they are not work this consumer is behind on.
    let end = if p.ls_offset >= 0 { p.ls_offset.min(p.hi_offset) } else { p.hi_offset };
    // What this process stored is newer than what the group committed; both are "next offset to process".
    let position = [p.stored_offset, p.committed_offset].into_iter().find(|o| *o >= 0).or(match reset {
        ResetPolicy::Earliest => Some(p.lo_offset).filter(|o| *o >= 0),
        ResetPolicy::Latest => Some(p.next_offset).filter(|o| *o >= 0),
    })?;
    // A position past the end is a watermark older than the offset (the two are sampled at different times):
    // nothing is waiting.
    Some((end - position).max(0))
}

/// Every partition of `stats` this consumer owns, with its lag.
pub fn partition_lags(stats: &Statistics, reset: ResetPolicy) -> Vec<(TopicPartition, i64)> {
    let mut lags: Vec<(TopicPartition, i64)> = stats
        .topics
        .iter()
        .flat_map(|(topic, t)| {
            t.partitions.values().filter_map(move |p| Some(((topic.clone(), p.partition), partition_lag(p, reset)?)))
        })
        .collect();
    lags.sort();
    lags
}

#[cfg(test)]
mod tests {
    use super::*;
    use rdkafka::statistics::Topic;

    /// A partition as librdkafka reports it, with -1001 (`RD_KAFKA_OFFSET_INVALID`) for unknown offsets.
    fn partition(id: i32, lo: i64, hi: i64, stored: i64, committed: i64) -> Partition {
        Partition {
            partition: id,
            desired: true,
            lo_offset: lo,
            hi_offset: hi,
            ls_offset: hi,
            stored_offset: stored,
            committed_offset: committed,
            next_offset: -1001,
            ..Partition::default()
        }
    }

    fn stats(partitions: Vec<Partition>) -> Statistics {
        let topic = Topic {
            topic: "in".into(),
            partitions: partitions.into_iter().map(|p| (p.partition, p)).collect(),
            ..Topic::default()
        };
        Statistics { topics: [("in".to_owned(), topic)].into_iter().collect(), ..Statistics::default() }
    }

    #[test]
    fn stored_offset_wins_over_committed() {
        assert_eq!(partition_lag(&partition(0, 0, 100, 90, 40), ResetPolicy::Earliest), Some(10));
        assert_eq!(partition_lag(&partition(0, 0, 100, -1001, 40), ResetPolicy::Earliest), Some(60));
    }

    #[test]
    fn a_fresh_group_counts_from_the_reset_position() {
        let mut p = partition(0, 20, 100, -1001, -1001);
        assert_eq!(partition_lag(&p, ResetPolicy::Earliest), Some(80));
        assert_eq!(partition_lag(&p, ResetPolicy::Latest), None, "no fetch position yet: unknown, not -1");
        p.next_offset = 100;
        assert_eq!(partition_lag(&p, ResetPolicy::Latest), Some(0));
    }

    #[test]
    fn never_negative_when_the_watermark_is_older_than_the_offset() {
        assert_eq!(partition_lag(&partition(0, 0, 100, 105, 100), ResetPolicy::Earliest), Some(0));
    }

    #[test]
    fn unknown_watermarks_and_unowned_partitions_give_no_value() {
        assert_eq!(partition_lag(&partition(0, -1, -1, 5, 5), ResetPolicy::Earliest), None);
        let mut revoked = partition(1, 0, 100, 50, 50);
        revoked.desired = false;
        assert_eq!(partition_lag(&revoked, ResetPolicy::Earliest), None);
        assert_eq!(partition_lag(&partition(-1, 0, 100, 50, 50), ResetPolicy::Earliest), None, "internal UA");
    }

    #[test]
    fn messages_past_the_last_stable_offset_are_not_lag() {
        let mut p = partition(0, 0, 100, 70, 70);
        p.ls_offset = 80;
        assert_eq!(partition_lag(&p, ResetPolicy::Earliest), Some(10));
        p.ls_offset = -1;
        assert_eq!(partition_lag(&p, ResetPolicy::Earliest), Some(30));
    }

    #[test]
    fn lags_cover_exactly_the_owned_partitions_sorted() {
        let mut revoked = partition(2, 0, 10, 3, 3);
        revoked.desired = false;
        let s = stats(vec![partition(1, 0, 10, 10, 4), revoked, partition(0, 0, 10, 7, -1001)]);
        assert_eq!(
            partition_lags(&s, ResetPolicy::Earliest),
            vec![(("in".to_owned(), 0), 3), (("in".to_owned(), 1), 0)]
        );
    }

    proptest::proptest! {
        /// Whatever librdkafka reports, including its negative sentinels, a value is never below zero.
        #[test]
        fn a_reported_lag_is_never_negative(
            lo in -1001i64..200, hi in -1001i64..200, ls in -1001i64..200, stored in -1001i64..200,
            committed in -1001i64..200, next in -1001i64..200, latest in proptest::bool::ANY,
        ) {
            let mut p = partition(0, lo, hi, stored, committed);
            p.ls_offset = ls;
            p.next_offset = next;
            let reset = if latest { ResetPolicy::Latest } else { ResetPolicy::Earliest };
            if let Some(lag) = partition_lag(&p, reset) {
                proptest::prop_assert!(lag >= 0 && lag <= hi.max(0));
            }
        }
    }

    #[test]
    fn reset_policy_reads_librdkafka_spellings() {
        for latest in ["latest", "largest", "end", " LATEST "] {
            assert_eq!(ResetPolicy::from_config(latest), ResetPolicy::Latest);
        }
        for earliest in ["earliest", "smallest", "beginning", "error"] {
            assert_eq!(ResetPolicy::from_config(earliest), ResetPolicy::Earliest);
        }
    }
}
