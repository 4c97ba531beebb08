//! One language's linear-chain CRF: model file reader and Viterbi decoder over hashed attributes.
//!
//! Models are trained by python-crfsuite (tools/train-ner) and exported to this compact binary layout; the
//! decoder is hand-written because it is a few dozen lines and keying weights by our own 64-bit attribute hashes
//! (instead of the feature strings the `crfs` crate looks up) is what makes stream speed reachable.

use super::features::{Extractor, WordTable, FEATURE_SET};
use super::lexicons::Lexicons;
use super::tag::Tag;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

const MAGIC: &[u8; 8] = b"NERCRF1\0";

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file is not a model of this format.
    #[error("not a news-enricher CRF model (bad magic)")]
    Magic,
    /// The file ends early.
    #[error("truncated model file")]
    Truncated,
    /// The model was trained with other features than this build extracts.
    #[error("model uses feature set {0}, this build extracts feature set {FEATURE_SET}")]
    FeatureSet(u32),
    /// A label is not an IOB2 tag over the four classes.
    #[error("unknown label {0:?}")]
    Label(String),
}

/// A trained tagger for one language.
#[derive(Debug)]
pub struct CrfModel {
    labels: Vec<Tag>,
    /// `trans[from * n + to]`.
    trans: Vec<f32>,
    /// Attribute hash → row in `weights` (`n` weights per row, one per label).
    index: FxHashMap<u64, u32>,
    weights: Vec<f32>,
    lexicons: Lexicons,
    /// Normalised word forms seen inside entities in training (hash → count); guides Arabic clitic trimming.
    entity_words: FxHashMap<u64, u32>,
    version: String,
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], ModelError> {
        if self.0.len() < n {
            return Err(ModelError::Truncated);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.arr::<1>()?[0])
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.arr()?))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.arr()?))
    }
    fn string(&mut self) -> Result<String, ModelError> {
        let n = u16::from_le_bytes(self.arr()?) as usize;
        Ok(String::from_utf8_lossy(self.take(n)?).into_owned())
    }
}

impl CrfModel {
    /// Reads a model from its file bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<CrfModel, ModelError> {
        let mut r = Reader(bytes);
        if r.take(8)? != MAGIC {
            return Err(ModelError::Magic);
        }
        let fs = r.u32()?;
        if fs != FEATURE_SET {
            return Err(ModelError::FeatureSet(fs));
        }
        let date = r.string()?;
        let n = r.u8()? as usize;
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let s = r.string()?;
            labels.push(Tag::parse(&s).ok_or(ModelError::Label(s))?);
        }
        let trans = (0..n * n).map(|_| r.f32()).collect::<Result<Vec<_>, _>>()?;
        let mut lexicons = Lexicons::default();
        for _ in 0..r.u32()? {
            let (w, path, len) = (r.u64()?, r.u64()?, r.u8()?);
            lexicons.clusters.insert(w, (path, len));
        }
        let n_words = r.u32()? as usize;
        let mut entity_words = FxHashMap::default();
        for _ in 0..n_words {
            let (h, count) = (r.u64()?, r.u32()?);
            entity_words.insert(h, count);
        }
        let n_attrs = r.u32()? as usize;
        let mut index = FxHashMap::with_capacity_and_hasher(n_attrs, Default::default());
        let mut weights = vec![0f32; n_attrs * n];
        for row in 0..n_attrs {
            let h = r.u64()?;
            index.insert(h, row as u32);
            for _ in 0..r.u8()? {
                let label = r.u8()? as usize;
                let w = r.f32()?;
                if label >= n {
                    return Err(ModelError::Label(label.to_string()));
                }
                weights[row * n + label] = w;
            }
        }
        // The gazetteer section is last and optional: models trained without one end here.
        if !r.0.is_empty() {
            for _ in 0..r.u32()? {
                let (key, bits) = (r.u64()?, r.u8()?);
                lexicons.gazetteer.insert_key(key, bits);
            }
        }
        let digest = hex::encode(Sha256::digest(bytes));
        let version = format!("crf-{date}-{}", &digest[..10]);
        Ok(CrfModel { labels, trans, index, weights, lexicons, entity_words, version })
    }

    /// `crf-<training date>-<file digest>`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Number of attributes with weights (model size).
    pub fn attributes(&self) -> usize {
        self.index.len()
    }

    /// Adds names to the gazetteer the features consult (e.g. the knowledge base's labels and aliases). The
    /// model learned weights for the classes its training gazetteer had; names of other classes are inert.
    pub fn add_names<'a>(&mut self, names: impl IntoIterator<Item = (&'a str, crate::contract::EntityType)>) {
        for (name, t) in names {
            self.lexicons.gazetteer.insert(name, t);
        }
    }

    /// How often a normalised word form occurred inside an entity in training.
    pub fn entity_word_count(&self, hash: u64) -> u32 {
        self.entity_words.get(&hash).copied().unwrap_or(0)
    }

    /// Whether a single token is a gazetteer name on its own.
    pub fn is_gazetteer_word(&self, token: &str) -> bool {
        self.lexicons.gazetteer.contains_token(token)
    }

    /// Tags one sentence; `scratch` holds buffers reused across calls.
    pub fn tag(&self, tokens: &[&str], scratch: &mut Scratch) -> Vec<Tag> {
        if tokens.is_empty() {
            return Vec::new();
        }
        scratch.ex.extract(tokens, &self.lexicons, &mut scratch.attrs, &mut scratch.offsets);
        self.decode(tokens.len(), scratch)
    }

    /// The id of a document's token in `table` (this model's features of it computed on first sight).
    pub(super) fn intern<'a>(&self, table: &mut WordTable<'a>, token: &'a str, scratch: &mut Scratch) -> u32 {
        table.intern(token, &mut scratch.ex, &self.lexicons)
    }

    /// Tags one sentence of a document, its tokens given as ids in `table` (filled by [`Self::intern`]).
    pub(super) fn tag_interned(&self, ids: &[u32], table: &WordTable<'_>, scratch: &mut Scratch) -> Vec<Tag> {
        if ids.is_empty() {
            return Vec::new();
        }
        scratch.ex.extract_interned(ids, table, &self.lexicons, &mut scratch.attrs, &mut scratch.offsets);
        self.decode(ids.len(), scratch)
    }

    /// Sums the emission scores of the attributes in `scratch` and decodes the best tag sequence.
    fn decode(&self, len: usize, scratch: &mut Scratch) -> Vec<Tag> {
        let n = self.labels.len();
        // Emission scores, token by token.
        scratch.emit.clear();
        scratch.emit.resize(len * n, 0.0);
        for t in 0..len {
            let row = &mut scratch.emit[t * n..(t + 1) * n];
            let (a, b) = (scratch.offsets[t] as usize, scratch.offsets[t + 1] as usize);
            for h in &scratch.attrs[a..b] {
                if let Some(&r) = self.index.get(h) {
                    let w = &self.weights[r as usize * n..(r as usize + 1) * n];
                    row.iter_mut().zip(w).for_each(|(x, y)| *x += y);
                }
            }
        }
        viterbi(&self.labels, &self.trans, &scratch.emit, len, &mut scratch.back)
    }
}

fn viterbi(labels: &[Tag], trans: &[f32], emit: &[f32], len: usize, back: &mut Vec<u8>) -> Vec<Tag> {
    let n = labels.len();
    back.clear();
    back.resize(len * n, 0);
    let mut score: Vec<f32> = emit[..n].to_vec();
    let mut next = vec![0f32; n];
    for t in 1..len {
        for (j, nj) in next.iter_mut().enumerate() {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0;
            for (i, s) in score.iter().enumerate() {
                let v = s + trans[i * n + j];
                if v > best {
                    best = v;
                    arg = i;
                }
            }
            *nj = best + emit[t * n + j];
            back[t * n + j] = arg as u8;
        }
        std::mem::swap(&mut score, &mut next);
    }
    let mut best = 0;
    for (i, s) in score.iter().enumerate() {
        if *s > score[best] {
            best = i;
        }
    }
    let mut path = vec![Tag::O; len];
    for t in (0..len).rev() {
        path[t] = labels[best];
        best = back[t * n + best] as usize;
    }
    path
}

/// Per-thread buffers for [`CrfModel::tag`].
#[derive(Debug, Default)]
pub struct Scratch {
    ex: Extractor,
    attrs: Vec<u64>,
    offsets: Vec<u32>,
    emit: Vec<f32>,
    back: Vec<u8>,
}

impl Scratch {
    /// Attributes of each token of a sentence, as the training dump writes them.
    pub fn attributes<'s>(&'s mut self, tokens: &[&str], lex: &Lexicons) -> impl Iterator<Item = &'s [u64]> {
        self.ex.extract(tokens, lex, &mut self.attrs, &mut self.offsets);
        let attrs = &self.attrs;
        self.offsets.windows(2).map(move |w| &attrs[w[0] as usize..w[1] as usize])
    }
}
