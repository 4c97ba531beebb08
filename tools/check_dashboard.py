#!/usr/bin/env python3
"""Check the Grafana dashboard offline (`make alerts-validate`).

Structure: valid JSON, unique panel ids, every panel inside the 24-column grid with at least one query.
Queries: every news_enricher_* name in the dashboard and the alert rules is in deploy/prometheus/metrics.txt, and
every dashboard expression parses, which promtool checks by loading them as recording rules with Grafana's
variables replaced by concrete values. Exit status 1 on any problem.

usage: check_dashboard.py DASHBOARD.json METRICS.txt ALERTS.yaml
"""
import json
import os
import re
import subprocess
import sys
import tempfile

METRIC = re.compile(r"(?<![:\w])news_enricher_[a-z0-9_]+(?![:\w])")
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "1m", "$__range": "1h", "$namespace": "default", "$pod": ".*"}


def base_name(name):
    for suffix in HISTOGRAM_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def queries(dashboard):
    for panel in dashboard.get("panels", []):
        for target in panel.get("targets", []):
            yield panel, target.get("expr", "")
    for annotation in dashboard.get("annotations", {}).get("list", []):
        if annotation.get("expr"):
            yield annotation, annotation["expr"]


def main():
    dashboard_path, metrics_path, alerts_path = sys.argv[1:4]
    problems = []
    with open(dashboard_path, encoding="utf-8") as fh:
        dashboard = json.load(fh)
    with open(metrics_path, encoding="utf-8") as fh:
        known = {line.strip() for line in fh if line.strip() and not line.startswith("#")}

    ids = [p.get("id") for p in dashboard.get("panels", [])]
    if len(ids) != len(set(ids)):
        problems.append("duplicate panel ids")
    for panel in dashboard.get("panels", []):
        grid = panel.get("gridPos", {})
        if grid.get("x", 0) + grid.get("w", 0) > 24 or grid.get("w", 0) <= 0:
            problems.append(f"panel {panel.get('title')!r}: gridPos outside the 24-column grid")
        if panel.get("type") != "row" and not any(t.get("expr") for t in panel.get("targets", [])):
            problems.append(f"panel {panel.get('title')!r}: no query")

    exprs = list(queries(dashboard))
    with open(alerts_path, encoding="utf-8") as fh:
        alerts_text = fh.read()
    used = {base_name(m) for _, e in exprs for m in METRIC.findall(e)}
    used |= {base_name(m) for m in METRIC.findall(alerts_text)}
    for name in sorted(used - known):
        problems.append(f"unknown metric {name} (not in {metrics_path})")

    rules = {"groups": [{"name": "dashboard", "rules": []}]}
    for i, (_, expr) in enumerate(exprs):
        for var, value in GRAFANA_VARIABLES.items():
            expr = expr.replace("${" + var[1:] + "}", value).replace(var, value)
        rules["groups"][0]["rules"].append({"record": f"dashboard:query_{i}", "expr": expr})
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
        json.dump(rules, fh)  # JSON is YAML, and promtool reads YAML
        rules_path = fh.name
    try:
        result = subprocess.run(["promtool", "check", "rules", rules_path], capture_output=True, text=True)
    finally:
        os.unlink(rules_path)
    if result.returncode != 0:
        problems.append("promtool rejected dashboard queries:\n" + result.stdout + result.stderr)

    for problem in problems:
        print(f"FAIL {problem}")
    print(f"dashboard: {len(dashboard.get('panels', []))} panels, {len(exprs)} queries, {len(used)} metrics: "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
