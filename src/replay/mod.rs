//! `news-enricher replay`: re-runs a range of the input topic through the same runtime as the service (the
//! poll loop, worker pool, pipeline and at-least-once sink), with an explicit assignment instead of a
//! subscription, each partition stopping at its end offset, and exits when all of them got there.
//!
//! Resumable: progress is the replay group's committed offsets (stored only after delivery, as in the service)
//! and the end offsets are frozen in Kafka at first start, so the same command continues where it stopped.

pub mod plan;
pub mod progress;
pub mod range;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use rdkafka::error::KafkaError;
use rdkafka::{Offset, TopicPartitionList};
use tokio_util::sync::CancellationToken;
use tracing::info;

use crate::app::{build_pipeline, App, AppError, Input};
use crate::contract::ReplayInfo;
use crate::kafka::bounds::Bounds;
use crate::settings::Settings;
use plan::Identity;
use progress::{Reporter, Track};
use range::{Bound, PartitionRange};

/// How long broker lookups (metadata, watermarks, offsets-for-times, committed offsets) may take.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How often progress is logged when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(10);
/// Exit code of a replay stopped before its end (signal, or a drain that timed out): run it again to continue.
/// `EX_TEMPFAIL` from sysexits.h.
pub const EXIT_INCOMPLETE: u8 = 75;

/// Why a replay could not be planned or run.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// A bound or topic the command was given does not make sense.
    #[error("{0}")]
    Spec(String),
    /// The broker could not answer.
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    /// The runtime could not start or stopped on a fatal error.
    #[error(transparent)]
    App(#[from] AppError),
}

/// The command line of `replay`.
#[derive(Debug, Clone)]
pub struct ReplayArgs {
    /// `--from`, as given.
    pub from: String,
    /// `--to`, as given.
    pub to: String,
    /// `--topic`; the configured input topic when absent.
    pub topic: Option<String>,
    /// `--output-topic`; the configured output topic when absent.
    pub output_topic: Option<String>,
    /// `--group`; derived from the parameters when absent.
    pub group: Option<String>,
    /// `--dry-run`.
    pub dry_run: bool,
}

/// The `replay` subcommand: [`run`], with a bad bound or topic reported as a usage error (exit 64).
pub fn command(settings: Settings, args: &ReplayArgs) -> anyhow::Result<ExitCode> {
    match run(settings, args) {
        Err(ReplayError::Spec(why)) => {
            eprintln!("news-enricher replay: {why}");
            Ok(ExitCode::from(64))
        }
        other => Ok(other?),
    }
}

/// Plans the replay, then (unless `--dry-run`) runs it to the end or until a signal.
pub fn run(mut settings: Settings, args: &ReplayArgs) -> Result<ExitCode, ReplayError> {
    let (from, to) = (Bound::parse(&args.from)?, Bound::parse(&args.to)?);
    range::validate(&from, &to)?;
    let topic = args.topic.clone().unwrap_or_else(|| settings.kafka.input_topic.clone());
    if topic.contains(',') || topic.trim().is_empty() {
        return Err(ReplayError::Spec(format!("replay reads one topic; pass --topic (input is `{topic}`)")));
    }
    let output = args.output_topic.clone().unwrap_or_else(|| settings.kafka.output_topic.clone());
    if output == topic || output == settings.kafka.dead_letter_topic {
        return Err(ReplayError::Spec(format!("--output-topic `{output}` is the input or dead-letter topic")));
    }
    if args.group.as_deref() == Some(settings.kafka.group_id.as_str()) {
        // Committing replay progress there would move the live service's offsets.
        return Err(ReplayError::Spec(format!(
            "--group `{}` is the service's group (kafka.group_id)",
            settings.kafka.group_id
        )));
    }
    let id = Identity::derive(&topic, &args.from, &args.to, &output, args.group.as_deref());
    let base = settings.kafka.consumer_config(settings.pipeline.max_message_bytes.as_u64());
    let progress_client = plan::group_client(&base, &id.group)?;
    let mut ranges = range::resolve(&progress_client, &topic, &from, &to, LOOKUP_TIMEOUT)?;
    let partitions: Vec<i32> = ranges.iter().map(|r| r.partition).collect();
    let plan_client = plan::group_client(&base, &id.plan_group())?;
    let frozen = plan::committed(&plan_client, &topic, &partitions, LOOKUP_TIMEOUT)?;
    let resumed = plan::apply_frozen(&mut ranges, &frozen);
    if !resumed && !args.dry_run {
        // Freeze before the first message: a restart must not stretch `--to now` to a later now.
        plan::freeze_ends(&plan_client, &topic, &ranges)?;
    }
    let committed = plan::committed(&progress_client, &topic, &partitions, LOOKUP_TIMEOUT)?;
    let starts = plan::resume_points(&ranges, &committed);
    drop((plan_client, progress_client));

    let tracks: Vec<Track> = ranges.iter().zip(&starts).map(|(r, &s)| Track { range: *r, resumed_at: s }).collect();
    let total: u64 = ranges.iter().map(PartitionRange::len).sum();
    let remaining: u64 = tracks.iter().map(|t| u64::try_from(t.range.end - t.resumed_at).unwrap_or(0)).sum();
    if args.dry_run {
        print_plan(&topic, &output, &id, &tracks, resumed, total, remaining);
        return Ok(ExitCode::SUCCESS);
    }
    info!(run_id = %id.run_id, group = %id.group, topic, output, from = %args.from, to = %args.to, total, remaining,
        resumed, "replay planned");
    for t in &tracks {
        info!(
            partition = t.range.partition,
            start = t.range.start,
            end = t.range.end,
            from = t.resumed_at,
            "replay range"
        );
    }
    let todo: Vec<Track> = tracks.iter().filter(|t| t.resumed_at < t.range.end).cloned().collect();
    if todo.is_empty() {
        info!(run_id = %id.run_id, "replay already complete: nothing to do");
        return Ok(ExitCode::SUCCESS);
    }

    let mut start = TopicPartitionList::new();
    let mut ends = BTreeMap::new();
    for t in &todo {
        start.add_partition_offset(&topic, t.range.partition, Offset::Offset(t.resumed_at))?;
        ends.insert((topic.clone(), t.range.partition), t.range.end);
    }
    settings.kafka.input_topic = topic.clone();
    settings.kafka.output_topic = output.clone();
    settings.kafka.group_id = id.group.clone();
    // Static membership is for subscriptions; a replay never joins the group.
    settings.kafka.instance_id = String::new();
    let replay = ReplayInfo { run_id: id.run_id.clone(), from: args.from.clone(), to: args.to.clone() };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("reactor")
        .build()
        .map_err(|e| ReplayError::App(AppError::Http(e)))?;
    let client_config = settings.kafka.consumer_config(settings.pipeline.max_message_bytes.as_u64());
    let reporter_topic = topic.clone();
    runtime.block_on(async move {
        let cancel = CancellationToken::new();
        tokio::spawn(crate::commands::cancel_on_signal(cancel.clone()));
        let pipeline = Arc::new(build_pipeline(&settings)?.with_replay(Some(replay)));
        let bounds = Arc::new(Bounds::new(ends));
        let input = Input::Assign { start, bounds };
        let app = App::build_with(settings, pipeline, cancel, input).await?;
        let terminal = std::io::stderr().is_terminal();
        let reporter = Reporter::start(reporter_topic, tracks, app.shared(), terminal, LOG_EVERY);
        let result = app.run().await;
        reporter.finish();
        result?;
        Ok::<_, ReplayError>(())
    })?;
    // Complete means committed, not merely read: check the group's offsets against the ends.
    let progress_client = plan::group_client(&client_config, &id.group)?;
    let committed = plan::committed(&progress_client, &topic, &partitions, LOOKUP_TIMEOUT)?;
    let behind: Vec<i32> = todo
        .iter()
        .filter(|t| committed.get(&t.range.partition).is_none_or(|&c| c < t.range.end))
        .map(|t| t.range.partition)
        .collect();
    if behind.is_empty() {
        info!(run_id = %id.run_id, total, "replay complete: every partition committed up to its end offset");
        Ok(ExitCode::SUCCESS)
    } else {
        let hint = "replay stopped before its end; run the same command to continue";
        tracing::warn!(run_id = %id.run_id, partitions = ?behind, "{hint}");
        Ok(ExitCode::from(EXIT_INCOMPLETE))
    }
}

fn print_plan(topic: &str, output: &str, id: &Identity, tracks: &[Track], resumed: bool, total: u64, remaining: u64) {
    println!("replay {} of `{topic}` into `{output}` (group {})", id.run_id, id.group);
    if resumed {
        println!("end offsets frozen by an earlier start of this command");
    }
    for t in tracks {
        let left = t.range.end - t.resumed_at;
        println!("  {}  (resume at {}, {left} left)", t.range, t.resumed_at);
    }
    println!("messages: {total} ({remaining} left)");
}
