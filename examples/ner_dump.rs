//! Writes the CRF training and dev attribute files of every language (the input of tools/train-ner/train.py).
//!
//! Usage: `ner_dump <shared/data/ner> <out dir> [clusters dir]`. Per language it writes `<lang>.train`,
//! `<lang>.dev` (token lines `LABEL<TAB>attr attr …`, blank line between sentences; attributes are hex hashes)
//! and `<lang>.entity-words` (hashes of normalised word forms seen inside entities).

use news_enricher::ner::corpus::{self, Sentence, LANGUAGES};
use news_enricher::ner::{Clusters, Scratch};
use std::collections::BTreeSet;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

fn write_set(path: &Path, sentences: &[Sentence], clusters: &Clusters) -> anyhow::Result<()> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let mut scratch = Scratch::default();
    for s in sentences {
        let tokens: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        for (attrs, tag) in scratch.attributes(&tokens, clusters).zip(&s.tags) {
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

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let ner_dir = PathBuf::from(args.get(1).map_or("../shared/data/ner", String::as_str));
    let out = PathBuf::from(args.get(2).map_or(".cache/ner", String::as_str));
    let cluster_dir = args.get(3).map(PathBuf::from);
    std::fs::create_dir_all(&out)?;
    for lang in LANGUAGES {
        let Some(splits) = corpus::splits(&ner_dir, lang) else { continue };
        let splits = splits?;
        let clusters = match &cluster_dir {
            Some(d) => read_clusters(&d.join(format!("{lang}.clusters")))?,
            None => Clusters::default(),
        };
        write_set(&out.join(format!("{lang}.train")), &splits.train, &clusters)?;
        // Only the first dev set is used for model selection; all are scored by `eval ner`.
        let dev: Vec<Sentence> = splits.dev.iter().flat_map(|d| d.sentences.clone()).collect();
        write_set(&out.join(format!("{lang}.dev")), &dev, &clusters)?;
        let words = entity_words(&splits.train);
        let mut w = BufWriter::new(std::fs::File::create(out.join(format!("{lang}.entity-words")))?);
        for h in words {
            writeln!(w, "{h:016x}")?;
        }
        w.flush()?;
        eprintln!("{lang}: {} train sentences, {} dev sentences", splits.train.len(), dev.len());
    }
    Ok(())
}

fn entity_words(sentences: &[Sentence]) -> BTreeSet<u64> {
    sentences
        .iter()
        .flat_map(|s| s.tokens.iter().zip(&s.tags))
        .filter(|(_, t)| t.entity_type().is_some())
        .map(|(w, _)| news_enricher::ner::word_hash(w))
        .collect()
}
