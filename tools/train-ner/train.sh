#!/usr/bin/env bash
# Rebuilds every NER model in models/ner/ from the data in ../shared/data/ner (or $NER_DATA).
# Deterministic: fixed splits (src/ner/corpus.rs), pinned packages, L-BFGS without random state; the training
# date in the model header comes from $MODEL_DATE (default: today, UTC). Takes a few CPU minutes per language.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="${NER_DATA:-../shared/data/ner}"
DUMP=.cache/ner
LEX=.cache/ner/lexicons
VENV=.cache/venv
DATE="${MODEL_DATE:-$(date -u +%F)}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -r tools/train-ner/requirements.txt
cargo build --release --example ner_dump
mkdir -p "$DUMP" "$LEX"
# Place names for the gazetteer features (CLDR territories, GeoNames cities), then the attribute dumps. Only
# names go in the lexicon folder: word clusters measured worse on the dev sets (docs/QUALITY.md).
"$VENV/bin/python" tools/train-ner/gazetteer.py "$LEX"
./target/release/examples/ner_dump "$DATA" "$DUMP" "$LEX"
# Regularisation per language, chosen by a small grid on the dev sets (docs/QUALITY.md).
declare -A C1=([ar]=0.02 [en]=0.02 [fr]=0.1 [ru]=0.05)
declare -A C2=([ar]=0.01 [en]=0.01 [fr]=0.05 [ru]=0.02)
for lang in ar en fr ru; do
  nice -n 10 "$VENV/bin/python" tools/train-ner/train.py "$lang" "$DUMP" "models/ner/$lang.crf" \
    --date "$DATE" --iterations 150 --c1 "${C1[$lang]}" --c2 "${C2[$lang]}"
done
