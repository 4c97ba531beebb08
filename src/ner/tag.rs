//! IOB2 tags over the four entity classes, and the conversions between tag sequences and spans.

use crate::contract::EntityType;
use std::fmt;

/// One token's IOB2 tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Outside any entity.
    O,
    /// First token of an entity.
    B(EntityType),
    /// Token continuing the entity started by the previous token.
    I(EntityType),
}

/// The short class name used in tag strings (`PER`, `ORG`, `LOC`, `MISC`).
pub fn type_name(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "PER",
        EntityType::Organization => "ORG",
        EntityType::Location => "LOC",
        EntityType::Misc => "MISC",
    }
}

/// Parses a class name; `PERS` (ANERcorp) is read as `PER`.
pub fn parse_type(s: &str) -> Option<EntityType> {
    match s {
        "PER" | "PERS" => Some(EntityType::Person),
        "ORG" => Some(EntityType::Organization),
        "LOC" => Some(EntityType::Location),
        "MISC" => Some(EntityType::Misc),
        _ => None,
    }
}

impl Tag {
    /// Parses `O`, `B-PER`, `I-LOC`, ...; `None` for anything else.
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::O);
        }
        let (head, ty) = s.split_once('-')?;
        let ty = parse_type(ty)?;
        match head {
            "B" => Some(Tag::B(ty)),
            "I" => Some(Tag::I(ty)),
            _ => None,
        }
    }

    /// The entity class, if any.
    pub fn entity_type(self) -> Option<EntityType> {
        match self {
            Tag::O => None,
            Tag::B(t) | Tag::I(t) => Some(t),
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::O => f.write_str("O"),
            Tag::B(t) => write!(f, "B-{}", type_name(*t)),
            Tag::I(t) => write!(f, "I-{}", type_name(*t)),
        }
    }
}

/// Rewrites IOB1 or loosely formed tags as IOB2: an `I-X` that does not continue an `X` starts a new entity.
pub fn to_iob2(tags: &mut [Tag]) {
    let mut prev = Tag::O;
    for tag in tags.iter_mut() {
        if let Tag::I(t) = *tag {
            if prev.entity_type() != Some(t) {
                *tag = Tag::B(t);
            }
        }
        prev = *tag;
    }
}

/// Entity spans `(first token, end token exclusive, class)` of an IOB2 sequence; a stray `I-X` opens a span.
pub fn token_spans(tags: &[Tag]) -> Vec<(usize, usize, EntityType)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityType)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let continues = matches!((tag, open), (Tag::I(t), Some((_, o))) if *t == o);
        if continues {
            continue;
        }
        if let Some((s, t)) = open.take() {
            out.push((s, i, t));
        }
        if let Some(t) = tag.entity_type() {
            open = Some((i, t));
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len(), t));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn iob1_becomes_iob2_and_spans_close_on_type_change() {
        let mut tags: Vec<Tag> =
            ["I-PER", "I-PER", "I-ORG", "O", "I-LOC", "B-LOC"].iter().filter_map(|s| Tag::parse(s)).collect();
        to_iob2(&mut tags);
        let shown: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        assert_eq!(shown, ["B-PER", "I-PER", "B-ORG", "O", "B-LOC", "B-LOC"]);
        let spans = token_spans(&tags);
        assert_eq!(
            spans,
            vec![
                (0, 2, EntityType::Person),
                (2, 3, EntityType::Organization),
                (4, 5, EntityType::Location),
                (5, 6, EntityType::Location)
            ]
        );
        assert_eq!(Tag::parse("B-PERS"), Some(Tag::B(EntityType::Person)));
        assert_eq!(Tag::parse("B-MIS1"), None);
    }
}
