//! Scenarios 2 and 3: the process is stopped at random points, gracefully (SIGTERM) or not (kill -9), and
//! restarted until the input is done.

use std::collections::HashSet;
use std::time::Duration;

use crate::common::corpus;
use crate::harness::{
    base_env, block_on, committed, produce, remaining, set, snapshot, soak, topics, wait_lag_zero, Rng, Service,
    Snapshot,
};

const IN_FLIGHT: usize = 200;

/// Scenario 2: every SIGTERM drains (finishes in-flight work, flushes, commits) and exits 0, so the restarts
/// redo nothing: no loss and, when every drain completed, no duplicate at all.
#[test]
#[ignore = "needs a broker process: make reliability"]
fn sigterm_at_random_points_then_restart_loses_nothing_and_duplicates_nothing() {
    let mut rng = Rng::new("sigterm", 0x5167_7e53);
    let (n, stops) = if soak() { (20_000, 8) } else { (3_000, 3) };
    let t = block_on(topics(3));
    let messages = corpus(n, 64 * 1024);
    block_on(produce(&t.input, &messages));
    let env = base_env(&t);
    let mut undrained = 0;
    for round in 0..stops {
        // A random point: after a random number of records written by this process (never more than are left
        // to do), plus a random delay.
        let left = remaining(&t);
        if left == 0 {
            break;
        }
        let target = rng.range(1, (n / (stops + 1)) as u64).min(left);
        let delay = rng.range(0, 300);
        let service = Service::start(&t, &format!("term-{round}"), &env);
        service.wait_written(target);
        std::thread::sleep(Duration::from_millis(delay));
        let (ok, drained) = service.terminate();
        println!("sigterm round {round}: after {target} records + {delay} ms: exit ok {ok}, drained {drained}");
        assert!(ok, "SIGTERM exits 0");
        undrained += usize::from(!drained);
    }
    let last = Service::start(&t, "term-last", &env);
    wait_lag_zero(&t);
    let snap = snapshot(&t);
    snap.assert_none_lost(&messages);
    let dups = snap.duplicates();
    println!("sigterm: {n} messages, {stops} stops ({undrained} undrained): {dups} duplicates");
    // A drain that timed out leaves at most the in-flight window uncommitted.
    assert!(dups <= undrained * IN_FLIGHT, "{dups} duplicates after {stops} stops, {undrained} of them undrained");
    assert!(last.terminate().0);
}

/// Scenario 3: kill -9 skips the drain; whatever was written but not committed is consumed again. After each
/// kill the audit records the uncommitted work (records already written whose input offset is at or past the
/// group's committed offset); at the end every duplicate must be one of those, and no more than their count.
#[test]
#[ignore = "needs a broker process: make reliability"]
fn kill_9_at_random_points_then_restart_loses_nothing_and_duplicates_only_uncommitted_work() {
    let mut rng = Rng::new("kill-9", 0x4b11_1999);
    let (n, kills) = if soak() { (20_000, 8) } else { (3_000, 3) };
    let t = block_on(topics(3));
    let messages = corpus(n, 64 * 1024);
    let positions = block_on(produce(&t.input, &messages));
    let mut env = base_env(&t);
    set(&mut env, "KAFKA__INSTANCE_ID", "reliability-kill-9");
    let mut uncommitted: HashSet<String> = HashSet::new();
    let mut window_total = 0;
    for round in 0..kills {
        // A random point: after a random number of records written by this process (never more than are left
        // to do), plus a random delay.
        let left = remaining(&t);
        if left == 0 {
            break;
        }
        let target = rng.range(1, (n / (kills + 1)) as u64).min(left);
        let delay = rng.range(0, 300);
        let service = Service::start(&t, &format!("kill-{round}"), &env);
        service.wait_written(target);
        std::thread::sleep(Duration::from_millis(delay));
        service.kill9();
        let c = committed(&t);
        let written: Snapshot = snapshot(&t);
        let window: Vec<&String> = written
            .output
            .keys()
            .chain(written.dead.keys())
            .filter(|k| {
                let (p, o) = positions[*k];
                c[p as usize].is_none_or(|c| o >= c)
            })
            .collect();
        println!(
            "kill-9 round {round}: after {target} records + {delay} ms: committed {c:?}, {} written but uncommitted",
            window.len()
        );
        window_total += window.len();
        uncommitted.extend(window.into_iter().cloned());
    }
    let last = Service::start(&t, "kill-last", &env);
    wait_lag_zero(&t);
    let snap = snapshot(&t);
    snap.assert_none_lost(&messages);
    let duplicated = snap.duplicated();
    let stray: Vec<&String> = duplicated.keys().filter(|k| !uncommitted.contains(*k)).collect();
    let dups = snap.duplicates();
    println!("kill-9: {n} messages, {kills} kills: {dups} duplicates; uncommitted work at the kills {window_total}");
    assert!(stray.is_empty(), "duplicates of committed work: {:?}", &stray[..stray.len().min(5)]);
    assert!(dups <= window_total, "{dups} duplicates, more than the {window_total} records uncommitted at the kills");
    assert!(last.terminate().0);
}
