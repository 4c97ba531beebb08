#!/usr/bin/env python3
"""Validate rendered Kubernetes manifests offline (`make deploy-validate`).

Built-in kinds are checked with kubernetes-validate's bundled OpenAPI schemas in strict mode (unknown fields are
errors) for every Kubernetes version given. Custom resources are checked against the openAPIV3Schema of the CRDs
vendored in deploy/schemas/crds/, also made strict: the API server silently prunes unknown fields from custom
resources, so a misspelt ScaledObject field would otherwise vanish without an error.

usage: validate_manifests.py --crds DIR --kube-version 1.30.0 [--kube-version ...] RENDERED.yaml...
Exit status 1 when any object fails.
"""
import argparse
import copy
import glob
import os
import sys

import jsonschema
import kubernetes_validate
import yaml


def load_crd_schemas(crd_dir):
    """Map (apiVersion, kind) to the served version's openAPIV3Schema for every CRD file in crd_dir."""
    schemas = {}
    for path in sorted(glob.glob(os.path.join(crd_dir, "*.yaml"))):
        with open(path, encoding="utf-8") as fh:
            for crd in yaml.safe_load_all(fh):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                spec = crd["spec"]
                for version in spec["versions"]:
                    if version.get("served"):
                        key = (f"{spec['group']}/{version['name']}", spec["names"]["kind"])
                        schemas[key] = strict(version["schema"]["openAPIV3Schema"])
    return schemas


def strict(schema):
    """Return a copy in which every object with declared properties rejects properties it does not declare,
    unless the CRD says it keeps unknown fields."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if (
                "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
            ):
                node["additionalProperties"] = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    # metadata is validated by the API server's ObjectMeta rules, not by the CRD schema.
    schema.setdefault("properties", {})["metadata"] = {"type": "object"}
    return schema


def describe(doc, path):
    meta = doc.get("metadata") or {}
    return f"{os.path.basename(path)}: {doc.get('kind')}/{meta.get('name')}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crds", required=True)
    parser.add_argument("--kube-version", action="append", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    crd_schemas = load_crd_schemas(args.crds)
    failures = checked = 0
    for path in args.files:
        with open(path, encoding="utf-8") as fh:
            docs = [d for d in yaml.safe_load_all(fh) if d]
        if not docs:
            print(f"FAIL {path}: renders no objects")
            failures += 1
        for doc in docs:
            name = describe(doc, path)
            if not (doc.get("metadata") or {}).get("name"):
                print(f"FAIL {name}: metadata.name missing")
                failures += 1
                continue
            key = (doc.get("apiVersion"), doc.get("kind"))
            checked += 1
            if key in crd_schemas:
                errors = sorted(
                    jsonschema.Draft7Validator(crd_schemas[key]).iter_errors(doc), key=lambda e: list(e.path)
                )
                for err in errors:
                    where = ".".join(str(p) for p in err.path) or "(root)"
                    print(f"FAIL {name} [CRD schema]: {where}: {err.message}")
                failures += bool(errors)
                continue
            for version in args.kube_version:
                try:
                    kubernetes_validate.validate(doc, version, strict=True)
                except kubernetes_validate.SchemaNotFoundError:
                    print(f"FAIL {name}: no schema for {key[0]} {key[1]} in Kubernetes {version} or {args.crds}")
                    failures += 1
                    break
                except kubernetes_validate.ValidationError as err:
                    where = ".".join(str(p) for p in err.path) or "(root)"
                    print(f"FAIL {name} [Kubernetes {version}]: {where}: {err.message}")
                    failures += 1
    versions = ", ".join(args.kube_version)
    print(f"validate: {checked} objects in {len(args.files)} renders checked against Kubernetes {versions} "
          f"and {len(crd_schemas)} CRD schemas: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
