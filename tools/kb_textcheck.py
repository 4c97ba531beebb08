"""Short Arabic-script labels whose matching key is also an ordinary phrase of running text (used by check-kb).

The entities engine matches a folded, spacing-insensitive key and strips proclitics (src/entities/normalize.rs,
matcher.rs), so a one- or two-word label can match words that merely fold like it: `علي` is the preposition
`على`, `أسدا` is "a lion", Persian `این ترانه` has the skeleton of an Arabic name. A word list cannot see this;
running text can. This module folds the Arabic, Persian and Urdu text of the development corpora the same way
and counts, per label key, how often it occurs where the text is not about any entity: inside runs of `O` tokens
of the Arabic NER corpora (annotated, so a hit there is an ordinary word), and, as context, anywhere in the
langid sentences. Only the counts are kept; the corpora are read in place from ../shared (never copied).
"""
import collections
import os
import re
import unicodedata

# The engine's Key level for Arabic script (normalize.rs `fold_char` and `key_class`): letter variants unified,
# hamza, tatweel and marks dropped, transliteration-swapped letters merged. Separators vanish between words.
_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ى": "ي", "ئ": "ي", "ی": "ي", "ۍ": "ي",
         "ې": "ي", "ة": "ه", "ۀ": "ه", "ە": "ه", "ؤ": "و", "ک": "ك", "ڪ": "ك", "ء": "", "\u0640": "",
         "غ": "ج", "گ": "ج", "ڨ": "ج", "ڤ": "ف", "ڥ": "ف", "ژ": "ز", "\u200c": "", "\u200d": ""}
_FOLD = str.maketrans(_FOLD)
# Proclitics the matcher strips before a name (matcher.rs PROCLITICS): `وحماس` is a mention of `حماس`.
_PROCLITICS = ("وب", "فب", "وك", "فك", "ول", "فل", "و", "ف", "ب", "ك", "ل")
_WORD = re.compile(r"[\u0621-\u063A\u0640-\u065F\u0670-\u06D3\u06F0-\u06F9\u0660-\u0669\u200c\u200d]+")
ARABIC_SCRIPT_LANGS = ("ar", "fa", "ur")
# More than a handful of hits outside names: the label will tag ordinary words in news text.
THRESHOLD = 5
# A part of a full name that occurs this often as an ordinary word becomes a false partial name (partial.rs)
# once the full name has appeared, unless the engine's NOT_ALONE or PARTICLES lists keep it from standing alone.
PART_THRESHOLD = 30
_PARTIAL_RS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "entities", "partial.rs")


def fold(word):
    out = []
    for ch in word.translate(_FOLD):
        if not unicodedata.combining(ch):
            out.append(ch)
    return "".join(out)


def label_key(label):
    """Key and word count of an Arabic-script label, or None when the label has other letters."""
    words = label.split()
    if not words or not all(_WORD.fullmatch(w) for w in words):
        return None
    return "".join(fold(w) for w in words), len(words)


def _count_runs(runs, counter):
    """Adds the keys of every one- and two-word sequence of each run, also with a proclitic stripped."""
    for run in runs:
        keys = [fold(w) for w in run]
        for i, k in enumerate(keys):
            for n in (1, 2):
                if i + n > len(keys):
                    break
                whole = "".join(keys[i:i + n])
                counter[whole] += 1
                for p in _PROCLITICS:
                    if k.startswith(p) and len(k) - len(p) >= 2:
                        counter[whole[len(p):]] += 1
                        break


def _ner_runs(path):
    """Runs of consecutive `O` tokens of a CoNLL file (`token TAG` or `token<TAB>TAG`)."""
    run = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2 or parts[-1] != "O" or not _WORD.fullmatch(parts[0]):
                if run:
                    yield run
                run = []
                continue
            run.append(parts[0])
    if run:
        yield run


def _langid_runs(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            lang, _, text = line.partition("\t")
            if lang in ARABIC_SCRIPT_LANGS:
                yield _WORD.findall(text)


def corpora(shared_data):
    """(ordinary, running) key counters, or None when the development data is not there."""
    ner = [os.path.join(shared_data, "ner", "ar", f) for f in ("anercorp-train.txt", "aqmar.txt")]
    langid = [os.path.join(shared_data, "langid", f) for f in ("lingua20_sent.tsv", "lingua20_docs.tsv")]
    if not all(os.path.exists(p) for p in ner + langid):
        return None
    ordinary, running = collections.Counter(), collections.Counter()
    for path in ner:
        _count_runs(_ner_runs(path), ordinary)
    for path in langid:
        _count_runs(_langid_runs(path), running)
    return ordinary, running


def _engine_list(name):
    """The words of a `const NAME: &[&str]` list in src/entities/partial.rs (the engine's own list, not a copy)."""
    try:
        with open(_PARTIAL_RS, encoding="utf-8") as fh:
            src = fh.read()
    except OSError:
        return set()
    m = re.search(r"const " + name + r": &\[&str\] = &\[(.*?)\];", src, re.S)
    return {fold(w) for w in re.findall(r'"([^"]+)"', m.group(1))} if m else set()


def _ner_words(shared_data):
    words = collections.Counter()
    for f in ("anercorp-train.txt", "aqmar.txt"):
        for run in _ner_runs(os.path.join(shared_data, "ner", "ar", f)):
            words.update(fold(w) for w in run)
    return words


def check_parts(labels, shared_data, titles=()):
    """Messages for parts of multi-word ar/fa person labels that occur more than PART_THRESHOLD times as ordinary
    words and that the engine would use alone as a partial name. Returns None without data."""
    if corpora_missing(shared_data):
        return None
    words = _ner_words(shared_data)
    skip = _engine_list("NOT_ALONE") | _engine_list("PARTICLES") | {fold(t) for t in titles}
    parts = collections.defaultdict(set)
    for (etype, lang, label), eids in labels.items():
        if etype != "PER" or lang not in ("ar", "fa") or len(label.split()) < 2 or label_key(label) is None:
            continue
        for w in label.split():
            k = fold(w)
            if len(k) >= 3 and k not in skip:
                parts[k].update(eids)
    out = []
    for k, eids in sorted(parts.items()):
        if words[k] > PART_THRESHOLD:
            out.append(f"name part {k!r} of {len(eids)} person(s) ({', '.join(sorted(eids)[:3])}) occurs {words[k]} "
                       "times as an ordinary word: the engine takes it as a partial name after the full name "
                       "(add it to NOT_ALONE in src/entities/partial.rs if no one is called by it alone)")
    return out


def corpora_missing(shared_data):
    ner = [os.path.join(shared_data, "ner", "ar", f) for f in ("anercorp-train.txt", "aqmar.txt")]
    return not all(os.path.exists(p) for p in ner)


def check(labels, shared_data, word_senses=frozenset()):
    """Messages for one- and two-word ar/fa labels whose key occurs more than THRESHOLD times outside names.

    `labels` maps (type, lang, label) to entity ids, as check-kb collects them; `word_senses` holds the
    (lang, label) pairs `lexicon/word_senses.tsv` already marks, which the engine links only with evidence.
    Returns None without data."""
    counts = corpora(shared_data)
    if counts is None:
        return None
    ordinary, running = counts
    out = []
    for (etype, lang, label), eids in sorted(labels.items()):
        if lang not in ("ar", "fa") or (lang, label) in word_senses:
            continue
        lk = label_key(label)
        if lk is None or lk[1] > 2:
            continue
        hits = ordinary[lk[0]]
        if hits > THRESHOLD:
            out.append(f"{etype} {lang} {label!r} ({', '.join(sorted(eids))}): its key occurs {hits} times outside "
                       f"names in the Arabic NER corpora ({running[lk[0]]} times in the langid ar/fa/ur text)")
    return out
