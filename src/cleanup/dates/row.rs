//! Article meta rows: the byline, the date and a reading time printed on one line under a headline
//! ("By Ann Lee · March 3, 2024 · 5 min read", "Aaron Roe | Senior Writer | July 2, 2025").
//!
//! Blog and magazine templates put these fields side by side, split by a middle dot, a bar or a dash, so the
//! line as a whole has too many words to pass as a dateline, while the date's own part is one.

use super::parse::{self, Kind, Tok};
use super::{exceeds_words, explicit_label, is_dateline_word, label_before, labelled_dateline, paired_dateline};
use super::{is_period, residual_words, validity_before};
use super::{DateContext, Label, PubDate};

/// Most words a meta row may have in all.
const ROW_MAX_WORDS: usize = 24;
/// Most words of a part without the date (a name, a job title, "5 min read", "One comment").
const PART_MAX_WORDS: usize = 5;
/// Most words of the names between a byline opener and the date ("By Ann Lee and Bo Kim March 3, 2024").
const NAME_MAX_WORDS: usize = 6;

/// Separators between the fields of a meta row.
const SEPARATORS: &[char] = &['·', '•', '|', '⋅', '・', '∙', '‧', '—', '–', '/'];

/// Byline openers, folded ("By Ann Lee", "Von", "Par", "Por", "Di", "Door", "بقلم").
const OPENERS: &[&str] = &["by", "von", "par", "por", "di", "door", "بقلم"];

/// Reads a line as a dateline ([`labelled_dateline`]), or as a meta row whose date part is one: every other
/// part short, and the date's part a dateline or a byline followed by the date.
pub fn meta_row(line: &str, ctx: &DateContext) -> Option<(PubDate, Label)> {
    let unglued = unglue(line);
    if let Some(found) = paired_dateline(&unglued, ctx).or_else(|| labelled_dateline(&unglued, ctx)) {
        return Some(found);
    }
    let line = unglued.as_str();
    if exceeds_words(line, ROW_MAX_WORDS) || (may_be_period(line) && is_period(line, ctx)) {
        return None;
    }
    let mut found = None;
    for part in split(line) {
        let dated = if found.is_none() {
            part_dateline(part, ctx).or_else(|| after_byline(part, ctx)).or_else(|| before_byline(part, ctx))
        } else {
            None
        };
        match dated {
            Some(d) => found = Some(d),
            None if exceeds_words(part, PART_MAX_WORDS) => return None,
            None => {}
        }
    }
    found
}

/// A dateline or meta row whose date is labelled as the publication ("Published July 8, 2025", "Posted on
/// 2025-12-18 by Ann", "Publié le 3 mars 2024"): a statement that holds wherever on the page it stands.
pub fn stated_publication(line: &str, ctx: &DateContext) -> Option<PubDate> {
    let (date, Label::Published) = meta_row(line, ctx)? else { return None };
    let folded = parse::fold_text(&unglue(line));
    let toks = parse::tokenize(&folded);
    let found = parse::find(&folded, &toks, ctx.month_first, ctx.reference.map(|r| r.date_naive()))?;
    (found.date.date == date.date && explicit_label(&toks, found.start) == Some(Label::Published)).then_some(date)
}

/// A line that is only a publication label ("Published", "Posted on", "Date de publication :"), which
/// templates print in an element of its own before the date.
pub fn is_publication_label(line: &str) -> bool {
    if exceeds_words(line, 4) {
        return false;
    }
    let folded = parse::fold_text(line);
    let toks = parse::tokenize(&folded);
    let all_labels = toks.iter().all(|t| match &t.kind {
        Kind::Word(w) => is_dateline_word(w),
        Kind::Punct(_) => true,
        Kind::Num(..) => false,
    });
    all_labels && explicit_label(&toks, folded.len()) == Some(Label::Published)
}

/// A part that is a date with at most one other word ("Updated", a weekday and a time aside): a row's fields
/// are short, and a longer part with a date in it is a citation or a title, not the row's date.
fn part_dateline(part: &str, ctx: &DateContext) -> Option<(PubDate, Label)> {
    let folded = parse::fold_text(part);
    let toks = parse::tokenize(&folded);
    let found = parse::find(&folded, &toks, ctx.month_first, ctx.reference.map(|r| r.date_naive()))?;
    if residual_words(&toks, found.start, found.end) > 1 || validity_before(&toks, found.start) {
        return None;
    }
    ctx.accept(found.date).map(|d| (d, label_before(&toks, found.start)))
}

/// The parts of a row: split at the separator characters and at a spaced hyphen (`Ann Lee - May 3, 2024`);
/// a slash only when spaced, as dates use it too.
fn split(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    for (i, c) in line.char_indices() {
        let spaced = |len: usize| i > 0 && bytes.get(i - 1) == Some(&b' ') && bytes.get(i + len) == Some(&b' ');
        let cut = match c {
            '-' | '/' => spaced(1),
            c => SEPARATORS.contains(&c),
        };
        if cut {
            parts.push(&line[start..i]);
            start = i + c.len_utf8();
        }
    }
    parts.push(&line[start..]);
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect()
}

/// "By Ann Lee March 3, 2024", "Written by Ann Lee and Bo Kim on March 3, 2024": an opener among the first two
/// words, at most [`NAME_MAX_WORDS`] name words, then the date with no more than a label or two after it.
fn after_byline(part: &str, ctx: &DateContext) -> Option<(PubDate, Label)> {
    let folded = parse::fold_text(part);
    let toks = parse::tokenize(&folded);
    let found = parse::find(&folded, &toks, ctx.month_first, ctx.reference.map(|r| r.date_naive()))?;
    let words: Vec<&Tok> = toks.iter().filter(|t| t.end <= found.start && matches!(t.kind, Kind::Word(_))).collect();
    // The opener first, or English "by" second ("Written by", "Posted by", "Interview by"); elsewhere "von",
    // "di", "par" are everyday prepositions.
    let is_opener =
        |k: usize| matches!(words.get(k).map(|t| &t.kind), Some(Kind::Word(w)) if OPENERS.contains(&w.as_str()));
    let second_by = matches!(words.get(1).map(|t| &t.kind), Some(Kind::Word(w)) if w == "by");
    let opener = if is_opener(0) {
        0
    } else if second_by {
        1
    } else {
        return None;
    };
    let names = words[opener + 1..].iter().filter(|t| !matches!(&t.kind, Kind::Word(w) if is_dateline_word(w)));
    let names = names.count();
    // Words after the date (labels, weekdays and day periods aside): "at 3:00 am" passes, a sentence does not.
    let after = toks.iter().position(|t| t.start >= found.end).map_or(0, |k| residual_words(&toks[k..], 0, 0));
    // "Posted by Ann on May 3, 2024 in Gardening", "… from the long-running dept.": a line that opens by saying
    // it states the publication may close with a category.
    let stated = explicit_label(&toks, found.start) == Some(Label::Published);
    let after_max = if stated { 8 } else { 3 };
    if (1..=NAME_MAX_WORDS).contains(&names) && after <= after_max {
        return ctx.accept(found.date).map(|d| (d, label_before(&toks, found.start)));
    }
    None
}

/// A cheap test before [`is_period`] reads the line: a period needs a dash or a word between its dates.
fn may_be_period(line: &str) -> bool {
    const BETWEEN: [&str; 6] = ["to", "bis", "au", "al", "till", "through"];
    line.contains(['-', '–', '—', '~'])
        || line.split_whitespace().any(|w| BETWEEN.iter().any(|b| w.eq_ignore_ascii_case(b)))
}

/// "May 18, 2023 By Ann Lee In": the date first, then a byline (an opener right after the date and at most
/// [`NAME_MAX_WORDS`] words after it: the names, and the "In" that templates put before a category link).
fn before_byline(part: &str, ctx: &DateContext) -> Option<(PubDate, Label)> {
    let folded = parse::fold_text(part);
    let toks = parse::tokenize(&folded);
    let found = parse::find(&folded, &toks, ctx.month_first, ctx.reference.map(|r| r.date_naive()))?;
    let before = toks.iter().take_while(|t| t.end <= found.start).count();
    if residual_words(&toks[..before], usize::MAX, usize::MAX) > 0 {
        return None;
    }
    let mut after = toks.iter().filter(|t| t.start >= found.end && matches!(t.kind, Kind::Word(_)));
    let opener = matches!(after.next().map(|t| &t.kind), Some(Kind::Word(w)) if OPENERS.contains(&w.as_str()));
    let names = after.count();
    if opener && (1..=NAME_MAX_WORDS).contains(&names) {
        return ctx.accept(found.date).map(|d| (d, label_before(&toks, found.start)));
    }
    None
}

/// Text extraction joins neighbouring inline elements with no space when the markup has none between them
/// ("Mental HealthDECEMBER 22, 2022Updated: JANUARY 02, 2026", "EditorialNovember 22, 2018"): the page shows
/// them apart, by CSS. A space goes back where a lower-case letter or a digit meets a capital, and where a
/// letter meets a digit; one extra word at most per seam, which the word limits absorb.
fn unglue(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut prev: Option<char> = None;
    for c in line.chars() {
        if let Some(p) = prev {
            let seam = ((p.is_lowercase() || p.is_ascii_digit()) && c.is_uppercase())
                || (p.is_alphabetic() && c.is_ascii_digit());
            if seam {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}
