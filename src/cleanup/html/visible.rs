//! What a reader sees at the top of the article: the `<h1>` headline and the dateline printed near it.
//!
//! Structured data often carries the first-publication time while the page shows the date the article was
//! last revised, or carries a headline rewritten for search engines; the benchmarks (and readers) go by the
//! page, so the visible headline and dateline win when they can be found.

use dom_query::Document;

use crate::cleanup::dates::{self, DateContext, PubDate};
use crate::cleanup::furniture::word_count;
use crate::cleanup::{byline, normalize};

/// Lines after the headline searched for a dateline: bylines, share bars and a lead image caption fit.
const DATELINE_AFTER: usize = 25;
/// Lines before it: a kicker, a category and a dateline often stand above the headline.
const DATELINE_BEFORE: usize = 6;

/// Visible headline and dateline.
#[derive(Debug, Default)]
pub struct Visible {
    /// The `<h1>` that matches one of the page's own titles.
    pub title: Option<String>,
    /// The first dateline printed after it.
    pub published: Option<PubDate>,
    /// Names on the byline printed near it.
    pub authors: Vec<String>,
    /// Whether the headline was found in the page text, so the absence of a dateline near it means something.
    pub anchored: bool,
}

/// Reads the visible headline and dateline; `titles` are the page's declared titles (JSON-LD, Open Graph,
/// `<title>`), used to tell the article's `<h1>` from a logo or section heading.
pub fn read(doc: &Document, titles: &[&str], ctx: &DateContext) -> Visible {
    let mut out = Visible::default();
    let h1s: Vec<String> = doc
        .try_select("h1")
        .map(|s| s.iter().take(5).map(|n| normalize::inline(&n.text())).filter(|t| !t.is_empty()).collect())
        .unwrap_or_default();
    // An `<h1>` that says what a declared title says is the headline; failing that, an `<h1>` long enough
    // not to be a logo or a section name (sites rewrite `<title>` for search engines).
    out.title = h1s
        .iter()
        .find(|h| titles.iter().any(|t| similar(h, t)))
        .or_else(|| h1s.iter().find(|h| (4..=30).contains(&h.split_whitespace().count())))
        .cloned();

    let Some(body) = doc.try_select("body") else { return out };
    let text = body.formatted_text();
    let lines: Vec<String> =
        text.lines().map(normalize::inline).filter(|l| !l.is_empty() && l.chars().count() <= 160).collect();
    // Anchor on the headline; without an `<h1>`, on a declared title printed as a line of its own.
    let at = match out.title.as_deref() {
        Some(title) => lines.iter().position(|l| l == title).or_else(|| lines.iter().position(|l| l.contains(title))),
        None => titles.iter().find_map(|t| {
            let t = normalize::inline(t);
            lines.iter().position(|l| !t.is_empty() && *l == t)
        }),
    };
    if let Some(at) = at {
        out.anchored = true;
        let after = lines.iter().skip(at + 1).take(DATELINE_AFTER);
        let before = lines[at.saturating_sub(DATELINE_BEFORE)..at].iter().rev();
        out.published = after.clone().chain(before).find_map(|l| dates::dateline(l, ctx));
        out.authors = after.filter(|l| word_count(l) <= 12).find_map(|l| byline::parse_line(l)).unwrap_or_default();
    }
    out
}

/// Whether an `<h1>` and a declared title name the same article: most words of the shorter are in the longer.
fn similar(h1: &str, declared: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let (a, b) = (words(h1), words(declared));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    let shared = short.iter().filter(|w| long.contains(w)).count();
    shared * 10 >= short.len() * 6 && short.len() * 3 >= long.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_and_dateline_come_from_the_page() {
        let html = r#"<html><body><h1>Site</h1><article><h1>Rivers rise after the storm</h1>
            <p>By Kim Ode</p><p>Updated March 3, 2024</p><p>Long story text follows here.</p></article></body></html>"#;
        let doc = Document::from(html);
        let v = read(&doc, &["Rivers rise after the storm | Daily"], &DateContext::default());
        assert_eq!(v.title.as_deref(), Some("Rivers rise after the storm"));
        assert_eq!(v.published.map(|d| d.render()).as_deref(), Some("2024-03-03"));
        assert_eq!(v.authors, vec!["Kim Ode".to_owned()]);
    }

    #[test]
    fn unrelated_h1_is_not_the_headline() {
        let doc = Document::from("<html><body><h1>Welcome</h1><p>2 March 2024</p></body></html>");
        let v = read(&doc, &["Rivers rise after the storm"], &DateContext::default());
        assert_eq!(v.title, None);
        assert_eq!(v.published, None);
    }
}
