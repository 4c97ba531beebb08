//! The label index: every KB label and lexicon phrase keyed by its normalised form in two daachorse automata.
//!
//! `daachorse` (charwise double-array Aho–Corasick) was measured fastest for 100k Arabic-script patterns (47 MB/s
//! against 15–19 MB/s for `aho-corasick`), with a small heap; matching is overlapping so that boundary checks
//! and the longest-match rule run on every candidate, not on the automaton's own leftmost choice.

use std::collections::{HashMap, HashSet};

use daachorse::CharwiseDoubleArrayAhoCorasick;

use super::kb::{KbEntity, LexiconRow};
use super::normalize::{is_letter, key, Level};
use super::EntityError;
use crate::contract::EntityType;

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// An entity (index into [`Index::entities`]).
    Entity(u32),
    /// A title word (index into [`Index::roles`]).
    Title(u32),
    /// A demonym (index into [`Index::countries`]).
    Demonym(u32),
}

/// Label properties the matcher and linker check.
pub mod flag {
    /// A full name: several tokens, or the entity's only form.
    pub const FULL: u16 = 1;
    /// A one-token alias of a person who also has a full name (`Putin`).
    pub const SHORT_PER: u16 = 2;
    /// Written with an initial capital in a cased script: the mention must be too.
    pub const CASED: u16 = 4;
    /// An all-capitals acronym (`NATO`, `US`): the mention must be in capitals too.
    pub const ACRONYM: u16 = 8;
    /// Arabic script: Arabic proclitics may precede the mention.
    pub const ARABIC: u16 = 16;
    /// Han script: no word boundaries to check.
    pub const HAN: u16 = 32;
    /// Cyrillic: a case ending may follow.
    pub const CYR_INFLECT: u16 = 64;
    /// Cyrillic stem without its final vowel: a case ending must follow.
    pub const CYR_STEM: u16 = 128;
    /// Arabic label with its article removed: valid only after `لل`-type proclitics.
    pub const AL_STRIPPED: u16 = 256;
    /// A label that is also an ordinary word of its language (`lexicon/word_senses.tsv`: Arabic `مالي` is Mali
    /// and "financial"): it links only with evidence from the document.
    pub const WORD: u16 = 512;
}

/// One label of one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LabelRef {
    /// What the label names.
    pub target: Target,
    /// [`flag`] bits.
    pub flags: u16,
    /// Language of the label ([`lang_code`]; 0 when untagged).
    pub lang: u16,
}

/// A two-letter language code packed into a `u16` (0 for anything else), to compare without allocating.
pub fn lang_code(lang: &str) -> u16 {
    match lang.as_bytes() {
        [a, b] => u16::from_be_bytes([a.to_ascii_lowercase(), b.to_ascii_lowercase()]),
        _ => 0,
    }
}

/// An entity as the linker needs it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Wikidata Q-id or `geonames:<id>`.
    pub id: String,
    /// Entity type.
    pub entity_type: EntityType,
    /// Canonical label.
    pub name: String,
    /// Prior for ambiguous names, 0–1, from the KB or from population.
    pub prior: f32,
    /// Country (Q-id).
    pub country: Option<String>,
    /// Whether this is a country or territory (not a city).
    pub is_country: bool,
    /// Population, 0 when unknown.
    pub population: u64,
    /// Offices held, with their role index into [`Index::roles`].
    pub offices: Vec<Office>,
}

/// One office a person held.
#[derive(Debug, Clone)]
pub struct Office {
    /// Index into [`Index::roles`].
    pub role: u32,
    /// Country or organisation (Q-id).
    pub of: Option<String>,
    /// ISO date taken, if known.
    pub from: Option<String>,
    /// ISO date left; `None` while in office.
    pub to: Option<String>,
}

impl Office {
    /// Whether the office was held on `date` (ISO `YYYY-MM-DD`; ISO dates compare as strings).
    pub fn held_on(&self, date: &str) -> bool {
        self.from.as_deref().is_some_and(|f| f <= date) && self.to.as_deref().is_none_or(|t| date <= t)
    }
}

impl Entry {
    /// Whether `id` is a Wikidata id the record may carry.
    pub fn kb_id(&self) -> Option<&str> {
        self.id.starts_with('Q').then_some(self.id.as_str())
    }
}

/// One automaton with its pattern payloads.
pub struct Automaton {
    pub(super) level: Level,
    pub(super) pma: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    pub(super) refs: Vec<Vec<LabelRef>>,
}

/// Everything the matcher and linker look up.
pub struct Index {
    /// Entities in KB order.
    pub entities: Vec<Entry>,
    /// Role keys of title words.
    pub roles: Vec<String>,
    /// Country ids of demonyms.
    pub countries: Vec<String>,
    /// Exact (key-level) automaton and the loose one for long Arabic-script names.
    pub automata: [Automaton; 2],
    /// Keys of every title word and demonym.
    pub lexicon_keys: HashSet<String>,
    /// Keys of the words that, right before a [`flag::WORD`] label, mark it as a name (`في مالي`), with the
    /// languages ([`lang_code`]) each is a cue in.
    pub place_cues: HashMap<String, Vec<u16>>,
    /// Number of distinct patterns, for logs.
    pub patterns: usize,
}

/// Script of the first letter of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Arabic script (Arabic, Persian, Urdu).
    Arabic,
    /// Cyrillic.
    Cyrillic,
    /// Han ideographs.
    Han,
    /// Anything else (Latin mostly).
    Other,
}

/// The script of the first letter of `s`.
pub fn script_of(s: &str) -> Script {
    match s.chars().find(|c| c.is_alphabetic()) {
        Some('\u{600}'..='\u{6FF}' | '\u{750}'..='\u{77F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}') => {
            Script::Arabic
        }
        Some('\u{400}'..='\u{52F}') => Script::Cyrillic,
        Some('\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}') => Script::Han,
        _ => Script::Other,
    }
}

#[derive(Default)]
struct Builder {
    keys: [HashMap<String, Vec<LabelRef>>; 2],
}

impl Builder {
    fn add(&mut self, tier: usize, key: String, r: LabelRef) {
        let refs = self.keys[tier].entry(key).or_default();
        if !refs.contains(&r) {
            refs.push(r);
        }
    }

    /// Adds one written label in every form the matcher should find it in.
    fn label(&mut self, target: Target, lang: &str, text: &str, base: u16) {
        let text = text.trim();
        let code = lang_code(lang);
        let k = key(text, Level::Key);
        let script = script_of(text);
        let len = k.chars().count();
        // Short Arabic-script names in other languages' spellings (Persian, Urdu) collide with Arabic words;
        // untagged geonames names that short were kept only for very large cities.
        let lexicon = !matches!(target, Target::Entity(_));
        if len < 2 || (script == Script::Arabic && len <= 3 && !lexicon && !matches!(lang, "ar" | "und")) {
            return;
        }
        let letters: Vec<char> = text.chars().filter(|c| is_letter(*c) && !c.is_ascii_digit()).collect();
        let mut flags = base;
        match script {
            Script::Arabic => flags |= flag::ARABIC,
            Script::Han => flags |= flag::HAN,
            Script::Cyrillic => flags |= flag::CYR_INFLECT,
            Script::Other => {}
        }
        if !lexicon && script != Script::Han && letters.first().is_some_and(|c| c.is_uppercase()) {
            flags |= flag::CASED;
            if letters.len() <= 5 && letters.iter().all(|c| c.is_uppercase()) {
                flags |= flag::ACRONYM;
            }
        }
        if script == Script::Arabic {
            let folded = key(text, Level::Fold);
            if let Some(rest) = folded.strip_prefix("ال").filter(|r| r.chars().count() >= 3) {
                self.add(0, key(rest, Level::Key), LabelRef { target, flags: flags | flag::AL_STRIPPED, lang: code });
            }
            // Without vowels, short keys and the article collide with ordinary words (`المادة` ~ `المدية`).
            let loose = key(text, Level::Loose);
            let core = loose.strip_prefix("ال").unwrap_or(&loose);
            if core.chars().count() >= 5 && k.chars().count() >= 6 {
                self.add(1, loose, LabelRef { target, flags, lang: code });
            }
        }
        if script == Script::Cyrillic {
            let stem: String = {
                let mut s = k.clone();
                s.pop().filter(|c| "аяоеьйыи".contains(*c)).map(|_| s).unwrap_or_default()
            };
            if stem.chars().count() >= 4 {
                self.add(
                    0,
                    stem,
                    LabelRef { target, flags: (flags & !flag::CYR_INFLECT) | flag::CYR_STEM, lang: code },
                );
            }
        }
        self.add(0, k, LabelRef { target, flags, lang: code });
    }
}

impl Index {
    /// Builds the index from parsed entities and lexicon rows.
    pub fn build(
        kb: &[KbEntity],
        titles: &[LexiconRow],
        demonyms: &[LexiconRow],
        word_senses: &[LexiconRow],
    ) -> Result<Self, EntityError> {
        let mut b = Builder::default();
        let mut roles: Vec<String> = Vec::new();
        let mut countries: Vec<String> = Vec::new();
        let lexicon_keys = titles.iter().chain(demonyms).map(|r| key(&r.phrase, Level::Key)).collect();
        for row in titles {
            let target = Target::Title(intern(&mut roles, &row.value));
            b.label(target, &row.lang, &row.phrase, flag::FULL);
        }
        for row in demonyms {
            let target = Target::Demonym(intern(&mut countries, &row.value));
            b.label(target, &row.lang, &row.phrase, flag::FULL);
        }
        // (language, key, entity id) of every label that is also a word; the rest of the rows are cues.
        let (cue_rows, word_rows): (Vec<_>, Vec<_>) = word_senses.iter().partition(|r| r.value == "cue");
        // Keyed by entity id, so only the few entities with such a label have their labels folded again.
        let mut word_labels: HashMap<&str, Vec<(u16, String)>> = HashMap::new();
        for r in word_rows {
            word_labels.entry(r.value.as_str()).or_default().push((lang_code(&r.lang), key(&r.phrase, Level::Key)));
        }
        let mut place_cues: HashMap<String, Vec<u16>> = HashMap::new();
        for r in cue_rows {
            place_cues.entry(key(&r.phrase, Level::Key)).or_default().push(lang_code(&r.lang));
        }
        let mut entities = Vec::with_capacity(kb.len());
        for (i, e) in kb.iter().enumerate() {
            let target = Target::Entity(i as u32);
            let multi = |l: &str| l.trim().contains(char::is_whitespace) || l.contains(['·', '・']);
            let has_full = e.labels.values().flatten().any(|l| multi(l));
            let labels = e.labels.iter().flat_map(|(lang, ls)| ls.iter().map(move |l| (lang.as_str(), l)));
            for (lang, label) in labels.chain(std::iter::once(("en", &e.name))) {
                let short = e.entity_type == EntityType::Person && has_full && !multi(label);
                let mut flags = if short { flag::SHORT_PER } else { flag::FULL };
                if word_labels
                    .get(e.id.as_str())
                    .is_some_and(|w| w.contains(&(lang_code(lang), key(label, Level::Key))))
                {
                    flags |= flag::WORD;
                }
                b.label(target, lang, label, flags);
            }
            entities.push(entry(e, &mut roles));
        }
        let patterns = b.keys.iter().map(HashMap::len).sum();
        let [exact, loose] = b.keys;
        let automata = [automaton(exact, Level::Key)?, automaton(loose, Level::Loose)?];
        Ok(Self { entities, roles, countries, automata, lexicon_keys, place_cues, patterns })
    }
}

fn intern(list: &mut Vec<String>, v: &str) -> u32 {
    match list.iter().position(|x| x == v) {
        Some(i) => i as u32,
        None => {
            list.push(v.to_owned());
            (list.len() - 1) as u32
        }
    }
}

fn entry(e: &KbEntity, roles: &mut Vec<String>) -> Entry {
    let population = e.population.unwrap_or(0);
    let is_country = matches!(e.kind.as_deref(), Some("country" | "territory"));
    // Places without a stated prominence get one from population: a city of 10M is as prominent as a
    // well-known person; countries sit above cities of the same size because news names them more.
    let from_population = (population.max(1) as f32).log10() / 8.0 + if is_country { 0.25 } else { 0.0 };
    let default = if e.entity_type == EntityType::Location { from_population.min(1.0) } else { 0.5 };
    let offices = e
        .roles
        .iter()
        .map(|r| Office { role: intern(roles, &r.role), of: r.of.clone(), from: r.from.clone(), to: r.to.clone() })
        .collect();
    Entry {
        id: e.id.clone(),
        entity_type: e.entity_type,
        name: e.name.clone(),
        prior: e.prominence.unwrap_or(default).clamp(0.0, 1.0),
        country: e.country.clone(),
        is_country,
        population,
        offices,
    }
}

fn automaton(keys: HashMap<String, Vec<LabelRef>>, level: Level) -> Result<Automaton, EntityError> {
    let mut keys: Vec<(String, Vec<LabelRef>)> = keys.into_iter().filter(|(_, r)| !r.is_empty()).collect();
    // Sorted so that pattern ids, and so every tie-break downstream, do not depend on hash order.
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if keys.is_empty() {
        return Ok(Automaton { level, pma: None, refs: Vec::new() });
    }
    let pma = CharwiseDoubleArrayAhoCorasick::with_values(keys.iter().enumerate().map(|(i, (k, _))| (k, i as u32)))
        .map_err(|e| EntityError::Build(e.to_string()))?;
    Ok(Automaton { level, pma: Some(pma), refs: keys.into_iter().map(|(_, r)| r).collect() })
}
