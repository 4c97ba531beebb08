//! Command-line interface: one binary, one subcommand per job.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Cleans news articles, detects their language and links the entities they mention, from Kafka to Kafka
/// (`run`) or from file to file (`process`).
#[derive(Debug, Parser)]
#[command(name = "news-enricher", version, about)]
pub struct Cli {
    /// Settings file layered over the built-in defaults (environment variables NEWS_ENRICHER__SECTION__KEY
    /// override both).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Kafka service: consume, enrich, produce, until SIGTERM/SIGINT.
    Run {
        /// Start an in-process Kafka cluster, load the sample articles into it, print the enriched records.
        #[arg(long)]
        embedded: bool,
        /// Sample articles for `--embedded` (a folder with manifest.jsonl).
        #[arg(long, value_name = "DIR", default_value = "samples/articles")]
        samples: PathBuf,
    },
    /// Re-run a range of the input topic through the pipeline into an output topic, then exit; resumable.
    Replay {
        /// Start: an RFC 3339 time (`2024-11-01T00:00:00Z`), `earliest`, or `partition:offset,...`.
        #[arg(long)]
        from: String,
        /// End (exclusive): an RFC 3339 time, `now` (the log end when first started), or `partition:offset,...`.
        #[arg(long, default_value = "now")]
        to: String,
        /// Topic to read; the configured input topic when absent.
        #[arg(long)]
        topic: Option<String>,
        /// Topic to write, e.g. `articles.enriched.v2`; the configured output topic when absent.
        #[arg(long)]
        output_topic: Option<String>,
        /// Consumer group holding the progress; derived from topic, bounds and output when absent.
        #[arg(long)]
        group: Option<String>,
        /// Print the resolved offset ranges and the message count, and exit without processing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Enrich JSON Lines of input messages into JSON Lines of records, through the same pipeline.
    Process {
        /// Input file, or `-` for standard input.
        #[arg(long, short, default_value = "-")]
        input: String,
        /// Output file, or `-` for standard output.
        #[arg(long, short, default_value = "-")]
        output: String,
        /// Write dead-letter records here (JSON Lines); without it, a line per failure goes to stderr.
        #[arg(long, value_name = "FILE")]
        dead_letter: Option<PathBuf>,
    },
    /// Clean one page (HTML or text) and print title, text, authors and date as JSON.
    Extract {
        /// The page, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// The page's URL.
        #[arg(long)]
        url: Option<String>,
        /// `text/html` or `text/plain`; sniffed when absent.
        #[arg(long)]
        content_type: Option<String>,
    },
    /// Detect the language of each input line: one `code<TAB>confidence` line out per line in.
    Detect {
        /// Input file, or `-` for standard input.
        #[arg(long, short, default_value = "-")]
        input: String,
    },
    /// Tag token-per-line (CoNLL) text with the entity stage, appending an IOB2 tag column.
    Tag {
        /// Read and write CoNLL (the only format).
        #[arg(long, required = true)]
        conll: bool,
        /// Language of the text; detected per sentence when absent.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Score a stage on the development data and check the quality floors (exit 1 below a floor).
    Eval {
        /// What to score.
        #[arg(value_enum)]
        target: EvalTarget,
        /// The development data folder.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Cleanup only: write one JSON line per page (truth beside output, where the date came from).
        #[arg(long)]
        dump: Option<PathBuf>,
        /// Cleanup only: score the `even` or `odd` pages (floors are not checked on a half).
        #[arg(long)]
        half: Option<crate::cleanup::eval::Half>,
    },
    /// Print the resolved configuration (secrets masked), or the errors, and exit.
    CheckConfig,
    /// Write the JSON Schemas of the three records (or check that the committed ones are current).
    Schema {
        /// Directory to write to.
        #[arg(long, default_value = "docs/schema")]
        out: PathBuf,
        /// Exit non-zero if the files differ from the generated schemas instead of writing them.
        #[arg(long)]
        check: bool,
    },
}

/// What `eval` scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalTarget {
    /// Main text, title, author and date extraction.
    Cleanup,
    /// Language detection.
    Langid,
    /// The statistical entity tagger.
    Ner,
    /// Knowledge-base linking on the project's linking test set.
    Linking,
}
