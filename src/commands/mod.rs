//! The subcommands, each a function from settings and arguments to an exit code.

mod tools;

pub use tools::{detect, eval, extract, tag_conll};

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use tokio_util::sync::CancellationToken;
use tracing::info;

use crate::app::{build_pipeline, App};
use crate::contract::schema;
use crate::settings::Settings;

/// `check-config`: the resolved settings as TOML-like JSON, secrets masked.
pub fn check_config(settings: &Settings) -> anyhow::Result<ExitCode> {
    println!("{}", serde_json::to_string_pretty(settings)?);
    Ok(ExitCode::SUCCESS)
}

/// `schema`: writes (or checks) `docs/schema/*.json`.
pub fn schema(out: &Path, check: bool) -> anyhow::Result<ExitCode> {
    let mut stale = Vec::new();
    for (name, schema) in schema::all() {
        let rendered = schema::render(&schema)?;
        let path = out.join(name);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(rendered.as_str()) {
                stale.push(path.display().to_string());
            }
        } else {
            std::fs::create_dir_all(out)?;
            std::fs::write(&path, rendered).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    if stale.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("stale schemas (run `news-enricher schema`): {}", stale.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

/// `process`: JSON Lines through the pipeline; exit 1 when any line was dead-lettered.
pub fn process(settings: &Settings, input: &str, output: &str, dead_letter: Option<&Path>) -> anyhow::Result<ExitCode> {
    let pipeline = build_pipeline(settings)?;
    let summary = crate::offline::process_files(&pipeline, settings, input, output, dead_letter)?;
    eprintln!("{summary}");
    Ok(if summary.dead_lettered > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `run`: the Kafka service (or, with `embedded`, the service on an in-process cluster with sample data).
pub fn run(settings: Settings, embedded: Option<&Path>) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().thread_name("reactor").build()?;
    runtime.block_on(async move {
        let cancel = CancellationToken::new();
        tokio::spawn(cancel_on_signal(cancel.clone()));
        let pipeline = Arc::new(build_pipeline(&settings)?);
        match embedded {
            Some(samples) => crate::embedded::run(settings, pipeline, samples, cancel).await?,
            None => App::build(settings, pipeline, cancel).await?.run().await?,
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Cancels `cancel` on SIGTERM or SIGINT: the one path into shutdown besides a fatal error.
pub async fn cancel_on_signal(cancel: CancellationToken) {
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => info!("SIGINT received"),
        _ = terminate => info!("SIGTERM received"),
        _ = cancel.cancelled() => return,
    }
    cancel.cancel();
}
