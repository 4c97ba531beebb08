//! Liveness and readiness, as facts the runtime records and the probes report.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long the poll loop may go without a turn before `/livez` fails.
const STALL_LIMIT: Duration = Duration::from_secs(60);
/// How long the consumer may keep failing (errors, no message in between) before `/readyz` fails. Short blips
/// (one broker restarting, a leader moving) recover well inside it and should not page anyone.
const CONSUMER_FAILING_LIMIT: Duration = Duration::from_secs(30);
/// A quiet spell this long after the last consumer error ends a failure streak: an idle topic delivers no
/// message that could end it otherwise.
const CONSUMER_QUIET_RESET: Duration = Duration::from_secs(10);

/// Shared health state.
#[derive(Debug, Default)]
pub struct Health {
    joined: AtomicBool,
    assigned: AtomicUsize,
    producer_up: AtomicBool,
    draining: AtomicBool,
    last_poll_ms: AtomicI64,
    /// Start of the current streak of consumer errors with no message in between (0: none).
    consumer_failing_since_ms: AtomicI64,
    last_consumer_error_ms: AtomicI64,
    fatal: Mutex<Option<String>>,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Health {
    /// The poll loop took a turn.
    pub fn touch(&self) {
        self.last_poll_ms.store(now_ms(), Ordering::Relaxed);
    }

    /// A rebalance finished: `assigned` partitions now (zero is a valid, stable assignment).
    pub fn set_assignment(&self, assigned: usize) {
        self.assigned.store(assigned, Ordering::Relaxed);
        self.joined.store(true, Ordering::Relaxed);
    }

    /// The consumer reported an error (a failed fetch, a broker it cannot reach). Errors with no message in
    /// between form a streak; readiness fails once a streak outlasts [`CONSUMER_FAILING_LIMIT`].
    pub fn consumer_error(&self) {
        self.consumer_error_at(now_ms());
    }

    fn consumer_error_at(&self, now: i64) {
        let last = self.last_consumer_error_ms.swap(now, Ordering::Relaxed);
        let since = self.consumer_failing_since_ms.load(Ordering::Relaxed);
        if since == 0 || now - last > millis(CONSUMER_QUIET_RESET) {
            self.consumer_failing_since_ms.store(now, Ordering::Relaxed);
        }
    }

    /// The consumer delivered a message: whatever failed before works again.
    pub fn consumer_ok(&self) {
        self.consumer_failing_since_ms.store(0, Ordering::Relaxed);
    }

    /// How long the consumer has been failing without a break, if it is.
    fn consumer_failing_for(&self, now: i64) -> Option<i64> {
        let since = self.consumer_failing_since_ms.load(Ordering::Relaxed);
        let last = self.last_consumer_error_ms.load(Ordering::Relaxed);
        (since > 0 && now - last <= millis(CONSUMER_QUIET_RESET)).then_some(now - since)
    }

    /// Partitions were revoked; until the next assignment the group is not stable.
    pub fn revoked(&self, remaining: usize) {
        self.assigned.store(remaining, Ordering::Relaxed);
        if remaining == 0 {
            self.joined.store(false, Ordering::Relaxed);
        }
    }

    /// Partitions currently assigned.
    pub fn assigned(&self) -> usize {
        self.assigned.load(Ordering::Relaxed)
    }

    /// Whether the producer reaches a broker.
    pub fn set_producer_up(&self, up: bool) {
        self.producer_up.store(up, Ordering::Relaxed);
    }

    /// The service started draining; it will not become ready again.
    pub fn set_draining(&self) {
        self.draining.store(true, Ordering::Relaxed);
    }

    /// Records a fatal error; liveness fails from now on.
    pub fn set_fatal(&self, reason: String) {
        if let Ok(mut fatal) = self.fatal.lock() {
            fatal.get_or_insert(reason);
        }
    }

    /// The fatal error, if any.
    pub fn fatal(&self) -> Option<String> {
        self.fatal.lock().ok().and_then(|f| f.clone())
    }

    /// `Ok` while the process can make progress; else the reason.
    pub fn liveness(&self) -> Result<(), String> {
        if let Some(reason) = self.fatal() {
            return Err(format!("fatal: {reason}"));
        }
        let last = self.last_poll_ms.load(Ordering::Relaxed);
        let stalled_ms = now_ms() - last;
        if last > 0 && stalled_ms > millis(STALL_LIMIT) {
            return Err(format!("poll loop stalled for {} s", stalled_ms / 1000));
        }
        Ok(())
    }

    /// `Ok` while ready for traffic: group joined (partitions assigned or none to assign), producer up, the
    /// consumer not failing for longer than [`CONSUMER_FAILING_LIMIT`], not draining; else the reason.
    pub fn readiness(&self) -> Result<(), &'static str> {
        self.readiness_at(now_ms())
    }

    fn readiness_at(&self, now: i64) -> Result<(), &'static str> {
        if self.draining.load(Ordering::Relaxed) {
            Err("draining")
        } else if !self.joined.load(Ordering::Relaxed) {
            Err("no partition assignment yet")
        } else if !self.producer_up.load(Ordering::Relaxed) {
            Err("producer has no broker connection")
        } else if self.consumer_failing_for(now).is_some_and(|ms| ms > millis(CONSUMER_FAILING_LIMIT)) {
            Err("consumer failing: errors and no message for over 30 s")
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_follows_each_transition() {
        let h = Health::default();
        assert_eq!(h.readiness(), Err("no partition assignment yet"));
        h.set_assignment(0);
        assert_eq!(h.readiness(), Err("producer has no broker connection"));
        h.set_producer_up(true);
        assert_eq!(h.readiness(), Ok(()));
        h.revoked(0);
        assert_eq!(h.readiness(), Err("no partition assignment yet"));
        h.set_assignment(3);
        h.set_producer_up(false);
        assert!(h.readiness().is_err());
        h.set_producer_up(true);
        h.set_draining();
        assert_eq!(h.readiness(), Err("draining"));
    }

    /// Feeds consumer errors every 500 ms from `from` to `to` inclusive; the time of the last one.
    fn errors(h: &Health, from: i64, to: i64) -> i64 {
        let mut t = from;
        while t + 500 <= to {
            h.consumer_error_at(t);
            t += 500;
        }
        h.consumer_error_at(to);
        to
    }

    #[test]
    fn a_consumer_failing_without_a_break_fails_readiness_until_a_message_or_a_quiet_spell() {
        let h = Health::default();
        h.set_assignment(1);
        h.set_producer_up(true);
        let (limit, quiet) = (millis(CONSUMER_FAILING_LIMIT), millis(CONSUMER_QUIET_RESET));
        let t0 = 1_000_000;
        // Errors every 500 ms: ready through the grace period, then not.
        let t = errors(&h, t0, t0 + limit);
        assert_eq!(h.readiness_at(t), Ok(()));
        let t = errors(&h, t, t + 500);
        assert!(h.readiness_at(t).is_err());
        // A message ends the streak at once, and a new streak counts from its own first error.
        h.consumer_ok();
        assert_eq!(h.readiness_at(t), Ok(()));
        let t = errors(&h, t + 1, t + 1 + limit);
        assert_eq!(h.readiness_at(t), Ok(()));
        let t = errors(&h, t, t + 500);
        assert!(h.readiness_at(t).is_err());
        // Errors stop on an idle topic: the streak ends after a quiet spell, with no message needed.
        assert!(h.readiness_at(t + quiet).is_err());
        assert_eq!(h.readiness_at(t + quiet + 1), Ok(()));
        // An error after the quiet spell starts a fresh streak rather than continuing the old one.
        let t = errors(&h, t + quiet + 5_000, t + quiet + 5_000);
        assert_eq!(h.readiness_at(t + 1), Ok(()));
    }

    #[test]
    fn liveness_fails_on_fatal() {
        let h = Health::default();
        h.touch();
        assert!(h.liveness().is_ok());
        h.set_fatal("auth".into());
        assert!(h.liveness().unwrap_err().contains("auth"));
    }
}
