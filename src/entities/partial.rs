//! Partial names: once a document names a person in full, a later lone part of that name (`بوتين` after
//! `فلاديمير بوتين`, `Rutte` after `Mark Rutte`) is the same person, even when the KB lists no such alias.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::index::Index;
use super::link::{FieldMatches, Linked};
use super::matcher::PROCLITICS;
use super::normalize::{fold_char, is_word_char, key, key_into, Level};
use crate::contract::{EntityType, Field};

/// Name parts that begin other people's names too (`عبد` in `عبد الله`, `bin`, `van`): never a name alone.
/// Keys as [`key`] writes them (folded, no spaces, doubled Latin letters collapsed).
const PARTICLES: &[&str] = &[
    "عبد", "ابو", "ابن", "بن", "بنت", "ال", "ام", "abd", "abu", "abou", "ibn", "bin", "bint", "al", "el", "ben", "van",
    "von", "der", "den", "del", "della", "dos", "das", "les", "san", "saint", "mac", "jr", "sr",
];

/// Name parts that are also among the commonest words of running text once folded, and honorifics: `علي` folds as
/// the preposition `على`, `حتي` (Hitti) as `حتى` "until", `بهاء` as `بها` "in it", `آلان` (Alain) as `الآن` "now";
/// `الله` ends `عبد الله`, a regnal ordinal (`عبد الله الثاني`) is "the second", `سعادة` and `الحاج` are honorifics.
/// As lone partial names each linked ordinary words to whoever bore the full name. Kept in step with the corpus
/// counts `tools/check-kb` prints for name parts (tools/kb_textcheck.py reads this list).
#[rustfmt::skip]
const NOT_ALONE: &[&str] = &[
    "على", "حتى", "إلا", "أنه", "بها", "ولا", "لأن", "الآن", "دون", "لما", "بأن", "وأن", "أمام",
    "قدم", "أمر", "أكبر", "قوة", "السلام", "ولد", "فان", "أسد", "الله", "عشر", "الأول", "الثاني",
    "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر", "الثانية",
    "الثالثة", "سعادة", "الحاج", "حاج", "السيد", "الشيخ", "الشيخة", "الإمام", "آية", "سمو", "القوي",
    "الماء", "الأمين", "الخليفة",
];

/// [`NOT_ALONE`] as matching keys, folded once per process rather than per article.
static NOT_ALONE_KEYS: LazyLock<HashSet<String>> =
    LazyLock::new(|| NOT_ALONE.iter().map(|w| key(w, Level::Key)).collect());

/// Adds or links later partial-name mentions of people linked by a full name; keeps `linked` sorted.
pub fn propagate(index: &Index, fields: &[FieldMatches<'_>], linked: &mut Vec<Linked>) {
    let not_alone = &*NOT_ALONE_KEYS;
    // token key -> (entry, where the full name was first seen); `None` entry when two people share it.
    let mut tokens: HashMap<String, (Option<u32>, (Field, usize))> = HashMap::new();
    for l in linked.iter() {
        let Some(e) = l.entry else { continue };
        if l.entity_type != EntityType::Person {
            continue;
        }
        let Some(f) = fields.iter().find(|f| f.field == l.field) else { continue };
        let text: String = f.chars[l.start..l.end].iter().collect();
        let parts: Vec<&str> = text.split(|c: char| c.is_whitespace() || matches!(c, '-' | '·' | '・')).collect();
        if parts.iter().filter(|p| !p.is_empty()).count() < 2 {
            continue;
        }
        for part in parts {
            let k = key(part, Level::Key);
            if k.chars().count() < 3
                || index.lexicon_keys.contains(&k)
                || PARTICLES.contains(&k.as_str())
                || not_alone.contains(&k)
            {
                continue;
            }
            let slot = tokens.entry(k).or_insert((Some(e), (l.field, l.start)));
            if slot.0 != Some(e) {
                slot.0 = None;
            }
        }
    }
    if tokens.is_empty() {
        return;
    }
    let mut added = Vec::new();
    let mut scratch = Scratch::default();
    // A document repeats its words: each distinct word's keys are folded and looked up once.
    let mut hits_of: FxHashMap<&[char], Vec<Hit>> = FxHashMap::default();
    for f in fields {
        let mut i = 0;
        while i < f.chars.len() {
            if !is_word_char(f.chars[i]) {
                i += 1;
                continue;
            }
            let mut end = i;
            while end < f.chars.len() && is_word_char(f.chars[end]) {
                end += 1;
            }
            let word = &f.chars[i..end];
            let hits = hits_of.entry(word).or_insert_with(|| hits(&tokens, word, &mut scratch));
            // The first reading, shortest proclitic first, that comes after its person's full name.
            if let Some(h) = hits.iter().find(|h| (f.field, i + h.cut) > h.first) {
                apply(linked, &mut added, f.field, i + h.cut, end, h.entry);
            }
            i = end;
        }
    }
    linked.extend(added);
    linked.sort_by_key(|l| (l.field, l.start));
}

/// Buffers [`hits`] reuses across the words of a document.
#[derive(Default)]
struct Scratch {
    prefix: Vec<char>,
    key: String,
}

/// A registered person a word names once `cut` leading chars (an Arabic proclitic, or none) are left out.
struct Hit {
    cut: usize,
    entry: u32,
    /// Where the person's full name was first seen: only later mentions take the id.
    first: (Field, usize),
}

/// Every registered person a word names, by proclitic cut, shortest first (independent of where the word is).
fn hits(tokens: &HashMap<String, (Option<u32>, (Field, usize))>, word: &[char], scratch: &mut Scratch) -> Vec<Hit> {
    let mut out = Vec::new();
    for cut in 0..word.len().min(5) {
        if cut > 0 {
            scratch.prefix.clear();
            for &c in &word[..cut] {
                fold_char(c, &mut scratch.prefix);
            }
            if !PROCLITICS.iter().any(|p| p.chars().eq(scratch.prefix.iter().copied())) {
                continue;
            }
        }
        key_into(word[cut..].iter().copied(), Level::Key, &mut scratch.key);
        if let Some(&(Some(entry), first)) = tokens.get(scratch.key.as_str()) {
            out.push(Hit { cut, entry, first });
        }
    }
    out
}

fn apply(linked: &mut [Linked], added: &mut Vec<Linked>, field: Field, start: usize, end: usize, e: u32) {
    let overlapping = linked.iter_mut().filter(|l| l.field == field && l.start < end && start < l.end);
    let mut any = false;
    for l in overlapping {
        any = true;
        // Only a mention of exactly this word that is an unlinked person, or whose KB reading competed with
        // others (`Washington` after `George Washington`), is taken over; anything else stays.
        let open = l.entry.is_none() && l.entity_type == EntityType::Person;
        if l.start == start && l.end == end && (open || l.contested) {
            l.entry = Some(e);
            l.entity_type = EntityType::Person;
        }
    }
    if !any {
        added.push(Linked { field, start, end, entity_type: EntityType::Person, entry: Some(e), contested: false });
    }
}
