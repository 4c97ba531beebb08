//! news-enricher: starts telemetry, loads and validates config, runs the chosen command, turns the result into
//! an exit code (64 for configuration errors).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use news_enricher::cli::{Cli, Command};
use news_enricher::{commands, settings, telemetry};

/// `EX_CONFIG` from sysexits.h.
const EXIT_CONFIG: u8 = 64;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("news-enricher: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    telemetry::init(&settings.log);
    let result = match cli.command {
        Command::CheckConfig => commands::check_config(&settings),
        Command::Schema { out, check } => commands::schema(&out, check),
        Command::Process { input, output, dead_letter } => {
            commands::process(&settings, &input, &output, dead_letter.as_deref())
        }
        Command::Extract { file, url, content_type } => {
            commands::extract(&settings, &file, url.as_deref(), content_type.as_deref())
        }
        Command::Detect { input } => commands::detect(&settings, &input),
        Command::Tag { lang, .. } => commands::tag_conll(&settings, lang.as_deref()),
        Command::Eval { target, data, dump, half } => {
            let opts = news_enricher::cleanup::eval::EvalOptions { dump, half };
            commands::eval(&settings, target, &data, &opts)
        }
        Command::Replay { from, to, topic, output_topic, group, dry_run } => {
            let args = news_enricher::replay::ReplayArgs { from, to, topic, output_topic, group, dry_run };
            news_enricher::replay::command(settings, &args)
        }
        Command::Run { embedded, samples } => commands::run(settings, embedded.then_some(samples.as_path())),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "exiting on error");
            eprintln!("news-enricher: {e:#}");
            ExitCode::FAILURE
        }
    }
}
