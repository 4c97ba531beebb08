//! Build script: bakes the git revision into the binary as `NEWS_ENRICHER_REVISION`, for the
//! `news_enricher_build_info` metric and `--version` readers.
//!
//! An explicit `NEWS_ENRICHER_REVISION` wins (container builds have no `.git`: pass it as a build argument);
//! otherwise `git rev-parse` asks the checkout; with neither, the binary reports `unknown`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=NEWS_ENRICHER_REVISION");
    if let Some(explicit) = std::env::var("NEWS_ENRICHER_REVISION").ok().filter(|r| !r.is_empty()) {
        println!("cargo:rustc-env=NEWS_ENRICHER_REVISION={explicit}");
        return;
    }
    let Some(revision) = git(&["rev-parse", "--short=12", "HEAD"]) else { return };
    println!("cargo:rustc-env=NEWS_ENRICHER_REVISION={revision}");
    // Rebuild when HEAD moves: a commit rewrites the branch ref (or packed-refs), a checkout rewrites HEAD.
    // Worktrees keep HEAD in their own git dir and refs in the common one. Only existing files are named,
    // since cargo treats a missing one as always changed.
    let dir = |args: &[&str]| git(args).map(PathBuf::from);
    let mut watched: Vec<PathBuf> = Vec::new();
    if let Some(git_dir) = dir(&["rev-parse", "--git-dir"]) {
        watched.push(git_dir.join("HEAD"));
    }
    if let Some(common) = dir(&["rev-parse", "--git-common-dir"]) {
        if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watched.push(common.join(head_ref));
        }
        watched.push(common.join("packed-refs"));
    }
    for path in watched.iter().filter(|p| Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
