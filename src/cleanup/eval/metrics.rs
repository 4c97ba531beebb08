//! The benchmark metrics: ScrapingHub shingle counts, WCXB word F1, trafilatura snippets, field matches.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

static TOKEN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"[\p{L}\p{N}_]+").ok());

/// Arabic harakat, superscript alef and tatweel, stripped before tokenising as the benchmarks do.
fn strip_diacritics(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')).collect()
}

/// Tokens: runs of letters, digits and `_`, case kept.
pub fn tokens(s: &str) -> Vec<String> {
    let s = strip_diacritics(s);
    TOKEN.as_ref().map_or_else(Vec::new, |re| re.find_iter(&s).map(|m| m.as_str().to_owned()).collect())
}

fn shingles(s: &str) -> HashMap<Vec<String>, usize> {
    let toks = tokens(s);
    let mut out = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() < 4 {
        out.insert(toks, 1);
        return out;
    }
    for w in toks.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// Per-page shingle counts normalised to sum to 1: `(tp, fp, fn)`, or `None` when both sides are empty.
pub fn shingle_counts(predicted: &str, truth: &str) -> Option<(f64, f64, f64)> {
    let p = shingles(predicted);
    let t = shingles(truth);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (k, &n) in &p {
        let m = t.get(k).copied().unwrap_or(0);
        tp += n.min(m);
        fp += n.saturating_sub(m);
    }
    for (k, &m) in &t {
        fn_ += m.saturating_sub(p.get(k).copied().unwrap_or(0));
    }
    let total = (tp + fp + fn_) as f64;
    (total > 0.0).then(|| (tp as f64 / total, fp as f64 / total, fn_ as f64 / total))
}

/// Bag-of-words F1 on lower-cased tokens; both empty counts as a perfect match.
pub fn word_f1(predicted: &str, truth: &str) -> f64 {
    let bag = |s: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for t in tokens(s) {
            *m.entry(t.to_lowercase()).or_insert(0) += 1;
        }
        m
    };
    let (p, t) = (bag(predicted), bag(truth));
    let (np, nt): (usize, usize) = (p.values().sum(), t.values().sum());
    if np == 0 && nt == 0 {
        return 1.0;
    }
    let common: usize = p.iter().map(|(k, &n)| n.min(t.get(k).copied().unwrap_or(0))).sum();
    if common == 0 {
        return 0.0;
    }
    let (precision, recall) = (common as f64 / np as f64, common as f64 / nt as f64);
    2.0 * precision * recall / (precision + recall)
}

/// Whitespace-collapsed form used for snippet containment.
pub fn squash(s: &str) -> String {
    strip_diacritics(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Title equality up to case, punctuation and spacing.
pub fn same_title(predicted: &str, truth: &str) -> bool {
    let key = |s: &str| tokens(s).iter().map(|t| t.to_lowercase()).collect::<Vec<_>>();
    let (p, t) = (key(predicted), key(truth));
    !t.is_empty() && p == t
}

/// Author match: the same set of name words, ignoring list words and order.
pub fn same_authors(predicted: &[String], truth: &str) -> bool {
    let key = |s: &str| {
        let mut words: Vec<String> = tokens(s)
            .iter()
            .map(|t| t.to_lowercase())
            .filter(|t| !matches!(t.as_str(), "and" | "by" | "und" | "et" | "y"))
            .collect();
        words.sort();
        words.dedup();
        words
    };
    let t = key(truth);
    !t.is_empty() && key(&predicted.join(", ")) == t
}

/// Date match on the calendar date (the truth may be `YYYY-MM-DD` or `YYYY-MM`).
pub fn same_date(predicted: Option<&str>, truth: &str) -> bool {
    let truth = truth.trim();
    predicted.is_some_and(|p| truth.len() >= 7 && p.starts_with(&truth[..truth.len().min(10)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_follow_the_benchmark_definition() {
        assert_eq!(shingle_counts("a b c d e", "a b c d e"), Some((1.0, 0.0, 0.0)));
        let (tp, fp, fn_) = shingle_counts("a b c d", "a b c d e").unwrap_or_default();
        assert!((tp - 0.5).abs() < 1e-9 && fp == 0.0 && (fn_ - 0.5).abs() < 1e-9);
        assert_eq!(shingle_counts("", ""), None);
        assert_eq!(tokens("كَتَبَ الولد"), vec!["كتب", "الولد"]);
    }

    #[test]
    fn word_f1_is_a_bag_of_words_score() {
        assert!((word_f1("The cat sat", "the cat sat") - 1.0).abs() < 1e-9);
        assert!((word_f1("cat", "cat dog") - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(word_f1("x", "y"), 0.0);
    }

    #[test]
    fn field_matches() {
        assert!(same_title("Big News: Today!", "big news today"));
        assert!(same_authors(&["Ann Lee".into(), "Bo Kim".into()], "Bo Kim and Ann Lee"));
        assert!(same_date(Some("2024-11-18T13:10:00"), "2024-11-18"));
        assert!(!same_date(None, "2024-11-18"));
    }
}
