#!/usr/bin/env python3
"""Trains one language's CRF with python-crfsuite on attribute files from `examples/ner_dump.rs` and exports
it to the binary layout `src/ner/model.rs` reads.

Usage: train.py LANG DUMP_DIR OUT_FILE [--c1 X] [--c2 X] [--iterations N] [--date YYYY-MM-DD] [--export-only]

The gazetteer and clusters the dump used (DUMP_DIR/LANG.gazetteer, LANG.model-clusters) are embedded.
"""
import argparse
import os
import struct
import sys
import time

import pycrfsuite

MAGIC = b"NERCRF1\0"
FEATURE_SET = 1  # must equal features::FEATURE_SET


def sequences(path):
    """Yields (attributes per token, labels) per sentence."""
    xs, ys = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if xs:
                    yield xs, ys
                xs, ys = [], []
                continue
            label, attrs = line.split("\t", 1)
            ys.append(label)
            xs.append(attrs.split(" "))
    if xs:
        yield xs, ys


def put_str(out, s):
    b = s.encode("utf-8")
    out += struct.pack("<H", len(b)) + b


def export(model_path, out_path, date, entity_words, clusters, gazetteer):
    tagger = pycrfsuite.Tagger()
    tagger.open(model_path)
    info = tagger.info()
    labels = sorted(info.labels.keys(), key=lambda l: (l != "O", l))
    index = {l: i for i, l in enumerate(labels)}
    n = len(labels)
    out = bytearray(MAGIC)
    out += struct.pack("<I", FEATURE_SET)
    put_str(out, date)
    out += struct.pack("<B", n)
    for l in labels:
        put_str(out, l)
    trans = [0.0] * (n * n)
    for (a, b), w in info.transitions.items():
        trans[index[a] * n + index[b]] = w
    out += struct.pack("<%df" % (n * n), *trans)
    out += struct.pack("<I", len(clusters))
    for word, (path, length) in sorted(clusters.items()):
        out += struct.pack("<QQB", word, path, length)
    out += struct.pack("<I", len(entity_words))
    for h, count in sorted(entity_words.items()):
        out += struct.pack("<QI", h, count)
    attrs = {}
    for (attr, label), w in info.state_features.items():
        if w != 0.0:
            attrs.setdefault(attr, []).append((index[label], w))
    out += struct.pack("<I", len(attrs))
    for attr in sorted(attrs):
        ws = sorted(attrs[attr])
        out += struct.pack("<QB", int(attr, 16), len(ws))
        for label, w in ws:
            out += struct.pack("<Bf", label, w)
    if gazetteer:
        out += struct.pack("<I", len(gazetteer))
        for key, bits in sorted(gazetteer.items()):
            out += struct.pack("<QB", key, bits)
    with open(out_path, "wb") as f:
        f.write(out)
    return len(attrs), sum(len(v) for v in attrs.values())


def read_hex_map(path):
    """`hexkey<TAB>int` lines (name-form counts, gazetteer class bits) as a dict; empty when the file is absent."""
    table = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                key, value = line.split("\t")
                table[int(key, 16)] = int(value)
    return table


def read_clusters(path):
    clusters = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                word, bits, length = line.rstrip("\n").split("\t")[:3]
                clusters[int(word, 16)] = (int(bits, 16), int(length))
    return clusters


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lang")
    ap.add_argument("dump_dir")
    ap.add_argument("out")
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--date", default=time.strftime("%Y-%m-%d", time.gmtime()))
    ap.add_argument("--export-only", action="store_true", help="re-export DUMP_DIR/LANG.crfsuite")
    args = ap.parse_args()
    d = args.dump_dir
    raw = os.path.join(d, args.lang + ".crfsuite")
    if args.export_only:
        train(args, raw, 0.0)
        return
    trainer = pycrfsuite.Trainer(verbose=False)
    for xs, ys in sequences(os.path.join(d, args.lang + ".train")):
        trainer.append(xs, ys)
    trainer.set_params({
        "c1": args.c1,
        "c2": args.c2,
        "max_iterations": args.iterations,
        "feature.possible_transitions": True,
    })
    t0 = time.time()
    trainer.train(raw)
    train(args, raw, time.time() - t0)


def train(args, raw, took):
    """Exports the trained model and writes python-crfsuite's own dev predictions."""
    d = args.dump_dir
    # Entity word forms guide Arabic clitic trimming only; other languages do not need them.
    words = read_hex_map(os.path.join(d, args.lang + ".entity-words")) if args.lang == "ar" else {}
    clusters = read_clusters(os.path.join(d, args.lang + ".model-clusters"))
    gazetteer = read_hex_map(os.path.join(d, args.lang + ".gazetteer"))
    n_attrs, n_weights = export(raw, args.out, args.date, words, clusters, gazetteer)
    # Dev predictions of python-crfsuite itself, to check that the Rust decoder gives the same labels.
    tagger = pycrfsuite.Tagger()
    tagger.open(raw)
    with open(os.path.join(d, args.lang + ".dev.pred"), "w") as f:
        for xs, _ in sequences(os.path.join(d, args.lang + ".dev")):
            for y in tagger.tag(xs):
                f.write(y + "\n")
            f.write("\n")
    print(f"{args.lang}: trained in {took:.0f}s, {n_attrs} attributes, {n_weights} weights, "
          f"{os.path.getsize(args.out) / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
