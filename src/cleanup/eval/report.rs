//! The cleanup evaluation report: per-set accumulation, the printed table and the CI floors.

use std::fmt;

/// Scores on one dev set.
#[derive(Debug, Clone, Default)]
pub struct SetScores {
    /// Set name (`wcxb-dev-articles`, `trafilatura-eval`).
    pub name: String,
    /// Pages scored.
    pub pages: usize,
    /// Shingle precision, recall and F1 (pages with a full-text ground truth); `None` without one.
    pub shingle: Option<(f64, f64, f64)>,
    /// Mean word F1 over pages with a full-text ground truth.
    pub word_f1: Option<f64>,
    /// Share of `with` snippets kept and `without` snippets dropped, over all snippets.
    pub snippet_accuracy: f64,
    /// `with` snippets kept / all `with`.
    pub snippets_kept: f64,
    /// `without` snippets dropped / all `without`.
    pub snippets_dropped: f64,
    /// Snippet F1 as trafilatura's own evaluation scores it: a kept `with` is a true positive, a missing
    /// `with` a false negative, a kept `without` a false positive.
    pub snippet_f1: f64,
    /// Title right / pages with a title (and how many).
    pub title: (f64, usize),
    /// Authors right / pages with authors.
    pub author: (f64, usize),
    /// Date right / pages with a date.
    pub date: (f64, usize),
    /// Pages with a date in our output / pages whose truth says there is none; `None` when the set does not
    /// annotate the absence of a date.
    pub spurious_date: Option<(f64, usize)>,
    /// Pages cleaned per CPU-second of the cleaning thread (parsing included, file reading excluded).
    pub pages_per_cpu_second: f64,
}

/// One field the stage got wrong on one page, for looking into failures (`eval_cleanup --misses`).
#[derive(Debug, Clone)]
pub struct Miss {
    /// The page file.
    pub page: String,
    /// `title`, `author`, `date` or `spurious_date`.
    pub field: &'static str,
    /// What the ground truth says.
    pub expected: String,
    /// What the stage produced.
    pub got: String,
}

/// The whole evaluation.
#[derive(Debug, Clone, Default)]
pub struct CleanupReport {
    /// One row per dev set.
    pub sets: Vec<SetScores>,
    /// Every field missed, page by page.
    pub misses: Vec<Miss>,
    /// Scored on half of the pages: the floors, set for the whole sets, are not checked.
    pub partial: bool,
}

/// Minimums CI holds the stage to, set just under the figures measured in docs/QUALITY.md.
/// Speed is not floored here: it varies with the machine and lives in the table and the benchmarks.
const FLOORS: &[(&str, &str, f64)] = &[
    ("wcxb-dev-articles", "shingle_f1", 0.943),
    ("wcxb-dev-articles", "word_f1", 0.945),
    ("wcxb-dev-articles", "snippet_accuracy", 0.904),
    ("wcxb-dev-articles", "title", 0.865),
    ("wcxb-dev-articles", "author", 0.724),
    ("wcxb-dev-articles", "date", 0.858),
    ("trafilatura-eval", "snippet_accuracy", 0.884),
    ("trafilatura-eval", "title", 0.8),
    ("trafilatura-eval", "date", 0.838),
    ("trafilatura-eval", "author", 0.589),
];

/// Ceilings: the spurious-date rate may only go down.
const CEILINGS: &[(&str, &str, f64)] = &[("wcxb-dev-articles", "spurious_date", 0.115)];

impl SetScores {
    fn metric(&self, name: &str) -> Option<f64> {
        match name {
            "shingle_f1" => self.shingle.map(|s| s.2),
            "word_f1" => self.word_f1,
            "snippet_accuracy" => Some(self.snippet_accuracy),
            "snippet_f1" => Some(self.snippet_f1),
            "title" => Some(self.title.0),
            "author" => Some(self.author.0),
            "date" => Some(self.date.0),
            "spurious_date" => self.spurious_date.map(|s| s.0),
            _ => None,
        }
    }
}

impl CleanupReport {
    /// Checks every floor and ceiling; the error lists each metric out of bounds.
    pub fn check_floors(&self) -> Result<(), Vec<String>> {
        let mut failures = Vec::new();
        if self.partial {
            return Ok(());
        }
        for set in &self.sets {
            for &(name, metric, floor) in FLOORS.iter().filter(|f| f.0 == set.name) {
                match set.metric(metric) {
                    Some(v) if v + 1e-9 >= floor => {}
                    Some(v) => failures.push(format!("{name} {metric} {v:.4} is below the floor {floor:.4}")),
                    None => failures.push(format!("{name} {metric} was not measured")),
                }
            }
            for &(name, metric, ceiling) in CEILINGS.iter().filter(|f| f.0 == set.name) {
                if let Some(v) = set.metric(metric).filter(|v| *v > ceiling + 1e-9) {
                    failures.push(format!("{name} {metric} {v:.4} is above the ceiling {ceiling:.4}"));
                }
            }
        }
        if self.sets.is_empty() {
            failures.push("no dev set was scored".to_owned());
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures)
        }
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

impl fmt::Display for CleanupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "| set | pages | shingle P | shingle R | shingle F1 | word F1 | snippets (kept/dropped) | snippet F1 | title | author | date | spurious date | pages/CPU-s |"
        )?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")?;
        for s in &self.sets {
            writeln!(
                f,
                "| {} | {} | {} | {} | {} | {} | {:.3} ({:.3}/{:.3}) | {:.3} | {:.3} (n={}) | {:.3} (n={}) | {:.3} (n={}) | {} | {:.0} |",
                s.name,
                s.pages,
                opt(s.shingle.map(|x| x.0)),
                opt(s.shingle.map(|x| x.1)),
                opt(s.shingle.map(|x| x.2)),
                opt(s.word_f1),
                s.snippet_accuracy,
                s.snippets_kept,
                s.snippets_dropped,
                s.snippet_f1,
                s.title.0,
                s.title.1,
                s.author.0,
                s.author.1,
                s.date.0,
                s.date.1,
                s.spurious_date.map_or_else(|| "n/a".to_owned(), |(r, n)| format!("{r:.3} (n={n})")),
                s.pages_per_cpu_second,
            )?;
        }
        Ok(())
    }
}
