//! Writes the CRF training and dev attribute files of every language (the input of tools/train-ner/train.py).
//!
//! Usage: `ner_dump <shared/data/ner> <out dir> [lexicon dir]` (lexicon dir: `<lang>.clusters`, `<lang>.names`). Per language it writes `<lang>.train`,
//! `<lang>.dev` (token lines `LABEL<TAB>attr attr …`, blank line between sentences; attributes are hex hashes)
//! `<lang>.entity-words` (hashes of normalised word forms seen inside entities, with counts) and the lexicons
//! used, `<lang>.gazetteer` and `<lang>.model-clusters`.

use news_enricher::contract::EntityType;
use news_enricher::ner::corpus::{self, Sentence, LANGUAGES};
use news_enricher::ner::tag::parse_type;
use news_enricher::ner::{Clusters, Lexicons, Scratch};
use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

fn write_set(path: &Path, sentences: &[Sentence], lex: &Lexicons) -> anyhow::Result<()> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let mut scratch = Scratch::default();
    for s in sentences {
        let tokens: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        for (attrs, tag) in scratch.attributes(&tokens, lex).zip(&s.tags) {
            write!(w, "{tag}\t")?;
            for (k, a) in attrs.iter().enumerate() {
                write!(w, "{}{a:016x}", if k == 0 { "" } else { " " })?;
            }
            writeln!(w)?;
        }
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

fn read_clusters(path: &Path) -> anyhow::Result<Clusters> {
    let mut c = Clusters::default();
    if let Ok(text) = std::fs::read_to_string(path) {
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() >= 3 {
                c.insert(u64::from_str_radix(f[0], 16)?, (u64::from_str_radix(f[1], 16)?, f[2].parse()?));
            }
        }
    }
    Ok(c)
}

/// Names lines `CLASS<TAB>name` (tools/train-ner/gazetteer.py); a missing file is an empty list.
fn read_names(path: &Path) -> anyhow::Result<Vec<(String, EntityType)>> {
    let Ok(text) = std::fs::read_to_string(path) else { return Ok(Vec::new()) };
    Ok(text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(t, name)| parse_type(t).map(|t| (name.to_string(), t)))
        .collect())
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let ner_dir = PathBuf::from(args.get(1).map_or("../shared/data/ner", String::as_str));
    let out = PathBuf::from(args.get(2).map_or(".cache/ner", String::as_str));
    let lex_dir = args.get(3).map(PathBuf::from);
    std::fs::create_dir_all(&out)?;
    for lang in LANGUAGES {
        let Some(splits) = corpus::splits(&ner_dir, lang) else { continue };
        let splits = splits?;
        let mut lex = Lexicons::default();
        if let Some(d) = &lex_dir {
            lex.clusters = read_clusters(&d.join(format!("{lang}.clusters")))?;
            for (name, t) in read_names(&d.join(format!("{lang}.names")))? {
                lex.gazetteer.insert(&name, t);
            }
        }
        // The lexicons the attributes were computed with go into the model file (train.py reads these two
        // files), so tagging always sees the same clusters and gazetteer matches as training did.
        let mut w = BufWriter::new(std::fs::File::create(out.join(format!("{lang}.gazetteer")))?);
        for (key, bits) in lex.gazetteer.entries() {
            writeln!(w, "{key:016x}\t{bits}")?;
        }
        w.flush()?;
        let mut w = BufWriter::new(std::fs::File::create(out.join(format!("{lang}.model-clusters")))?);
        for (word, (path, len)) in &lex.clusters {
            writeln!(w, "{word:016x}\t{path:x}\t{len}")?;
        }
        w.flush()?;
        write_set(&out.join(format!("{lang}.train")), &splits.train, &lex)?;
        // All dev sets together: python-crfsuite tags them so `ner_eval --compare` can check the Rust decoder.
        let dev: Vec<Sentence> = splits.dev.iter().flat_map(|d| d.sentences.clone()).collect();
        write_set(&out.join(format!("{lang}.dev")), &dev, &lex)?;
        let words = entity_words(&splits.train);
        let mut w = BufWriter::new(std::fs::File::create(out.join(format!("{lang}.entity-words")))?);
        for (h, n) in words {
            writeln!(w, "{h:016x}\t{n}")?;
        }
        w.flush()?;
        eprintln!("{lang}: {} train sentences, {} dev sentences", splits.train.len(), dev.len());
    }
    Ok(())
}

/// Normalised word forms seen inside entities, with their counts.
fn entity_words(sentences: &[Sentence]) -> BTreeMap<u64, u32> {
    let mut counts = BTreeMap::new();
    for (w, t) in sentences.iter().flat_map(|s| s.tokens.iter().zip(&s.tags)) {
        if t.entity_type().is_some() {
            *counts.entry(news_enricher::ner::word_hash(w)).or_default() += 1;
        }
    }
    counts
}
