//! Which offset may be stored: the highest contiguous completed one per partition.
//!
//! Many messages of a partition are in flight at once and may complete in any order. Storing offset N+1
//! says "everything before N+1 is done", so a partition's storable offset only moves past an offset once it and
//! every earlier in-flight offset have completed.

use std::collections::{BTreeSet, HashMap};

/// A topic and partition.
pub type TopicPartition = (String, i32);

#[derive(Debug, Default)]
struct PartitionState {
    /// Offsets handed to the pipeline and not yet delivered.
    pending: BTreeSet<i64>,
    /// One past the highest offset ever begun.
    next_after_seen: Option<i64>,
    /// The last offset returned as storable.
    stored: Option<i64>,
    /// Highest offset completed in this process, to count redeliveries.
    highest_completed: Option<i64>,
}

/// Tracks in-flight offsets per partition. Not thread-safe by itself: the runtime wraps it in a mutex.
#[derive(Debug, Default)]
pub struct OffsetTracker {
    partitions: HashMap<TopicPartition, PartitionState>,
}

impl OffsetTracker {
    /// A message at `offset` enters the pipeline. Returns true when this process has already completed that
    /// offset before (a redelivery after a rebalance or a seek: an at-least-once duplicate).
    pub fn begin(&mut self, tp: &TopicPartition, offset: i64) -> bool {
        // The first offset seen is where the partition's position already is: nothing to store until it moves.
        let state = self
            .partitions
            .entry(tp.clone())
            .or_insert_with(|| PartitionState { stored: Some(offset), ..PartitionState::default() });
        state.pending.insert(offset);
        state.next_after_seen = Some(state.next_after_seen.map_or(offset + 1, |n| n.max(offset + 1)));
        state.highest_completed.is_some_and(|h| offset <= h)
    }

    /// A message's output (or dead-letter record) is acknowledged. Returns the offset to store (the next offset
    /// to consume) when it moved forward.
    pub fn complete(&mut self, tp: &TopicPartition, offset: i64) -> Option<i64> {
        let state = self.partitions.get_mut(tp)?;
        if !state.pending.remove(&offset) {
            return None;
        }
        state.highest_completed = Some(state.highest_completed.map_or(offset, |h| h.max(offset)));
        let storable = match state.pending.first() {
            Some(&lowest) => lowest,
            None => state.next_after_seen?,
        };
        if state.stored.is_some_and(|s| s >= storable) {
            return None;
        }
        state.stored = Some(storable);
        Some(storable)
    }

    /// Messages in flight for the given partitions (all partitions when `None`).
    pub fn in_flight(&self, only: Option<&[TopicPartition]>) -> usize {
        match only {
            None => self.partitions.values().map(|s| s.pending.len()).sum(),
            Some(tps) => tps.iter().filter_map(|tp| self.partitions.get(tp)).map(|s| s.pending.len()).sum(),
        }
    }

    /// The offset stored so far for a partition.
    pub fn stored(&self, tp: &TopicPartition) -> Option<i64> {
        self.partitions.get(tp).and_then(|s| s.stored)
    }

    /// Forgets partitions that were revoked; returns the in-flight offsets abandoned (their messages will be
    /// redelivered to the partition's next owner).
    pub fn forget(&mut self, tps: &[TopicPartition]) -> usize {
        tps.iter().filter_map(|tp| self.partitions.remove(tp)).map(|s| s.pending.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tp() -> TopicPartition {
        ("t".to_owned(), 0)
    }

    #[test]
    fn stores_only_contiguous_completions() {
        let mut t = OffsetTracker::default();
        for o in 10..15 {
            assert!(!t.begin(&tp(), o));
        }
        assert_eq!(t.complete(&tp(), 12), None);
        assert_eq!(t.complete(&tp(), 11), None);
        assert_eq!(t.complete(&tp(), 10), Some(13));
        assert_eq!(t.complete(&tp(), 14), None);
        assert_eq!(t.complete(&tp(), 13), Some(15));
        assert_eq!(t.in_flight(None), 0);
        assert_eq!(t.complete(&tp(), 13), None, "a second completion is ignored");
    }

    #[test]
    fn counts_redelivery_of_completed_offsets() {
        let mut t = OffsetTracker::default();
        t.begin(&tp(), 0);
        t.complete(&tp(), 0);
        assert!(t.begin(&tp(), 0));
        assert!(!t.begin(&tp(), 1));
    }

    #[test]
    fn forgetting_a_partition_drops_its_state() {
        let mut t = OffsetTracker::default();
        t.begin(&tp(), 5);
        assert_eq!(t.forget(&[tp()]), 1);
        assert_eq!(t.complete(&tp(), 5), None);
    }

    proptest! {
        /// Whatever order completions arrive in, every stored offset is one past a prefix of completed offsets,
        /// stored offsets only grow, and once all complete the stored offset is one past the last.
        #[test]
        fn any_completion_order_stores_only_contiguous_offsets(
            count in 1usize..60,
            start in 0i64..1000,
            order in proptest::collection::vec(any::<proptest::sample::Index>(), 60),
        ) {
            let mut t = OffsetTracker::default();
            let offsets: Vec<i64> = (0..count as i64).map(|i| start + i).collect();
            for &o in &offsets { t.begin(&tp(), o); }
            let mut remaining = offsets.clone();
            let mut done = BTreeSet::new();
            let mut last_stored = None;
            for idx in order.iter().take(count) {
                let o = remaining.remove(idx.index(remaining.len()));
                done.insert(o);
                if let Some(stored) = t.complete(&tp(), o) {
                    prop_assert!((start..stored).all(|x| done.contains(&x)), "stored {} past an unfinished offset", stored);
                    prop_assert!(last_stored.is_none_or(|l| stored > l));
                    last_stored = Some(stored);
                }
            }
            prop_assert_eq!(last_stored, Some(start + count as i64));
        }
    }
}
