//! Link evaluation: precision and recall of `(mention text, Wikidata id)` pairs over a JSON Lines test set.
//!
//! Each line: `{"lang": "ar", "title": null, "text": "...", "expect": [["بوتين", "Q7747"], ...]}`. Every
//! linked mention the tagger outputs that is not expected counts against precision (so sentences with an
//! empty `expect` test that ordinary words stay unlinked); every expected pair not produced counts against
//! recall. A predicted pair matches an expected one with the same id and the same text, or a text that
//! contains or is contained in it (article and title conventions differ between KBs: `The Pentagon`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::EntityTagger;

/// One test sentence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkCase {
    /// Language of the sentence.
    pub lang: String,
    /// Optional title.
    #[serde(default)]
    pub title: Option<String>,
    /// The text.
    pub text: String,
    /// Expected `(mention as written, Q-id)` pairs, in any order.
    pub expect: Vec<(String, String)>,
}

/// Counts of one evaluation run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkEval {
    /// Expected pairs.
    pub gold: usize,
    /// Linked mentions output.
    pub predicted: usize,
    /// Output pairs that were expected.
    pub correct: usize,
    /// `(lang, gold, predicted, correct)` per language.
    pub per_lang: BTreeMap<String, (usize, usize, usize)>,
    /// Human-readable misses and false links.
    pub errors: Vec<String>,
}

impl LinkEval {
    /// correct / predicted (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }

    /// correct / gold (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Parses a JSON Lines test set (blank and `#` lines skipped).
pub fn parse_cases(text: &str) -> Result<Vec<LinkCase>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", n + 1)))
        .collect()
}

/// Tags every case, prints precision/recall overall and per language plus each error, and returns the counts.
pub fn run_link_eval(tagger: &EntityTagger, cases: &[LinkCase]) -> LinkEval {
    let mut eval = LinkEval::default();
    for case in cases {
        let tagged = tagger.tag(case.title.as_deref(), &case.text, &case.lang);
        let mut expected: Vec<(String, String)> = case.expect.clone();
        let mut predicted = 0;
        let mut correct = 0;
        for e in &tagged.entities {
            let Some(id) = &e.kb_id else { continue };
            predicted += 1;
            // Exact text first; else a span that contains or is contained in the expected one (`The Pentagon`
            // for `Pentagon`) with the same id still counts, as boundary conventions differ.
            let exact = expected.iter().position(|(t, q)| t == &e.text && q == id);
            let near =
                || expected.iter().position(|(t, q)| q == id && (e.text.contains(t.as_str()) || t.contains(&e.text)));
            match exact.or_else(near) {
                Some(i) => {
                    expected.swap_remove(i);
                    correct += 1;
                }
                None => eval.errors.push(format!("[{}] false link {:?} -> {id} in {:?}", case.lang, e.text, case.text)),
            }
        }
        for (t, q) in &expected {
            eval.errors.push(format!("[{}] missed {t:?} -> {q} in {:?}", case.lang, case.text));
        }
        let slot = eval.per_lang.entry(case.lang.clone()).or_default();
        slot.0 += case.expect.len();
        slot.1 += predicted;
        slot.2 += correct;
        eval.gold += case.expect.len();
        eval.predicted += predicted;
        eval.correct += correct;
    }
    println!(
        "link eval: {} cases, gold {}, predicted {}, correct {}: precision {:.3}, recall {:.3}",
        cases.len(),
        eval.gold,
        eval.predicted,
        eval.correct,
        eval.precision(),
        eval.recall()
    );
    for (lang, (g, p, c)) in &eval.per_lang {
        println!("  {lang}: gold {g}, predicted {p}, correct {c}: P {:.3} R {:.3}", ratio(*c, *p), ratio(*c, *g));
    }
    for e in &eval.errors {
        println!("  {e}");
    }
    eval
}
