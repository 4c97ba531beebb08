//! Knowledge-base files: JSON Lines entities and TSV lexicons (format in `config/kb/README.md`), read and parsed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{EntityError, EntitySettings};
use crate::contract::EntityType;

/// One knowledge-base text with the name it is reported under in errors.
#[derive(Debug, Clone)]
pub struct KbSource {
    /// File path or a test's label.
    pub name: String,
    /// The file's content.
    pub text: String,
}

impl KbSource {
    /// A source from text already in memory.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self { name: name.into(), text: text.into() }
    }

    fn read(path: &Path) -> Result<Self, EntityError> {
        let text = std::fs::read_to_string(path).map_err(|source| EntityError::Io { path: path.into(), source })?;
        Ok(Self { name: path.display().to_string(), text })
    }
}

/// Everything the tagger is built from, before parsing.
#[derive(Debug, Clone, Default)]
pub struct KbInput {
    /// Entity files in load order (a later file overrides an earlier one's entity with the same id).
    pub entities: Vec<KbSource>,
    /// `lang<TAB>word<TAB>country Q-id` files.
    pub demonyms: Vec<KbSource>,
    /// `lang<TAB>phrase<TAB>role key` files.
    pub titles: Vec<KbSource>,
    /// `lang<TAB>phrase<TAB>Q-id|cue` files: labels that are also ordinary words, and the words that mark them
    /// as names.
    pub word_senses: Vec<KbSource>,
}

impl KbInput {
    /// Reads `kb_dir` (every `*.jsonl`, `places.jsonl` first, then by name; `lexicon/demonyms.tsv`,
    /// `lexicon/titles.tsv` and `lexicon/word_senses.tsv` when present) and then `extra_kb_files`.
    pub fn read(settings: &EntitySettings) -> Result<Self, EntityError> {
        let dir = &settings.kb_dir;
        let listing = std::fs::read_dir(dir).map_err(|source| EntityError::Io { path: dir.clone(), source })?;
        let mut files: Vec<PathBuf> = listing
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        // Places first so that curated people and organisations override generated entries with the same id.
        files.sort_by_key(|p| (p.file_name().is_none_or(|n| n != "places.jsonl"), p.clone()));
        if files.is_empty() {
            return Err(EntityError::EmptyKb(dir.clone()));
        }
        let mut input = KbInput::default();
        for path in files.iter().chain(&settings.extra_kb_files) {
            input.entities.push(KbSource::read(path)?);
        }
        let lexicons = [
            ("demonyms.tsv", &mut input.demonyms),
            ("titles.tsv", &mut input.titles),
            ("word_senses.tsv", &mut input.word_senses),
        ];
        for (name, target) in lexicons {
            let path = dir.join("lexicon").join(name);
            if path.is_file() {
                target.push(KbSource::read(&path)?);
            }
        }
        Ok(input)
    }

    /// A short hash of every source's name-independent content, in load order.
    pub fn version(&self) -> String {
        let mut hasher = Sha256::new();
        for source in self.entities.iter().chain(&self.demonyms).chain(&self.titles).chain(&self.word_senses) {
            hasher.update(source.text.as_bytes());
            hasher.update([0u8]);
        }
        format!("kb-{}", &hex::encode(hasher.finalize())[..12])
    }
}

/// An office held, as the KB states it.
#[derive(Debug, Clone, Deserialize)]
pub struct Role {
    /// Title-word key (`president`, `foreign_minister`, ...).
    pub role: String,
    /// Q-id of the country or organisation.
    #[serde(default)]
    pub of: Option<String>,
    /// ISO date the office was taken.
    #[serde(default)]
    pub from: Option<String>,
    /// ISO date the office was left; `null` while in office.
    #[serde(default)]
    pub to: Option<String>,
}

/// One KB entity as written in the file. Unknown fields are ignored so curators can annotate.
#[derive(Debug, Clone, Deserialize)]
pub struct KbEntity {
    /// Wikidata Q-id, or `geonames:<id>` for generated places without one.
    pub id: String,
    /// PER, ORG, LOC or MISC.
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    /// Canonical English label.
    pub name: String,
    /// Labels per language, full names first.
    #[serde(default)]
    pub labels: BTreeMap<String, Vec<String>>,
    /// Prior for ambiguous names, 0–1.
    #[serde(default)]
    pub prominence: Option<f32>,
    /// Population of a place.
    #[serde(default)]
    pub population: Option<u64>,
    /// Country (Q-id) of a place or organisation.
    #[serde(default)]
    pub country: Option<String>,
    /// `country`, `city`, `news_agency`, ...
    #[serde(default)]
    pub kind: Option<String>,
    /// Offices held by a person.
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// Parses entity sources; a later entity with an already seen id replaces the earlier one in place.
pub fn parse_entities(sources: &[KbSource]) -> Result<Vec<KbEntity>, EntityError> {
    let mut out: Vec<KbEntity> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for source in sources {
        for (n, line) in source.text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entity: KbEntity = serde_json::from_str(line).map_err(|e| EntityError::Parse {
                file: source.name.clone(),
                line: n + 1,
                reason: e.to_string(),
            })?;
            if entity.id.is_empty() || entity.name.is_empty() {
                let reason = "empty id or name".to_owned();
                return Err(EntityError::Parse { file: source.name.clone(), line: n + 1, reason });
            }
            match by_id.get(&entity.id) {
                Some(&i) => out[i] = entity,
                None => {
                    by_id.insert(entity.id.clone(), out.len());
                    out.push(entity);
                }
            }
        }
    }
    Ok(out)
}

/// One lexicon row: language, phrase, value (a country Q-id or a role key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconRow {
    /// ISO 639-1 language.
    pub lang: String,
    /// The word or phrase as written.
    pub phrase: String,
    /// Country Q-id (demonyms) or role key (titles).
    pub value: String,
}

/// Parses `lang<TAB>phrase<TAB>value` rows, skipping `#` comments and blank lines.
pub fn parse_lexicon(sources: &[KbSource]) -> Result<Vec<LexiconRow>, EntityError> {
    let mut out = Vec::new();
    for source in sources {
        for (n, line) in source.text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t').map(str::trim);
            match (cols.next(), cols.next(), cols.next()) {
                (Some(lang), Some(phrase), Some(value)) if !phrase.is_empty() && !value.is_empty() => {
                    out.push(LexiconRow { lang: lang.into(), phrase: phrase.into(), value: value.into() })
                }
                _ => {
                    let reason = "expected lang<TAB>phrase<TAB>value".to_owned();
                    return Err(EntityError::Parse { file: source.name.clone(), line: n + 1, reason });
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn later_entity_with_same_id_overrides() {
        let a = KbSource::new("a", "# c\n{\"id\":\"Q1\",\"type\":\"LOC\",\"name\":\"A\"}\n");
        let b = KbSource::new("b", "{\"id\":\"Q1\",\"type\":\"ORG\",\"name\":\"B\",\"extra\":1}\n");
        let parsed = parse_entities(&[a, b]).unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].name, "B");
    }

    #[test]
    fn bad_line_names_file_and_line() {
        let err = parse_entities(&[KbSource::new("f.jsonl", "\n{\"id\":\"Q1\"}\n")]).unwrap_err();
        assert!(err.to_string().contains("f.jsonl:2"), "{err}");
        let err = parse_lexicon(&[KbSource::new("t.tsv", "ar\tالرئيس\n")]).unwrap_err();
        assert!(err.to_string().contains("t.tsv:1"), "{err}");
    }
}
