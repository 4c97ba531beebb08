//! Converter for factRuEval-2016's standoff format (`.tokens`, `.spans`, `.objects`) into IOB2 sentences.
//!
//! An object (Person, Org, Location, LocOrg, Project) covers the tokens of all its spans; nested objects
//! (`мэрии Москвы` containing `Москвы`) are flattened by keeping the longest and dropping what overlaps it.
//! LocOrg (a place named as an actor, `Москва заявила`) is mapped to LOC, Project to MISC.

use super::corpus::{read_text, CorpusError, Documents, Sentence};
use super::tag::Tag;
use crate::contract::EntityType;
use std::collections::HashMap;
use std::path::Path;

fn object_type(s: &str) -> Option<EntityType> {
    match s {
        "Person" => Some(EntityType::Person),
        "Org" => Some(EntityType::Organization),
        "Location" | "LocOrg" => Some(EntityType::Location),
        "Project" => Some(EntityType::Misc),
        _ => None,
    }
}

/// Reads every `book_N` of a factRuEval folder.
pub fn read_dir(dir: &Path) -> Result<Documents, CorpusError> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| CorpusError::Io { path: dir.display().to_string(), source })?;
    let mut docs = Documents::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(num) = name.strip_prefix("book_").and_then(|s| s.strip_suffix(".tokens")) else { continue };
        let Ok(num) = num.parse::<u64>() else { continue };
        let base = dir.join(format!("book_{num}"));
        let doc = convert(
            &read_text(&base.with_extension("tokens"))?,
            &read_text(&base.with_extension("spans"))?,
            &read_text(&base.with_extension("objects"))?,
        );
        docs.insert(num, doc);
    }
    Ok(docs)
}

/// Converts one document's three files.
pub fn convert(tokens: &str, spans: &str, objects: &str) -> Vec<Sentence> {
    // Token id → (sentence, position).
    let mut sentences: Vec<Sentence> = vec![Sentence { tokens: Vec::new(), tags: Vec::new() }];
    let mut pos: HashMap<&str, (usize, usize)> = HashMap::new();
    for line in tokens.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 4 {
            if sentences.last().is_some_and(|s| !s.tokens.is_empty()) {
                sentences.push(Sentence { tokens: Vec::new(), tags: Vec::new() });
            }
            continue;
        }
        let si = sentences.len() - 1;
        let s = &mut sentences[si];
        pos.insert(f[0], (si, s.tokens.len()));
        s.tokens.push(f[3].to_string());
        s.tags.push(Tag::O);
    }
    // Span id → token ids (first token id and count).
    let mut span_tokens: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for line in spans.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 6 {
            continue;
        }
        let (Some(&(si, start)), Ok(count)) = (pos.get(f[4]), f[5].parse::<usize>()) else { continue };
        span_tokens.insert(f[0], (start..start + count).map(|p| (si, p)).collect());
    }
    let mut found: Vec<(usize, usize, usize, EntityType)> = Vec::new();
    for line in objects.lines() {
        let body = line.split('#').next().unwrap_or("");
        let f: Vec<&str> = body.split_whitespace().collect();
        let Some(ty) = f.get(1).and_then(|t| object_type(t)) else { continue };
        let covered: Vec<(usize, usize)> =
            f[2..].iter().filter_map(|s| span_tokens.get(s)).flatten().copied().collect();
        let Some(&(si, _)) = covered.first() else { continue };
        if covered.iter().any(|(s, _)| *s != si) {
            continue;
        }
        let lo = covered.iter().map(|c| c.1).min().unwrap_or(0);
        let hi = covered.iter().map(|c| c.1).max().unwrap_or(0) + 1;
        found.push((si, lo, hi, ty));
    }
    found.sort_by_key(|(si, lo, hi, _)| (std::cmp::Reverse(hi - lo), *si, *lo));
    for (si, lo, hi, ty) in found {
        let Some(s) = sentences.get_mut(si) else { continue };
        if hi > s.tags.len() || s.tags[lo..hi].iter().any(|t| *t != Tag::O) {
            continue;
        }
        s.tags[lo] = Tag::B(ty);
        s.tags[lo + 1..hi].iter_mut().for_each(|t| *t = Tag::I(ty));
    }
    sentences.retain(|s| !s.tokens.is_empty());
    sentences
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn nested_objects_flatten_to_the_longest() {
        let tokens = "1 0 5 Глава\n2 6 5 мэрии\n3 12 6 Москвы\n4 19 5 Иван\n5 25 6 Петров\n\n6 32 2 Да\n";
        let spans = "10 org_descr 6 5 2 1\n11 loc_name 12 6 3 1\n12 name 19 4 4 1\n13 surname 25 6 5 1\n";
        let objects = "100 Org 10 11 # мэрии Москвы\n101 LocOrg 11 # Москвы\n102 Person 12 13 # Иван Петров\n";
        let s = convert(tokens, spans, objects);
        assert_eq!(s.len(), 2);
        let tags: Vec<String> = s[0].tags.iter().map(|t| t.to_string()).collect();
        assert_eq!(tags, ["O", "B-ORG", "I-ORG", "B-PER", "I-PER"]);
        assert_eq!(s[1].tags, [Tag::O]);
    }
}
