//! Scores the cleanup stage on the dev sets: `cargo run --release --example eval_cleanup [SHARED_DATA_DIR]`.
//! Prints the table and exits 1 when a metric falls under its floor (the same check CI runs). With
//! `--misses`, also prints every title, author and date the stage got wrong, one per line; `--hidden-dates` scores
//! the stage with `cleanup.hidden_dates = true` (the trade-off table in docs/QUALITY.md).

use std::path::PathBuf;
use std::process::ExitCode;

use news_enricher::cleanup::{eval, Cleaner, CleanupSettings};

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_misses = args.iter().any(|a| a == "--misses");
    let data = args.iter().find(|a| !a.starts_with("--")).map(PathBuf::from).unwrap_or_else(|| {
        let beside = root.join("../shared/data");
        if beside.is_dir() {
            beside
        } else {
            root.join("../../shared/data")
        }
    });
    let settings =
        CleanupSettings { hidden_dates: args.iter().any(|a| a == "--hidden-dates"), ..CleanupSettings::default() };
    let cleaner = match Cleaner::new(&settings) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("settings: {e}");
            return ExitCode::from(64);
        }
    };
    let report = match eval::run_eval(&data, &cleaner) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("eval: {e}");
            return ExitCode::FAILURE;
        }
    };
    if show_misses {
        for m in &report.misses {
            println!("{}\t{}\texpected: {}\tgot: {}", m.page, m.field, m.expected, m.got);
        }
    }
    print!("{report}");
    match report.check_floors() {
        Ok(()) => ExitCode::SUCCESS,
        Err(failures) => {
            for f in failures {
                eprintln!("floor: {f}");
            }
            ExitCode::FAILURE
        }
    }
}
