//! Cleanup stage: main text, title, authors and publication date out of an HTML page or a text dump.
//!
//! Pure: text in, data out. No Kafka, no metrics, no async.

mod byline;
pub mod dates;
pub mod eval;
mod extract;
mod fold;
mod furniture;
mod html;
pub mod normalize;
mod text;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::contract::ContentType;

pub use extract::extract_json;

/// The `[cleanup]` configuration section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CleanupSettings {
    /// Bodies longer than this many bytes are cut (at a character boundary) before parsing, bounding the
    /// time one article can take.
    pub max_body_bytes: usize,
    /// Upper bound on HTML elements the main-text scorer visits (0: no bound).
    pub max_html_elements: usize,
    /// Use the scraper's `published_at` when the page itself has no date.
    pub use_published_hint: bool,
    /// Take any date the markup declares (a page-level JSON-LD or meta date, any `<time>`, the URL) even when
    /// the page shows no dateline near its headline and does not print that day. Off by default: on WCXB it
    /// adds 2 points of right dates and 10 points of invented ones (docs/QUALITY.md).
    pub hidden_dates: bool,
}

impl Default for CleanupSettings {
    fn default() -> Self {
        Self { max_body_bytes: 4 * 1024 * 1024, max_html_elements: 0, use_published_hint: true, hidden_dates: false }
    }
}

/// Settings the stage cannot run with.
#[derive(Debug, thiserror::Error)]
pub enum CleanupError {
    /// `max_body_bytes` is zero.
    #[error("cleanup.max_body_bytes must be greater than 0")]
    ZeroBodyLimit,
}

/// What the cleanup stage needs to know about one article.
#[derive(Debug, Clone, Copy)]
pub struct CleanupInput<'a> {
    /// The raw body.
    pub body: &'a str,
    /// Declared content type; `None` means sniff.
    pub content_type: Option<ContentType>,
    /// Page URL, if known (resolves relative links, hints the site).
    pub url: Option<&'a str>,
    /// Title supplied by the scraper, used when the page has none.
    pub title_hint: Option<&'a str>,
    /// Publication time supplied by the scraper, used when the page has none.
    pub published_hint: Option<&'a str>,
    /// Time the message was written, for relative dates (`yesterday`, `منذ ساعتين`).
    pub reference_time: Option<DateTime<FixedOffset>>,
}

/// The cleanup result.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    /// The content type the body was read as.
    pub content_type: Option<ContentType>,
    /// Headline, once.
    pub title: Option<String>,
    /// Main text, paragraphs separated by `\n\n`.
    pub text: String,
    /// Author names.
    pub authors: Vec<String>,
    /// Publication date rendered for the record (RFC 3339 with offset, or local, or a bare date).
    pub published_at: Option<String>,
    /// Language the page declares (`<html lang>`), lower case; a hint for language detection.
    pub language_hint: Option<String>,
    /// Where `published_at` came from (`dateline`, `declared`, `url` …), for looking into results; not part
    /// of the record.
    pub date_source: Option<String>,
    /// Length of the raw body in characters, for a cleanup-ratio metric.
    pub raw_chars: usize,
    /// Short machine-readable notes.
    pub warnings: Vec<String>,
}

/// The cleanup stage, built once from settings and shared by all workers.
#[derive(Debug, Clone, Default)]
pub struct Cleaner {
    settings: CleanupSettings,
}

impl Cleaner {
    /// Builds the stage from validated settings.
    pub fn new(settings: &CleanupSettings) -> Result<Self, CleanupError> {
        if settings.max_body_bytes == 0 {
            return Err(CleanupError::ZeroBodyLimit);
        }
        Ok(Self { settings: settings.clone() })
    }

    /// Cleans one article.
    pub fn clean(&self, input: &CleanupInput<'_>) -> Cleaned {
        let mut warnings = Vec::new();
        let body = if input.body.len() > self.settings.max_body_bytes {
            warnings.push("body_truncated".to_owned());
            let mut end = self.settings.max_body_bytes;
            while !input.body.is_char_boundary(end) {
                end -= 1;
            }
            &input.body[..end]
        } else {
            input.body
        };
        let content_type = input.content_type.unwrap_or_else(|| sniff(body));
        let ctx = dates::DateContext { month_first: false, reference: input.reference_time };
        let (title, text, authors, published, mut date_source, language_hint) = match content_type {
            ContentType::Html => {
                let page =
                    html::clean(body, input.url, &ctx, self.settings.max_html_elements, self.settings.hidden_dates);
                (page.title, page.text, page.authors, page.published, page.date_source, page.lang)
            }
            ContentType::Text => {
                let dump = text::clean(body, &ctx);
                let source = dump.published.map(|_| "text-dateline".to_owned());
                (dump.title, dump.text, dump.authors, dump.published, source, None)
            }
        };
        let title = title.or_else(|| input.title_hint.map(normalize::inline).filter(|t| !t.is_empty()));
        let published = published.or_else(|| {
            let hint = input.published_hint.filter(|_| self.settings.use_published_hint)?;
            date_source = Some("scraper-hint".to_owned());
            dates::parse_value(hint, &ctx)
        });
        Cleaned {
            content_type: Some(content_type),
            title,
            text,
            authors,
            published_at: published.map(|d| d.render()),
            date_source: published.and(date_source),
            language_hint,
            raw_chars: input.body.chars().count(),
            warnings,
        }
    }
}

/// Reads a body without a declared type as HTML when it starts like markup or carries block tags.
fn sniff(body: &str) -> ContentType {
    let head: String = body.trim_start().chars().take(1024).collect::<String>().to_ascii_lowercase();
    let markup = head.starts_with('<')
        || ["<html", "<body", "<div", "<p>", "<p ", "<article", "<!doctype"].iter().any(|t| head.contains(t));
    if markup {
        ContentType::Html
    } else {
        ContentType::Text
    }
}

#[cfg(test)]
mod tests;
