//! `news-enricher eval cleanup`: scores the stage on the dev sets in `shared/data/cleanup/`.

mod metrics;
mod report;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Cleaner, CleanupInput};
use crate::contract::ContentType;

pub use report::{CleanupReport, Miss, SetScores};

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A ground-truth file is not the JSON expected.
    #[error("parsing {path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: serde_json::Error,
    },
}

/// Which pages to score and what to write besides the table.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Write one JSON line per page (truth and output side by side, where the date came from) to this file.
    pub dump: Option<PathBuf>,
    /// Score only the even- or odd-numbered pages (quick runs, and checking a gain holds on both halves).
    pub half: Option<Half>,
}

/// Half of a dev set, by page number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Half {
    /// Pages with an even number.
    Even,
    /// Pages with an odd number.
    Odd,
}

impl std::str::FromStr for Half {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "even" => Ok(Self::Even),
            "odd" => Ok(Self::Odd),
            other => Err(format!("expected `even` or `odd`, got `{other}`")),
        }
    }
}

impl Half {
    fn holds(self, page: &Path) -> bool {
        let number = page.file_name().and_then(|f| f.to_str()).and_then(|f| f.split('.').next()?.parse::<u64>().ok());
        number.is_some_and(|n| (n % 2 == 0) == (self == Self::Even))
    }
}

/// One page with what it should yield.
#[derive(Debug, Default)]
struct Page {
    html: PathBuf,
    url: Option<String>,
    main_content: Option<String>,
    with: Vec<String>,
    without: Vec<String>,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
    /// Whether a missing `date` means "the page has none" (WCXB) rather than "not annotated".
    date_annotated: bool,
}

#[derive(Deserialize)]
struct WcxbFile {
    url: Option<String>,
    ground_truth: WcxbTruth,
}

#[derive(Deserialize)]
struct WcxbTruth {
    title: Option<String>,
    author: Option<String>,
    publish_date: Option<String>,
    main_content: Option<String>,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
}

#[derive(Deserialize)]
struct TrafilaturaEntry {
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    without: Vec<String>,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
}

fn read(path: &Path) -> Result<Vec<u8>, EvalError> {
    std::fs::read(path).map_err(|source| EvalError::Io { path: path.to_owned(), source })
}

fn json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, EvalError> {
    serde_json::from_slice(&read(path)?).map_err(|source| EvalError::Json { path: path.to_owned(), source })
}

fn gunzip(path: &Path) -> Result<String, EvalError> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(read(path)?.as_slice())
        .read_to_end(&mut bytes)
        .map_err(|source| EvalError::Io { path: path.to_owned(), source })?;
    Ok(decode_page(bytes))
}

/// Pages are stored as fetched: UTF-8, or the charset their `<meta>` declares, else Windows-1252 (what
/// browsers assume for undeclared legacy pages). In production the scraper hands over text already.
fn decode_page(bytes: Vec<u8>) -> String {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return text,
        Err(e) => e.into_bytes(),
    };
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let label = head.split("charset=").nth(1).map(|rest| {
        rest.trim_start_matches(['"', '\''])
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .next()
    });
    let encoding = label
        .flatten()
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or(encoding_rs::WINDOWS_1252);
    encoding.decode(&bytes).0.into_owned()
}

fn wcxb_pages(dir: &Path) -> Result<Vec<Page>, EvalError> {
    let truth_dir = dir.join("ground-truth");
    let entries = std::fs::read_dir(&truth_dir).map_err(|source| EvalError::Io { path: truth_dir.clone(), source })?;
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let mut pages = Vec::new();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
        let parsed: WcxbFile = json(file)?;
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let t = parsed.ground_truth;
        pages.push(Page {
            html: dir.join("html").join(format!("{stem}.html.gz")),
            url: parsed.url,
            main_content: t.main_content,
            with: t.with,
            without: t.without,
            title: t.title,
            author: t.author,
            date: t.publish_date,
            date_annotated: true,
        });
    }
    Ok(pages)
}

fn trafilatura_pages(dir: &Path) -> Result<Vec<Page>, EvalError> {
    // keys.json names each page by its evaldata URL, or by `set::file name` for pages keyed by file.
    let keys: HashMap<String, String> = json(&dir.join("keys.json"))?;
    let entries: serde_json::Map<String, serde_json::Value> = json(&dir.join("evaldata.json"))?;
    let by_file: HashMap<&str, &str> = entries
        .iter()
        .filter_map(|(url, v)| v.get("file").and_then(serde_json::Value::as_str).map(|f| (f, url.as_str())))
        .collect();
    let mut ids: Vec<(&String, &String)> = keys.iter().collect();
    ids.sort();
    let mut pages = Vec::new();
    for (id, name) in ids {
        let url = if entries.contains_key(name.as_str()) {
            Some(name.as_str())
        } else {
            let file = name.rsplit("::").next().unwrap_or(name);
            by_file.get(file).copied().or_else(|| name.get(1..).filter(|u| entries.contains_key(*u)))
        };
        let Some(url) = url else { continue };
        let Some(value) = entries.get(url) else { continue };
        let Ok(entry) = serde_json::from_value::<TrafilaturaEntry>(value.clone()) else { continue };
        pages.push(Page {
            html: dir.join("html").join(format!("{id}.html.gz")),
            url: Some(url.to_owned()),
            with: entry.with,
            without: entry.without,
            title: entry.title,
            author: entry.author,
            date: entry.date,
            ..Page::default()
        });
    }
    Ok(pages)
}

/// CPU time of the calling thread in nanoseconds (Linux `schedstat`); wall time elsewhere.
fn thread_cpu_ns(wall: &std::time::Instant) -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or_else(|| wall.elapsed().as_nanos())
}

fn score(
    name: &str,
    pages: &[Page],
    cleaner: &Cleaner,
    misses: &mut Vec<Miss>,
    dump: &mut Option<Box<dyn Write>>,
) -> Result<SetScores, EvalError> {
    let wall = std::time::Instant::now();
    let mut s = SetScores { name: name.to_owned(), ..SetScores::default() };
    let (mut tp, mut fp, mut fn_, mut with_pred, mut with_truth) = (0.0, 0.0, 0.0, 0usize, 0usize);
    let (mut word_sum, mut word_n) = (0.0, 0usize);
    let (mut kept, mut n_with, mut dropped, mut n_without) = (0usize, 0usize, 0usize, 0usize);
    let (mut title_ok, mut author_ok, mut date_ok, mut spurious, mut no_date) = (0, 0, 0, 0, 0);
    let mut cpu_ns = 0u128;
    for page in pages {
        let html = gunzip(&page.html)?;
        let before = thread_cpu_ns(&wall);
        let out = cleaner.clean(&CleanupInput {
            body: &html,
            content_type: Some(ContentType::Html),
            url: page.url.as_deref(),
            title_hint: None,
            published_hint: None,
            reference_time: None,
        });
        cpu_ns += thread_cpu_ns(&wall).saturating_sub(before);
        s.pages += 1;
        if let Some(truth) = &page.main_content {
            if let Some((a, b, c)) = metrics::shingle_counts(&out.text, truth) {
                tp += a;
                fp += b;
                fn_ += c;
                with_pred += usize::from(!out.text.trim().is_empty());
                with_truth += usize::from(!truth.trim().is_empty());
            }
            word_sum += metrics::word_f1(&out.text, truth);
            word_n += 1;
        }
        if let Some(w) = dump.as_mut() {
            let line = dump_line(name, page, &out);
            writeln!(w, "{line}").map_err(|source| EvalError::Io { path: "dump".into(), source })?;
        }
        let text = metrics::squash(&out.text);
        n_with += page.with.len();
        kept += page.with.iter().filter(|w| text.contains(&metrics::squash(w))).count();
        n_without += page.without.len();
        dropped += page.without.iter().filter(|w| !text.contains(&metrics::squash(w))).count();
        let mut miss = |field: &'static str, expected: &str, got: String| {
            let page = page.html.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            misses.push(Miss { page, field, expected: expected.to_owned(), got });
        };
        let got_date = out.published_at.clone().unwrap_or_default();
        if let Some(t) = page.title.as_deref().filter(|t| !t.trim().is_empty()) {
            s.title.1 += 1;
            let ok = out.title.as_deref().is_some_and(|p| metrics::same_title(p, t));
            title_ok += usize::from(ok);
            if !ok {
                miss("title", t, out.title.clone().unwrap_or_default());
            }
        }
        if let Some(a) = page.author.as_deref().filter(|a| !a.trim().is_empty()) {
            s.author.1 += 1;
            let ok = metrics::same_authors(&out.authors, a);
            author_ok += usize::from(ok);
            if !ok {
                miss("author", a, out.authors.join(" | "));
            }
        }
        match page.date.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => {
                s.date.1 += 1;
                let ok = metrics::same_date(out.published_at.as_deref(), d);
                date_ok += usize::from(ok);
                if !ok {
                    miss("date", d, got_date);
                }
            }
            None if page.date_annotated => {
                no_date += 1;
                spurious += usize::from(out.published_at.is_some());
                if out.published_at.is_some() {
                    miss("spurious_date", "", got_date);
                }
            }
            None => {}
        }
    }
    // Precision is averaged over pages with a prediction, recall over pages with a ground truth.
    if with_truth > 0 {
        let precision = if with_pred > 0 { tp / (tp + fp).max(f64::MIN_POSITIVE) } else { 0.0 };
        let recall = tp / (tp + fn_).max(f64::MIN_POSITIVE);
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        s.shingle = Some((precision, recall, f1));
        s.word_f1 = Some(word_sum / word_n.max(1) as f64);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    s.snippets_kept = ratio(kept, n_with);
    s.snippets_dropped = ratio(dropped, n_without);
    s.snippet_accuracy = ratio(kept + dropped, n_with + n_without);
    let (precision, recall) = (ratio(kept, kept + (n_without - dropped)), ratio(kept, n_with));
    s.snippet_f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    s.title.0 = ratio(title_ok, s.title.1);
    s.author.0 = ratio(author_ok, s.author.1);
    s.date.0 = ratio(date_ok, s.date.1);
    s.spurious_date = (no_date > 0).then(|| (ratio(spurious, no_date), no_date));
    s.pages_per_cpu_second = if cpu_ns > 0 { s.pages as f64 / (cpu_ns as f64 / 1e9) } else { 0.0 };
    Ok(s)
}

/// One page's truth and output side by side, for the `--dump` file.
fn dump_line(set: &str, page: &Page, out: &super::Cleaned) -> serde_json::Value {
    let file = page.html.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let truth_date = page.date.as_deref().filter(|d| !d.trim().is_empty());
    let text = metrics::squash(&out.text);
    let date_ok = match truth_date {
        Some(d) => Some(metrics::same_date(out.published_at.as_deref(), d)),
        None if page.date_annotated => Some(out.published_at.is_none()),
        None => None,
    };
    serde_json::json!({
        "set": set,
        "page": file,
        "url": page.url,
        "truth_date": truth_date,
        "date": out.published_at,
        "date_source": out.date_source,
        "date_ok": date_ok,
        "word_f1": page.main_content.as_deref().map(|t| metrics::word_f1(&out.text, t)),
        "truth_words": page.main_content.as_deref().map(crate::cleanup::furniture::word_count),
        "out_words": crate::cleanup::furniture::word_count(&out.text),
        "truth_title": page.title,
        "title": out.title,
        "truth_author": page.author,
        "authors": out.authors,
        "snippets_kept": [page.with.iter().filter(|w| text.contains(&metrics::squash(w))).count(), page.with.len()],
        "snippets_dropped":
            [page.without.iter().filter(|w| !text.contains(&metrics::squash(w))).count(), page.without.len()],
    })
}

/// Scores `cleanup/wcxb-dev-articles` and `cleanup/trafilatura-eval` under `shared_data_dir`.
pub fn run_eval(shared_data_dir: &Path, cleaner: &Cleaner) -> Result<CleanupReport, EvalError> {
    run_eval_with(shared_data_dir, cleaner, &EvalOptions::default())
}

/// [`run_eval`] on a half of the pages, or writing a per-page dump.
pub fn run_eval_with(
    shared_data_dir: &Path,
    cleaner: &Cleaner,
    opts: &EvalOptions,
) -> Result<CleanupReport, EvalError> {
    let base = shared_data_dir.join("cleanup");
    let mut wcxb = wcxb_pages(&base.join("wcxb-dev-articles"))?;
    let mut traf = trafilatura_pages(&base.join("trafilatura-eval"))?;
    if let Some(half) = opts.half {
        wcxb.retain(|p| half.holds(&p.html));
        traf.retain(|p| half.holds(&p.html));
    }
    let mut dump: Option<Box<dyn Write>> = match &opts.dump {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|source| EvalError::Io { path: path.clone(), source })?;
            Some(Box::new(std::io::BufWriter::new(file)))
        }
        None => None,
    };
    let mut misses = Vec::new();
    let sets = vec![
        score("wcxb-dev-articles", &wcxb, cleaner, &mut misses, &mut dump)?,
        score("trafilatura-eval", &traf, cleaner, &mut misses, &mut dump)?,
    ];
    if let Some(mut w) = dump {
        w.flush().map_err(|source| EvalError::Io { path: "dump".into(), source })?;
    }
    Ok(CleanupReport { sets, misses, partial: opts.half.is_some() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_pages_are_decoded_by_their_declared_charset() {
        let latin1 = b"<meta charset=\"iso-8859-1\"><p>h\xf6here Erl\xf6se f\xfcr</p>".to_vec();
        assert!(decode_page(latin1).contains("höhere Erlöse für"));
        let cyrillic =
            b"<meta http-equiv=content-type content='text/html; charset=windows-1251'>\xcc\xee\xf1\xea\xe2\xe0"
                .to_vec();
        assert!(decode_page(cyrillic).ends_with("Москва"));
        assert_eq!(decode_page("déjà".as_bytes().to_vec()), "déjà");
    }
}
