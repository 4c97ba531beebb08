"""Word frequencies measured on the project's development text, to tell ordinary words from place names.

GeoNames lists short alternate names that are also common words (`يوميا` "daily" as a name of Umeå). A fixed
stop list cannot foresee them, so the build measures how each folded word is used in running text of its script,
read in place from `../shared/data` (never copied):
- labelled NER corpora (ANERcorp train, AQMAR, WikiGold, WikiANN en/fr train): a token tagged `O` counts as
  an ordinary use, a token inside an entity span as a name use;
- unlabelled text in cased scripts (the Leipzig-derived langid sentences and documents in ten Latin-script
  languages, Russian and Ukrainian, and the factRuEval news texts): a lower-case token is an ordinary use, a
  capitalised one not at a sentence start a name use. Unlabelled Arabic-script text (Persian, Urdu) is not read:
  without case a frequent token there is as often a big city as a word.

Words are folded the way the engine keys them (case, accents, Arabic letter variants, diacritics and tatweel),
and Arabic tokens also count without their proclitics (`و ف ب ل ك ال` and combinations), because the engine
strips those before lookup: a name is matched inside `ويوميا` as well as `يوميا`.
"""
import collections
import csv
import re
import unicodedata
from pathlib import Path

# Same folding as the engine's key (src/entities/normalize.rs): the filter must judge the string the engine
# will actually compare.
_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ى": "ي", "ئ": "ي", "ی": "ي", "ۍ": "ي",
         "ې": "ي", "ة": "ه", "ۀ": "ه", "ە": "ه", "ؤ": "و", "ک": "ك", "ڪ": "ك", "ء": "", "\u0640": "",
         "غ": "ج", "گ": "ج", "ڨ": "ج", "ڤ": "ف", "ڥ": "ف", "ژ": "ز", "ё": "е"}
_PROCLITICS = sorted({"و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال",
                      "فبال", "وكال", "ول", "فل", "وب", "فب", "وك", "فك"}, key=len, reverse=True)
_TOKEN = re.compile(r"[^\W\d_]+(?:[\u200c'’-][^\W\d_]+)*")
# langid languages whose (unlabelled) text is read: cased scripts only, see the module docs.
_LANGID = {"cyrillic": {"ru", "uk"},
           "latin": {"en", "fr", "es", "de", "tr", "it", "pt", "nl", "pl", "id"}}


def fold(word: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.category(ch) == "Mn":
            continue
        out.append(_FOLD.get(ch, ch))
    return "".join(out).casefold()


def script_group(word: str) -> str | None:
    for ch in word:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            for group in ("ARABIC", "CYRILLIC", "LATIN"):
                if name.startswith(group):
                    return group.lower()
            return None
    return None


class WordFreq:
    """Per script group (arabic, cyrillic, latin) and folded word: ordinary uses and name uses."""

    def __init__(self) -> None:
        self.ordinary: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.named: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.tokens: collections.Counter = collections.Counter()
        self.sources: list[str] = []

    def _forms(self, group: str, word: str) -> set[str]:
        folded = fold(word)
        forms = {folded}
        if group == "arabic":
            for p in _PROCLITICS:
                if folded.startswith(p) and len(folded) - len(p) >= 2:
                    forms.add(folded[len(p):])
        return forms

    def _count(self, table: dict, group: str, word: str) -> None:
        for form in self._forms(group, word):
            table[group][form] += 1

    def add_tagged(self, word: str, tag: str) -> None:
        group = script_group(word)
        if group is None:
            return
        self.tokens[group] += 1
        self._count(self.ordinary if tag == "O" else self.named, group, word)

    def add_text(self, text: str) -> None:
        sentence_start = True
        for m in _TOKEN.finditer(text):
            word = m.group(0)
            group = script_group(word)
            # Uncased Arabic script gives no evidence either way here (see the module docs).
            if group is not None and group != "arabic":
                self.tokens[group] += 1
                if word[0].islower():
                    self._count(self.ordinary, group, word)
                elif not sentence_start:
                    self._count(self.named, group, word)
            tail = text[m.end():m.end() + 3]
            sentence_start = any(c in ".!?؟\n" for c in tail[:2])

    def is_ordinary(self, name: str, prominent: bool = False) -> bool:
        """Whether a single-word alternate name is used mostly as an ordinary word in running text.

        A name counts as a word when its ordinary uses reach a floor and outnumber its name uses. The floors were
        set by reading every name they drop on the shipped data (config/kb/README.md): for prominent places
        (countries, cities of half a million people or more) the labelled corpora's gaps matter, because a
        well-known name inside an untagged phrase (`اتفاق الطائف`, the Taif Agreement) counts as ordinary, so
        those need clear evidence.
        """
        group = script_group(name)
        if group is None or " " in name.strip():
            return False
        key = fold(name)
        ordinary, named = self.ordinary[group][key], self.named[group][key]
        if group == "arabic":
            floor, ratio = (20, 5) if prominent else (3, 2)
        else:
            # Cased scripts: the engine matches a capitalised label only where the text is capitalised, so a
            # lower-case word hurts only at sentence starts; it must be common to be worth dropping a name.
            floor, ratio = (20, 5) if prominent else (10, 3)
        return ordinary >= floor and ordinary >= ratio * named


def load(data_dir: Path) -> WordFreq:
    """Reads the development corpora in place; fails loudly when they are missing (the output would change)."""
    wf = WordFreq()
    ner = data_dir / "ner"
    tagged = [ner / "ar" / "anercorp-train.txt", ner / "ar" / "aqmar.txt", ner / "en" / "wikigold.conll",
              ner / "en" / "wikiann-en-train.tsv", ner / "fr" / "wikiann-fr-train.tsv"]
    for path in tagged:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                cols = line.split()
                if len(cols) >= 2:
                    word = cols[0].split(":", 1)[1] if cols[0][:3] in ("en:", "fr:") else cols[0]
                    wf.add_tagged(word, cols[-1])
        wf.sources.append(str(path.relative_to(data_dir)))
    wanted = set().union(*_LANGID.values())
    for name in ("lingua20_sent.tsv", "lingua20_docs.tsv"):
        path = data_dir / "langid" / name
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) >= 2 and row[0] in wanted:
                    wf.add_text(row[1])
        wf.sources.append(str(path.relative_to(data_dir)))
    for path in sorted((ner / "ru" / "factrueval-dev").glob("*.txt")):
        wf.add_text(path.read_text(encoding="utf-8"))
    wf.sources.append("ner/ru/factrueval-dev/*.txt")
    return wf
