//! Where a bounded run (replay) stops: per partition, the first offset not to process.
//!
//! The poll loop asks before holding a message whether it is inside its partition's range; a partition is
//! finished once the message just before its end offset was admitted, a message at or past the end showed up,
//! or the consumer's position reached the end (transaction markers and compaction leave gaps, so the last offset
//! of a range may never arrive as a message).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use super::offsets::TopicPartition;

/// End offsets (exclusive) of the partitions a bounded run reads, and which of them are finished.
#[derive(Debug)]
pub struct Bounds {
    ends: BTreeMap<TopicPartition, i64>,
    finished: Mutex<BTreeSet<TopicPartition>>,
}

impl Bounds {
    /// Bounds for these partitions (end offsets exclusive).
    pub fn new(ends: BTreeMap<TopicPartition, i64>) -> Self {
        Self { ends, finished: Mutex::default() }
    }

    /// Whether the message at `offset` is to be processed. Marks its partition finished when it is the last one
    /// of the range or past it. A partition outside the bounds is never read.
    pub fn admit(&self, tp: &TopicPartition, offset: i64) -> bool {
        let Some(&end) = self.ends.get(tp) else { return false };
        if offset + 1 >= end {
            self.finish(tp);
        }
        offset < end
    }

    /// The consumer's position (next offset it will return) for a partition: at or past the end, it is finished.
    pub fn reached(&self, tp: &TopicPartition, position: i64) {
        if self.ends.get(tp).is_some_and(|&end| position >= end) {
            self.finish(tp);
        }
    }

    /// Whether the partition needs no more messages.
    pub fn is_finished(&self, tp: &TopicPartition) -> bool {
        self.lock().contains(tp)
    }

    /// Whether every partition is finished.
    pub fn all_finished(&self) -> bool {
        self.lock().len() >= self.ends.len()
    }

    /// The end offset of a partition.
    pub fn end(&self, tp: &TopicPartition) -> Option<i64> {
        self.ends.get(tp).copied()
    }

    fn finish(&self, tp: &TopicPartition) {
        self.lock().insert(tp.clone());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<TopicPartition>> {
        self.finished.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp(p: i32) -> TopicPartition {
        ("t".to_owned(), p)
    }

    #[test]
    fn admits_up_to_the_end_and_finishes_on_the_last_offset() {
        let b = Bounds::new([(tp(0), 10), (tp(1), 5)].into_iter().collect());
        assert!(b.admit(&tp(0), 8));
        assert!(!b.is_finished(&tp(0)));
        assert!(b.admit(&tp(0), 9));
        assert!(b.is_finished(&tp(0)));
        assert!(!b.all_finished());
        assert!(!b.admit(&tp(1), 5), "the end offset itself is outside the range");
        assert!(b.all_finished());
    }

    #[test]
    fn a_position_at_the_end_finishes_a_partition_whose_last_offset_never_arrives() {
        let b = Bounds::new([(tp(0), 10)].into_iter().collect());
        b.reached(&tp(0), 9);
        assert!(!b.all_finished());
        b.reached(&tp(0), 10);
        assert!(b.all_finished());
    }

    #[test]
    fn partitions_outside_the_bounds_are_not_read() {
        let b = Bounds::new([(tp(0), 10)].into_iter().collect());
        assert!(!b.admit(&tp(3), 0));
        assert!(!b.admit(&("other".to_owned(), 0), 0));
    }
}
