//! What a reader sees at the top of the article: the `<h1>` headline and the dateline printed near it.
//!
//! Structured data often carries the first-publication time while the page shows the date the article was
//! last revised, or carries a headline rewritten for search engines; the benchmarks (and readers) go by the
//! page, so the visible headline and dateline win when they can be found.

use std::collections::HashSet;

use chrono::NaiveDate;
use dom_query::Document;

use crate::cleanup::dates::{self, DateContext, Label, PubDate};
use crate::cleanup::furniture::word_count;
use crate::cleanup::{byline, normalize};

/// Lines after the headline searched for a dateline: bylines, share bars and a lead image caption fit.
const DATELINE_AFTER: usize = 25;
/// Lines before it: a kicker, a category and a dateline often stand above the headline.
const DATELINE_BEFORE: usize = 6;

/// A dateline near the headline.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    /// Lines from the headline (negative: above it).
    pub offset: isize,
    /// The date.
    pub date: PubDate,
    /// Whether its label makes it a revision date.
    pub label: Label,
}

/// Lines searched for a headline that only resembles a declared title (headlines stand near the top).
const MAX_HEADLINE_SCAN: usize = 400;

/// Datelines this close together (in lines) belong to one list: related posts, comments, a table of figures.
const LIST_GAP: usize = 4;
/// A list has at least this many dated items.
const LIST_MIN: usize = 3;
/// Lines from the headline within which a dateline is the article's own, whatever follows.
const BESIDE: usize = 3;

/// Visible headline and dateline.
#[derive(Debug, Default)]
pub struct Visible {
    /// The `<h1>` that matches one of the page's own titles.
    pub title: Option<String>,
    /// Datelines printed near it, nearest first, lists of dated items (related posts, comments) left out.
    pub near: Vec<Near>,
    /// The page's visible text, for [`Visible::prints`].
    text: String,
    /// Names on the byline printed near it.
    pub authors: Vec<String>,
    /// Whether the headline was found in the page text, so the absence of a dateline near it means something.
    pub anchored: bool,
    /// Dated lines of quoted or preformatted material, which date what they quote.
    quoted: HashSet<String>,
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

    // Script and style text is never shown; left in, it joins the lines around it (`$(function() {…})`).
    // The main-text scorer drops these elements itself, so removing them here changes nothing for it.
    // JSON-LD stays: the main-text scorer reads it.
    doc.select("body script:not([type='application/ld+json']), body style").replace_with_html(" ");
    let Some(body) = doc.try_select("body") else { return out };
    let text = body.formatted_text();
    // Mail headers and logs in `<pre>`, embedded posts and quotations in `<blockquote>` carry the
    // dates of what they quote ("Date: Fri, 1 Feb 2002 11:53:40 -0500", "— Ann (@ann) March 3, 2024").
    // Code blocks sit in `<pre>`; inline `<code>` holds no dates worth the walk. Only blocks with a digit are
    // laid out as lines.
    out.quoted = doc
        .select("pre, blockquote")
        .iter()
        .filter(|n| n.text().chars().any(char::is_numeric))
        .flat_map(|n| {
            let text = n.formatted_text();
            text.lines().filter(|l| l.chars().any(char::is_numeric)).map(normalize::inline).collect::<Vec<_>>()
        })
        .collect();
    let lines: Vec<String> =
        text.lines().map(normalize::inline).filter(|l| !l.is_empty() && l.chars().count() <= 160).collect();
    // Anchor on the headline; without an `<h1>`, on a declared title printed as a line of its own.
    let at = match out.title.as_deref() {
        Some(title) => lines.iter().position(|l| l == title).or_else(|| lines.iter().position(|l| l.contains(title))),
        None => {
            // The declared title as printed, else without the site name `<title>` carries ("Headline | Site"),
            // else a line of headline length that says what a declared title says.
            let exact = |t: String| lines.iter().position(|l| !t.is_empty() && *l == t);
            titles
                .iter()
                .find_map(|t| exact(normalize::inline(t)))
                .or_else(|| titles.iter().find_map(|t| exact(normalize::inline(&super::strip_site_name(t)))))
                .or_else(|| {
                    lines.iter().take(MAX_HEADLINE_SCAN).position(|l| {
                        (4..=30).contains(&l.split_whitespace().count()) && titles.iter().any(|t| similar(l, t))
                    })
                })
        }
    };
    if let Some(at) = at {
        out.anchored = true;
        let after = lines.iter().skip(at + 1).take(DATELINE_AFTER);
        out.authors = after.filter(|l| word_count(l) <= 12).find_map(|l| byline::parse_line(l)).unwrap_or_default();
        // Datelines around the window, far enough beyond it to see whether one at its edge starts a list.
        let reach = LIST_GAP * (LIST_MIN - 1);
        let from = at.saturating_sub(DATELINE_BEFORE + reach);
        let dated: Vec<(usize, PubDate, Label)> = lines
            .iter()
            .enumerate()
            .skip(from)
            .take(at + DATELINE_AFTER + reach + 1 - from)
            .filter(|(_, l)| !out.quoted.contains(l.as_str()))
            .filter_map(|(i, l)| dates::meta_row(l, ctx).map(|(d, label)| (i, d, label, l)))
            // A revision on a line that names the publication without its day ("Originally published in March
            // 2022. Last updated on December 20, 2024") is not the publication, and the line gives no other.
            .filter(|&(.., label, l)| label == Label::Published || !dates::names_publication(l))
            .map(|(i, d, label, _)| (i, d, label))
            .collect();
        let listed = in_lists(&dated, at, &lines);
        out.near = dated
            .iter()
            .zip(listed)
            .filter(|(&(i, ..), listed)| !listed && i + DATELINE_BEFORE >= at && i <= at + DATELINE_AFTER && i != at)
            .map(|(&(i, date, label), _)| Near { offset: i as isize - at as isize, date, label })
            .collect();
        // Nearest first; at equal distance the line below the headline (where bylines sit) wins.
        out.near.sort_by_key(|n| (n.offset.unsigned_abs(), n.offset < 0));
    }
    out.text = text.to_string();
    out
}

impl Visible {
    /// Whether the page prints `date` anywhere, in a dateline or in a sentence ("Posted by Ann on March 3,
    /// 2024 at 9:15"): the first date of every line with enough digits for a day and a year. Run only when
    /// a declared date needs corroborating, as it reads the whole page.
    pub fn prints(&self, date: NaiveDate, ctx: &DateContext) -> bool {
        let enough_digits = |l: &&str| l.chars().filter(|c| c.is_numeric()).count() >= 4;
        self.text.lines().filter(enough_digits).any(|l| dates::parse_value(l, ctx).is_some_and(|d| d.date == date))
    }
}

impl Visible {
    /// The one publication date the page states in so many words anywhere ("Published July 8, 2025" at the
    /// foot of the story, "Posted on April 13, 2023" in a sidebar), or `None` when it states none or several
    /// (comments and lists of posts carry their own).
    pub fn stated_publication(&self, ctx: &DateContext) -> Option<PubDate> {
        let mut found: Option<PubDate> = None;
        let lines: Vec<String> = self.text.lines().map(normalize::inline).filter(|l| !l.is_empty()).collect();
        for (i, line) in lines.iter().enumerate() {
            if line.chars().count() > 160 || !line.chars().any(char::is_numeric) || self.quoted.contains(line) {
                continue;
            }
            // The label may stand in an element of its own on the line before ("Published" / "July 8, 2025").
            let labelled_above = || {
                let above = i.checked_sub(1).and_then(|k| lines.get(k));
                above
                    .is_some_and(|l| dates::is_publication_label(l))
                    .then(|| dates::meta_row(line, ctx).filter(|(_, label)| *label == Label::Published).map(|(d, _)| d))
                    .flatten()
            };
            if let Some(d) = dates::stated_publication(line, ctx).or_else(labelled_above) {
                match found {
                    Some(f) if f.date != d.date => return None,
                    Some(_) => {}
                    None => found = Some(d),
                }
            }
        }
        found
    }
}

/// Marks datelines that stand in a run of at least [`LIST_MIN`] with at most [`LIST_GAP`] lines between
/// neighbours: the dates of a list of other items, not of the article. A dateline within [`BESIDE`] lines of
/// the headline (line `at`) is the article's own and takes no part in a run.
fn in_lists(dated: &[(usize, PubDate, Label)], at: usize, lines: &[String]) -> Vec<bool> {
    let mut listed = vec![false; dated.len()];
    let items: Vec<usize> = (0..dated.len()).filter(|&k| dated[k].0.abs_diff(at) > BESIDE).collect();
    let mut start = 0;
    for end in 1..=items.len() {
        let run_ends = end == items.len() || dated[items[end]].0 - dated[items[end - 1]].0 > LIST_GAP;
        if run_ends {
            if end - start >= LIST_MIN {
                items[start..end].iter().for_each(|&k| listed[k] = true);
            }
            start = end;
        }
    }
    // A date below the headline that a list carries straight on from, printed the same way as its items (a
    // calendar of events, an archive), is the list's first item, not the article's dateline.
    for k in (0..dated.len()).rev() {
        let next_listed = listed.get(k + 1).copied().unwrap_or(false);
        if !listed[k] && next_listed && dated[k].0 > at {
            // Straight on: no further from the next item than the list's items are from each other.
            let mut spacing = 0;
            let mut j = k + 1;
            while j + 1 < dated.len() && listed[j + 1] && dated[j + 1].0 - dated[j].0 <= LIST_GAP {
                spacing = spacing.max(dated[j + 1].0 - dated[j].0);
                j += 1;
            }
            let shape = |i: usize| lines.get(i).map(|l| shape(l));
            listed[k] = dated[k + 1].0 - dated[k].0 <= spacing && shape(dated[k].0) == shape(dated[k + 1].0);
        }
    }
    // A list that ends just above the headline (a "Recent news" column before the story): its last items sit
    // beside the headline, but a run of lines printed alike, each close to the next, is the list's.
    let above: Vec<usize> = (0..dated.len()).filter(|&k| dated[k].0 < at).collect();
    if let Some(&last) = above.last() {
        let shape = |k: usize| lines.get(dated[k].0).map(|l| shape(l));
        let run = above
            .windows(2)
            .rev()
            .take_while(|w| dated[w[1]].0 - dated[w[0]].0 <= LIST_GAP && shape(w[0]) == shape(last))
            .count();
        if run + 1 >= LIST_MIN {
            above[above.len() - run - 1..].iter().for_each(|&k| listed[k] = true);
        }
    }
    listed
}

/// A line's layout: runs of letters and of digits each reduced to one mark, other characters kept
/// ("March 16, 2026" and "April 2, 2026" share one; "10.11.2021" and "Nr. 34 vom 8. November 2021" do not).
fn shape(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars() {
        let mark = if c.is_alphabetic() {
            'a'
        } else if c.is_numeric() {
            '9'
        } else {
            c
        };
        if !(matches!(mark, 'a' | '9') && out.ends_with(mark)) {
            out.push(mark);
        }
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
        assert_eq!(v.near.first().map(|n| n.date.render()).as_deref(), Some("2024-03-03"));
        assert_eq!(v.near.first().map(|n| n.label), Some(Label::Updated));
        assert_eq!(v.authors, vec!["Kim Ode".to_owned()]);
    }

    #[test]
    fn unrelated_h1_is_not_the_headline() {
        let doc = Document::from("<html><body><h1>Welcome</h1><p>2 March 2024</p></body></html>");
        let v = read(&doc, &["Rivers rise after the storm"], &DateContext::default());
        assert_eq!(v.title, None);
        assert!(v.near.is_empty());
        let day = |d: u32| NaiveDate::from_ymd_opt(2024, 3, d).unwrap_or_default();
        assert!(v.prints(day(2), &DateContext::default()) && !v.prints(day(3), &DateContext::default()));
    }

    #[test]
    fn script_text_does_not_join_the_dateline() {
        let html = r#"<html><body><h1>Rivers rise after the storm</h1><p>7 May 2023<script>window.dataLayer.push({event: 'view', section: 'news', kind: 'story'});
            </script></p><p>Water reached the old town on Sunday night.</p></body></html>"#;
        let doc = Document::from(html);
        let v = read(&doc, &["Rivers rise after the storm"], &DateContext::default());
        assert_eq!(v.near.first().map(|n| n.date.render()).as_deref(), Some("2023-05-07"));
    }

    #[test]
    fn a_date_that_opens_a_list_printed_like_it_is_the_list() {
        let events: String = ["Harbour fair", "Boat show", "Rowing day", "Night market", "Kite festival"]
            .iter()
            .enumerate()
            .map(|(i, e)| format!("<p>{e}</p><p>June {}, 2024</p>", 2 + 7 * i))
            .collect();
        let page =
            |first: &str| format!("<html><body><h1>Summer events by the river</h1>{first}{events}</body></html>");
        let ctx = DateContext::default();
        let doc = Document::from(page("<p>May 26, 2024</p>").as_str());
        assert!(read(&doc, &["Summer events by the river"], &ctx).near.is_empty());
        // Printed unlike the list items, it is the article's own dateline.
        let doc = Document::from(page("<p>26.05.2024</p>").as_str());
        let near: Vec<String> =
            read(&doc, &["Summer events by the river"], &ctx).near.iter().map(|n| n.date.render()).collect();
        assert_eq!(near, vec!["2024-05-26".to_owned()]);
    }

    #[test]
    fn a_list_ending_just_above_the_headline_is_not_its_dateline() {
        let ctx = DateContext::default();
        let recent: String = ["Board named", "Exam news", "Old friend remembered"]
            .iter()
            .zip(["12/17/2025", "12/16/2025", "12/04/2025"])
            .map(|(t, d)| format!("<li><p>{t}</p><p>{d}</p></li>"))
            .collect();
        let html = format!(
            "<html><body><ul>{recent}</ul><h1>Rivers rise after the storm</h1><p>Water reached the old town \
             on Sunday night and kept rising.</p></body></html>"
        );
        let v = read(&Document::from(html.as_str()), &["Rivers rise after the storm"], &ctx);
        assert!(v.near.is_empty(), "{:?}", v.near);
        // One dateline above the headline is its own.
        let html = "<html><body><p>12/04/2025</p><h1>Rivers rise after the storm</h1></body></html>";
        let v = read(&Document::from(html), &["Rivers rise after the storm"], &ctx);
        assert_eq!(v.near.len(), 1);
    }

    #[test]
    fn the_publication_stated_once_anywhere_is_found() {
        let ctx = DateContext::default();
        let page = |foot: &str| {
            let html = format!(
                "<html><body><h1>Rivers rise after the storm</h1><p>Water reached the old town on Sunday.</p>\
                 <aside>{foot}</aside></body></html>"
            );
            read(&Document::from(html.as_str()), &["Rivers rise after the storm"], &ctx).stated_publication(&ctx)
        };
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2023, m, d).unwrap_or_default();
        assert_eq!(page("<p>Posted on April 13, 2023</p>").map(|d| d.date), Some(day(4, 13)));
        // The label in an element of its own, above the date.
        assert_eq!(page("<div>Published</div><div>Feb 2, 2023</div>").map(|d| d.date), Some(day(2, 2)));
        // A bare date, or two different stated dates (comments, a list of posts), state nothing.
        assert_eq!(page("<p>April 13, 2023</p>"), None);
        assert_eq!(page("<p>Posted on April 13, 2023</p><p>Posted on May 2, 2023</p>"), None);
        assert_eq!(page("<div>Reviewed</div><div>Feb 2, 2023</div>"), None);
    }

    #[test]
    fn a_revision_after_a_publication_given_in_part_is_not_a_dateline() {
        let ctx = DateContext::default();
        let page = |line: &str| {
            let html = format!("<html><body><h1>Rivers rise after the storm</h1><p>{line}</p></body></html>");
            read(&Document::from(html.as_str()), &["Rivers rise after the storm"], &ctx).near.len()
        };
        assert_eq!(page("Originally published in March 2022. Last updated on December 20, 2024."), 0);
        assert_eq!(page("Last updated on December 20, 2024."), 1);
    }

    #[test]
    fn without_an_h1_the_headline_is_the_declared_title_as_printed() {
        let ctx = DateContext::default();
        let page = |head: &str| {
            let html = format!(
                "<html><body><div>Home</div><div class='t'>{head}</div><div>12 May 2024</div>\
                 <p>Water reached the old town on Sunday night.</p></body></html>"
            );
            read(&Document::from(html.as_str()), &["Rivers rise after the storm | Daily Courier"], &ctx)
        };
        // Printed without the site name the declared title carries.
        let v = page("Rivers rise after the storm");
        assert!(v.anchored);
        assert_eq!(v.near.first().map(|n| n.date.render()).as_deref(), Some("2024-05-12"));
        // Reworded, but saying what the declared title says.
        assert!(page("Rivers rise again after the big storm").anchored);
        assert!(!page("Welcome to our site").anchored);
    }

    #[test]
    fn quoted_and_preformatted_dates_are_not_the_dateline() {
        let ctx = DateContext::default();
        let html = r#"<html><body><h1>How the old port was built</h1><p>It began with a note on the list:</p>
            <pre>Date: Tue, 5 Mar 2002 10:11:12 +0000
From: Ann Roe
Subject: first boot</pre><blockquote><p>Posted on March 9, 2002</p></blockquote>
            <p>Water reached the old town on Sunday night.</p></body></html>"#;
        let v = read(&Document::from(html), &["How the old port was built"], &ctx);
        assert!(v.near.is_empty(), "{:?}", v.near);
        assert_eq!(v.stated_publication(&ctx), None);
    }

    #[test]
    fn dates_of_a_list_of_other_posts_are_not_the_dateline() {
        let html = r#"<html><body><h1>Rivers rise after the storm</h1><p>5 March 2024</p>
            <p>Water reached the old town on Sunday night and kept rising through the week.</p>
            <h2>More posts</h2><p>Dams hold</p><p>1 March 2024</p><p>Roads shut</p><p>28 February 2024</p>
            <p>Rain again</p><p>20 February 2024</p></body></html>"#;
        let doc = Document::from(html);
        let v = read(&doc, &["Rivers rise after the storm"], &DateContext::default());
        let near: Vec<String> = v.near.iter().map(|n| n.date.render()).collect();
        assert_eq!(near, vec!["2024-03-05".to_owned()]);
        assert!(v.prints(NaiveDate::from_ymd_opt(2024, 2, 28).unwrap_or_default(), &DateContext::default()));
    }
}
