# news-enricher: `make run` (the service on an embedded cluster with sample articles) and `make test` (every
# test, starting the broker it needs). Both install what they need, idempotently. `make help` lists targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CARGO ?= cargo
# Test broker: noida (default) or tansu; see README "Test broker".
BROKER ?= noida
CACHE := $(CURDIR)/.cache
# One-shot builds (CI, a fresh clone) gain nothing from incremental state, which doubled the target directory's size;
# set CARGO_INCREMENTAL=1 in the environment to keep it while iterating.
export CARGO_INCREMENTAL ?= 0
# Targets other files add to what `make test` and `make run` prepare (models, knowledge base, validators).
TEST_SETUP :=
RUN_SETUP :=
TEST_EXTRA :=

-include mk/*.mk

export NEWS_ENRICHER_TEST_BROKERS ?= $(BROKER_HOST):$(BROKER_PORT)
# Third-party model files (fetched, checksummed) before anything runs the stages.
TEST_SETUP += models
RUN_SETUP += models
# Quality floors on the development data, and validation of the data and manifests that ship with the service.
TEST_EXTRA += eval kb-check deploy-validate alerts-validate bench-smoke
# After the unit tests, `make test` runs two lanes side by side (`make -j 2`): the broker lane (end-to-end suite,
# reliability suite, benchmark smoke, one broker in turn) and the CPU lane (evals, the fuzz smoke, validators).
# Each lane alone leaves part of the two cores idle (broker round trips, single-threaded evals and fuzzing), so
# side by side they finish sooner than in sequence: this is what made room for the fuzz smoke in `make test`.
BROKER_LANE := test-e2e-suite reliability bench-smoke
CPU_LANE = $(filter-out $(BROKER_LANE),$(TEST_EXTRA))

APT_PACKAGES := build-essential pkg-config libssl-dev zlib1g-dev python3 python3-venv

.PHONY: help deps build run test test-unit test-e2e test-e2e-suite broker-lane cpu-lane lint schema eval kb-check \
	clean

help: ## list targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

deps: ## install the Debian packages the build needs (idempotent)
	@df -h . | awk 'NR==2 {print "disk free for the build: " $$4 " of " $$2}'
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps $(TEST_SETUP) ## build the binary
	$(CARGO) build --locked --bin news-enricher

run: deps $(RUN_SETUP) ## run the service on an embedded Kafka cluster with the sample articles (Ctrl-C stops)
	$(CARGO) run --locked --bin news-enricher -- run --embedded

lint: ## formatting and clippy, warnings as errors
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --locked --all-targets -- -D warnings


schema: ## regenerate docs/schema/ from the record types
	$(CARGO) run --locked --bin news-enricher -- schema --out docs/schema

test-unit: deps $(TEST_SETUP) ## unit tests and in-process Kafka (mock cluster) tests
	$(CARGO) test --locked

test-e2e: deps $(TEST_SETUP) ## end-to-end tests: the real binary against a real broker process (needs broker-up)
	$(CARGO) test --locked --test e2e -- --include-ignored --test-threads 1

# Lint, one build of every target, the unit tests, then the two lanes. Building once with clippy-driver as the
# rustc wrapper (linting while compiling) was tried: its cold build took 7 min 26 s here against 6 min 37 s for
# `cargo clippy` (check mode) plus the builds, so the standard `cargo clippy` stays.
test: deps $(TEST_SETUP) lint ## every test: lint, unit, mock-cluster, end-to-end, reliability, evals, fuzz smoke
	$(CARGO) build --locked --all-targets
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory -j 2 --output-sync=recurse broker-lane cpu-lane

# Each lane runs its targets one after another (`-j 1`): the broker lane's suites share one port.
broker-lane:
	$(MAKE) --no-print-directory -j 1 $(BROKER_LANE)

cpu-lane:
	$(MAKE) --no-print-directory -j 1 $(CPU_LANE)

# The broker is stopped whatever the tests' outcome, so a failed run leaves nothing behind.
test-e2e-suite: deps $(TEST_SETUP)
	$(MAKE) --no-print-directory broker-up
	status=0; $(MAKE) --no-print-directory test-e2e || status=$$?; \
	  $(MAKE) --no-print-directory broker-down; [ $$status -eq 0 ] || exit $$status

SHARED_DATA ?= ../shared/data
EVALS := cleanup langid ner linking
eval: build $(TEST_SETUP) ## score every stage on the development data; fails below a quality floor
	@for target in $(EVALS); do \
	  echo "== eval $$target"; \
	  ./target/debug/news-enricher eval $$target --data $(SHARED_DATA) || exit 1; \
	done

kb-check: ## validate the curated knowledge-base files
	python3 tools/check-kb --quiet

clean: ## remove build output and caches
	rm -rf target .cache
