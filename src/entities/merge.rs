//! The merge point between KB-linked mentions and spans from a statistical tagger (`src/ner/`).
//!
//! The KB knows the entity behind a name; the tagger knows that an unknown word is a name. So a KB mention
//! wins wherever the two overlap, except that a tagger person span wrapping KB non-person mentions replaces
//! them (`George Washington` is not the city); the tagger adds the spans the KB does not cover, unlinked unless
//! the caller's linker recognises them.

use super::link::Linked;
use crate::contract::{EntityType, Field};

/// A span proposed by a statistical tagger, in char offsets of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaggerSpan {
    /// Start, in chars.
    pub start: usize,
    /// End (exclusive), in chars.
    pub end: usize,
    /// Predicted type.
    pub entity_type: EntityType,
}

/// Merges the KB mentions of `field` (sorted, non-overlapping) with tagger spans over a text of `len` chars.
///
/// Tagger spans that are empty, out of range or overlap a KB mention are dropped (but a person span strictly
/// around non-person KB mentions replaces them); overlapping tagger spans keep the longest (then leftmost). `link` may give a kept span a KB entry. The result is sorted by start.
pub fn merge(
    field: Field,
    len: usize,
    kb: Vec<Linked>,
    tagger: &[TaggerSpan],
    mut link: impl FnMut(&TaggerSpan) -> Option<u32>,
) -> Vec<Linked> {
    let mut spans: Vec<&TaggerSpan> = tagger.iter().filter(|s| s.start < s.end && s.end <= len).collect();
    spans.sort_by_key(|s| (std::cmp::Reverse(s.end - s.start), s.start));
    let mut out = kb;
    let mut added = false;
    for s in spans {
        let overlaps = |l: &Linked| l.start < s.end && s.start < l.end;
        if out.iter().any(overlaps) {
            // A person's name that contains KB places or organisations (`George Washington`, `Jack London`) is
            // the person: the tagger saw the whole name, the KB only a part of it.
            let person_around = s.entity_type == EntityType::Person
                && out.iter().filter(|l| overlaps(l)).all(|l| {
                    s.start <= l.start
                        && l.end <= s.end
                        && (l.end - l.start) < (s.end - s.start)
                        && l.entity_type != EntityType::Person
                });
            if !person_around {
                continue;
            }
            out.retain(|l| !overlaps(l));
        }
        added = true;
        out.push(Linked {
            field,
            start: s.start,
            end: s.end,
            entity_type: s.entity_type,
            entry: link(s),
            contested: false,
        });
    }
    if added {
        out.sort_by_key(|l| l.start);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn kb(start: usize, end: usize, entry: u32) -> Linked {
        Linked { field: Field::Text, start, end, entity_type: EntityType::Person, entry: Some(entry), contested: false }
    }

    fn span(start: usize, end: usize, entity_type: EntityType) -> TaggerSpan {
        TaggerSpan { start, end, entity_type }
    }

    #[test]
    fn kb_mention_wins_over_overlapping_tagger_span() {
        let merged = merge(Field::Text, 50, vec![kb(10, 15, 7)], &[span(5, 15, EntityType::Organization)], |_| None);
        assert_eq!(merged, vec![kb(10, 15, 7)]);
    }

    #[test]
    fn tagger_adds_unknown_spans_unlinked_unless_linker_knows_them() {
        let tagger = [span(20, 25, EntityType::Location), span(0, 4, EntityType::Person)];
        let merged = merge(Field::Text, 50, vec![kb(10, 15, 7)], &tagger, |s| (s.start == 20).then_some(3));
        let got: Vec<(usize, Option<u32>, EntityType)> =
            merged.iter().map(|l| (l.start, l.entry, l.entity_type)).collect();
        assert_eq!(
            got,
            vec![(0, None, EntityType::Person), (10, Some(7), EntityType::Person), (20, Some(3), EntityType::Location)]
        );
    }

    #[test]
    fn person_span_around_a_place_replaces_it() {
        let place = Linked { entity_type: EntityType::Location, ..kb(7, 17, 61) };
        let merged = merge(Field::Text, 50, vec![place.clone()], &[span(0, 17, EntityType::Person)], |_| Some(23));
        assert_eq!(merged, vec![Linked { entity_type: EntityType::Person, ..kb(0, 17, 23) }]);
        // A person span that only touches part of the place does not.
        let merged = merge(Field::Text, 50, vec![place.clone()], &[span(10, 20, EntityType::Person)], |_| None);
        assert_eq!(merged, vec![place]);
    }

    #[test]
    fn overlapping_tagger_spans_keep_longest_and_drop_invalid() {
        let tagger = [
            span(0, 3, EntityType::Person),
            span(0, 8, EntityType::Person),
            span(6, 6, EntityType::Misc),
            span(40, 60, EntityType::Misc),
        ];
        let merged = merge(Field::Title, 50, Vec::new(), &tagger, |_| None);
        assert_eq!(merged.len(), 1);
        assert_eq!((merged[0].start, merged[0].end, merged[0].field), (0, 8, Field::Title));
    }
}
