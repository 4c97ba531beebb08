//! Office titles standing for a person (`الرئيس الروسي`, `Russian President`, `وزير الخارجية الروسي`): in a
//! dated article, linked to the one KB person who held that office on that date.
//!
//! Only with a date: an undated or replayed old article would otherwise get today's office holder, a wrong
//! guess on every dashboard. A title followed by a name is left to the name.

use super::index::{Index, Target};
use super::link::{entity_refs, FieldMatches, Linked};
use super::matcher::Candidate;
use crate::contract::EntityType;

/// Adds a person mention for each title + demonym chain whose office had exactly one holder on `date`.
pub fn resolve(index: &Index, fields: &[FieldMatches<'_>], lang: u16, date: &str, linked: &mut Vec<Linked>) {
    let mut added = Vec::new();
    for f in fields {
        let cands = &f.candidates;
        let mut i = 0;
        while i < cands.len() {
            let mut j = i;
            let (mut roles, mut countries) = (Vec::new(), Vec::new());
            while j < cands.len()
                && is_lexical(&cands[j], lang)
                && (j == i || adjacent(f.chars, &cands[j - 1], &cands[j]))
            {
                for r in &cands[j].refs {
                    match r.target {
                        Target::Title(role) => roles.push(role),
                        Target::Demonym(c) => countries.push(index.countries[c as usize].as_str()),
                        Target::Entity(_) => {}
                    }
                }
                j += 1;
            }
            if j == i {
                i += 1;
                continue;
            }
            let named_next = cands.get(j).is_some_and(|next| adjacent(f.chars, &cands[j - 1], next));
            if !roles.is_empty() && !countries.is_empty() && !named_next {
                let (start, end) = (cands[i].start, cands[j - 1].end);
                // A tagger span over the title already says what it is.
                let taken = linked.iter().any(|l| l.field == f.field && l.start < end && start < l.end);
                if let Some(e) = sole_holder(index, &roles, &countries, date).filter(|_| !taken) {
                    let entity_type = EntityType::Person;
                    added.push(Linked { field: f.field, start, end, entity_type, entry: Some(e), contested: false });
                }
            }
            i = j;
        }
    }
    if !added.is_empty() {
        linked.extend(added);
        linked.sort_by_key(|l| (l.field, l.start));
    }
}

fn is_lexical(c: &Candidate, lang: u16) -> bool {
    entity_refs(c, lang).is_empty() && c.refs.iter().any(|r| !matches!(r.target, Target::Entity(_)))
}

fn adjacent(chars: &[char], a: &Candidate, b: &Candidate) -> bool {
    let gap = &chars[a.end..b.start];
    gap.len() <= 2 && gap.iter().all(|c| c.is_whitespace())
}

fn sole_holder(index: &Index, roles: &[u32], countries: &[&str], date: &str) -> Option<u32> {
    let mut holders = index.entities.iter().enumerate().filter(|(_, e)| {
        e.entity_type == EntityType::Person
            && e.offices.iter().any(|o| {
                roles.contains(&o.role) && o.of.as_deref().is_some_and(|of| countries.contains(&of)) && o.held_on(date)
            })
    });
    let (first, _) = holders.next()?;
    holders.next().is_none().then_some(first as u32)
}
