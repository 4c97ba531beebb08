//! Liveness and readiness, as facts the runtime records and the probes report.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long the poll loop may go without a turn before `/livez` fails.
const STALL_LIMIT: Duration = Duration::from_secs(60);

/// Shared health state.
#[derive(Debug, Default)]
pub struct Health {
    joined: AtomicBool,
    assigned: AtomicUsize,
    producer_up: AtomicBool,
    draining: AtomicBool,
    last_poll_ms: AtomicI64,
    fatal: Mutex<Option<String>>,
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
        if last > 0 && stalled_ms > i64::try_from(STALL_LIMIT.as_millis()).unwrap_or(i64::MAX) {
            return Err(format!("poll loop stalled for {} s", stalled_ms / 1000));
        }
        Ok(())
    }

    /// `Ok` while ready for traffic: group joined (partitions assigned or none to assign), producer up, not
    /// draining; else the reason.
    pub fn readiness(&self) -> Result<(), &'static str> {
        if self.draining.load(Ordering::Relaxed) {
            Err("draining")
        } else if !self.joined.load(Ordering::Relaxed) {
            Err("no partition assignment yet")
        } else if !self.producer_up.load(Ordering::Relaxed) {
            Err("producer has no broker connection")
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

    #[test]
    fn liveness_fails_on_fatal() {
        let h = Health::default();
        h.touch();
        assert!(h.liveness().is_ok());
        h.set_fatal("auth".into());
        assert!(h.liveness().unwrap_err().contains("auth"));
    }
}
