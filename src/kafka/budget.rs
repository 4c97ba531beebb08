//! The in-flight budget: admits a message only while both the message count and the byte total stay under
//! their limits. The poll thread waits on it, which is how backpressure reaches the consumer.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

#[derive(Debug, Default)]
struct Used {
    messages: usize,
    bytes: usize,
}

/// Limits on messages and bytes in flight.
#[derive(Debug)]
pub struct Budget {
    max_messages: usize,
    max_bytes: usize,
    used: Mutex<Used>,
    freed: Condvar,
}

impl Budget {
    /// A budget of `max_messages` messages and `max_bytes` bytes.
    pub fn new(max_messages: usize, max_bytes: usize) -> Self {
        Self {
            max_messages: max_messages.max(1),
            max_bytes: max_bytes.max(1),
            used: Mutex::default(),
            freed: Condvar::new(),
        }
    }

    /// What admitting a message of `len` bytes costs: its length, capped at the byte limit so that any single
    /// message fits into an empty budget.
    pub fn cost(&self, len: usize) -> usize {
        len.min(self.max_bytes)
    }

    /// Admits a message costing `cost` bytes if it fits, waiting up to `wait` for room.
    pub fn acquire(&self, cost: usize, wait: Duration) -> bool {
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let fits = |u: &mut Used| u.messages < self.max_messages && u.bytes + cost <= self.max_bytes;
        let (mut used, _) =
            self.freed.wait_timeout_while(used, wait, |u| !fits(u)).unwrap_or_else(PoisonError::into_inner);
        if fits(&mut used) {
            used.messages += 1;
            used.bytes += cost;
            true
        } else {
            false
        }
    }

    /// Returns a message's cost.
    pub fn release(&self, cost: usize) {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        used.messages = used.messages.saturating_sub(1);
        used.bytes = used.bytes.saturating_sub(cost);
        self.freed.notify_all();
    }

    /// Messages and bytes in flight.
    pub fn in_use(&self) -> (usize, usize) {
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        (used.messages, used.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_count_and_bytes() {
        let b = Budget::new(2, 100);
        assert!(b.acquire(60, Duration::ZERO));
        assert!(!b.acquire(60, Duration::ZERO), "bytes would exceed the limit");
        assert!(b.acquire(40, Duration::ZERO));
        assert!(!b.acquire(0, Duration::ZERO), "count would exceed the limit");
        b.release(60);
        assert_eq!(b.in_use(), (1, 40));
        assert_eq!(b.cost(1_000), 100, "an oversized message still fits an empty budget");
    }

    #[test]
    fn a_release_wakes_a_waiter() {
        let b = std::sync::Arc::new(Budget::new(1, 10));
        assert!(b.acquire(10, Duration::ZERO));
        let b2 = b.clone();
        let waiter = std::thread::spawn(move || b2.acquire(10, Duration::from_secs(30)));
        b.release(10);
        assert!(waiter.join().unwrap());
    }
}
