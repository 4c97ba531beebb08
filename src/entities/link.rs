//! Linking: picks one KB entity per matched span from its type, priors and the rest of the document, or none.
//!
//! Document rules: names that are unambiguous anchor the document (their ids and countries raise candidates
//! that agree with them); a title or demonym just before a name asks for a person; a bare surname links only
//! when its full name came earlier, a title announces it, or the person is prominent; a label that is also an
//! ordinary word (`مالي`, "financial") is a name only with evidence (the entity or a place in it named otherwise,
//! or a cue word right before it: `في مالي`); when two readings score within [`MARGIN`] the mention stays
//! unlinked rather than guessed.

use std::collections::{HashMap, HashSet};

use super::index::{flag, lang_code, Entry, Index, Target};
use super::matcher::{Candidate, PROCLITICS};
use super::normalize::{is_word_char, key, Level};
use crate::contract::{EntityType, Field};

/// Smallest score lead that lets the best reading of an ambiguous name be linked.
const MARGIN: f32 = 0.15;
/// Prior from which a person's bare surname links without other evidence.
const SHORT_ALIAS_PRIOR: f32 = 0.7;

/// A mention ready for output.
#[derive(Debug, Clone, PartialEq)]
pub struct Linked {
    /// Field the span is in.
    pub field: Field,
    /// Start, in chars.
    pub start: usize,
    /// End (exclusive), in chars.
    pub end: usize,
    /// Entity type.
    pub entity_type: EntityType,
    /// Index of the linked entry, if any.
    pub entry: Option<u32>,
    /// Whether other KB readings competed (a later partial person name may take the span over).
    pub contested: bool,
}

/// One field's text as chars, with its candidates.
pub struct FieldMatches<'a> {
    /// Which field.
    pub field: Field,
    /// Its chars.
    pub chars: &'a [char],
    /// Non-overlapping candidates, by start.
    pub candidates: Vec<Candidate>,
}

/// Links the candidates of all fields of one document (title first) written in `lang` (ISO 639-1).
pub fn link(index: &Index, fields: &[FieldMatches<'_>], lang: &str) -> Vec<Linked> {
    let lang = lang_code(lang);
    let anchors = Anchors::collect(index, fields, lang);
    let mut full_seen: HashSet<u32> = HashSet::new();
    let mut out = Vec::new();
    for f in fields {
        for (i, c) in f.candidates.iter().enumerate() {
            let entity_refs = entity_refs(c, lang);
            if entity_refs.is_empty() {
                continue;
            }
            let cue = person_cue(index, f, i, lang);
            let entity_refs = without_unsupported_words(index, &anchors, entity_refs, f.chars, c.start, lang);
            if entity_refs.is_empty() {
                continue;
            }
            let Some((entity_type, entry, contested)) =
                choose(index, &anchors, &full_seen, &entity_refs, cue.as_ref(), c, f.chars)
            else {
                continue;
            };
            if let Some(e) = entry {
                let full = entity_refs.iter().any(|&(x, fl)| x == e && fl & flag::FULL != 0);
                if full && index.entities[e as usize].entity_type == EntityType::Person {
                    full_seen.insert(e);
                }
            }
            out.push(Linked { field: f.field, start: c.start, end: c.end, entity_type, entry, contested });
        }
    }
    out
}

/// Entity readings of a candidate. A span that is also a title or demonym (Arabic `روسية` "Russian" is
/// Persian `روسیه` "Russia") reads as the lexicon word, unless it is an entity label in the document's own
/// language (German `Polen` is Poland and Poles alike; as a name it is the country).
pub(super) fn entity_refs(c: &Candidate, lang: u16) -> Vec<(u32, u16)> {
    let lexical: Vec<u16> = c.refs.iter().filter(|r| !matches!(r.target, Target::Entity(_))).map(|r| r.lang).collect();
    let named_in_lang = c.refs.iter().any(|r| matches!(r.target, Target::Entity(_)) && r.lang == lang && lang != 0);
    c.refs
        .iter()
        .filter_map(|r| match r.target {
            Target::Entity(e) if lexical.is_empty() || (named_in_lang && r.lang == lang) => Some((e, r.flags)),
            _ => None,
        })
        .collect()
}

/// Drops the readings of a mention that come only through labels that are also ordinary words, unless the
/// document supports them: the entity named by another label, a place in it named (it is in the anchors'
/// countries), or a cue word right before the mention.
fn without_unsupported_words(
    index: &Index,
    anchors: &Anchors,
    mut refs: Vec<(u32, u16)>,
    chars: &[char],
    start: usize,
    lang: u16,
) -> Vec<(u32, u16)> {
    let word_only = |e: u32, refs: &[(u32, u16)]| refs.iter().filter(|r| r.0 == e).all(|r| r.1 & flag::WORD != 0);
    if refs.iter().all(|r| r.1 & flag::WORD == 0) {
        return refs;
    }
    let cued = place_cue_before(index, chars, start, lang);
    let all = refs.clone();
    refs.retain(|&(e, _)| {
        let entry = &index.entities[e as usize];
        !word_only(e, &all) || cued || anchors.ids.contains(&e) || anchors.countries.contains(&entry.id)
    });
    refs
}

/// Whether the word before `start` is a place cue of `lang`: a separate word (`في مالي`), or the last letter of
/// proclitics glued to the mention (`بمالي`).
fn place_cue_before(index: &Index, chars: &[char], start: usize, lang: u16) -> bool {
    let is_cue =
        |w: &str| index.place_cues.get(&key(w, Level::Key)).is_some_and(|langs| lang == 0 || langs.contains(&lang));
    let glued: String = {
        let mut g: Vec<char> = chars[..start].iter().rev().take_while(|c| is_word_char(**c)).copied().collect();
        g.reverse();
        g.into_iter().collect()
    };
    if let Some(last) = glued.chars().last() {
        return is_cue(last.encode_utf8(&mut [0; 4]));
    }
    let before = chars[..start].iter().rev().skip_while(|c| c.is_whitespace());
    let mut word: Vec<char> = before.take_while(|c| is_word_char(**c)).copied().collect();
    word.reverse();
    let word: String = word.into_iter().collect();
    // The cue may carry a conjunction of its own (`وفي مالي`).
    !word.is_empty() && (is_cue(&word) || PROCLITICS.iter().any(|p| word.strip_prefix(p).is_some_and(is_cue)))
}

/// A title/demonym chain right before a mention: `الرئيس الروسي`, `Russian President`.
struct PersonCue {
    roles: Vec<u32>,
    countries: Vec<String>,
}

fn person_cue(index: &Index, f: &FieldMatches<'_>, i: usize, lang: u16) -> Option<PersonCue> {
    let mut cue = PersonCue { roles: Vec::new(), countries: Vec::new() };
    let mut next_start = f.candidates[i].start;
    for prev in f.candidates[..i].iter().rev() {
        let gap = &f.chars[prev.end..next_start];
        if gap.len() > 2 || !gap.iter().all(|c| c.is_whitespace()) || !entity_refs(prev, lang).is_empty() {
            break;
        }
        let mut lexical = false;
        for r in &prev.refs {
            match r.target {
                Target::Title(role) => {
                    cue.roles.push(role);
                    lexical = true;
                }
                Target::Demonym(country) => {
                    cue.countries.push(index.countries[country as usize].clone());
                    lexical = true;
                }
                Target::Entity(_) => {}
            }
        }
        if !lexical {
            break;
        }
        next_start = prev.start;
    }
    // A demonym alone (`Russian Putin`) is weak; a title is what announces a person.
    (!cue.roles.is_empty()).then_some(cue)
}

/// Ids and countries the document names unambiguously.
struct Anchors {
    ids: HashSet<u32>,
    /// Unambiguous mentions per id (a name seen twice is evidence for its weaker readings too).
    counts: HashMap<u32, usize>,
    countries: HashSet<String>,
}

impl Anchors {
    fn collect(index: &Index, fields: &[FieldMatches<'_>], lang: u16) -> Self {
        let mut ids = HashSet::new();
        let mut counts = HashMap::new();
        let mut countries = HashSet::new();
        for c in fields.iter().flat_map(|f| &f.candidates) {
            let refs = entity_refs(c, lang);
            // A label that is also a word anchors nothing: `دعم مالي` ("financial support") names no country.
            let mut entities =
                refs.iter().filter(|(_, fl)| fl & flag::FULL != 0 && fl & flag::WORD == 0).map(|&(e, _)| e);
            let Some(first) = entities.next() else {
                if refs.is_empty() {
                    if let Some(country) = c.refs.iter().find_map(|r| match r.target {
                        Target::Demonym(k) => Some(index.countries[k as usize].clone()),
                        _ => None,
                    }) {
                        countries.insert(country);
                    }
                }
                continue;
            };
            if c.loose || entities.any(|e| e != first) {
                continue;
            }
            let entry = &index.entities[first as usize];
            ids.insert(first);
            *counts.entry(first).or_default() += 1;
            if entry.is_country {
                countries.insert(entry.id.clone());
            }
            // A named place puts its country in the document; an organisation's or person's country does not
            // (a Bloomberg story is not about American towns).
            if entry.entity_type == EntityType::Location {
                countries.extend(entry.country.clone());
            }
        }
        Self { ids, counts, countries }
    }
}

fn choose(
    index: &Index,
    anchors: &Anchors,
    full_seen: &HashSet<u32>,
    refs: &[(u32, u16)],
    cue: Option<&PersonCue>,
    c: &Candidate,
    chars: &[char],
) -> Option<(EntityType, Option<u32>, bool)> {
    // Per entity: whether any matching label is a full name.
    let mut by_entity: HashMap<u32, bool> = HashMap::new();
    for &(e, fl) in refs {
        *by_entity.entry(e).or_default() |= fl & flag::FULL != 0;
    }
    let wants_person =
        cue.is_some() && by_entity.keys().any(|&e| index.entities[e as usize].entity_type == EntityType::Person);
    let single_word = !chars[c.start..c.end].iter().any(|ch| ch.is_whitespace());
    let mut scored: Vec<(f32, u32)> = Vec::new();
    for (&e, &full) in &by_entity {
        let entry = &index.entities[e as usize];
        if wants_person && entry.entity_type != EntityType::Person {
            continue;
        }
        if !full
            && !full_seen.contains(&e)
            && cue.is_none()
            && entry.prior < SHORT_ALIAS_PRIOR
            && !anchors.ids.contains(&e)
        {
            continue;
        }
        if weak_place_at_sentence_start(entry, single_word, anchors.counts.get(&e) > Some(&1), c.start, chars) {
            continue;
        }
        scored.push((score(entry, e, anchors, full_seen, cue), e));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let (best_score, mut best) = *scored.first()?;
    let mut unsure = scored.get(1).is_some_and(|&(s, _)| best_score - s < MARGIN);
    // A country and its own city of the same name (Algeria/Algiers `الجزائر`, Kuwait, Tunis, Mexico) score
    // alike; unless context separated them, news means the country.
    if let (true, Some(&(s, second))) = (unsure, scored.get(1)) {
        let close_third = scored.get(2).is_some_and(|&(t, _)| s - t < MARGIN);
        if let Some(country) = country_of_own_city(index, best, second).filter(|_| !close_third) {
            best = country;
            unsure = false;
        }
    }
    let best_entry = &index.entities[best as usize];
    // The loose automaton ignores vowels: only a name with a single reading links through it.
    let contested = by_entity.len() > 1;
    if unsure || (c.loose && scored.len() > 1) {
        return Some((best_entry.entity_type, None, contested));
    }
    Some((best_entry.entity_type, Some(best), contested))
}

/// The country when one of `a`, `b` is a country and the other a city in it.
fn country_of_own_city(index: &Index, a: u32, b: u32) -> Option<u32> {
    let (ea, eb) = (&index.entities[a as usize], &index.entities[b as usize]);
    let in_it =
        |city: &Entry, country: &Entry| !city.is_country && city.country.as_deref() == Some(country.id.as_str());
    match (ea.is_country, eb.is_country) {
        (true, false) if in_it(eb, ea) => Some(a),
        (false, true) if in_it(ea, eb) => Some(b),
        _ => None,
    }
}

fn score(entry: &Entry, e: u32, anchors: &Anchors, full_seen: &HashSet<u32>, cue: Option<&PersonCue>) -> f32 {
    let mut s = entry.prior;
    if anchors.ids.contains(&e) || full_seen.contains(&e) {
        s += 0.6;
    }
    if entry.country.as_ref().is_some_and(|c| anchors.countries.contains(c)) {
        s += 0.45;
    }
    if entry.is_country && anchors.countries.contains(&entry.id) {
        s += 0.2;
    }
    if let Some(cue) = cue {
        let holds = entry.offices.iter().any(|o| {
            o.to.is_none()
                && cue.roles.contains(&o.role)
                && (cue.countries.is_empty() || o.of.as_ref().is_some_and(|of| cue.countries.contains(of)))
        });
        if holds {
            s += 0.5;
        }
    }
    s
}

/// `Nice to see`, `Split decision`: a one-word town name opening a sentence is more often a word.
fn weak_place_at_sentence_start(
    entry: &Entry,
    single_word: bool,
    anchored: bool,
    start: usize,
    chars: &[char],
) -> bool {
    if entry.entity_type != EntityType::Location || entry.is_country || !single_word || anchored {
        return false;
    }
    if entry.population >= 1_000_000 || entry.prior >= 0.8 || !chars.get(start).is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    let before = chars[..start].iter().rev().find(|c| !c.is_whitespace() && !matches!(c, '"' | '«' | '“' | '\''));
    before.is_none_or(|c| matches!(c, '.' | '!' | '?' | ':' | '\n'))
}
