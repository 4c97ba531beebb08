//! Entity stage: people, organisations and places with char offsets, linked to Wikidata ids.
//!
//! Pure: text in, data out. The knowledge base (`config/kb/`) is loaded once into label automata
//! ([`index`]); each article is matched over a normalised view ([`normalize`], [`matcher`]), linked with
//! document context ([`link`], [`partial`]) and, when a statistical tagger runs, merged with its spans
//! ([`merge`]).

pub mod eval;
mod index;
pub mod kb;
mod link;
mod matcher;
pub mod merge;
pub mod normalize;
mod partial;
mod roles;

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::contract::{Entity, EntityType, Field};
use index::Index;
pub use kb::{KbInput, KbSource};
use link::{FieldMatches, Linked};
pub use merge::TaggerSpan;

/// Entities found in one article, with notes for the record's `warnings`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tagged {
    /// Mentions, title first, then by start offset.
    pub entities: Vec<Entity>,
    /// Short machine-readable notes.
    pub warnings: Vec<String>,
}

/// The `[entities]` config section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EntitySettings {
    /// Knowledge-base directory: every `*.jsonl` in it (`places.jsonl` first, then by file name) and
    /// `lexicon/demonyms.tsv`, `lexicon/titles.tsv` when present. Relative paths are from the working directory.
    pub kb_dir: PathBuf,
    /// Users' own entity files in the same JSON Lines format, loaded after `kb_dir` (a later entity with an
    /// already loaded id replaces it). Read at startup; no rebuild needed.
    pub extra_kb_files: Vec<PathBuf>,
}

impl Default for EntitySettings {
    fn default() -> Self {
        Self { kb_dir: PathBuf::from("config/kb"), extra_kb_files: Vec::new() }
    }
}

/// Why the entity stage could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EntityError {
    /// A KB file or directory could not be read.
    #[error("entities: cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A KB line is malformed.
    #[error("entities: {file}:{line}: {reason}")]
    Parse {
        /// File name.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// `kb_dir` holds no `*.jsonl` file.
    #[error("entities: no *.jsonl knowledge-base file in {0} (set entities.kb_dir)")]
    EmptyKb(PathBuf),
    /// The automaton could not be built.
    #[error("entities: cannot build the label automaton: {0}")]
    Build(String),
}

/// The entity stage, built once and shared by all workers.
#[derive(Clone)]
pub struct EntityTagger {
    index: Arc<Index>,
    version: String,
}

impl std::fmt::Debug for EntityTagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntityTagger")
            .field("version", &self.version)
            .field("entities", &self.index.entities.len())
            .field("patterns", &self.index.patterns)
            .field("roles", &self.index.roles.len())
            .finish()
    }
}

impl EntityTagger {
    /// Loads the knowledge base named by `settings` and builds the stage.
    pub fn new(settings: &EntitySettings) -> Result<Self, EntityError> {
        Self::from_input(&KbInput::read(settings)?)
    }

    /// Builds the stage from KB texts already in memory (tests, tools).
    pub fn from_input(input: &KbInput) -> Result<Self, EntityError> {
        Self::from_entities(input, &kb::parse_entities(&input.entities)?)
    }

    /// Builds the stage from KB texts whose entity files the caller has already parsed (`input.entities`
    /// parsed once, when the caller also feeds the entities to the statistical tagger).
    pub fn from_entities(input: &KbInput, entities: &[kb::KbEntity]) -> Result<Self, EntityError> {
        let titles = kb::parse_lexicon(&input.titles)?;
        let demonyms = kb::parse_lexicon(&input.demonyms)?;
        let word_senses = kb::parse_lexicon(&input.word_senses)?;
        let index = Index::build(entities, &titles, &demonyms, &word_senses)?;
        Ok(Self { index: Arc::new(index), version: input.version() })
    }

    /// Identifies the loaded KB content (for the record's `pipeline.models`).
    pub fn kb_version(&self) -> &str {
        &self.version
    }

    /// Number of entities loaded.
    pub fn kb_len(&self) -> usize {
        self.index.entities.len()
    }

    /// Tags the title and text of one article whose detected language is `lang`.
    ///
    /// Only KB names are found, so the result carries the `entities_kb_only` warning; a statistical tagger's
    /// spans go through [`Self::tag_with_spans`].
    pub fn tag(&self, title: Option<&str>, text: &str, lang: &str) -> Tagged {
        self.tag_dated(title, text, lang, None)
    }

    /// Tags like [`Self::tag`]; with the article's publication date (RFC 3339 or ISO date), office titles
    /// without a name (`الرئيس الروسي`) are linked to the person who held the office that day.
    pub fn tag_dated(&self, title: Option<&str>, text: &str, lang: &str, published_at: Option<&str>) -> Tagged {
        let mut tagged = self.tag_with_spans(title, text, lang, published_at, &[], &[]);
        tagged.warnings.push("entities_kb_only".to_owned());
        tagged
    }

    /// Tags like [`Self::tag_dated`], merging a statistical tagger's spans for the title and the text (char
    /// offsets): KB mentions win where they overlap, the rest are added (linked when the KB knows the exact
    /// name), and partial-name rules then run over both.
    pub fn tag_with_spans(
        &self,
        title: Option<&str>,
        text: &str,
        lang: &str,
        published_at: Option<&str>,
        title_spans: &[TaggerSpan],
        text_spans: &[TaggerSpan],
    ) -> Tagged {
        // Labels of every language are searched, because news quotes names in other scripts; the language only
        // decides between a lexicon word and a name spelled alike in another language.
        let title_chars: Vec<char> = title.map(|t| t.chars().collect()).unwrap_or_default();
        let text_chars: Vec<char> = text.chars().collect();
        let mut fields = Vec::with_capacity(2);
        if let Some(t) = title {
            let candidates = matcher::find(&self.index, t, &title_chars);
            fields.push(FieldMatches { field: Field::Title, chars: &title_chars, candidates });
        }
        let candidates = matcher::find(&self.index, text, &text_chars);
        fields.push(FieldMatches { field: Field::Text, chars: &text_chars, candidates });

        let linked = link::link(&self.index, &fields, lang);
        let mut merged = Vec::with_capacity(linked.len());
        for f in &fields {
            let kb: Vec<Linked> = linked.iter().filter(|l| l.field == f.field).cloned().collect();
            let spans = if f.field == Field::Title { title_spans } else { text_spans };
            merged.extend(merge::merge(f.field, f.chars.len(), kb, spans, |s| self.link_exact(f.chars, s, lang)));
        }
        if let Some(date) = published_at.and_then(iso_date) {
            roles::resolve(&self.index, &fields, index::lang_code(lang), date, &mut merged);
        }
        partial::propagate(&self.index, &fields, &mut merged);

        let entities = merged
            .into_iter()
            .filter_map(|l| {
                let chars = fields.iter().find(|f| f.field == l.field)?.chars;
                let surface: String = chars.get(l.start..l.end)?.iter().collect();
                let entry = l.entry.map(|e| &self.index.entities[e as usize]);
                Some(Entity {
                    field: l.field,
                    start: l.start,
                    end: l.end,
                    kb_id: entry.and_then(|e| e.kb_id()).map(str::to_owned),
                    name: entry.map_or_else(|| surface.clone(), |e| e.name.clone()),
                    text: surface,
                    entity_type: l.entity_type,
                })
            })
            .collect();
        Tagged { entities, warnings: Vec::new() }
    }

    /// The KB entry a tagger span names exactly, when its type agrees and the name has one reading.
    fn link_exact(&self, chars: &[char], span: &TaggerSpan, lang: &str) -> Option<u32> {
        let text: String = chars[span.start..span.end].iter().collect();
        let sub: Vec<char> = text.chars().collect();
        let candidates = matcher::find(&self.index, &text, &sub);
        let whole = candidates.into_iter().find(|c| c.start == 0 && c.end == sub.len())?;
        let field = [FieldMatches { field: Field::Text, chars: &sub, candidates: vec![whole] }];
        let l = link::link(&self.index, &field, lang).into_iter().next()?;
        (l.entity_type == span.entity_type || span.entity_type == EntityType::Misc).then_some(l.entry).flatten()
    }
}

/// The `YYYY-MM-DD` prefix of an RFC 3339 timestamp or ISO date.
fn iso_date(s: &str) -> Option<&str> {
    let date = s.get(..10)?;
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)).then_some(date)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
