//! End-to-end benchmark (`make bench`, `make bench-smoke`): the pass-through ceiling, the service with its stages
//! off and on, on text articles and on HTML pages, and scaling over workers and partitions, against a real broker.
//!
//! `cargo run --release --example bench_e2e -- --brokers HOST:PORT --service target/release/news-enricher
//! --passthrough target/release/examples/passthrough [--text N] [--html N] [--runs R] [--latency-seconds S]
//! [--no-scaling] [--out docs/BENCHMARKS.md] [--criterion target/criterion]`; `--write-jsonl DIR` only writes
//! the generated messages as JSON Lines (for `process`, a profiler or the peer pipeline) and exits;
//! `--peer PYTHON` also compares with the Python peer pipeline (`tools/peer-pipeline`) on the first
//! `--peer-text`/`--peer-html` messages.
//!
//! Each process under test starts on fresh topics, is warmed up (which also proves it joined and produces), then
//! gets `--runs` bursts of the whole message set as fast as the loader can send (throughput, CPU from /proc), then
//! a stream paced at half the measured rate (latency: from the loader handing a message to its client to the
//! collector receiving the output record). CPU figures are the process's own, so neighbours on a shared machine
//! slow the wall clock more than they move them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark driver: fail loudly

#[path = "../../benches/support/corpus.rs"]
mod corpus;
mod harness;
mod peer;
mod report;
mod stages;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use corpus::Kind;
use harness::{Collector, Loader, Subject, Topics};

/// What runs between the topics.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Program {
    /// `examples/passthrough`: consume, produce, nothing else.
    Passthrough,
    /// The service; `stages` false runs decode, record building and Kafka only.
    Service { stages: bool, workers: usize },
}

/// One configuration measured.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub group: &'static str,
    pub kind: Kind,
    pub program: Program,
    pub partitions: i32,
    pub latency: bool,
}

/// What one scenario measured: one entry per burst, plus latency and memory.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub bursts: Vec<Burst>,
    pub latency_ms: Option<(f64, f64, f64)>,
    /// p50 and p99 of the latency's parts (pipeline, output leg, rest), when the records carry timings.
    pub latency_parts: Option<[(f64, f64); 3]>,
    pub peak_rss_mib: f64,
    pub dead_letters: usize,
    pub load_avg: String,
    pub error: Option<String>,
}

/// One burst: messages, input bytes, wall seconds from first send to last arrival, CPU seconds of the process.
#[derive(Debug, Clone, Copy)]
pub struct Burst {
    pub messages: usize,
    pub bytes: usize,
    pub wall_s: f64,
    pub cpu_s: f64,
}

pub struct Options {
    brokers: String,
    service: PathBuf,
    passthrough: PathBuf,
    text: usize,
    html: usize,
    runs: usize,
    latency_seconds: f64,
    scaling: bool,
    out: Option<PathBuf>,
    criterion: PathBuf,
    log_dir: PathBuf,
    write_jsonl: Option<PathBuf>,
    peer: Option<PathBuf>,
    peer_text: usize,
    peer_html: usize,
}

fn options() -> anyhow::Result<Options> {
    let mut o = Options {
        brokers: "127.0.0.1:9092".into(),
        service: "target/release/news-enricher".into(),
        passthrough: "target/release/examples/passthrough".into(),
        text: 1000,
        html: 120,
        runs: 3,
        latency_seconds: 5.0,
        scaling: true,
        out: None,
        criterion: "target/criterion".into(),
        log_dir: "target/bench-logs".into(),
        write_jsonl: None,
        peer: None,
        peer_text: 200,
        peer_html: 50,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--brokers" => o.brokers = value()?,
            "--service" => o.service = value()?.into(),
            "--passthrough" => o.passthrough = value()?.into(),
            "--text" => o.text = value()?.parse()?,
            "--html" => o.html = value()?.parse()?,
            "--runs" => o.runs = value()?.parse()?,
            "--latency-seconds" => o.latency_seconds = value()?.parse()?,
            "--no-scaling" => o.scaling = false,
            "--out" => o.out = Some(value()?.into()),
            "--criterion" => o.criterion = value()?.into(),
            "--log-dir" => o.log_dir = value()?.into(),
            "--write-jsonl" => o.write_jsonl = Some(value()?.into()),
            "--peer" => o.peer = Some(value()?.into()),
            "--peer-text" => o.peer_text = value()?.parse()?,
            "--peer-html" => o.peer_html = value()?.parse()?,
            other => anyhow::bail!("unknown argument {other}"),
        }
    }
    Ok(o)
}

fn scenarios(o: &Options) -> Vec<Scenario> {
    let s = |group, kind, program, partitions, latency| Scenario { group, kind, program, partitions, latency };
    let on = |workers| Program::Service { stages: true, workers };
    let off = Program::Service { stages: false, workers: 2 };
    let mut list = Vec::new();
    for kind in [Kind::Text, Kind::Html] {
        list.push(s("main", kind, Program::Passthrough, 4, true));
        list.push(s("main", kind, off, 4, true));
        list.push(s("main", kind, on(2), 4, true));
    }
    if o.scaling {
        list.push(s("scaling", Kind::Text, on(1), 4, false));
        list.push(s("scaling", Kind::Text, on(2), 1, false));
        list.push(s("scaling", Kind::Text, on(2), 16, false));
    }
    list
}

fn main() -> anyhow::Result<()> {
    let o = options()?;
    std::fs::create_dir_all(&o.log_dir)?;
    let machine = report::Machine::read();
    eprintln!("generating {} text articles and {} HTML pages", o.text, o.html);
    let text = corpus::messages(Kind::Text, o.text, 1);
    let html = corpus::messages(Kind::Html, o.html, 2);
    if let Some(dir) = &o.write_jsonl {
        return write_jsonl(dir, &text, &html);
    }
    let mut results = Vec::new();
    for (i, scenario) in scenarios(&o).into_iter().enumerate() {
        let messages = if scenario.kind == Kind::Text { &text } else { &html };
        eprintln!("[{}] {}", i + 1, report::label(&scenario));
        let measured = measure(&o, &scenario, messages, i).unwrap_or_else(|e| Measured {
            error: Some(format!("{e:#}")),
            load_avg: report::load_avg(),
            ..Measured::default()
        });
        if let Some(e) = &measured.error {
            eprintln!("    failed: {e}");
        }
        results.push((scenario, measured));
    }
    let mut table = report::render(&o_summary(&o), &machine, &results, &o.criterion);
    if let Some(python) = &o.peer {
        eprintln!("peer pipeline");
        let dir = o.log_dir.join("peer");
        std::fs::create_dir_all(&dir)?;
        let (t, h) = (&text[..o.peer_text.min(text.len())], &html[..o.peer_html.min(html.len())]);
        table.push_str(&peer::compare(python, &dir, t, h, report::articles_per_cpu_s(&results)));
        table.push_str(&format!("\nLoad average after the peer runs: {}\n", report::load_avg()));
    }
    println!("{table}");
    if let Some(out) = &o.out {
        std::fs::write(out, &table).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

/// The same inputs as JSON Lines (`text.jsonl`, `html.jsonl`), for `process`, profilers and the peer pipeline.
fn write_jsonl(dir: &std::path::Path, text: &[corpus::Message], html: &[corpus::Message]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, messages) in [("text.jsonl", text), ("html.jsonl", html)] {
        let mut out = Vec::new();
        for m in messages {
            out.extend_from_slice(&m.value);
            out.push(b'\n');
        }
        std::fs::write(dir.join(name), out)?;
    }
    Ok(())
}

fn o_summary(o: &Options) -> String {
    format!(
        "{} text articles and {} HTML pages per burst, {} bursts per configuration, {} s at half rate for latency",
        o.text, o.html, o.runs, o.latency_seconds
    )
}

fn measure(o: &Options, s: &Scenario, messages: &[corpus::Message], index: usize) -> anyhow::Result<Measured> {
    let topics = Topics::create(&o.brokers, &format!("{index}"), s.partitions)?;
    let mut env: Vec<(String, String)> = [
        ("KAFKA__BROKERS", o.brokers.as_str()),
        ("KAFKA__INPUT_TOPIC", &topics.input),
        ("KAFKA__OUTPUT_TOPIC", &topics.output),
        ("KAFKA__DEAD_LETTER_TOPIC", &topics.dead),
        ("KAFKA__GROUP_ID", &topics.group),
        ("KAFKA__SESSION_TIMEOUT", "10s"),
        ("PIPELINE__DRAIN_TIMEOUT", "8s"),
        ("HTTP__LISTEN_ADDR", "127.0.0.1:0"),
        ("LOG__FORMAT", "json"),
        ("LOG__LEVEL", "warn"),
    ]
    .iter()
    .map(|(k, v)| (format!("NEWS_ENRICHER__{k}"), (*v).to_owned()))
    .collect();
    let (bin, args): (&PathBuf, &[&str]) = match s.program {
        Program::Passthrough => (&o.passthrough, &[]),
        Program::Service { stages, workers } => {
            env.push(("NEWS_ENRICHER__PIPELINE__STAGES_ENABLED".into(), stages.to_string()));
            env.push(("NEWS_ENRICHER__PIPELINE__WORKERS".into(), workers.to_string()));
            (&o.service, &["run"])
        }
    };
    let collector = Collector::start(&o.brokers, &topics)?;
    let loader = Loader::new(&o.brokers, &topics.input)?;
    let mut subject = Subject::start(bin, args, &env, &o.log_dir.join(format!("{index}.log")))?;
    let result = drive(o, s, messages, &collector, &loader, &mut subject);
    let load_avg = report::load_avg();
    let peak = subject.peak_rss_mib().unwrap_or(0.0);
    let dead = collector.dead_letters();
    subject.stop();
    let (bursts, latency_ms, latency_parts) = result?;
    Ok(Measured { bursts, latency_ms, latency_parts, peak_rss_mib: peak, dead_letters: dead, load_avg, error: None })
}

type Driven = (Vec<Burst>, Option<(f64, f64, f64)>, Option<[(f64, f64); 3]>);

fn drive(
    o: &Options,
    s: &Scenario,
    messages: &[corpus::Message],
    collector: &Collector,
    loader: &Loader,
    subject: &mut Subject,
) -> anyhow::Result<Driven> {
    // Warm-up: proves the process joined the group and produces, and takes model loading out of the figures.
    let warm = &messages[..messages.len().min(10)];
    let (keys, _) = loader.send(warm, "warm", Duration::ZERO)?;
    collector.wait_for(&keys, Duration::from_secs(180)).context("warm-up")?;
    // CPU time comes in 10 ms ticks: the cheap configurations get the set several times over, so a burst costs
    // hundreds of ticks rather than a handful.
    let repeat = match (s.program, s.kind) {
        (Program::Service { stages: true, .. }, _) => 1,
        (_, Kind::Text) => 10,
        (_, Kind::Html) => 5,
    };
    let repeated: Vec<corpus::Message>;
    let messages = if repeat > 1 {
        repeated = messages.iter().cycle().take(messages.len() * repeat).map(clone).collect();
        &repeated[..]
    } else {
        messages
    };
    let bytes: usize = messages.iter().map(|m| m.value.len()).sum();
    let mut bursts = Vec::new();
    for run in 0..o.runs {
        anyhow::ensure!(subject.alive(), "the process under test exited");
        let cpu0 = subject.cpu_seconds()?;
        let started = Instant::now();
        let (keys, _) = loader.send(messages, &format!("burst{run}"), Duration::ZERO)?;
        let arrived = collector.wait_for(&keys, Duration::from_secs(600))?;
        let last = arrived.iter().max().copied().unwrap_or(started);
        let cpu_s = subject.cpu_seconds()? - cpu0;
        bursts.push(Burst { messages: messages.len(), bytes, wall_s: (last - started).as_secs_f64(), cpu_s });
    }
    let (mut latency, mut parts) = (None, None);
    if s.latency && !bursts.is_empty() {
        let rate = report::median(bursts.iter().map(|b| b.messages as f64 / b.wall_s).collect()) / 2.0;
        let count = ((rate * o.latency_seconds).ceil() as usize).clamp(10, 20 * messages.len());
        let paced: Vec<corpus::Message> = messages.iter().cycle().take(count).map(clone).collect();
        let (keys, sent) = loader.send(&paced, "paced", Duration::from_secs_f64(1.0 / rate))?;
        let arrived = collector.wait_for(&keys, Duration::from_secs(600))?;
        let ms: Vec<f64> = arrived.iter().zip(&sent).map(|(a, s)| (*a - *s).as_secs_f64() * 1e3).collect();
        let split = collector.parts(&keys, &ms);
        let p = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            (report::percentile(&v, 0.50), report::percentile(&v, 0.99))
        };
        if !split.is_empty() {
            parts = Some([
                p(split.iter().map(|x| x.pipeline_ms).collect()),
                p(split.iter().map(|x| x.output_ms).collect()),
                p(split.iter().map(|x| x.rest_ms).collect()),
            ]);
        }
        let (p50, p99) = p(ms);
        latency = Some((rate, p50, p99));
    }
    Ok((bursts, latency, parts))
}

fn clone(m: &corpus::Message) -> corpus::Message {
    corpus::Message { key: m.key.clone(), value: m.value.clone() }
}
