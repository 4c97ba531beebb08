//! Relative datelines (`منذ ساعتين`, `3 hours ago`, `yesterday`, `вчера`, `3小时前`) resolved against the
//! message timestamp. Only ever applied to a line that is a dateline, never to running text.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, FixedOffset, Timelike};
use regex::Regex;

use super::PubDate;

#[derive(Debug, Clone, Copy)]
enum Unit {
    Minute,
    Hour,
    Day,
    Week,
}

/// `(pattern over folded text, unit)`; group 1, when present, is the count (digits or a word for one/two).
/// Arabic dual forms (ساعتين, يومين) carry their count in the unit word itself.
const PATTERNS: &[(&str, Unit)] = &[
    (r"منذ\s+(\d+|)\s*(?:دقيقه|دقائق|دقيقتين)", Unit::Minute),
    (r"منذ\s+(\d+|)\s*(?:ساعه|ساعات|ساعتين)", Unit::Hour),
    (r"منذ\s+(\d+|)\s*(?:يوم|ايام|يومين)", Unit::Day),
    (r"(\d+|an?|one)\s+minutes?\s+ago", Unit::Minute),
    (r"(\d+|an?|one)\s+hours?\s+ago", Unit::Hour),
    (r"(\d+|an?|one)\s+days?\s+ago", Unit::Day),
    (r"(\d+|an?|one)\s+weeks?\s+ago", Unit::Week),
    (r"il y a\s+(\d+|une?)\s+minutes?", Unit::Minute),
    (r"il y a\s+(\d+|une?)\s+heures?", Unit::Hour),
    (r"il y a\s+(\d+|une?)\s+jours?", Unit::Day),
    (r"hace\s+(\d+|una?)\s+minutos?", Unit::Minute),
    (r"hace\s+(\d+|una?)\s+horas?", Unit::Hour),
    (r"hace\s+(\d+|una?)\s+dias?", Unit::Day),
    (r"vor\s+(\d+|einer|einem)\s+minuten?", Unit::Minute),
    (r"vor\s+(\d+|einer|einem)\s+stunden?", Unit::Hour),
    (r"vor\s+(\d+|einer|einem)\s+tag(?:en)?", Unit::Day),
    (r"(\d+|)\s*минут[уы]?\s+назад", Unit::Minute),
    (r"(\d+|)\s*час(?:а|ов)?\s+назад", Unit::Hour),
    (r"(\d+)\s*(?:день|дня|дней)\s+назад", Unit::Day),
    (r"(\d+)\s+dakika\s+once", Unit::Minute),
    (r"(\d+)\s+saat\s+once", Unit::Hour),
    (r"(\d+)\s+gun\s+once", Unit::Day),
    (r"(\d+)\s+دقيقه\s+پيش", Unit::Minute),
    (r"(\d+)\s+ساعت\s+پيش", Unit::Hour),
    (r"(\d+)\s+روز\s+پيش", Unit::Day),
    (r"(\d+)\s*分钟前", Unit::Minute),
    (r"(\d+)\s*小时前", Unit::Hour),
    (r"(\d+)\s*天前", Unit::Day),
];

/// Words for today and yesterday, folded; a whole-word match only.
const YESTERDAY: &[&str] = &["امس", "yesterday", "hier", "ayer", "gestern", "вчера", "dun", "ديروز", "昨天"];
const TODAY: &[&str] = &["اليوم", "today", "aujourd'hui", "hoy", "heute", "сегодня", "bugun", "امروز", "今天"];

static COMPILED: LazyLock<Vec<(Regex, Unit)>> =
    LazyLock::new(|| PATTERNS.iter().filter_map(|(p, u)| Regex::new(p).ok().map(|r| (r, *u))).collect());

/// Resolves a relative dateline; `folded` is the line folded by [`super::parse::fold_text`]. Returns the date
/// and the byte span of the expression in `folded`.
pub(super) fn resolve(folded: &str, reference: DateTime<FixedOffset>) -> Option<(PubDate, (usize, usize))> {
    for (re, unit) in COMPILED.iter() {
        let Some(caps) = re.captures(folded) else { continue };
        let whole = caps.get(0)?;
        let count = caps.get(1).map_or(1, |c| count_of(c.as_str(), whole.as_str()));
        let at = match unit {
            Unit::Minute => reference - Duration::minutes(count),
            Unit::Hour => reference - Duration::hours(count),
            Unit::Day => reference - Duration::days(count),
            Unit::Week => reference - Duration::weeks(count),
        };
        let date = match unit {
            // To the minute: the source gave no seconds.
            Unit::Minute | Unit::Hour => PubDate {
                date: at.date_naive(),
                time: at.time().with_second(0).and_then(|t| t.with_nanosecond(0)),
                offset: Some(*at.offset()),
            },
            Unit::Day | Unit::Week => PubDate { date: at.date_naive(), time: None, offset: None },
        };
        return Some((date, (whole.start(), whole.end())));
    }
    let words = folded.match_indices(|c: char| c.is_alphanumeric() || c == '\'').fold(Vec::new(), |mut v, (i, c)| {
        match v.last_mut() {
            Some((start, end)) if *end == i => *end = i + c.len(),
            _ => v.push((i, i + c.len())),
        }
        v
    });
    for (start, end) in words {
        let word = &folded[start..end];
        let days = if YESTERDAY.contains(&word) {
            1
        } else if TODAY.contains(&word) {
            0
        } else {
            continue;
        };
        let at = reference - Duration::days(days);
        return Some((PubDate { date: at.date_naive(), time: None, offset: None }, (start, end)));
    }
    None
}

fn count_of(digits: &str, whole: &str) -> i64 {
    if let Ok(n) = digits.parse::<i64>() {
        return n.clamp(0, 10_000);
    }
    // Arabic duals and bare units: "منذ ساعتين" is two hours, "منذ ساعة" one.
    if whole.ends_with("تين") || whole.ends_with("ين") {
        2
    } else {
        1
    }
}
