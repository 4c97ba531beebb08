//! Reads the per-stage results criterion leaves in `target/criterion` (median time and bytes per item) into a
//! Markdown table, so `docs/BENCHMARKS.md` carries both the stage and the end-to-end figures of one run.

use std::fmt::Write;
use std::path::Path;

use serde_json::Value;

/// One table row per benchmark found; a note when there are none (criterion did not run).
pub fn table(dir: &Path) -> String {
    let mut rows = Vec::new();
    for estimates in find(dir, "estimates.json") {
        let Some(new) = estimates.parent() else { continue };
        if new.file_name().is_none_or(|n| n != "new") {
            continue;
        }
        let read = |p: &Path| std::fs::read_to_string(p).ok().and_then(|s| serde_json::from_str::<Value>(&s).ok());
        let (Some(est), Some(meta)) = (read(&estimates), read(&new.join("benchmark.json"))) else { continue };
        let Some(ns) = est["median"]["point_estimate"].as_f64() else { continue };
        let bytes = meta["throughput"]["Bytes"].as_f64();
        let name = meta["full_id"].as_str().unwrap_or("?").to_owned();
        rows.push((name, ns, bytes));
    }
    if rows.is_empty() {
        return format!("No criterion results under `{}` (run `cargo bench --bench stages`).\n", dir.display());
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::from(
        "| stage / input | input KB | µs per item (median) | items/s | MB/s |\n|---|---:|---:|---:|---:|\n",
    );
    for (name, ns, bytes) in rows {
        let us = ns / 1e3;
        let mbs = bytes.map(|b| format!("{:.1}", b / ns * 1e3)).unwrap_or("-".into());
        let kb = bytes.map(|b| format!("{:.1}", b / 1024.0)).unwrap_or("-".into());
        let _ = writeln!(out, "| {name} | {kb} | {us:.1} | {:.0} | {mbs} |", 1e6 / us);
    }
    out
}

fn find(dir: &Path, name: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == name) {
                found.push(p);
            }
        }
    }
    found
}
