# Local Kafka-protocol broker for the end-to-end suite and `make run`.
#
#   make broker-up                  start it (no-op when already running), wait until the port accepts connections
#   make broker-down                stop it and delete its data, so the next run starts from empty topics
#   make broker-down BROKER_KEEP_DATA=1   stop it but keep the data dir
#   make broker-install             install the broker only
#   make broker-probe               check that the running broker answers Kafka ApiVersions and Metadata
#   BROKER=tansu make broker-up     use tansu (sqlite storage) instead of noida-db; its first install is a
#                                   ~40 min cargo build on 2 cores
#
# Everything lives under .cache/ (gitignored): the venv, the tansu build, the data dir, broker-<port>.pid, broker-<port>.log.

BROKER ?= noida
BROKER_HOST ?= 127.0.0.1
BROKER_PORT ?= 9092
# Per port, like the pid and log files: brokers on different ports never share (or delete) each other's data.
BROKER_DATA_DIR ?= .cache/broker-data-$(BROKER_PORT)
BROKER_WAIT_SECONDS ?= 30
BROKER_KEEP_DATA ?= 0

BROKER_PYTHON ?= python3
NOIDA_VENV := .cache/venv-broker
# The package's console script wraps the binary in a Python subprocess; running the binary itself keeps the pid
# in broker-<port>.pid the broker's own, so broker-down's SIGTERM reaches it.
NOIDA_BIN := $(NOIDA_VENV)/noida-db
NOIDA_REQUIREMENTS := tools/requirements/broker.txt

TANSU_VERSION ?= 0.6.0
TANSU_ROOT := .cache/tansu
TANSU_BIN := $(TANSU_ROOT)/bin/tansu

BROKER_ENV = BROKER=$(BROKER) BROKER_HOST=$(BROKER_HOST) BROKER_PORT=$(BROKER_PORT) \
	BROKER_STATE_DIR=.cache BROKER_DATA_DIR=$(BROKER_DATA_DIR) BROKER_WAIT_SECONDS=$(BROKER_WAIT_SECONDS) \
	BROKER_KEEP_DATA=$(BROKER_KEEP_DATA) NOIDA_BIN=$(NOIDA_BIN) TANSU_BIN=$(TANSU_BIN)

ifeq ($(BROKER),noida)
BROKER_BIN := $(NOIDA_BIN)
else ifeq ($(BROKER),tansu)
BROKER_BIN := $(TANSU_BIN)
# tansu on SQLite answers heartbeats and joins slowly under load: with the suite's 10 s session the group expired
# and was never reassigned (README, "Tests and the test broker"). These make `make BROKER=tansu test` pass as is.
export E2E_SESSION_TIMEOUT ?= 30s
export E2E_MAX_POLL_INTERVAL ?= 60s
export E2E_AUDIT_SECONDS ?= 2400
else
$(error BROKER must be noida or tansu, not '$(BROKER)')
endif

.PHONY: broker-install broker-up broker-down broker-status broker-probe

broker-install: $(BROKER_BIN)

broker-up: $(BROKER_BIN)
	@$(BROKER_ENV) tools/broker.sh up

broker-down:
	@$(BROKER_ENV) tools/broker.sh down

broker-status:
	@$(BROKER_ENV) tools/broker.sh status

# ApiVersions + Metadata round trip with the standard library only: proves the port speaks Kafka, not just TCP.
broker-probe:
	@python3 tools/kafka_probe.py $(BROKER_HOST):$(BROKER_PORT)

# The stamp is the binary itself, rebuilt when the pinned requirements change.
$(NOIDA_BIN): $(NOIDA_REQUIREMENTS)
	@mkdir -p .cache
	@test -x $(NOIDA_VENV)/bin/pip || $(BROKER_PYTHON) -m venv $(NOIDA_VENV)
	$(NOIDA_VENV)/bin/pip install --quiet --require-hashes --no-deps --only-binary=:all: -r $(NOIDA_REQUIREMENTS)
	@bin=$$($(NOIDA_VENV)/bin/python -c 'from importlib.resources import files; print(files("noida_db") / "noida-db")') \
		&& chmod 0755 "$$bin" && ln -sf "$$bin" $@
	@touch -h $@

$(TANSU_BIN):
	nice cargo install tansu --version $(TANSU_VERSION) --features libsql --locked --root $(TANSU_ROOT)
