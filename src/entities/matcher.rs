//! Finds label occurrences in one field: automaton hits mapped back to char offsets, checked against word
//! boundaries (with Arabic proclitics and Russian case endings), then the longest non-overlapping ones kept.

use std::collections::BTreeMap;

use super::index::{flag, Index, LabelRef};
use super::normalize::{fold_char, is_mark, is_word_char, View};
use crate::charclass;

/// A span of the field that matched one or more labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Start, in chars of the field.
    pub start: usize,
    /// End (exclusive), in chars.
    pub end: usize,
    /// Every label that matched exactly this span.
    pub refs: Vec<LabelRef>,
    /// Found only by the loose (vowel-less) automaton.
    pub loose: bool,
}

/// Proclitics that may be glued before an Arabic-script name: conjunctions and prepositions. The article is
/// not among them: a name takes `ال` only when it is part of the name (`المالي` is "financial", not Mali).
pub(super) const PROCLITICS: &[&str] = &["و", "ف", "ب", "ك", "ل", "وب", "فب", "وك", "فك", "ول", "فل"];

/// Proclitic chains before a name whose own article was elided or absorbed (`للناتو`, `وبالناتو`).
const ARTICLE_PROCLITICS: &[&str] = &["ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "لل", "ولل", "فلل"];

/// Russian case endings accepted after a name's stem or full form (`Путина`, `России`, `Москве`).
const RU_ENDINGS: &[&str] = &[
    "а", "я", "у", "ю", "е", "и", "ы", "ой", "ей", "ом", "ем", "ам", "ям", "ами", "ями", "ах", "ях", "ого", "его",
    "ому", "ему", "ым", "им", "ую", "ая", "ое", "ые", "ых", "их",
];

/// All candidate spans in `chars` (the field's text is `text`), sorted by start, non-overlapping.
pub fn find(index: &Index, text: &str, chars: &[char]) -> Vec<Candidate> {
    let mut spans: BTreeMap<(usize, usize), Candidate> = BTreeMap::new();
    // Both tiers' views in one folding pass.
    let levels: Vec<_> = index.automata.iter().map(|a| a.level).collect();
    let views = View::at_levels(text, &levels);
    for ((tier, automaton), view) in index.automata.iter().enumerate().zip(&views) {
        let Some(pma) = &automaton.pma else { continue };
        for m in pma.find_overlapping_iter(&view.text) {
            let Some(refs) = automaton.refs.get(m.value() as usize) else { continue };
            let Some((first, last)) = view.origin_span(m.start(), m.end()) else { continue };
            for r in refs {
                let Some(span) = accept(chars, first, last, r.flags) else { continue };
                let c = spans.entry(span).or_insert_with(|| Candidate {
                    start: span.0,
                    end: span.1,
                    refs: Vec::new(),
                    loose: tier == 1,
                });
                c.loose &= tier == 1;
                if !c.refs.contains(r) {
                    c.refs.push(*r);
                }
            }
        }
    }
    // Longest first, exact before loose, then leftmost: a deterministic greedy cover.
    let mut all: Vec<Candidate> = spans.into_values().collect();
    all.sort_by_key(|c| (std::cmp::Reverse(c.end - c.start), c.loose, c.start));
    let mut taken: Vec<Candidate> = Vec::new();
    for c in all {
        if taken.iter().all(|t| c.end <= t.start || c.start >= t.end) {
            taken.push(c);
        }
    }
    taken.sort_by_key(|c| c.start);
    taken
}

/// The char span a hit covers, if its boundaries and case fit the label; `first`/`last` are the original runs
/// of the hit's first and last view chars (a doubled letter may belong to a proclitic or the next word).
fn accept(chars: &[char], first: (u32, u32), last: (u32, u32), flags: u16) -> Option<(usize, usize)> {
    for start in [first.0, first.1] {
        let start = start as usize;
        if !start_ok(chars, start, flags) {
            continue;
        }
        for end in [last.1 + 1, last.0 + 1] {
            let end = end as usize;
            if end <= start {
                continue;
            }
            let Some(end) = end_ok(chars, end, flags) else { continue };
            // A name glued to a proclitic must be long enough not to be a piece of an ordinary word.
            let glued = start > 0 && is_word_char(chars[start - 1]) && flags & flag::HAN == 0;
            if glued && end - start < 3 {
                continue;
            }
            if case_ok(&chars[start..end], flags) {
                return Some((start, end));
            }
        }
    }
    None
}

fn start_ok(chars: &[char], start: usize, flags: u16) -> bool {
    let stripped = flags & flag::AL_STRIPPED != 0;
    let Some(&prev) = start.checked_sub(1).and_then(|i| chars.get(i)) else { return !stripped };
    if flags & flag::HAN != 0 && !stripped {
        return true;
    }
    if !is_word_char(prev) {
        return !stripped;
    }
    if flags & flag::ARABIC == 0 {
        return false;
    }
    let mut word_start = start;
    while word_start > 0 && is_word_char(chars[word_start - 1]) {
        word_start -= 1;
    }
    let mut prefix = Vec::new();
    for &c in &chars[word_start..start] {
        fold_char(c, &mut prefix);
    }
    let prefix: String = prefix.into_iter().collect();
    if stripped {
        ARTICLE_PROCLITICS.contains(&prefix.as_str())
    } else {
        PROCLITICS.contains(&prefix.as_str())
    }
}

/// The end of the mention (after trailing marks and an allowed case ending), if a word boundary follows.
fn end_ok(chars: &[char], mut end: usize, flags: u16) -> Option<usize> {
    if flags & flag::HAN != 0 {
        return Some(end);
    }
    while end < chars.len() && (is_mark(chars[end]) || chars[end] == '\u{640}') {
        // Tanween marks an indefinite word: `أوكرانياً` is the adjective "Ukrainian", not the country.
        if matches!(chars[end], '\u{64B}'..='\u{64D}') {
            return None;
        }
        end += 1;
    }
    // `روسيا-1`, `Russia-1`: a name joined to a number by a hyphen names something else (a channel, a mission).
    if chars.get(end) == Some(&'-') && chars.get(end + 1).is_some_and(|c| c.is_ascii_digit() || matches!(c, '٠'..='٩'))
    {
        return None;
    }
    let needs_ending = flags & flag::CYR_STEM != 0;
    let Some(&next) = chars.get(end) else { return (!needs_ending).then_some(end) };
    if !is_word_char(next) {
        return (!needs_ending).then_some(end);
    }
    if flags & (flag::CYR_STEM | flag::CYR_INFLECT) == 0 {
        return None;
    }
    let mut word_end = end;
    while word_end < chars.len() && is_word_char(chars[word_end]) && word_end - end <= 3 {
        word_end += 1;
    }
    let ending: String = chars[end..word_end].iter().flat_map(|c| c.to_lowercase()).collect();
    let at_boundary = chars.get(word_end).is_none_or(|c| !is_word_char(*c));
    (at_boundary && RU_ENDINGS.contains(&ending.as_str())).then_some(word_end)
}

fn case_ok(span: &[char], flags: u16) -> bool {
    if flags & flag::ACRONYM != 0 {
        return span.iter().filter(|c| charclass::is_alphabetic(**c)).all(|c| charclass::is_uppercase(*c));
    }
    if flags & flag::CASED != 0 {
        return span.iter().find(|c| charclass::is_alphabetic(**c)).is_some_and(|c| charclass::is_uppercase(*c));
    }
    true
}
