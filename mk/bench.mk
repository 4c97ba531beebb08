# Benchmarks (issue #11). Included by the top-level Makefile.
#
#   make bench         per-stage criterion benches, then the pass-through ceiling and the service end to end
#                      (text and HTML, stages off and on, workers and partitions) against the test broker;
#                      prints the table and writes docs/BENCHMARKS.md. About 10-15 minutes on 2 cores.
#   make bench-smoke   the same machinery on a handful of messages with debug builds (CI: it must run, figures
#                      are meaningless); writes target/bench-smoke.md. Under a minute once built.
#   make bench-profile callgrind over the offline pipeline on generated articles (perf has no hardware counters
#                      on this kind of machine); writes target/bench-profile/*.txt.
#
# Benchmarks are never test assertions: a slow run still exits 0; only a broken harness fails.

BENCH_PORT ?= $(BROKER_PORT)
BENCH_ARGS ?= --text 1000 --html 120 --runs 3 --latency-seconds 5
BENCH_SMOKE_ARGS := --text 20 --html 4 --runs 1 --latency-seconds 1 --no-scaling
BENCH_BROKER = $(MAKE) --no-print-directory BROKER_PORT=$(BENCH_PORT)
# The Python peer pipeline's venv (top-level packages pinned in tools/requirements/peer.txt).
PEER_VENV := .cache/venv-peer
PEER_STAMP := $(PEER_VENV)/.installed

.PHONY: bench bench-smoke bench-profile

bench: deps models broker-install $(PEER_STAMP) ## benchmarks: per stage, pass-through ceiling, end to end; writes docs/BENCHMARKS.md
	nice $(CARGO) build --release --locked --bin news-enricher --example passthrough --example bench_e2e
	nice $(CARGO) bench --locked --bench stages
	$(BENCH_BROKER) broker-up
	status=0; nice ./target/release/examples/bench_e2e --brokers $(BROKER_HOST):$(BENCH_PORT) \
	  --service target/release/news-enricher --passthrough target/release/examples/passthrough \
	  --criterion target/criterion --out docs/BENCHMARKS.md --peer $(PEER_VENV)/bin/python $(BENCH_ARGS) \
	  || status=$$?; \
	  $(BENCH_BROKER) broker-down; exit $$status

bench-smoke: deps models broker-install ## the benchmark machinery on a few messages (debug builds; CI)
	$(CARGO) build --locked --bin news-enricher --example passthrough --example bench_e2e
	$(CARGO) test --locked --bench stages
	$(BENCH_BROKER) broker-up
	status=0; ./target/debug/examples/bench_e2e --brokers $(BROKER_HOST):$(BENCH_PORT) \
	  --service target/debug/news-enricher --passthrough target/debug/examples/passthrough \
	  --criterion target/criterion --log-dir target/bench-logs-smoke --out target/bench-smoke.md \
	  $(BENCH_SMOKE_ARGS) || status=$$?; \
	  $(BENCH_BROKER) broker-down; exit $$status

bench-profile: deps models ## callgrind profile of the pipeline on generated text and HTML articles
	nice $(CARGO) build --release --locked --bin news-enricher --example bench_e2e
	tools/bench-profile

$(PEER_STAMP): tools/requirements/peer.txt
	@mkdir -p .cache
	@test -x $(PEER_VENV)/bin/pip || python3 -m venv $(PEER_VENV)
	nice $(PEER_VENV)/bin/pip install --quiet -r tools/requirements/peer.txt
	@touch $@
