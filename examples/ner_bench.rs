//! Tagging speed per language on one core: `ner_bench [shared/data] [models/ner] [seconds]`.
//!
//! Tags the dev sentences over and over (features with all templates on, Viterbi) and prints tokens per
//! second of this process's CPU time (so a machine shared with other jobs still measures one core's speed;
//! from `/proc/self/stat`, wall-clock time elsewhere), for pre-tokenised input (`tag_tokens`) and for running
//! text (`tag_text`, tokenizer included). Build with `--release`; speed lives here, never in tests.

use news_enricher::ner::corpus::{self, LANGUAGES};
use news_enricher::ner::NerModels;
use std::path::PathBuf;
use std::time::Instant;

/// User + system CPU seconds of this process (Linux), or `None`.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Seconds since `start` in CPU time when available, else wall-clock.
fn elapsed(start: (Instant, Option<f64>)) -> f64 {
    match (start.1, cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => start.0.elapsed().as_secs_f64(),
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let shared = PathBuf::from(args.get(1).map_or("../shared/data", String::as_str));
    let models = NerModels::load(&PathBuf::from(args.get(2).map_or("models/ner", String::as_str)))?;
    let budget: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3.0);
    for lang in LANGUAGES {
        let Some(model) = models.model(lang) else { continue };
        let Some(splits) = corpus::splits(&shared.join("ner"), lang) else { continue };
        let sentences: Vec<Vec<String>> =
            splits?.dev.iter().flat_map(|d| &d.sentences).map(|s| s.tokens.clone()).collect();
        let texts: Vec<String> = sentences.iter().map(|s| s.join(" ")).collect();
        let (mut tokens, mut entities, start) = (0usize, 0usize, (Instant::now(), cpu_seconds()));
        while elapsed(start) < budget {
            for s in &sentences {
                let words: Vec<&str> = s.iter().map(String::as_str).collect();
                let tags = models.tag_tokens(lang, &words).unwrap_or_default();
                entities += tags.iter().filter(|t| t.entity_type().is_some()).count();
                tokens += words.len();
            }
        }
        let per_s = tokens as f64 / elapsed(start);
        let (mut text_tokens, start) = (0usize, (Instant::now(), cpu_seconds()));
        while elapsed(start) < budget {
            for (t, s) in texts.iter().zip(&sentences) {
                entities += models.tag_text(lang, t).map_or(0, |v| v.len());
                text_tokens += s.len();
            }
        }
        let text_per_s = text_tokens as f64 / elapsed(start);
        println!(
            "{lang}: tag_tokens {:.0}k tokens/s, tag_text {:.0}k tokens/s ({} attributes; {entities} entity tags seen)",
            per_s / 1e3,
            text_per_s / 1e3,
            model.attributes()
        );
    }
    Ok(())
}
