//! The `news-enricher extract` output: one cleanup result as JSON, for people and scripts checking a page.

use serde_json::{json, Value};

use super::{Cleaner, CleanupInput};

/// Cleans one body and returns `{title, text, authors, published_at, language, content_type, warnings}`;
/// `language` is the page's own declaration (`<html lang>`), `null` when it has none.
pub fn extract_json(cleaner: &Cleaner, input: &CleanupInput<'_>) -> Value {
    let cleaned = cleaner.clean(input);
    json!({
        "title": cleaned.title,
        "text": cleaned.text,
        "authors": cleaned.authors,
        "published_at": cleaned.published_at,
        "language": cleaned.language_hint,
        "content_type": cleaned.content_type,
        "warnings": cleaned.warnings,
    })
}
