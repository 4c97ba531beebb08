//! `process`: JSON Lines of input messages in, JSON Lines of records out, through the same pipeline and
//! worker code as the service; failures become dead-letter records. Order is preserved; memory is bounded by
//! processing a chunk of lines at a time.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::app::output_limits;
use crate::pipeline::{Original, Pipeline};
use crate::settings::Settings;
use crate::worker::{self, Outcome};

/// Lines processed in parallel at a time.
const CHUNK: usize = 256;

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    /// Records written.
    pub records: u64,
    /// Lines dead-lettered.
    pub dead_lettered: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.records + self.dead_lettered;
        let rate = if self.seconds > 0.0 { total as f64 / self.seconds } else { 0.0 };
        write!(f, "{} records, {} dead-lettered, {rate:.0} records/s", self.records, self.dead_lettered)
    }
}

/// Processes `input` (path or `-`) into `output` (path or `-`), dead letters into `dead_letter` or stderr.
pub fn process_files(
    pipeline: &Pipeline,
    settings: &Settings,
    input: &str,
    output: &str,
    dead_letter: Option<&Path>,
) -> anyhow::Result<Summary> {
    let (reader, size): (Box<dyn BufRead>, Option<u64>) = if input == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(input).with_context(|| format!("opening {input}"))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(BufReader::new(file)), size)
    };
    let writer: Box<dyn Write> = if output == "-" {
        Box::new(BufWriter::new(io::stdout().lock()))
    } else {
        Box::new(BufWriter::new(File::create(output).with_context(|| format!("creating {output}"))?))
    };
    let dead: Option<Box<dyn Write>> = match dead_letter {
        Some(path) => {
            Some(Box::new(BufWriter::new(File::create(path).with_context(|| format!("creating {}", path.display()))?)))
        }
        None => None,
    };
    let progress = match size {
        Some(len) if io::stderr().is_terminal() => {
            let bar = ProgressBar::new(len);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {per_sec} eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        }
        _ => ProgressBar::hidden(),
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(settings.pipeline.worker_threads()).build()?;
    let limits = output_limits(settings);
    let summary = run(&pool, pipeline, reader, writer, dead, limits, &progress)?;
    progress.finish_and_clear();
    Ok(summary)
}

fn run(
    pool: &rayon::ThreadPool,
    pipeline: &Pipeline,
    mut reader: Box<dyn BufRead>,
    mut writer: Box<dyn Write>,
    mut dead: Option<Box<dyn Write>>,
    limits: worker::OutputLimits,
    progress: &ProgressBar,
) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut line_no = 0u64;
    loop {
        let mut chunk: Vec<Vec<u8>> = Vec::with_capacity(CHUNK);
        while chunk.len() < CHUNK {
            let mut line = Vec::new();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            progress.inc(line.len() as u64);
            while matches!(line.last(), Some(b'\n' | b'\r')) {
                line.pop();
            }
            chunk.push(line);
        }
        if chunk.is_empty() {
            break;
        }
        let outcomes: Vec<Option<Outcome>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|line| {
                    // Blank lines separate nothing in JSON Lines; skip them rather than dead-letter them.
                    if line.iter().all(u8::is_ascii_whitespace) {
                        return None;
                    }
                    let original = Original { key: None, value: Some(line), headers: &[], source: None };
                    Some(worker::run(pipeline, None, &original, None, limits))
                })
                .collect()
        });
        for outcome in outcomes {
            line_no += 1;
            match outcome {
                None => {}
                Some(Outcome::Record { payload, .. }) => {
                    writer.write_all(&payload)?;
                    writer.write_all(b"\n")?;
                    summary.records += 1;
                }
                Some(Outcome::DeadLetter { failure, payload }) => {
                    summary.dead_lettered += 1;
                    match dead.as_mut() {
                        Some(d) => {
                            d.write_all(&payload)?;
                            d.write_all(b"\n")?;
                        }
                        None => progress.suspend(|| eprintln!("line {line_no}: {failure}")),
                    }
                }
            }
        }
    }
    writer.flush()?;
    if let Some(d) = dead.as_mut() {
        d.flush()?;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
