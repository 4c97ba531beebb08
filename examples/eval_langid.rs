//! Runs the language detection evaluation on `../shared/data/langid/` until `news-enricher eval langid` exists.
//!
//! `cargo run --release --example eval_langid -- [key=value ...]`: each argument overrides one `[language]`
//! setting in TOML syntax (`fasttext_threshold=0.95`, `expected_languages=[]`), to compare variants.

use std::path::{Path, PathBuf};

use anyhow::Context;
use news_enricher::language::{eval, LanguageDetector, LanguageSettings};

fn main() -> anyhow::Result<()> {
    let overrides: Vec<String> = std::env::args().skip(1).collect();
    let settings: LanguageSettings = config::Config::builder()
        .add_source(config::Config::try_from(&LanguageSettings::default())?)
        .add_source(config::File::from_str(&overrides.join("\n"), config::FileFormat::Toml))
        .build()?
        .try_deserialize()
        .context("settings")?;
    let detector = LanguageDetector::new(&settings)?;
    // `../shared` beside the repository as CI lays it out, unless NEWS_ENRICHER_SHARED_DIR says otherwise.
    let shared = std::env::var_os("NEWS_ENRICHER_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
        .join("data");
    let report = eval::run_eval(&shared, &detector)?;
    println!("settings: {}", overrides.join(" "));
    print!("{report}");
    match report.check_floors() {
        Ok(()) => println!("floors: ok"),
        Err(missed) => println!("floors missed:\n  {}", missed.join("\n  ")),
    }
    Ok(())
}
