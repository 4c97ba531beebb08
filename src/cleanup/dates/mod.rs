//! Publication dates: parsing metadata values and datelines in the page's language, rendering for the record.

mod names;
mod parse;
mod persian;
mod relative;
mod row;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};

use parse::{Kind, Tok};

pub use row::{is_publication_label, meta_row, stated_publication};

/// A publication date as precise as the source gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PubDate {
    /// Calendar date.
    pub date: NaiveDate,
    /// Time of day, when given.
    pub time: Option<NaiveTime>,
    /// UTC offset, when given (only meaningful with a time).
    pub offset: Option<FixedOffset>,
}

impl PubDate {
    /// The record form: RFC 3339 with offset, local `YYYY-MM-DDTHH:MM:SS`, or a bare `YYYY-MM-DD`.
    pub fn render(&self) -> String {
        match (self.time, self.offset) {
            (Some(t), Some(o)) => {
                let local = self.date.and_time(t);
                match local.and_local_timezone(o).single() {
                    Some(dt) => dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    None => local.format("%Y-%m-%dT%H:%M:%S").to_string(),
                }
            }
            (Some(t), None) => self.date.and_time(t).format("%Y-%m-%dT%H:%M:%S").to_string(),
            (None, _) => self.date.format("%Y-%m-%d").to_string(),
        }
    }
}

/// How to read a date in one page.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// Read ambiguous numeric dates as month/day (US English pages).
    pub month_first: bool,
    /// The message timestamp: resolves relative dates and years left out, and bounds the future.
    pub reference: Option<DateTime<FixedOffset>>,
}

impl DateContext {
    fn accept(&self, d: PubDate) -> Option<PubDate> {
        match self.reference {
            // A "publication" days after the message was written is an event date, not ours.
            Some(r) if d.date > r.date_naive() + chrono::Duration::days(1) => None,
            _ => Some(d),
        }
    }
}

/// Parses a whole metadata value (`2024-11-18T13:10:00+02:00`, `18 نوفمبر 2024`, `Nov 18, 2024 1:10 PM`).
pub fn parse_value(value: &str, ctx: &DateContext) -> Option<PubDate> {
    let folded = parse::fold_text(value.trim());
    let toks = parse::tokenize(&folded);
    let found = parse::find(&folded, &toks, ctx.month_first, ctx.reference.map(|r| r.date_naive()))?;
    ctx.accept(found.date)
}

/// What the words next to a dateline say it dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// "Published", "Posted", "نشر في", "Опубликовано", or no label at all.
    Published,
    /// "Updated", "Last modified", "Mis à jour", "آخر تحديث", "Aktualisiert": a revision, not the publication.
    Updated,
}

/// Reads a line as a dateline: a date (absolute, or relative to the reference) with little else around it
/// (a weekday, "Published", a place). Returns `None` for running text that merely mentions a date.
pub fn dateline(line: &str, ctx: &DateContext) -> Option<PubDate> {
    labelled_dateline(line, ctx).map(|(date, _)| date)
}

/// [`dateline`] with what the line's label says the date is.
pub fn labelled_dateline(line: &str, ctx: &DateContext) -> Option<(PubDate, Label)> {
    // Most lines are story paragraphs: count their words while folding and stop at the first one too many,
    // instead of folding and tokenizing the whole paragraph first (this ran on every line of every dump).
    if exceeds_words(line, DATELINE_MAX_WORDS) {
        return None;
    }
    let folded = parse::fold_text(line.trim());
    let toks = parse::tokenize(&folded);
    // The word limit was checked above (the early count agrees with the tokenizer: a property test holds it).
    if toks.is_empty() {
        return None;
    }
    if let Some(found) = parse::find(&folded, &toks, ctx.month_first, ctx.reference.map(|r| r.date_naive())) {
        if residual_words(&toks, found.start, found.end) > 3 {
            return None;
        }
        let found = match twin(&folded, &toks, &found, ctx) {
            Some(Twin::Range) => return None,
            Some(Twin::Earlier(earlier)) => earlier,
            None => found,
        };
        if validity_before(&toks, found.start) {
            return None;
        }
        return ctx.accept(found.date).map(|d| (d, label_before(&toks, found.start)));
    }
    // A relative expression is a dateline only when it is the whole line (labels and a time aside): "اليوم"
    // or "today" inside a headline, a kicker or a site name ("اليوم السابع") dates nothing.
    let reference = ctx.reference?;
    let (mut date, span) = relative::resolve(&folded, reference)?;
    let rest = toks.iter().filter(|t| t.end <= span.0 || t.start >= span.1);
    if rest.filter(|t| matches!(&t.kind, Kind::Word(w) if !is_dateline_word(w))).count() > 0 {
        return None;
    }
    // "Yesterday, 18:05": the page's clock time, whose zone the page does not give.
    if date.time.is_none() {
        if let Some((time, offset, ..)) = parse::time_near(&folded, span.0, span.1) {
            date.time = Some(time);
            date.offset = offset;
        }
    }
    Some((date, label_before(&toks, span.0)))
}

/// Whether a short line's first date opens a period ("2025-12-12 - 2025-12-17").
fn is_period(line: &str, ctx: &DateContext) -> bool {
    if exceeds_words(line, 2 * DATELINE_MAX_WORDS) {
        return false;
    }
    let folded = parse::fold_text(line.trim());
    let toks = parse::tokenize(&folded);
    let first = parse::find(&folded, &toks, ctx.month_first, ctx.reference.map(|r| r.date_naive()));
    first.is_some_and(|f| matches!(twin(&folded, &toks, &f, ctx), Some(Twin::Range)))
}

/// A second date right after a line's first one.
enum Twin {
    /// "2025-12-12 - 2025-12-17", "May 3 – May 5, 2024": a period (an event, a sprint), not a publication.
    Range,
    /// The earlier of two dates printed side by side with no dash between them.
    Earlier(parse::Found),
}

/// Themes print the publication and the revision in two elements side by side, unlabelled, and the revision
/// often first ("May 21, 2025April 24, 2025 by Ann", one of them styled away): of two dates with nothing but
/// punctuation between them, the earlier is the publication, as a revision cannot precede it. A dash or "to"
/// between them makes the pair a period.
fn twin(folded: &str, toks: &[Tok], first: &parse::Found, ctx: &DateContext) -> Option<Twin> {
    let next = toks.iter().position(|t| t.start >= first.end)?;
    let second = parse::find(folded, &toks[next..], ctx.month_first, ctx.reference.map(|r| r.date_naive()))?;
    let between: Vec<&Tok> = toks[next..].iter().take_while(|t| t.end <= second.start).collect();
    let range = between.iter().any(|t| match &t.kind {
        Kind::Punct(c) => matches!(c, '-' | '–' | '—' | '~'),
        Kind::Word(w) => matches!(w.as_str(), "to" | "bis" | "au" | "al" | "till" | "through"),
        Kind::Num(..) => false,
    });
    if range {
        return Some(Twin::Range);
    }
    let adjacent = between.iter().all(|t| matches!(t.kind, Kind::Punct(_)));
    (adjacent && second.date.date < first.date.date).then_some(Twin::Earlier(second))
}

/// A date that opens or closes a period ("Effective beginning 6/2/2025:", "Valid until May 3, 2024",
/// "Deadline: March 1, 2025", "Gültig bis 3. Mai 2024") or names an event ("Termin: 21.02.2020, 19 Uhr",
/// "Event date: …") dates a rule, an offer or an event, not the page.
fn validity_before(toks: &[Tok], start: usize) -> bool {
    const VALIDITY: &[&str] = &[
        "effective",
        "beginning",
        "starting",
        "until",
        "deadline",
        "expires",
        "expiry",
        "valid",
        "gultig",
        "gueltig",
        "valable",
        "jusqu",
        "vigente",
        "hasta",
        "event",
        "evenement",
        "evento",
        "termin",
        "действует",
        "gecerli",
    ];
    toks.iter().filter(|t| t.end <= start).any(|t| matches!(&t.kind, Kind::Word(w) if VALIDITY.contains(&w.as_str())))
}

/// Whether a line names the publication anywhere ("Originally published in March 2022. Last updated on …"):
/// its revision date then comes after a publication the line states only in part.
pub fn names_publication(line: &str) -> bool {
    let folded = parse::fold_text(line);
    parse::tokenize(&folded).iter().any(|t| matches!(&t.kind, Kind::Word(w) if label_word(w) == Some(Label::Published)))
}

/// The nearest label word before the date decides: "Originally published in 2022. Last updated on …" is an
/// update. No label reads as a publication.
fn label_before(toks: &[Tok], start: usize) -> Label {
    explicit_label(toks, start).unwrap_or(Label::Published)
}

/// The nearest label word before the date, if there is one.
fn explicit_label(toks: &[Tok], start: usize) -> Option<Label> {
    toks.iter().rev().filter(|t| t.end <= start).find_map(|t| match &t.kind {
        Kind::Word(w) => label_word(w),
        _ => None,
    })
}

/// What a folded word says of the date after it, if it is a label.
fn label_word(w: &str) -> Option<Label> {
    const UPDATED: &[&str] = &[
        "updated",
        "update",
        "modified",
        "revised",
        "edited",
        "mis",
        "actualise",
        "aktualisiert",
        "geandert",
        "actualizado",
        "обновлено",
        "изменено",
        "guncelleme",
        "guncellenme",
        "تحديث",
        "تعديل",
        "بروزرساني",
        "更新",
        "修改",
    ];
    const PUBLISHED: &[&str] = &[
        "published",
        "posted",
        "publie",
        "veroffentlicht",
        "publicado",
        "опубликовано",
        "yayinlanma",
        "نشر",
        "منتشر",
        "发布",
    ];
    if UPDATED.contains(&w) {
        Some(Label::Updated)
    } else if PUBLISHED.contains(&w) {
        Some(Label::Published)
    } else {
        None
    }
}

/// A line printing the publication and the revision side by side with no separator between them ("Updated
/// November 11, 2022 8:23 PM ET Originally published November 9, 2022 11:01 AM ET", "December 3, 2025.
/// Updated: December 7, 2025"): cut before each label word, every piece a dateline, the publication's date.
pub(super) fn paired_dateline(line: &str, ctx: &DateContext) -> Option<(PubDate, Label)> {
    if exceeds_words(line, 2 * DATELINE_MAX_WORDS) {
        return None;
    }
    let folded = parse::fold_text(line.trim());
    let toks = parse::tokenize(&folded);
    let cuts: Vec<usize> = toks
        .iter()
        .filter(|t| matches!(&t.kind, Kind::Word(w) if label_word(w).is_some()))
        .map(|t| t.start)
        .filter(|&c| c > 0)
        .collect();
    if cuts.is_empty() {
        return None;
    }
    let bounds: Vec<usize> = std::iter::once(0).chain(cuts).chain(std::iter::once(folded.len())).collect();
    let mut dated = Vec::new();
    for w in bounds.windows(2) {
        let piece = &folded[w[0]..w[1]];
        if piece.split_whitespace().next().is_none() {
            continue;
        }
        dated.push(labelled_dateline(piece, ctx)?);
    }
    if dated.len() < 2 {
        return None;
    }
    dated.iter().find(|(_, l)| *l == Label::Published).or(dated.first()).copied()
}

/// Most words a dateline may have (date, weekday, labels and a place included).
const DATELINE_MAX_WORDS: usize = 14;

/// Whether the folded `line` holds more than `limit` word tokens as [`parse::tokenize`] counts them (runs of
/// letters outside CJK, and each CJK char), deciding as soon as the count passes the limit.
fn exceeds_words(line: &str, limit: usize) -> bool {
    let mut folded = String::with_capacity(8);
    let (mut words, mut in_word) = (0usize, false);
    for c in line.chars() {
        folded.clear();
        if c.is_whitespace() {
            folded.push(' ');
        } else {
            crate::cleanup::fold::fold_char(c, &mut folded);
        }
        for f in folded.chars() {
            if parse::is_cjk(f) {
                words += 1;
                in_word = false;
            } else if f != ' ' && !f.is_ascii_digit() && crate::charclass::is_alphabetic(f) {
                words += usize::from(!in_word);
                in_word = true;
            } else {
                in_word = false;
            }
            if words > limit {
                return true;
            }
        }
    }
    false
}

/// A news lead's own dateline: `CAIRO, Nov. 18, 2024 (Reuters) - …`, `القاهرة - 18 نوفمبر 2024:` at the start
/// of the first paragraph, before the first dash or colon.
pub fn lead_dateline(paragraph: &str, ctx: &DateContext) -> Option<PubDate> {
    let head: String = paragraph.chars().take(90).collect();
    let mut cuts: Vec<usize> =
        [" - ", " – ", " — ", ": ", " -- "].iter().flat_map(|sep| head.match_indices(sep).map(|(i, _)| i)).collect();
    cuts.sort_unstable();
    cuts.into_iter().take(3).find_map(|cut| {
        // A place, the date and an agency in brackets: drop the brackets before judging.
        let prefix = head[..cut].split('(').next().unwrap_or_default();
        dateline(prefix, ctx)
    })
}

/// Words outside the date span that are not weekdays, day periods or the usual dateline labels. A CJK
/// character is its own token, so it counts as half a word.
fn residual_words(toks: &[Tok], start: usize, end: usize) -> usize {
    let halves: usize = toks
        .iter()
        .filter(|t| t.end <= start || t.start >= end)
        .map(|t| match &t.kind {
            Kind::Word(w) if is_dateline_word(w) => 0,
            Kind::Word(w) if w.chars().count() == 1 && w.chars().all(|c| c > '\u{3000}') => 1,
            Kind::Word(_) => 2,
            _ => 0,
        })
        .sum();
    halves / 2
}

/// Weekdays, AM/PM and labels that stand next to dates in datelines ("Published on", "نشر في", "Обновлено").
fn is_dateline_word(w: &str) -> bool {
    const LABELS: &[&str] = &[
        "published",
        "updated",
        "posted",
        "on",
        "at",
        "last",
        "modified",
        "date",
        "am",
        "pm",
        "le",
        "publie",
        "mis",
        "a",
        "jour",
        "um",
        "uhr",
        "veroffentlicht",
        "aktualisiert",
        "stand",
        "publicado",
        "actualizado",
        "el",
        "de",
        "las",
        "los",
        "en",
        "в",
        "г",
        "года",
        "опубликовано",
        "обновлено",
        "yayinlanma",
        "guncelleme",
        "guncellenme",
        "tarihi",
        "saat",
        "نشر",
        "في",
        "بتاريخ",
        "الساعه",
        "ساعه",
        "اخر",
        "تحديث",
        "تاريخ",
        "النشر",
        "منتشر",
        "شده",
        "بروزرساني",
        "发布",
        "时间",
        "更新",
        "日期",
        "日",
    ];
    LABELS.contains(&w) || !names::lookup(&names::fold_key(w)).is_empty()
}

#[cfg(test)]
mod tests;
