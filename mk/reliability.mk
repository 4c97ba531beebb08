# Reliability suite (tests/reliability): the real binary against the real broker under faults and load.
#
#   make reliability   the quick profile (part of `make test`): every scenario at a small scale, against the
#                      broker `make test` started (or one this target starts and stops itself)
#   make soak          the heavy profile: 100,000 messages with junk, longer fault sequences, a larger burst
#   NEWS_ENRICHER_RELIABILITY_SEED=<n>   replays the fault points a failed run printed
#
# The broker-restart scenario stops and starts the broker through this Makefile, keeping its data.

# The broker-restart scenario is kept out of both profiles: noida loses its topics across a restart (see
# docs/RELIABILITY.md); `make reliability-broker-restart` runs it alone against a broker that keeps them.
RELIABILITY_TEST = $(CARGO) test --locked --test reliability -- --include-ignored --test-threads 1 --nocapture \
	$(RELIABILITY_FILTER)
RELIABILITY_FILTER ?= --skip a_broker_restart
RELIABILITY_ENV = NEWS_ENRICHER_TEST_BROKER_CTL="$(MAKE) -C $(CURDIR) --no-print-directory BROKER=$(BROKER) \
	BROKER_PORT=$(BROKER_PORT) BROKER_DATA_DIR=$(BROKER_DATA_DIR)"

.PHONY: reliability soak reliability-run reliability-broker-restart

reliability: deps $(TEST_SETUP) ## reliability suite, quick profile (part of make test)
	$(CARGO) build --locked --bin news-enricher
	@$(MAKE) --no-print-directory reliability-run RELIABILITY_PROFILE=quick

soak: deps $(TEST_SETUP) ## heavy reliability profile: 100k messages, more faults, a larger burst
	$(CARGO) build --locked --bin news-enricher
	@$(MAKE) --no-print-directory reliability-run RELIABILITY_PROFILE=soak

reliability-broker-restart: deps $(TEST_SETUP) ## the broker-restart scenario alone (needs a broker that keeps topics)
	$(CARGO) build --locked --bin news-enricher
	@$(MAKE) --no-print-directory reliability-run RELIABILITY_PROFILE=quick RELIABILITY_FILTER="--exact broker::a_broker_restart_mid_run_shows_on_readyz_and_loses_nothing"

# The broker is stopped whatever the outcome, so a failed run leaves nothing behind.
reliability-run:
	@$(MAKE) --no-print-directory broker-up
	@status=0; $(RELIABILITY_ENV) NEWS_ENRICHER_RELIABILITY_PROFILE=$(RELIABILITY_PROFILE) $(RELIABILITY_TEST) \
	  || status=$$?; $(MAKE) --no-print-directory broker-down; [ $$status -eq 0 ] || exit $$status

TEST_EXTRA += reliability
