//! `eval ner`: span-level exact-match precision, recall and F1 per class and micro-averaged, per language and
//! dev set, with CI floors.

use super::corpus::{self, LANGUAGES};
use super::tag::{token_spans, type_name};
use super::{NerError, NerModels};
use crate::contract::EntityType;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

/// Counts of one class (or all classes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted spans that match a gold span exactly (bounds and class).
    pub tp: usize,
    /// Predicted spans.
    pub predicted: usize,
    /// Gold spans.
    pub gold: usize,
}

impl Counts {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        pct(self.tp, self.predicted)
    }
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        pct(self.tp, self.gold)
    }
    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Scores of one model on one dev set.
#[derive(Debug, Clone)]
pub struct SetReport {
    /// Language.
    pub lang: String,
    /// Dev set name.
    pub dataset: String,
    /// Tokens scored.
    pub tokens: usize,
    /// Per class.
    pub per_class: BTreeMap<EntityType, Counts>,
    /// All classes.
    pub micro: Counts,
}

/// The report of `eval ner`.
#[derive(Debug, Clone, Default)]
pub struct NerReport {
    /// One entry per language and dev set.
    pub sets: Vec<SetReport>,
    /// Languages with data but no model.
    pub missing_models: Vec<String>,
}

/// Micro-F1 floors per (language, dev set), about one point under what the committed models reach
/// (docs/QUALITY.md); decoding is deterministic, so a drop below one is a real regression.
pub const FLOORS: &[(&str, &str, f64)] = &[
    ("ar", "anercorp-dev", 67.0),
    ("en", "wikigold-dev", 49.0),
    ("en", "wikiann-en-dev", 68.7),
    ("fr", "wikiann-fr-dev", 82.5),
    ("ru", "factrueval-dev", 71.0),
];

impl NerReport {
    /// Fails naming each set below its floor (or missing).
    pub fn check_floors(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for (lang, set, floor) in FLOORS {
            match self.sets.iter().find(|s| s.lang == *lang && s.dataset == *set) {
                Some(s) if s.micro.f1() >= *floor => {}
                Some(s) => errors.push(format!("{lang}/{set}: micro F1 {:.1} below floor {floor:.1}", s.micro.f1())),
                None => errors.push(format!("{lang}/{set}: not evaluated")),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Scores every model on its language's dev sets under `shared_data_dir` (`shared/data`).
pub fn run_eval(shared_data_dir: &Path, models: &NerModels) -> Result<NerReport, NerError> {
    let ner_dir = shared_data_dir.join("ner");
    let mut report = NerReport::default();
    for lang in LANGUAGES {
        if models.model(lang).is_none() {
            report.missing_models.push(lang.to_string());
            continue;
        }
        let Some(splits) = corpus::splits(&ner_dir, lang) else { continue };
        for set in splits?.dev {
            let mut r = SetReport {
                lang: lang.to_string(),
                dataset: set.name.clone(),
                tokens: 0,
                per_class: BTreeMap::new(),
                micro: Counts::default(),
            };
            for s in &set.sentences {
                let tokens: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
                let predicted = models.tag_tokens(lang, &tokens).unwrap_or_default();
                score(&token_spans(&s.tags), &token_spans(&predicted), &mut r);
                r.tokens += tokens.len();
            }
            report.sets.push(r);
        }
    }
    Ok(report)
}

type Span = (usize, usize, EntityType);

fn score(gold: &[Span], predicted: &[Span], r: &mut SetReport) {
    let gold_set: HashSet<&Span> = gold.iter().collect();
    for g in gold {
        r.per_class.entry(g.2).or_default().gold += 1;
        r.micro.gold += 1;
    }
    for p in predicted {
        let hit = usize::from(gold_set.contains(p));
        let c = r.per_class.entry(p.2).or_default();
        c.predicted += 1;
        c.tp += hit;
        r.micro.predicted += 1;
        r.micro.tp += hit;
    }
}

impl fmt::Display for NerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<5} {:<16} {:<6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "lang", "set", "class", "P", "R", "F1", "gold", "pred"
        )?;
        for s in &self.sets {
            let rows = s.per_class.iter().map(|(t, c)| (type_name(*t), c)).chain([("micro", &s.micro)]);
            for (name, c) in rows {
                writeln!(
                    f,
                    "{:<5} {:<16} {:<6} {:>6.1} {:>6.1} {:>6.1} {:>6} {:>6}",
                    s.lang,
                    s.dataset,
                    name,
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    c.gold,
                    c.predicted
                )?;
            }
        }
        for l in &self.missing_models {
            writeln!(f, "{l}: no model")?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn exact_match_scoring() {
        let mut r = SetReport {
            lang: "xx".into(),
            dataset: "t".into(),
            tokens: 0,
            per_class: BTreeMap::new(),
            micro: Counts::default(),
        };
        let gold = [(0, 2, EntityType::Person), (3, 4, EntityType::Location)];
        let pred = [(0, 2, EntityType::Person), (3, 5, EntityType::Location), (6, 7, EntityType::Misc)];
        score(&gold, &pred, &mut r);
        assert_eq!(r.micro, Counts { tp: 1, predicted: 3, gold: 2 });
        assert!((r.micro.f1() - 40.0).abs() < 1e-9);
        assert_eq!(r.per_class[&EntityType::Misc], Counts { tp: 0, predicted: 1, gold: 0 });
    }
}
