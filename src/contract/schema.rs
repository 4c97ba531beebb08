//! JSON Schemas generated from the contract types; `docs/schema/` holds the committed copies.

use schemars::{schema_for, Schema};

use super::{DeadLetterRecord, EnrichedRecord, RawArticle};

/// The three schemas, by file name.
pub fn all() -> Vec<(&'static str, Schema)> {
    vec![
        ("raw-article.schema.json", schema_for!(RawArticle)),
        ("enriched-record.schema.json", schema_for!(EnrichedRecord)),
        ("dead-letter-record.schema.json", schema_for!(DeadLetterRecord)),
    ]
}

/// A schema rendered as the committed file holds it: pretty JSON with a trailing newline.
pub fn render(schema: &Schema) -> Result<String, serde_json::Error> {
    Ok(serde_json::to_string_pretty(schema)? + "\n")
}
