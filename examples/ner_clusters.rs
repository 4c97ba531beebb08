//! Builds hierarchical word clusters (bit paths, like Brown clusters) from unlabelled tokens: each language's
//! NER training split, read without its labels. Usage: `ner_clusters <shared/data/ner> <out dir>`; writes
//! `<lang>.clusters` lines `word-hash<TAB>path-hex<TAB>path-length`.
//!
//! Hand-written: no maintained Rust crate does Brown clustering, and its exact agglomerative algorithm is too
//! slow to rerun on every `make train`. This is a divisive stand-in: words are described by PPMI-weighted
//! counts of their left and right neighbours, then split recursively by spherical 2-means (deterministic
//! seeding), each split adding one bit to the path.

use news_enricher::ner::corpus::{self, LANGUAGES};
use news_enricher::ner::lexicons::token_key;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

const MIN_COUNT: usize = 2;
const MAX_WORDS: usize = 40_000;
const CONTEXTS: usize = 3_000;
const DEPTH: u8 = 16;

type Vector = Vec<(u32, f32)>;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let ner_dir = PathBuf::from(args.get(1).map_or("../shared/data/ner", String::as_str));
    let out = PathBuf::from(args.get(2).map_or(".cache/ner", String::as_str));
    std::fs::create_dir_all(&out)?;
    for lang in LANGUAGES {
        let Some(splits) = corpus::splits(&ner_dir, lang) else { continue };
        let mut buf = String::new();
        let sentences: Vec<Vec<u64>> =
            splits?.train.iter().map(|s| s.tokens.iter().map(|t| token_key(t, &mut buf)).collect()).collect();
        let paths = cluster(&sentences);
        let mut w = BufWriter::new(std::fs::File::create(out.join(format!("{lang}.clusters")))?);
        for (word, (path, len)) in &paths {
            writeln!(w, "{word:016x}\t{path:x}\t{len}")?;
        }
        w.flush()?;
        eprintln!("{lang}: {} words clustered", paths.len());
    }
    Ok(())
}

fn by_frequency(sentences: &[Vec<u64>]) -> Vec<u64> {
    let mut counts: HashMap<u64, usize> = HashMap::new();
    for s in sentences {
        for w in s {
            *counts.entry(*w).or_default() += 1;
        }
    }
    let mut words: Vec<(u64, usize)> = counts.into_iter().filter(|(_, c)| *c >= MIN_COUNT).collect();
    // Ties broken by hash so the order (and the clusters) never depend on map iteration order.
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    words.into_iter().map(|(w, _)| w).collect()
}

fn cluster(sentences: &[Vec<u64>]) -> Vec<(u64, (u64, u8))> {
    let words: Vec<u64> = by_frequency(sentences).into_iter().take(MAX_WORDS).collect();
    let index: HashMap<u64, usize> = words.iter().enumerate().map(|(i, w)| (*w, i)).collect();
    // Context ids: the most frequent words, once as a left and once as a right neighbour.
    let ctx = |w: u64| index.get(&w).copied().filter(|i| *i < CONTEXTS);
    let mut counts: Vec<HashMap<u32, f32>> = vec![HashMap::new(); words.len()];
    for s in sentences {
        for (k, w) in s.iter().enumerate() {
            let Some(&i) = index.get(w) else { continue };
            if let Some(c) = k.checked_sub(1).and_then(|j| ctx(s[j])) {
                *counts[i].entry(c as u32).or_default() += 1.0;
            }
            if let Some(c) = s.get(k + 1).and_then(|n| ctx(*n)) {
                *counts[i].entry((CONTEXTS + c) as u32).or_default() += 1.0;
            }
        }
    }
    let vectors = ppmi(&counts);
    let mut paths = vec![(0u64, 0u8); words.len()];
    let all: Vec<usize> = (0..words.len()).collect();
    split(&vectors, all, 0, 0, &mut paths);
    words.into_iter().zip(paths).collect()
}

/// Positive pointwise mutual information, rows L2-normalised.
fn ppmi(counts: &[HashMap<u32, f32>]) -> Vec<Vector> {
    let mut col = vec![0f32; 2 * CONTEXTS];
    let mut total = 0f32;
    for row in counts {
        for (c, n) in row {
            col[*c as usize] += n;
            total += n;
        }
    }
    counts
        .iter()
        .map(|row| {
            let rs: f32 = row.values().sum();
            let mut v: Vector = row
                .iter()
                .filter_map(|(c, n)| {
                    let pmi = (n * total / (rs * col[*c as usize])).ln();
                    (pmi > 0.0).then_some((*c, pmi))
                })
                .collect();
            v.sort_by_key(|x| x.0);
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-9);
            v.iter_mut().for_each(|x| x.1 /= norm);
            v
        })
        .collect()
}

fn dot(v: &Vector, c: &[f32]) -> f32 {
    v.iter().map(|(i, x)| x * c[*i as usize]).sum()
}

fn centroid(vectors: &[Vector], members: &[usize]) -> Vec<f32> {
    let mut c = vec![0f32; 2 * CONTEXTS];
    for m in members {
        for (i, x) in &vectors[*m] {
            c[*i as usize] += x;
        }
    }
    let norm = c.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
    c.iter_mut().for_each(|x| *x /= norm);
    c
}

/// Splits `members` in two by spherical 2-means seeded with the most frequent member and the member least
/// like it, and recurses; frequent words come first in `members`, so seeds are stable.
fn split(vectors: &[Vector], members: Vec<usize>, path: u64, depth: u8, paths: &mut [(u64, u8)]) {
    for m in &members {
        paths[*m] = (path, depth);
    }
    if depth >= DEPTH || members.len() < 4 {
        return;
    }
    let mut a = centroid(vectors, &members[..1]);
    let far = members.iter().copied().min_by(|x, y| dot(&vectors[*x], &a).total_cmp(&dot(&vectors[*y], &a)));
    let Some(far) = far else { return };
    let mut b = centroid(vectors, &[far]);
    let mut left = Vec::new();
    let mut right = Vec::new();
    for _ in 0..6 {
        left.clear();
        right.clear();
        for m in &members {
            if dot(&vectors[*m], &a) >= dot(&vectors[*m], &b) {
                left.push(*m);
            } else {
                right.push(*m);
            }
        }
        if left.is_empty() || right.is_empty() {
            return;
        }
        a = centroid(vectors, &left);
        b = centroid(vectors, &right);
    }
    split(vectors, left, path << 1, depth + 1, paths);
    split(vectors, right, path << 1 | 1, depth + 1, paths);
}
