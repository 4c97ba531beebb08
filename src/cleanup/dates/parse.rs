//! Finding one absolute date (and its time) in a short piece of text, in any of the supported languages.
//!
//! Hand-written on purpose: the date crates (`chrono`'s formats, `dateparser`) read one layout in English at a
//! time, while datelines mix weekday, day, a month name in the page's language, a year, a time and `ص`/`م`.
//! Input is folded first ([`super::names::fold_char`]) so Arabic-Indic digits and letter variants just work.

use std::sync::LazyLock;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime};
use regex::Regex;

use super::names::{self, Field};
use super::persian;
use super::PubDate;
use crate::charclass;
pub(super) use crate::cleanup::fold::fold_text;

/// A token of folded text with its byte span.
#[derive(Debug, Clone)]
pub(super) struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Num(u32, usize),
    Word(String),
    Punct(char),
}

/// A date found in text: the value and the byte span it covers in the folded text (time included).
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub date: PubDate,
    pub start: usize,
    pub end: usize,
}

pub(super) fn tokenize(folded: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut iter = folded.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        if c == ' ' {
            continue;
        }
        let mut end = start + c.len_utf8();
        if c.is_ascii_digit() {
            while let Some(&(i, d)) = iter.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + d.len_utf8();
                iter.next();
            }
            let digits = &folded[start..end];
            let value = digits.parse().unwrap_or(u32::MAX);
            toks.push(Tok { kind: Kind::Num(value, digits.len()), start, end });
        } else if charclass::is_alphabetic(c) && !is_cjk(c) {
            while let Some(&(i, d)) = iter.peek() {
                if !charclass::is_alphabetic(d) || is_cjk(d) {
                    break;
                }
                end = i + d.len_utf8();
                iter.next();
            }
            toks.push(Tok { kind: Kind::Word(folded[start..end].to_owned()), start, end });
        } else if is_cjk(c) {
            toks.push(Tok { kind: Kind::Word(c.to_string()), start, end });
        } else {
            toks.push(Tok { kind: Kind::Punct(c), start, end });
        }
    }
    toks
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Words that may stand between a day, a month and a year ("18 de noviembre de 2024", "18 ноября 2024 г.").
fn is_joiner(tok: &Tok) -> bool {
    match &tok.kind {
        Kind::Punct(c) => matches!(c, '.' | ',' | '-' | '/'),
        Kind::Word(w) => matches!(w.as_str(), "de" | "del" | "of" | "the"),
        Kind::Num(..) => false,
    }
}

/// A month name starting at token `i`; two-word names (تشرين الثاني, كانون الأول) are tried first.
fn month_at(toks: &[Tok], i: usize) -> Option<(u8, usize)> {
    let Kind::Word(w) = &toks.get(i)?.kind else { return None };
    if let Some(Kind::Word(w2)) = toks.get(i + 1).map(|t| &t.kind) {
        if let Some(n) = names::find(&format!("{w}{w2}"), Field::Month) {
            return Some((n.number, i + 2));
        }
    }
    // A dot right after an abbreviation belongs to it ("Nov.", "févr.").
    let next = if matches!(toks.get(i + 1).map(|t| &t.kind), Some(Kind::Punct('.'))) { i + 2 } else { i + 1 };
    names::find(w, Field::Month).map(|n| (n.number, next))
}

fn skip_joiners(toks: &[Tok], mut i: usize) -> usize {
    let mut skipped = 0;
    while skipped < 2 && toks.get(i).is_some_and(is_joiner) {
        i += 1;
        skipped += 1;
    }
    i
}

/// The token after an ordinal suffix at `i` ("18th", French "1er"), or `i` when there is none.
fn skip_ordinal(toks: &[Tok], i: usize) -> usize {
    let ordinal = matches!(toks.get(i).map(|t| &t.kind), Some(Kind::Word(w)) if matches!(w.as_str(), "st" | "nd" | "rd" | "th" | "er"));
    // Glued to the number: "18th", not "18 th".
    if ordinal && toks.get(i.wrapping_sub(1)).is_some_and(|prev| prev.end == toks[i].start) {
        i + 1
    } else {
        i
    }
}

fn num(toks: &[Tok], i: usize) -> Option<(u32, usize)> {
    match toks.get(i)?.kind {
        Kind::Num(v, len) => Some((v, len)),
        _ => None,
    }
}

fn plausible_year(y: u32) -> bool {
    (1990..=2100).contains(&y)
}

/// The year after a day and a month name. Text extraction glues neighbouring inline elements, so the year may
/// carry the next element's leading digits ("Mar 27, 20255 mins", "November 9, 202211:01 AM"): five or six
/// digits opening with a plausible year and followed by a word or a clock's colon are that year. No year has
/// five digits, so nothing else reads this way.
fn year_at(toks: &[Tok], k: usize) -> Option<i32> {
    match num(toks, k)? {
        (y, 4) if plausible_year(y) => Some(y as i32),
        (v, len @ 5..=6) => {
            let y = v / 10u32.pow(len as u32 - 4);
            let glued_to = toks.get(k + 1).map(|t| &t.kind);
            let tail = matches!(glued_to, Some(Kind::Word(_) | Kind::Punct(':')));
            (plausible_year(y) && tail).then_some(y as i32)
        }
        _ => None,
    }
}

/// Date part: `(year or None, month, day, first token, token after)`.
type DateParts = (Option<i32>, u32, u32, usize, usize);

/// The first absolute date in the token list, `month_first` choosing M/D/Y for ambiguous numeric dates.
fn date_tokens(toks: &[Tok], month_first: bool) -> Option<DateParts> {
    for i in 0..toks.len() {
        // Y-M-D and Y/M/D.
        if let (Some((y, 4)), Some(Kind::Punct(sep))) = (num(toks, i), toks.get(i + 1).map(|t| &t.kind)) {
            if matches!(sep, '-' | '/' | '.') && plausible_year(y) {
                if let (Some((m, _)), Some(Kind::Punct(s2)), Some((d, _))) =
                    (num(toks, i + 2), toks.get(i + 3).map(|t| &t.kind), num(toks, i + 4))
                {
                    if s2 == sep {
                        return Some((Some(y as i32), m, d, i, i + 5));
                    }
                }
            }
        }
        // Solar Hijri Y/M/D as Persian sites print it: ۱۴۰۳/۰۸/۲۸.
        if let (Some((y, 4)), Some(Kind::Punct(sep))) = (num(toks, i), toks.get(i + 1).map(|t| &t.kind)) {
            if matches!(sep, '-' | '/' | '.') && persian::is_year(y) {
                if let (Some((m, _)), Some(Kind::Punct(s2)), Some((d, _))) =
                    (num(toks, i + 2), toks.get(i + 3).map(|t| &t.kind), num(toks, i + 4))
                {
                    if s2 == sep {
                        if let Some(g) = persian::to_gregorian(y, m, d) {
                            return Some((Some(g.year()), g.month(), g.day(), i, i + 5));
                        }
                    }
                }
            }
        }
        // Solar Hijri D Month Y: ۲۸ آبان ۱۴۰۳. The year is required: month names such as مهر and تیر are
        // everyday words too.
        if let (Some((d, dlen)), Some(Kind::Word(w))) = (num(toks, i), toks.get(i + 1).map(|t| &t.kind)) {
            if let (true, Some(month), Some((y, 4))) =
                (dlen <= 2, names::find(w, Field::PersianMonth), num(toks, skip_joiners(toks, i + 2)))
            {
                if persian::is_year(y) {
                    if let Some(g) = persian::to_gregorian(y, u32::from(month.number), d) {
                        return Some((Some(g.year()), g.month(), g.day(), i, skip_joiners(toks, i + 2) + 1));
                    }
                }
            }
        }
        // CJK: 2024年11月18日.
        if let (Some((y, 4)), Some(Kind::Word(w))) = (num(toks, i), toks.get(i + 1).map(|t| &t.kind)) {
            if w == "年" {
                if let (Some((m, _)), Some((d, _))) = (num(toks, i + 2), num(toks, i + 4)) {
                    if plausible_year(y) {
                        let end = if matches!(toks.get(i + 5).map(|t| &t.kind), Some(Kind::Word(w)) if w == "日") {
                            i + 6
                        } else {
                            i + 5
                        };
                        return Some((Some(y as i32), m, d, i, end));
                    }
                }
            }
        }
        if let Some((d, dlen)) = num(toks, i) {
            // D Month [Y], the day with an ordinal suffix or not ("18th Dec 2025", "1er mars 2024").
            if dlen <= 2 {
                let j = skip_joiners(toks, skip_ordinal(toks, i + 1));
                if let Some((m, after)) = month_at(toks, j) {
                    let k = skip_joiners(toks, after);
                    return match year_at(toks, k) {
                        Some(y) => Some((Some(y), u32::from(m), d, i, k + 1)),
                        None => Some((None, u32::from(m), d, i, after)),
                    };
                }
                // D/M/Y, D.M.Y, D-M-Y (or M/D/Y).
                if let (Some(Kind::Punct(sep)), Some((b, blen))) = (toks.get(i + 1).map(|t| &t.kind), num(toks, i + 2))
                {
                    if matches!(sep, '/' | '.' | '-') && blen <= 2 {
                        if let (Some(Kind::Punct(s2)), Some((y, ylen))) =
                            (toks.get(i + 3).map(|t| &t.kind), num(toks, i + 4))
                        {
                            let year = match ylen {
                                4 => y,
                                2 => 2000 + y,
                                _ => 0,
                            };
                            if s2 == sep && plausible_year(year) {
                                let (m, d) = if b > 12 || (month_first && d <= 12) { (d, b) } else { (b, d) };
                                return Some((Some(year as i32), m, d, i, i + 5));
                            }
                        }
                    }
                }
            }
        }
        // Y Month D, as citations write it ("2023 Jan 7").
        if let Some((y, 4)) = num(toks, i).filter(|&(y, _)| plausible_year(y)) {
            if let Some((m, after)) = month_at(toks, i + 1) {
                if let Some((d, 1 | 2)) = num(toks, after) {
                    return Some((Some(y as i32), u32::from(m), d, i, after + 1));
                }
            }
        }
        // Month D[,] Y
        if let Some((m, after)) = month_at(toks, i) {
            if let Some((d, dlen)) = num(toks, after) {
                if dlen <= 2 {
                    // Ordinal suffixes: "November 18th".
                    let k = skip_joiners(toks, skip_ordinal(toks, after + 1));
                    return match year_at(toks, k) {
                        Some(y) => Some((Some(y), u32::from(m), d, i, k + 1)),
                        None => Some((None, u32::from(m), d, i, after + 1)),
                    };
                }
            }
        }
    }
    None
}

static TIME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[^\d:])(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*(z|(?:gmt|utc)?\s*[+-]\d{1,2}(?::?\d{2})?)\b)?",
    )
    .ok()
});

/// A time near the date (within 40 bytes either side), with AM/PM and offset when given.
pub(super) fn time_near(
    folded: &str,
    start: usize,
    end: usize,
) -> Option<(NaiveTime, Option<FixedOffset>, usize, usize)> {
    let re = TIME.as_ref()?;
    let window_start = floor_boundary(folded, start.saturating_sub(40));
    let window_end = floor_boundary(folded, (end + 40).min(folded.len()));
    let window = &folded[window_start..window_end];
    let caps = re.captures_iter(window).find(|c| c.get(1).is_some())?;
    let (h, m) = (caps.get(1)?.as_str().parse::<u32>().ok()?, caps.get(2)?.as_str().parse::<u32>().ok()?);
    let s = caps.get(3).and_then(|x| x.as_str().parse::<u32>().ok()).unwrap_or(0);
    let mut span_end = window_start + caps.get(0)?.end();
    let span_start = window_start + caps.get(1)?.start();
    let offset = caps.get(4).and_then(|o| parse_offset(o.as_str()));
    let mut hour = h;
    let before = folded[..span_start].trim_end();
    let after = &folded[span_end..];
    let period = day_period_after(after).or_else(|| {
        // Chinese puts the period before the time: 下午1:10.
        if before.ends_with("下午") {
            Some((2, 0))
        } else if before.ends_with("上午") {
            Some((1, 0))
        } else {
            None
        }
    });
    if let Some((p, consumed)) = period {
        span_end += consumed;
        if p == 2 && hour < 12 {
            hour += 12;
        } else if p == 1 && hour == 12 {
            hour = 0;
        }
    }
    let time = NaiveTime::from_hms_opt(hour, m, s)?;
    Some((time, offset, span_start, span_end))
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// AM/PM marker right after a time: one word, or two for spaced forms like `p. m.`.
fn day_period_after(after: &str) -> Option<(u8, usize)> {
    let trimmed = after.trim_start();
    let lead = after.len() - trimmed.len();
    let mut ends = trimmed.match_indices(' ').map(|(i, _)| i).chain(std::iter::once(trimmed.len()));
    let first = ends.next()?;
    let second = ends.next();
    for end in [Some(first), second].into_iter().flatten() {
        let candidate = &trimmed[..end];
        if let Some(n) = names::find(&names::fold_key(candidate.trim_end_matches([',', ')'])), Field::AmPm) {
            return Some((n.number, lead + end));
        }
    }
    None
}

fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim().trim_start_matches("gmt").trim_start_matches("utc").trim();
    if s == "z" || s.is_empty() {
        return FixedOffset::east_opt(0);
    }
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (digits[..1].parse::<i32>().ok()?, digits[1..].parse::<i32>().ok()?),
        4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// The first absolute date in `folded`. A date without a year takes the year of `reference` (the year before
/// when that would put it in the future), and is dropped when there is no reference.
pub(super) fn find(folded: &str, toks: &[Tok], month_first: bool, reference: Option<NaiveDate>) -> Option<Found> {
    let (year, month, day, first, after) = date_tokens(toks, month_first)?;
    let year = match year {
        Some(y) => y,
        None => {
            let r = reference?;
            let candidate = NaiveDate::from_ymd_opt(r.year(), month, day)?;
            if candidate > r {
                r.year() - 1
            } else {
                r.year()
            }
        }
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let start = toks[first].start;
    let end = toks[after - 1].end;
    let mut found = Found { date: PubDate { date, time: None, offset: None }, start, end };
    if let Some((time, offset, t_start, t_end)) = time_near(folded, start, end) {
        found.date.time = Some(time);
        found.date.offset = offset;
        found.start = found.start.min(t_start);
        found.end = found.end.max(t_end);
    }
    Some(found)
}
