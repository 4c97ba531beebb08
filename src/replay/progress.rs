//! Replay progress: on a terminal, a bar per partition and a total with rate and ETA (indicatif); otherwise a
//! plain log line every interval. Progress is what the sink stored (delivered output), not what was read.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tracing::info;

use super::range::PartitionRange;
use crate::kafka::context::Shared;

/// How often bars are refreshed.
const TICK: Duration = Duration::from_millis(250);

/// One partition's work: its range as first planned, and where this process started on it.
#[derive(Debug, Clone)]
pub struct Track {
    /// The range.
    pub range: PartitionRange,
    /// Offset this process started from (after the part finished by earlier runs).
    pub resumed_at: i64,
}

/// A running reporter; stops and prints its last state on [`Reporter::finish`].
pub struct Reporter {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Reporter {
    /// Starts reporting on a thread: bars when `terminal`, else a log line every `log_every`.
    pub fn start(topic: String, tracks: Vec<Track>, shared: Arc<Shared>, terminal: bool, log_every: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("replay-progress".into())
            .spawn(move || {
                let view = View::new(&topic, &tracks, terminal);
                let mut last_log = Instant::now();
                loop {
                    let stopping = flag.load(Ordering::Relaxed);
                    let done = view.update(&topic, &tracks, &shared);
                    if !terminal && (stopping || last_log.elapsed() >= log_every) {
                        view.log(done);
                        last_log = Instant::now();
                    }
                    if stopping {
                        view.finish();
                        break;
                    }
                    std::thread::sleep(TICK);
                }
            })
            .ok();
        Self { stop, thread }
    }

    /// Stops the reporter after a last update.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The bars (hidden when not on a terminal) and the totals behind the log lines.
struct View {
    bars: Vec<ProgressBar>,
    total: ProgressBar,
    total_len: u64,
    started: Instant,
    started_done: u64,
}

impl View {
    fn new(topic: &str, tracks: &[Track], terminal: bool) -> Self {
        let multi = MultiProgress::with_draw_target(if terminal {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        });
        let part_style = ProgressStyle::with_template("{prefix:>14} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let total_style =
            ProgressStyle::with_template("{prefix:>14} [{bar:40.cyan}] {pos}/{len} {per_sec} eta {eta} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        let bars = tracks
            .iter()
            .map(|t| {
                let bar = multi.add(ProgressBar::new(t.range.len()).with_style(part_style.clone()));
                bar.set_prefix(format!("{topic}/{}", t.range.partition));
                bar.set_position(done_of(t, t.resumed_at));
                bar.reset_eta();
                bar
            })
            .collect();
        let total_len = tracks.iter().map(|t| t.range.len()).sum();
        let total = multi.add(ProgressBar::new(total_len).with_style(total_style));
        total.set_prefix("total");
        let started_done = tracks.iter().map(|t| done_of(t, t.resumed_at)).sum();
        total.set_position(started_done);
        total.reset_eta();
        Self { bars, total, total_len, started: Instant::now(), started_done }
    }

    /// Reads the stored offsets and moves the bars; returns offsets done in total.
    fn update(&self, topic: &str, tracks: &[Track], shared: &Shared) -> u64 {
        let tracker = shared.tracker();
        let mut done = 0;
        for (track, bar) in tracks.iter().zip(&self.bars) {
            let stored = tracker.stored(&(topic.to_owned(), track.range.partition)).unwrap_or(track.resumed_at);
            let d = done_of(track, stored);
            bar.set_position(d);
            done += d;
        }
        self.total.set_position(done);
        done
    }

    fn log(&self, done: u64) {
        let secs = self.started.elapsed().as_secs_f64();
        let rate = done.saturating_sub(self.started_done) as f64 / secs.max(0.001);
        let remaining = self.total_len.saturating_sub(done);
        let eta_s = if rate > 0.0 { (remaining as f64 / rate).round() as u64 } else { 0 };
        info!(done, total = self.total_len, rate = format!("{rate:.1}/s"), eta_s, "replay progress");
    }

    fn finish(&self) {
        for bar in &self.bars {
            bar.abandon();
        }
        self.total.abandon();
    }
}

fn done_of(track: &Track, position: i64) -> u64 {
    u64::try_from(position.clamp(track.range.start, track.range.end) - track.range.start).unwrap_or(0)
}
