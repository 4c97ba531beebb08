# Fuzzing (docs/RELIABILITY.md, "Fuzzing"): coverage-guided targets in fuzz/ (cargo-fuzz, libFuzzer) for message
# decoding, cleanup (`extract`), date parsing and the entity stage, plus the proptest fallback in tests/fuzz/.
#
#   make fuzz-smoke                 build the targets, run each for FUZZ_SMOKE_RUNS inputs from the seeds; a crash fails
#   make fuzz                       each target for FUZZ_SECONDS, keeping its corpus in fuzz/corpus/, then proptest
#   make fuzz-run FUZZ_TARGET=dates FUZZ_SECONDS=600   one target
#
# A crash leaves its input in fuzz/artifacts/<target>/; `$(CARGO_FUZZ) run <target> <file>` replays it. Fix it and
# commit the input under tests/fuzz/regressions/<target>/, where `cargo test --test fuzz` replays it on stable.

CARGO_FUZZ_VERSION := 0.13.2
CARGO_FUZZ := $(CACHE)/cargo-fuzz/bin/cargo-fuzz
# cargo-fuzz passes nightly-only compiler flags (sanitizer, coverage passes); the one stable toolchain accepts them
# under RUSTC_BOOTSTRAP=1, set for the fuzz build only. A fixed revision stops build.rs from following git HEAD,
# which would rebuild the instrumented library (minutes) after every commit.
FUZZ_CMD = RUSTC_BOOTSTRAP=1 NEWS_ENRICHER_REVISION=fuzz nice $(CARGO_FUZZ)
FUZZ_TARGETS := decode extract dates entities
FUZZ_TARGET ?= decode
FUZZ_SMOKE_RUNS ?= 3000
FUZZ_SECONDS ?= 120
# Inputs up to 16 KiB (pages are larger than libFuzzer's 4 KiB default). The timeout is wall time: 20 s failed once on
# an empty input while this machine ran at load 15 (its CPU time is milliseconds), so a unit must take 60 s to count.
FUZZ_FLAGS ?= -max_len=16384 -timeout=60
# The seeds and the committed crash reproducers, read-only inputs after the corpus directory.
fuzz_inputs = fuzz/seeds/$(1) $(wildcard tests/fuzz/regressions/$(1))

.PHONY: fuzz fuzz-install fuzz-build fuzz-smoke fuzz-run fuzz-check fuzz-ci

# A debug build of cargo-fuzz: it only drives cargo, and compiles in 67 CPU-seconds here against 90 for the
# release build, and in 38 s of wall time on two cores.
fuzz-install: ## install cargo-fuzz (pinned) into .cache/cargo-fuzz (idempotent)
	@$(CARGO_FUZZ) --version 2>/dev/null | grep -qxF 'cargo-fuzz $(CARGO_FUZZ_VERSION)' || \
	  nice $(CARGO) install cargo-fuzz --locked --force --debug --version $(CARGO_FUZZ_VERSION) --root $(CACHE)/cargo-fuzz

fuzz-build: deps fuzz-install ## build the cargo-fuzz targets (instrumented, address sanitizer)
	$(FUZZ_CMD) build

# Each smoke run starts from the seeds alone in a fresh corpus with a fixed libFuzzer seed, so CI runs the same
# inputs every time.
fuzz-smoke: fuzz-build ## run each cargo-fuzz target for FUZZ_SMOKE_RUNS inputs; fails on a crash
	@for t in $(FUZZ_TARGETS); do \
	  log=$(CACHE)/fuzz-smoke/$$t.log; rm -rf $(CACHE)/fuzz-smoke/$$t && mkdir -p $(CACHE)/fuzz-smoke/$$t; \
	  echo "== fuzz-smoke $$t: $(FUZZ_SMOKE_RUNS) runs"; \
	  if $(FUZZ_CMD) run $$t $(CACHE)/fuzz-smoke/$$t fuzz/seeds/$$t $$(ls -d tests/fuzz/regressions/$$t 2>/dev/null) \
	       -- $(FUZZ_FLAGS) -runs=$(FUZZ_SMOKE_RUNS) -seed=1 -print_final_stats=1 >$$log 2>&1; then \
	    grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb))' $$log; \
	  else \
	    tail -n 60 $$log; echo "fuzz-smoke: $$t failed; crashing input in fuzz/artifacts/$$t/"; exit 1; \
	  fi; \
	done

fuzz-run: fuzz-build ## run one cargo-fuzz target (FUZZ_TARGET) for FUZZ_SECONDS, corpus kept in fuzz/corpus/
	@mkdir -p fuzz/corpus/$(FUZZ_TARGET)
	$(FUZZ_CMD) run $(FUZZ_TARGET) fuzz/corpus/$(FUZZ_TARGET) $(call fuzz_inputs,$(FUZZ_TARGET)) -- \
	  $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1

# Stable-toolchain fallback (tests/fuzz, proptest): `cargo test` runs a smoke of each target; this runs many cases.
FUZZ_CASES ?= 20000

fuzz: fuzz-build ## each cargo-fuzz target for FUZZ_SECONDS, then FUZZ_CASES proptest cases per target
	@for t in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory fuzz-run FUZZ_TARGET=$$t || exit 1; done
	PROPTEST_CASES=$(FUZZ_CASES) nice $(CARGO) test --locked --test fuzz

# CI's fuzz smoke (part of `make test`, the CPU lane): the `extract` target, which takes whole message bodies (HTML
# and text) through the cleanup stage, built in the dev profile without a sanitizer and without debug info, then
# FUZZ_CI_RUNS inputs from the seeds and the crash reproducers with a fixed libFuzzer seed, so every CI run tries
# the same inputs. Why this build: our code forbids `unsafe`, so AddressSanitizer guards only the dependencies, and
# the release ASan build of this target cost 7 CPU-minutes here against about 3 for this one; coverage guidance
# and the panic check, which are what find our bugs, are the same. `make fuzz-smoke` keeps the full ASan build.
# The build is also the check that the library compiles without its `service` feature, warnings denied.
FUZZ_CI_TARGET := extract
FUZZ_CI_RUNS ?= 1000
FUZZ_CI_CMD = env CARGO_PROFILE_DEV_DEBUG=0 RUSTFLAGS=-Dwarnings $(FUZZ_CMD)

fuzz-ci: deps fuzz-install ## the fuzz smoke CI runs: `extract`, unsanitised dev build, FUZZ_CI_RUNS inputs
	$(FUZZ_CI_CMD) build --dev -s none $(FUZZ_CI_TARGET)
	@log=$(CACHE)/fuzz-ci.log; rm -rf $(CACHE)/fuzz-ci && mkdir -p $(CACHE)/fuzz-ci; \
	echo "== fuzz-ci $(FUZZ_CI_TARGET): $(FUZZ_CI_RUNS) runs"; \
	if $(FUZZ_CI_CMD) run --dev -s none $(FUZZ_CI_TARGET) $(CACHE)/fuzz-ci $(call fuzz_inputs,$(FUZZ_CI_TARGET)) \
	     -- $(FUZZ_FLAGS) -runs=$(FUZZ_CI_RUNS) -seed=1 -print_final_stats=1 >$$log 2>&1; then \
	  grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::(number_of_executed_units|peak_rss_mb))' $$log; \
	else \
	  tail -n 60 $$log; echo "fuzz-ci: $(FUZZ_CI_TARGET) failed; crashing input in fuzz/artifacts/$(FUZZ_CI_TARGET)/"; exit 1; \
	fi

# Without cargo-fuzz: the library without its `service` feature, linted as the fuzz crate builds it (seconds once
# the main clippy has run).
fuzz-check: ## check the library without the service feature, as the fuzz crate builds it
	$(CARGO) clippy --locked --lib --no-default-features -- -D warnings

TEST_EXTRA += fuzz-ci
