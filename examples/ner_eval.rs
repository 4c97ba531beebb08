//! Runs `eval ner` until the CLI wires it: `ner_eval [shared/data] [models/ner] [--compare DUMP_DIR]`.
//!
//! `--compare` also checks that the Rust decoder gives python-crfsuite's labels on every dev token
//! (`<lang>.dev.pred`, written by tools/train-ner/train.py).

use news_enricher::ner::corpus::{self, LANGUAGES};
use news_enricher::ner::{eval, NerModels};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&String> = args.iter().take_while(|a| !a.starts_with("--")).collect();
    let shared = PathBuf::from(positional.first().map_or("../shared/data", |s| s.as_str()));
    let models_dir = PathBuf::from(positional.get(1).map_or("models/ner", |s| s.as_str()));
    let models = NerModels::load(&models_dir)?;
    let report = eval::run_eval(&shared, &models)?;
    print!("{report}");
    println!("versions: {}", models.version());
    if let Some(dump) = args.iter().position(|a| a == "--compare").and_then(|i| args.get(i + 1)) {
        for lang in LANGUAGES {
            let Ok(pred) = std::fs::read_to_string(PathBuf::from(dump).join(format!("{lang}.dev.pred"))) else {
                continue;
            };
            let Some(splits) = corpus::splits(&shared.join("ner"), lang) else { continue };
            let expected: Vec<&str> = pred.lines().filter(|l| !l.is_empty()).collect();
            let mut got = Vec::new();
            for s in splits?.dev.iter().flat_map(|d| &d.sentences) {
                let tokens: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
                got.extend(models.tag_tokens(lang, &tokens).unwrap_or_default().iter().map(|t| t.to_string()));
            }
            let same = got.iter().zip(&expected).filter(|(a, b)| a == b).count();
            println!(
                "{lang}: rust and python-crfsuite agree on {same}/{} dev labels ({} expected)",
                got.len(),
                expected.len()
            );
        }
    }
    if let Err(errors) = report.check_floors() {
        for e in &errors {
            eprintln!("below floor: {e}");
        }
        std::process::exit(1);
    }
    Ok(())
}
