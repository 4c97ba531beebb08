//! Which of a page's dates is its publication date: the dateline printed by the headline, checked against
//! what the markup declares; a declared date alone only when the page prints it somewhere.
//!
//! Why this order (measured on the dev sets, docs/QUALITY.md): readers and the benchmarks go by the date the
//! page shows, but many pages show "Updated …" by the headline while the markup keeps the first publication;
//! and a metadata date on a page that prints no date at all is as often a template's or a CMS's date as the
//! article's, so it is taken only when the same day is printed somewhere on the page.

use chrono::NaiveDate;

use super::meta::MetaDates;
use super::visible::Near;
use crate::cleanup::dates::{Label, PubDate};

/// Everything the page says about its dates.
#[derive(Default)]
pub struct Evidence<'a> {
    /// Datelines by the headline, nearest first.
    pub near: &'a [Near],
    /// Whether the page prints a given day anywhere (asked only when a declared date needs it).
    pub prints: Option<&'a dyn Fn(NaiveDate) -> bool>,
    /// The one publication date the page states in words anywhere (asked only when nothing else dates it).
    pub stated: Option<&'a dyn Fn() -> Option<PubDate>>,
    /// Whether the headline was found in the page text (so "no dateline near it" means something).
    pub anchored: bool,
    /// Whether the page is a site's front page (its URL has no path or query): what its markup declares dates
    /// the site or its template, not an article.
    pub front_page: bool,
    /// Declared dates.
    pub meta: MetaDates,
    /// The publication time `dom_smoothie` found in the markup.
    pub extractor: Option<PubDate>,
}

/// Where a chosen date came from (the eval's per-page dump; not part of the record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A printed dateline the markup agrees with (the markup's value is output).
    Confirmed,
    /// A printed dateline alone.
    Dateline,
    /// An "Updated …" line, no declared publication before it.
    Updated,
    /// The declared publication, preferred to a later "Updated …" line.
    BeforeUpdate,
    /// The article's declared publication (JSON-LD of an article type, `article:published_time`).
    Declared,
    /// The main-text extractor's own metadata date.
    Extractor,
    /// A `<time>` marked as the publication.
    TimePublished,
    /// A date declared for the page as a whole.
    PageDate,
    /// The first `<time>` of the page.
    Time,
    /// A date in the URL.
    Url,
    /// A line that states the publication ("Published …") away from the headline.
    Stated,
}

impl Source {
    /// A short name for dumps.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "dateline+markup",
            Self::Dateline => "dateline",
            Self::Updated => "updated-line",
            Self::BeforeUpdate => "declared-before-update",
            Self::Declared => "declared",
            Self::Extractor => "extractor",
            Self::TimePublished => "time-published",
            Self::PageDate => "page-date",
            Self::Time => "time",
            Self::Url => "url",
            Self::Stated => "stated",
        }
    }
}

/// The publication date and where it came from, or `None` when the page does not show one it can be trusted
/// on. `hidden_dates` accepts a declared date on an anchored page that prints no date.
pub fn choose_with_source(ev: &Evidence<'_>, hidden_dates: bool) -> Option<(PubDate, Source)> {
    let m = &ev.meta;
    let declared = [m.published, m.page_date, m.time_published, m.time, ev.extractor];
    // A printed dateline the markup agrees with: the markup's value, which carries the time and offset.
    for near in ev.near.iter().filter(|n| n.label == Label::Published) {
        if let Some(d) = declared.iter().flatten().find(|d| d.date == near.date.date) {
            return Some((*d, Source::Confirmed));
        }
    }
    let published = ev.near.iter().find(|n| n.label == Label::Published);
    let updated = ev.near.iter().find(|n| n.label == Label::Updated);
    match (published, updated) {
        (Some(p), _) => Some((p.date, Source::Dateline)),
        // Only an "Updated …" line: the declared publication, when it comes before the update.
        (None, Some(u)) => m
            .published
            .filter(|p| p.date <= u.date.date)
            .map(|p| (p, Source::BeforeUpdate))
            .or(Some((u.date, Source::Updated))),
        (None, None) => {
            let tag = |d: Option<PubDate>, s: Source| d.map(|d| (d, s));
            let declared = tag(m.published, Source::Declared)
                .or(tag(ev.extractor, Source::Extractor))
                .or(tag(m.time_published, Source::TimePublished));
            let printed = |d: &(PubDate, Source)| ev.prints.is_some_and(|p| p(d.0.date));
            let declared = declared.filter(|d| !ev.front_page || printed(d));
            let stated = || tag(ev.stated.and_then(|s| s()), Source::Stated);
            if hidden_dates {
                return declared
                    .or_else(stated)
                    .or(tag(m.page_date, Source::PageDate))
                    .or(tag(m.time, Source::Time))
                    .or(tag(m.url, Source::Url));
            }
            if !ev.anchored {
                // Without the headline the absence of a dateline says nothing, but a date an SEO plugin declares
                // for every page is no likelier to be the article's: it still needs printing somewhere.
                return declared
                    .or_else(stated)
                    .or(tag(m.page_date, Source::PageDate).filter(printed))
                    .or(tag(m.time, Source::Time))
                    .or(tag(m.url, Source::Url));
            }
            // The headline stands without a dateline. A publication date the markup states for the article
            // is usually right; one stated for the page (or a number in the URL) only when the page prints it.
            // A `<time>` elsewhere on the page dates something else (a sidebar, a comment).
            declared
                .or_else(|| {
                    [tag(m.page_date, Source::PageDate), tag(m.url, Source::Url)].into_iter().flatten().find(printed)
                })
                .or_else(stated)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(ev: &Evidence<'_>, hidden_dates: bool) -> Option<PubDate> {
        choose_with_source(ev, hidden_dates).map(|(d, _)| d)
    }

    fn day(s: &str) -> PubDate {
        PubDate { date: s.parse().unwrap_or_default(), time: None, offset: None }
    }

    fn near(offset: isize, date: &str, label: Label) -> Near {
        Near { offset, date: day(date), label }
    }

    #[test]
    fn an_update_line_yields_to_the_declared_publication() {
        let near = [near(1, "2025-12-04", Label::Updated)];
        let meta = MetaDates { published: Some(day("2024-02-27")), ..MetaDates::default() };
        let ev = Evidence { near: &near, anchored: true, meta, ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(day("2024-02-27")));
        // Without a declared publication the update is the best date there is.
        let ev = Evidence { near: &near, anchored: true, ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(day("2025-12-04")));
    }

    #[test]
    fn the_markup_value_wins_when_it_agrees_with_the_dateline() {
        let precise = PubDate { time: chrono::NaiveTime::from_hms_opt(12, 50, 0), ..day("2025-09-04") };
        let near = [near(-2, "2025-09-04", Label::Published), near(1, "2025-12-16", Label::Published)];
        let meta = MetaDates { published: Some(precise), ..MetaDates::default() };
        let ev = Evidence { near: &near, anchored: true, meta, ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(precise));
    }

    #[test]
    fn a_publication_stated_away_from_the_headline_dates_an_undated_page() {
        let stated = || Some(day("2023-04-13"));
        let ev = Evidence { anchored: true, stated: Some(&stated), ..Evidence::default() };
        assert_eq!(choose_with_source(&ev, false), Some((day("2023-04-13"), Source::Stated)));
        // The article's declared publication comes first.
        let meta = MetaDates { published: Some(day("2023-04-12")), ..MetaDates::default() };
        let ev = Evidence { anchored: true, stated: Some(&stated), meta, ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(day("2023-04-12")));
    }

    #[test]
    fn a_front_page_declares_no_article_date_it_does_not_print() {
        let meta = MetaDates { published: Some(day("2021-05-24")), ..MetaDates::default() };
        let ev = Evidence { anchored: true, front_page: true, meta, ..Evidence::default() };
        assert_eq!(choose(&ev, false), None);
        let shown = |d: NaiveDate| d == day("2021-05-24").date;
        let ev = Evidence { anchored: true, front_page: true, meta, prints: Some(&shown), ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(day("2021-05-24")));
    }

    #[test]
    fn a_page_or_url_date_the_page_never_prints_is_not_believed() {
        let meta =
            MetaDates { page_date: Some(day("2019-12-12")), url: Some(day("2019-12-01")), ..MetaDates::default() };
        let ev = Evidence { anchored: true, meta, ..Evidence::default() };
        assert_eq!(choose(&ev, false), None);
        assert_eq!(choose(&ev, true), Some(day("2019-12-12")));
        let shown = |d: NaiveDate| d == day("2019-12-01").date;
        let ev = Evidence { anchored: true, meta, prints: Some(&shown), ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(day("2019-12-01")));
        // A page whose headline was not found cannot say it shows no date, but a page-wide date still needs
        // printing; the URL stands.
        let ev = Evidence { anchored: false, meta, ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(day("2019-12-01")));
        let ev =
            Evidence { anchored: false, meta, prints: Some(&|d| d == day("2019-12-12").date), ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(day("2019-12-12")));
        // A stated publication date stands on its own.
        let meta = MetaDates { published: Some(day("2019-11-30")), ..meta };
        let ev = Evidence { anchored: true, meta, ..Evidence::default() };
        assert_eq!(choose(&ev, false), Some(day("2019-11-30")));
    }
}
