#!/usr/bin/env bash
# Rebuilds every NER model in models/ner/ from the data in ../shared/data/ner (or $NER_DATA).
# Deterministic: fixed splits (src/ner/corpus.rs), L-BFGS without random state; the training date in the
# model header comes from $MODEL_DATE (default: today, UTC).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="${NER_DATA:-../shared/data/ner}"
DUMP=.cache/ner
VENV=.cache/venv
DATE="${MODEL_DATE:-$(date -u +%F)}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q -r tools/train-ner/requirements.txt
cargo build --release --example ner_dump
mkdir -p "$DUMP"
./target/release/examples/ner_dump "$DATA" "$DUMP"
for lang in ar en fr ru; do
  nice -n 10 "$VENV/bin/python" tools/train-ner/train.py "$lang" "$DUMP" "models/ner/$lang.crf" --date "$DATE"
done
