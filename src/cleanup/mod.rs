//! Cleanup stage: main text, title, authors and publication date out of an HTML page or a text dump.
//!
//! Pure: text in, data out. No Kafka, no metrics, no async.

use chrono::{DateTime, FixedOffset};

use crate::contract::ContentType;

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
    /// Short machine-readable notes.
    pub warnings: Vec<String>,
}

/// The cleanup stage, built once from settings and shared by all workers.
#[derive(Debug, Clone, Default)]
pub struct Cleaner {}

impl Cleaner {
    /// Builds the stage.
    pub fn new() -> Self {
        Self {}
    }

    /// Cleans one article.
    pub fn clean(&self, input: &CleanupInput<'_>) -> Cleaned {
        let content_type = input.content_type.unwrap_or(ContentType::Text);
        Cleaned {
            content_type: Some(content_type),
            title: input.title_hint.map(str::to_owned),
            text: input.body.trim().to_owned(),
            authors: Vec::new(),
            published_at: None,
            warnings: Vec::new(),
        }
    }
}
