//! Speed of the entity stage: KB load time and tagging time per 10 KB of article text.
//!
//! `cargo run --release --example entities_bench -- [--kb-dir DIR] [--extra FILE]... [--eval SET]... [--print] ARTICLE...`
//! (defaults: `config/kb`, the shared Arabic fixture). `--eval` also prints link precision/recall on a
//! JSON Lines linking set (`tests/data/linking.jsonl` format); `--print` lists each article's mentions.

use std::path::PathBuf;
use std::time::Instant;

use news_enricher::entities::eval::{parse_cases, run_link_eval};
use news_enricher::entities::{EntitySettings, EntityTagger};

fn main() -> anyhow::Result<()> {
    let mut settings = EntitySettings::default();
    let mut articles = Vec::new();
    let mut evals = Vec::new();
    let mut print = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--kb-dir" => settings.kb_dir = args.next().map(PathBuf::from).unwrap_or_default(),
            "--extra" => settings.extra_kb_files.extend(args.next().map(PathBuf::from)),
            "--eval" => evals.extend(args.next().map(PathBuf::from)),
            "--print" => print = true,
            _ => articles.push(PathBuf::from(arg)),
        }
    }
    if articles.is_empty() {
        articles.push(PathBuf::from("../shared/fixtures/article-ar-north-korea-russia.txt"));
    }
    let mut loads = Vec::new();
    let mut tagger = None;
    for _ in 0..5 {
        let t = Instant::now();
        tagger = Some(EntityTagger::new(&settings)?);
        loads.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let tagger = tagger.ok_or_else(|| anyhow::anyhow!("no tagger"))?;
    loads.sort_by(f64::total_cmp);
    println!(
        "kb {} entities, version {}: load median {:.0} ms (min {:.0})",
        tagger.kb_len(),
        tagger.kb_version(),
        loads[2],
        loads[0]
    );
    for path in evals {
        let cases = parse_cases(&std::fs::read_to_string(&path)?).map_err(anyhow::Error::msg)?;
        println!("{}:", path.display());
        run_link_eval(&tagger, &cases);
    }
    for path in articles {
        let text = std::fs::read_to_string(&path)?;
        if print {
            for e in tagger.tag(None, &text, "ar").entities {
                println!("  {}..{} {:?} {:?} {:?} {}", e.start, e.end, e.text, e.entity_type, e.kb_id, e.name);
            }
        }
        let runs = 200;
        let mut mentions = 0;
        let t = Instant::now();
        for _ in 0..runs {
            mentions = tagger.tag(None, &text, "ar").entities.len();
        }
        let ms = t.elapsed().as_secs_f64() * 1e3 / runs as f64;
        let per_10kb = ms * 10_240.0 / text.len() as f64;
        println!(
            "{}: {} bytes, {mentions} mentions, {ms:.2} ms per article, {per_10kb:.2} ms per 10 KB",
            path.display(),
            text.len()
        );
    }
    Ok(())
}
