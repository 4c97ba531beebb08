//! Feature extraction: per-token atoms hashed once, then combined into the hashed CRF attributes of each
//! position (word, clitic-stripped stem, affixes, shape, trigger words, word clusters, gazetteer matches,
//! ±2 context window).
//!
//! The training dump and the runtime tagger both call [`Extractor::extract`], so the attributes a model was
//! trained on are exactly the ones it sees when tagging.

use super::hash::{hash_str, mix};
use super::lexicons::{token_key, Lexicons};
use super::normalize::{is_arabic_letter, shape, strip_clitics};
use super::triggers;
use crate::charclass;
use rustc_hash::FxHashMap;

/// Bumped whenever the attributes change; model files record the version they were trained with.
pub const FEATURE_SET: u32 = 1;

/// Feature templates; each attribute is `mix(template, value)`.
#[derive(Clone, Copy)]
#[repr(u64)]
enum T {
    Bias = 1,
    Word = 2,
    Stem = 3,
    Prefix = 4,
    Suffix = 5,
    Shape = 6,
    Flags = 7,
    Bigram = 8,
    Trigger = 9,
    Clitic = 10,
    Cluster = 11,
    ShapeBigram = 12,
    Gazetteer = 13,
}

fn tpl(t: T, offset: i64) -> u64 {
    (t as u64) << 8 | (offset + 8) as u64
}

/// Hashed values of one token, computed once and shared by the five positions whose window covers it.
#[derive(Debug, Clone, Copy, Default)]
struct Atoms {
    /// [`token_key`], for the gazetteer.
    key: u64,
    word: u64,
    stem: u64,
    stem_alt: u64,
    prefixes: [u64; 3],
    suffixes: [u64; 4],
    shape: u64,
    flags: u64,
    trigger: u8,
    clitic: u64,
    cluster: Option<(u64, u8)>,
}

/// Reusable buffers for extraction (no allocation per token once warmed up).
#[derive(Debug, Default)]
pub struct Extractor {
    atoms: Vec<Atoms>,
    keys: Vec<u64>,
    gaz: Vec<u8>,
    norm: String,
    shape: String,
}

const BOUNDARY: [u64; 2] = [0x5f5f_424f_535f_5f00, 0x5f5f_454f_535f_5f00];

impl Extractor {
    /// Computes the attributes of every token of one sentence into `out` (flattened) with `offsets[i]..offsets[i+1]`
    /// delimiting token `i`'s attributes.
    pub fn extract(&mut self, tokens: &[&str], lex: &Lexicons, out: &mut Vec<u64>, offsets: &mut Vec<u32>) {
        self.atoms.clear();
        for tok in tokens {
            let a = self.atoms_of(tok, lex);
            self.atoms.push(a);
        }
        self.combine(lex, out, offsets);
    }

    /// [`Self::extract`] for a sentence of a document whose words `table` holds: `ids` are the tokens' ids in it.
    pub fn extract_interned(
        &mut self,
        ids: &[u32],
        table: &WordTable<'_>,
        lex: &Lexicons,
        out: &mut Vec<u64>,
        offsets: &mut Vec<u32>,
    ) {
        self.atoms.clear();
        self.atoms.extend(ids.iter().map(|&id| table.atoms[id as usize]));
        self.combine(lex, out, offsets);
    }

    /// Combines the atoms of the sentence's tokens into each position's attributes.
    fn combine(&mut self, lex: &Lexicons, out: &mut Vec<u64>, offsets: &mut Vec<u32>) {
        out.clear();
        offsets.clear();
        self.keys.clear();
        self.keys.extend(self.atoms.iter().map(|a| a.key));
        lex.gazetteer.annotate(&self.keys, &mut self.gaz);
        let n = self.atoms.len();
        let word_at = |i: i64| -> u64 {
            if i < 0 {
                BOUNDARY[0]
            } else if i as usize >= n {
                BOUNDARY[1]
            } else {
                self.atoms[i as usize].word
            }
        };
        for i in 0..n {
            offsets.push(out.len() as u32);
            let a = &self.atoms[i];
            let ii = i as i64;
            out.push(mix(T::Bias as u64, 0));
            for d in -2..=2 {
                out.push(mix(tpl(T::Word, d), word_at(ii + d)));
            }
            out.push(mix(tpl(T::Bigram, -1), mix(word_at(ii - 1), a.word)));
            out.push(mix(tpl(T::Bigram, 1), mix(a.word, word_at(ii + 1))));
            out.push(mix(tpl(T::Stem, 0), a.stem));
            if a.stem_alt != 0 {
                out.push(mix(tpl(T::Stem, 0), a.stem_alt));
            }
            for d in [-1i64, 1] {
                let j = ii + d;
                if j >= 0 && (j as usize) < n {
                    out.push(mix(tpl(T::Stem, d), self.atoms[j as usize].stem));
                    out.push(mix(tpl(T::Shape, d), self.atoms[j as usize].shape));
                }
            }
            for (k, p) in a.prefixes.iter().enumerate().filter(|(_, p)| **p != 0) {
                out.push(mix(tpl(T::Prefix, k as i64), *p));
            }
            for (k, s) in a.suffixes.iter().enumerate().filter(|(_, s)| **s != 0) {
                out.push(mix(tpl(T::Suffix, k as i64), *s));
            }
            out.push(mix(tpl(T::Shape, 0), a.shape));
            if i > 0 {
                out.push(mix(tpl(T::ShapeBigram, -1), mix(self.atoms[i - 1].shape, a.shape)));
            }
            out.push(mix(tpl(T::Flags, 0), a.flags));
            if a.clitic != 0 {
                out.push(mix(tpl(T::Clitic, 0), a.clitic));
            }
            for d in -2..=2i64 {
                let j = ii + d;
                if j >= 0 && (j as usize) < n && self.atoms[j as usize].trigger != 0 {
                    out.push(mix(tpl(T::Trigger, d), u64::from(self.atoms[j as usize].trigger)));
                }
            }
            for d in -1..=1i64 {
                let j = ii + d;
                if j < 0 || j as usize >= n {
                    continue;
                }
                let g = self.gaz[j as usize];
                if g != 0 {
                    // The neighbours see the class only; the token itself also sees whether it begins the name.
                    let g = if d == 0 { g } else { g & 0x7f };
                    out.push(mix(tpl(T::Gazetteer, d), u64::from(g)));
                }
                if let Some((path, len)) = self.atoms[j as usize].cluster {
                    // Path prefixes of several lengths: coarse clusters generalise, fine ones discriminate.
                    for p in [4u8, 8, 12, 20] {
                        let l = p.min(len);
                        let prefix = path >> (len - l);
                        out.push(mix(tpl(T::Cluster, d), mix(u64::from(p), prefix << 8 | u64::from(l))));
                        if l == len {
                            break;
                        }
                    }
                }
            }
        }
        offsets.push(out.len() as u32);
    }

    fn atoms_of(&mut self, tok: &str, lex: &Lexicons) -> Atoms {
        // `token_key` leaves the normalised token in `self.norm`.
        let key = token_key(tok, &mut self.norm);
        let norm = self.norm.as_str();
        let word = hash_str(norm);
        let arabic = norm.chars().next().is_some_and(is_arabic_letter);
        let mut a = Atoms { key, word, ..Atoms::default() };
        let mut stem_src = norm;
        if arabic {
            let c = strip_clitics(norm);
            stem_src = c.stem;
            a.stem = hash_str(c.stem);
            a.clitic = 1 + u64::from(c.conj) + 2 * u64::from(c.prep) + 4 * u64::from(c.article);
            // A single leading conjunction or preposition letter, stripped whatever remains: lets `بروسيا`
            // share the stem of `روسيا` (and costs `بغداد` one noisy attribute).
            if c.prefix_len == 0 {
                let mut chars = norm.chars();
                if let Some(first) = chars.next() {
                    let rest = chars.as_str();
                    if "وفبكل".contains(first) && rest.chars().count() >= 3 {
                        a.stem_alt = hash_str(rest);
                    }
                }
            }
        } else {
            a.stem = word;
        }
        let nchars = stem_src.chars().count();
        if nchars >= 3 {
            // Affixes shorter than the word: prefixes of 1..=3 chars, suffixes of 1..=4 chars.
            for (k, (i, _)) in stem_src.char_indices().skip(1).take(3.min(nchars - 1)).enumerate() {
                a.prefixes[k] = hash_str(&stem_src[..i]);
            }
            for (k, (i, _)) in stem_src.char_indices().rev().take(4.min(nchars - 1)).enumerate() {
                a.suffixes[k] = hash_str(&stem_src[i..]);
            }
        }
        shape(tok, &mut self.shape);
        if let Some((cut, _)) = self.shape.char_indices().nth(6) {
            self.shape.truncate(cut);
        }
        a.shape = hash_str(&self.shape);
        let first_upper = tok.chars().next().is_some_and(charclass::is_uppercase);
        let all_upper = tok.chars().all(|c| !charclass::is_lowercase(c)) && tok.chars().any(charclass::is_uppercase);
        let has_digit = tok.chars().any(charclass::is_numeric);
        let len_class = nchars.min(6) as u64;
        a.flags = u64::from(first_upper) | u64::from(all_upper) << 1 | u64::from(has_digit) << 2 | len_class << 3;
        a.trigger = triggers::table().get(&word).map_or(0, |t| *t as u8);
        a.cluster = lex.clusters.get(&key).copied();
        a
    }
}

/// The atoms of each distinct word of one document, for one model's lexicons. A token's atoms depend on its text
/// alone, and news repeats its words (function words, the names it is about), so each is computed once per
/// document instead of once per occurrence.
#[derive(Debug, Default)]
pub struct WordTable<'a> {
    ids: FxHashMap<&'a str, u32>,
    atoms: Vec<Atoms>,
}

impl<'a> WordTable<'a> {
    /// The id of `tok`, its atoms computed by `ex` on first sight.
    pub fn intern(&mut self, tok: &'a str, ex: &mut Extractor, lex: &Lexicons) -> u32 {
        if let Some(&id) = self.ids.get(tok) {
            return id;
        }
        let id = self.atoms.len() as u32;
        self.atoms.push(ex.atoms_of(tok, lex));
        self.ids.insert(tok, id);
        id
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::contract::EntityType;

    #[test]
    fn interned_words_give_the_attributes_of_direct_extraction() {
        let mut lex = Lexicons::default();
        lex.gazetteer.insert("New York", EntityType::Location);
        lex.gazetteer.insert("القاهرة", EntityType::Location);
        lex.clusters.insert(token_key("York", &mut String::new()), (0b1011_0110, 8));
        let doc = ["in", "New", "York", "and", "New", "Delhi", "وبالقاهرة", "و", "القاهرة", "York", "."];
        let mut ex = Extractor::default();
        let mut table = WordTable::default();
        let ids: Vec<u32> = doc.iter().map(|t| table.intern(t, &mut ex, &lex)).collect();
        assert_eq!(table.atoms.len(), 9, "repeated words are interned once");
        let (mut direct, mut direct_offsets) = (Vec::new(), Vec::new());
        let (mut interned, mut interned_offsets) = (Vec::new(), Vec::new());
        for range in [0..6, 6..11, 2..3] {
            ex.extract(&doc[range.clone()], &lex, &mut direct, &mut direct_offsets);
            ex.extract_interned(&ids[range], &table, &lex, &mut interned, &mut interned_offsets);
            assert_eq!(direct, interned);
            assert_eq!(direct_offsets, interned_offsets);
        }
    }
}
