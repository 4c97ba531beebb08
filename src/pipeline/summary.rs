//! `entity_summary`: mentions counted per canonical entity, most mentioned first.

use std::collections::HashMap;

use crate::contract::{Entity, EntitySummary, EntityType, SummaryItem};

/// Counts mentions per (type, kb_id or name). Ties break by name so the output is deterministic.
pub fn summarize(entities: &[Entity]) -> EntitySummary {
    let mut counts: HashMap<(EntityType, Option<&str>, &str), usize> = HashMap::new();
    for entity in entities {
        // A linked entity is counted by id under its canonical name; an unlinked one by its name.
        let key = (entity.entity_type, entity.kb_id.as_deref(), entity.name.as_str());
        *counts.entry(key).or_default() += 1;
    }
    let mut summary = EntitySummary::default();
    for ((entity_type, kb_id, name), count) in counts {
        let item = SummaryItem { kb_id: kb_id.map(str::to_owned), name: name.to_owned(), count };
        match entity_type {
            EntityType::Person => summary.persons.push(item),
            EntityType::Organization => summary.organizations.push(item),
            EntityType::Location => summary.locations.push(item),
            EntityType::Misc => {}
        }
    }
    for list in [&mut summary.persons, &mut summary.organizations, &mut summary.locations] {
        list.sort_by(|a, b| {
            b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)).then_with(|| a.kb_id.cmp(&b.kb_id))
        });
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Field;

    fn mention(name: &str, kb: Option<&str>, t: EntityType) -> Entity {
        Entity {
            field: Field::Text,
            start: 0,
            end: name.chars().count(),
            text: name.into(),
            entity_type: t,
            kb_id: kb.map(Into::into),
            name: name.into(),
        }
    }

    #[test]
    fn counts_per_entity_most_mentioned_first() {
        let entities = vec![
            mention("Moscow", Some("Q649"), EntityType::Location),
            mention("Vladimir Putin", Some("Q7747"), EntityType::Person),
            mention("Vladimir Putin", Some("Q7747"), EntityType::Person),
            mention("Kyiv", Some("Q1899"), EntityType::Location),
            mention("Kyiv", Some("Q1899"), EntityType::Location),
            mention("Expo", None, EntityType::Misc),
        ];
        let s = summarize(&entities);
        assert_eq!(s.persons.len(), 1);
        assert_eq!(s.persons[0].count, 2);
        assert_eq!(s.locations.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["Kyiv", "Moscow"]);
        assert!(s.organizations.is_empty());
    }
}
