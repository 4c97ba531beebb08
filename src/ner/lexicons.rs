//! Word lists the features consult: word clusters and a gazetteer of names (shipped with each model and
//! extendable at run time from the knowledge base).

use super::hash::{hash_str, mix};
use super::normalize::{is_arabic_letter, normalize, strip_clitics};
use super::tokenize::tokenize;
use crate::contract::EntityType;
use rustc_hash::FxHashMap;

/// Word clusters: [`token_key`] → (bit path, path length), e.g. Brown-style clusters over unlabelled text.
pub type Clusters = FxHashMap<u64, (u64, u8)>;

/// Longest name, in tokens, the gazetteer matches.
pub const MAX_NAME_TOKENS: usize = 5;

/// The key of a token in word lists: the clitic-stripped stem for Arabic (so `وبالقاهرة` finds `القاهرة`),
/// the normalised word otherwise.
pub fn token_key(token: &str, buf: &mut String) -> u64 {
    normalize(token, buf);
    if buf.chars().next().is_some_and(is_arabic_letter) {
        hash_str(strip_clitics(buf).stem)
    } else {
        hash_str(buf)
    }
}

const SEQ_SEED: u64 = 0x6761_7a65_7474_6565;

/// Names by token sequence: sequence key → class bits (one bit per [`EntityType`]).
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    names: FxHashMap<u64, u8>,
}

/// The bit of a class in gazetteer entries.
pub fn type_bit(t: EntityType) -> u8 {
    match t {
        EntityType::Person => 1,
        EntityType::Organization => 2,
        EntityType::Location => 4,
        EntityType::Misc => 8,
    }
}

impl Gazetteer {
    /// Adds a name (tokenised as the tagger tokenises text); names longer than [`MAX_NAME_TOKENS`] are skipped.
    pub fn insert(&mut self, name: &str, t: EntityType) {
        let mut buf = String::new();
        let toks = tokenize(name);
        if toks.is_empty() || toks.len() > MAX_NAME_TOKENS {
            return;
        }
        let key = toks.iter().fold(SEQ_SEED, |k, tok| mix(k, token_key(tok.text, &mut buf)));
        self.insert_key(key, type_bit(t));
    }

    /// Adds an already hashed entry (model files store keys, not names).
    pub fn insert_key(&mut self, key: u64, bits: u8) {
        *self.names.entry(key).or_default() |= bits;
    }

    /// Entries, for writing a model file.
    pub fn entries(&self) -> impl Iterator<Item = (u64, u8)> + '_ {
        self.names.iter().map(|(k, v)| (*k, *v))
    }

    /// Whether a single token is a name on its own.
    pub fn contains_token(&self, token: &str) -> bool {
        let mut buf = String::new();
        self.names.contains_key(&mix(SEQ_SEED, token_key(token, &mut buf)))
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Marks, per token, the class bits of the longest name covering it (leftmost-longest, no overlaps), with
    /// bit 7 set on a name's first token. `keys` are the tokens' [`token_key`]s.
    pub fn annotate(&self, keys: &[u64], out: &mut Vec<u8>) {
        out.clear();
        out.resize(keys.len(), 0);
        if self.names.is_empty() {
            return;
        }
        let mut i = 0;
        while i < keys.len() {
            let mut k = SEQ_SEED;
            let mut best = None;
            for (len, key) in keys[i..].iter().take(MAX_NAME_TOKENS).enumerate() {
                k = mix(k, *key);
                if let Some(bits) = self.names.get(&k) {
                    best = Some((len + 1, *bits));
                }
            }
            match best {
                Some((len, bits)) => {
                    out[i] = bits | 0x80;
                    out[i + 1..i + len].iter_mut().for_each(|b| *b = bits);
                    i += len;
                }
                None => i += 1,
            }
        }
    }
}

/// Everything the features look up besides the tokens themselves.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    /// Word clusters.
    pub clusters: Clusters,
    /// Known names.
    pub gazetteer: Gazetteer,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_with_arabic_clitics() {
        let mut g = Gazetteer::default();
        g.insert("القاهرة", EntityType::Location);
        g.insert("New York", EntityType::Location);
        g.insert("New York Times", EntityType::Organization);
        let mut buf = String::new();
        let keys: Vec<u64> = ["وبالقاهرة", "the", "New", "York", "Times", "New", "York"]
            .iter()
            .map(|t| token_key(t, &mut buf))
            .collect();
        let mut out = Vec::new();
        g.annotate(&keys, &mut out);
        assert_eq!(out, [0x84, 0, 0x82, 2, 2, 0x84, 4]);
    }
}
