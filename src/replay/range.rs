//! The replay range: `--from`/`--to` parsed into bounds, and bounds resolved into offsets per partition.
//!
//! Resolution is split in two: the broker lookups (watermarks, offsets-for-times) and a pure step that turns
//! them into `[start, end)` per partition, so the rules are unit-tested without a broker.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{Offset, TopicPartitionList};

use super::ReplayError;

/// One side of the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// The oldest message still in the log (`--from` only).
    Earliest,
    /// The high watermark when the replay first started (`--to` only); frozen for the run's lifetime.
    Now,
    /// The first message whose timestamp is at or after this time.
    Time(DateTime<FixedOffset>),
    /// Explicit offsets per partition (`0:100,1:250`).
    Offsets(BTreeMap<i32, i64>),
}

impl Bound {
    /// Parses `earliest`, `now`, an RFC 3339 time or `partition:offset,...`.
    pub fn parse(spec: &str) -> Result<Self, ReplayError> {
        let spec = spec.trim();
        let bad = |why: &str| ReplayError::Spec(format!("`{spec}`: {why}"));
        match spec {
            "earliest" => return Ok(Self::Earliest),
            "now" => return Ok(Self::Now),
            _ => {}
        }
        if let Ok(time) = DateTime::parse_from_rfc3339(spec) {
            return Ok(Self::Time(time));
        }
        if !spec.contains(':') || spec.contains('T') {
            return Err(bad("expected an RFC 3339 time (2024-11-01T00:00:00Z), earliest, now or partition:offset,..."));
        }
        let mut offsets = BTreeMap::new();
        for pair in spec.split(',') {
            let (p, o) = pair.split_once(':').ok_or_else(|| bad("each entry is partition:offset"))?;
            let p: i32 = p.trim().parse().map_err(|_| bad("partition is not a number"))?;
            let o: i64 = o.trim().parse().map_err(|_| bad("offset is not a number"))?;
            if p < 0 || o < 0 {
                return Err(bad("partitions and offsets are not negative"));
            }
            if offsets.insert(p, o).is_some() {
                return Err(bad("a partition is listed twice"));
            }
        }
        Ok(Self::Offsets(offsets))
    }

    fn timestamp_ms(&self) -> Option<i64> {
        match self {
            Self::Time(t) => Some(t.timestamp_millis()),
            _ => None,
        }
    }
}

/// One partition's range: offsets `start..end`, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionRange {
    /// The partition.
    pub partition: i32,
    /// First offset to process.
    pub start: i64,
    /// First offset not to process.
    pub end: i64,
}

impl PartitionRange {
    /// Offsets in the range (an upper bound on messages: compaction and transaction markers leave gaps).
    pub fn len(&self) -> u64 {
        u64::try_from(self.end - self.start).unwrap_or(0)
    }

    /// Whether the range holds no offsets.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

impl fmt::Display for PartitionRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "partition {} offsets [{}, {}) = {}", self.partition, self.start, self.end, self.len())
    }
}

/// What the broker said about one partition at resolution time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lookup {
    /// Log start offset.
    pub low: i64,
    /// High watermark (next offset to be written).
    pub high: i64,
    /// Offset-for-time of `--from` when it is a time; `None` when no message is that recent.
    pub from_time: Option<i64>,
    /// Offset-for-time of `--to` when it is a time; `None` when no message is that recent.
    pub to_time: Option<i64>,
}

/// The range of one partition, or `None` when `--from` lists offsets and not this partition. Offsets outside
/// the log are clamped into `[low, high]`: before `low` the messages are gone, after `high` they do not exist.
pub fn resolve_partition(partition: i32, from: &Bound, to: &Bound, at: &Lookup) -> Option<PartitionRange> {
    let clamp = |o: i64| o.clamp(at.low, at.high.max(at.low));
    let start = match from {
        Bound::Earliest | Bound::Now => at.low,
        Bound::Time(_) => at.from_time.unwrap_or(at.high),
        Bound::Offsets(m) => *m.get(&partition)?,
    };
    let end = match to {
        Bound::Now | Bound::Earliest => at.high,
        Bound::Time(_) => at.to_time.unwrap_or(at.high),
        Bound::Offsets(m) => m.get(&partition).copied().unwrap_or(at.high),
    };
    let start = clamp(start);
    Some(PartitionRange { partition, start, end: clamp(end).max(start) })
}

/// Checks that each bound is used on the side it means something on.
pub fn validate(from: &Bound, to: &Bound) -> Result<(), ReplayError> {
    if *from == Bound::Now {
        return Err(ReplayError::Spec("--from now would replay nothing; use a time, earliest or offsets".into()));
    }
    if *to == Bound::Earliest {
        return Err(ReplayError::Spec("--to earliest would replay nothing; use a time, now or offsets".into()));
    }
    if let (Bound::Time(a), Bound::Time(b)) = (from, to) {
        if b < a {
            return Err(ReplayError::Spec(format!("--to {b} is before --from {a}")));
        }
    }
    Ok(())
}

/// Asks the broker for the partitions of `topic`, their watermarks and the offsets of the bound times, and
/// resolves the range of every partition the replay reads, in partition order.
pub fn resolve<C: rdkafka::consumer::ConsumerContext>(
    consumer: &BaseConsumer<C>,
    topic: &str,
    from: &Bound,
    to: &Bound,
    timeout: Duration,
) -> Result<Vec<PartitionRange>, ReplayError> {
    let metadata = consumer.fetch_metadata(Some(topic), timeout)?;
    let partitions: Vec<i32> = metadata
        .topics()
        .iter()
        .filter(|t| t.name() == topic && t.error().is_none())
        .flat_map(|t| t.partitions().iter().map(|p| p.id()))
        .collect();
    if partitions.is_empty() {
        return Err(ReplayError::Spec(format!("topic `{topic}` does not exist or has no partitions")));
    }
    if let Bound::Offsets(m) = from {
        if let Some(p) = m.keys().find(|p| !partitions.contains(p)) {
            return Err(ReplayError::Spec(format!("--from names partition {p}, which `{topic}` does not have")));
        }
    }
    let from_times = offsets_for_time(consumer, topic, &partitions, from.timestamp_ms(), timeout)?;
    let to_times = offsets_for_time(consumer, topic, &partitions, to.timestamp_ms(), timeout)?;
    let mut ranges = Vec::new();
    for &p in &partitions {
        let (low, high) = consumer.fetch_watermarks(topic, p, timeout)?;
        let at = Lookup {
            low,
            high,
            from_time: from_times.get(&p).copied().flatten(),
            to_time: to_times.get(&p).copied().flatten(),
        };
        ranges.extend(resolve_partition(p, from, to, &at));
    }
    ranges.sort_by_key(|r| r.partition);
    Ok(ranges)
}

/// The broker's offset-for-time per partition (`None` inside when no message is at or after the time).
fn offsets_for_time<C: rdkafka::consumer::ConsumerContext>(
    consumer: &BaseConsumer<C>,
    topic: &str,
    partitions: &[i32],
    timestamp_ms: Option<i64>,
    timeout: Duration,
) -> Result<BTreeMap<i32, Option<i64>>, ReplayError> {
    let Some(ts) = timestamp_ms else { return Ok(BTreeMap::new()) };
    let mut tpl = TopicPartitionList::new();
    for &p in partitions {
        tpl.add_partition_offset(topic, p, Offset::Offset(ts))?;
    }
    let found = consumer.offsets_for_times(tpl, timeout)?;
    let mut out = BTreeMap::new();
    for e in found.elements() {
        if let Some(err) = e.error().err() {
            return Err(ReplayError::Kafka(err));
        }
        out.insert(e.partition(), if let Offset::Offset(o) = e.offset() { Some(o) } else { None });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(low: i64, high: i64) -> Lookup {
        Lookup { low, high, ..Lookup::default() }
    }

    #[test]
    fn parses_the_four_forms() {
        assert_eq!(Bound::parse("earliest").unwrap(), Bound::Earliest);
        assert_eq!(Bound::parse("now").unwrap(), Bound::Now);
        assert!(matches!(Bound::parse("2024-11-01T00:00:00Z").unwrap(), Bound::Time(_)));
        assert!(matches!(Bound::parse("2024-11-01T00:00:00+03:00").unwrap(),
                Bound::Time(t) if t.timestamp() == 1_730_408_400));
        assert_eq!(Bound::parse("0:10, 2:7").unwrap(), Bound::Offsets([(0, 10), (2, 7)].into_iter().collect()));
    }

    #[test]
    fn rejects_malformed_bounds() {
        for bad in ["", "yesterday", "2024-11-01", "2024-11-01T00:00:00", "0:", "a:1", "0:1,0:2", "-1:4", "0:-4"] {
            assert!(Bound::parse(bad).is_err(), "{bad} parsed");
        }
        assert!(validate(&Bound::Now, &Bound::Now).is_err());
        assert!(validate(&Bound::Earliest, &Bound::Earliest).is_err());
        let (a, b) = (Bound::parse("2024-11-02T00:00:00Z").unwrap(), Bound::parse("2024-11-01T00:00:00Z").unwrap());
        assert!(validate(&a, &b).is_err());
        assert!(validate(&b, &a).is_ok());
    }

    #[test]
    fn earliest_to_now_is_the_whole_log() {
        let r = resolve_partition(3, &Bound::Earliest, &Bound::Now, &at(5, 90)).unwrap();
        assert_eq!(r, PartitionRange { partition: 3, start: 5, end: 90 });
        assert_eq!(r.len(), 85);
    }

    #[test]
    fn times_without_a_message_that_recent_resolve_to_the_high_watermark() {
        let from = Bound::parse("2030-01-01T00:00:00Z").unwrap();
        let r = resolve_partition(0, &from, &Bound::Now, &at(0, 40)).unwrap();
        assert!(r.is_empty());
        let mut lookup = at(0, 40);
        lookup.from_time = Some(12);
        lookup.to_time = Some(30);
        let to = Bound::parse("2031-01-01T00:00:00Z").unwrap();
        assert_eq!(
            resolve_partition(0, &from, &to, &lookup).unwrap(),
            PartitionRange { partition: 0, start: 12, end: 30 }
        );
    }

    #[test]
    fn offsets_skip_unlisted_partitions_and_clamp_into_the_log() {
        let from = Bound::parse("0:2,1:500").unwrap();
        let to = Bound::parse("0:1000").unwrap();
        assert_eq!(
            resolve_partition(0, &from, &to, &at(10, 60)).unwrap(),
            PartitionRange { partition: 0, start: 10, end: 60 }
        );
        assert_eq!(
            resolve_partition(1, &from, &to, &at(0, 60)).unwrap(),
            PartitionRange { partition: 1, start: 60, end: 60 }
        );
        assert_eq!(resolve_partition(2, &from, &to, &at(0, 60)), None);
        let r = resolve_partition(0, &Bound::parse("0:50").unwrap(), &Bound::parse("0:20").unwrap(), &at(0, 60));
        assert!(r.unwrap().is_empty(), "an end before the start is an empty range");
    }
}
