//! The entity stage as the pipeline runs it: knowledge-base matches merged with the statistical tagger's spans.
//!
//! Free of language detection (the caller passes the language), so the fuzz crate drives the same code path the
//! service does without the `service` feature.

use crate::entities::{EntityTagger, Tagged, TaggerSpan};
use crate::ner::NerModels;

/// Knowledge-base matches merged with the statistical tagger's spans for the article's language; without a tagger
/// for it (no models, or none for `lang`), the knowledge base alone (the result then says `entities_kb_only`).
pub fn tag_entities(
    tagger: &EntityTagger,
    ner: Option<&NerModels>,
    title: Option<&str>,
    text: &str,
    lang: &str,
    published_at: Option<&str>,
) -> Tagged {
    let spans = |field: &str| -> Option<Vec<TaggerSpan>> {
        let found = ner?.tag_text(lang, field)?;
        Some(found.into_iter().map(|s| TaggerSpan { start: s.start, end: s.end, entity_type: s.entity_type }).collect())
    };
    match (title.map(&spans), spans(text)) {
        (Some(None), _) | (_, None) => tagger.tag_dated(title, text, lang, published_at),
        (title_spans, Some(text_spans)) => {
            let title_spans = title_spans.flatten().unwrap_or_default();
            tagger.tag_with_spans(title, text, lang, published_at, &title_spans, &text_spans)
        }
    }
}
