# Two commands: `make map` builds output/map.html; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: map test validate schema benchmark screenshot outlines clean

map: $(STAMP)
	$(PY) build_map.py

validate: $(STAMP)
	$(PY) build_map.py validate

schema: $(STAMP)
	$(PY) build_map.py schema --out record.schema.json

# axe-core, pinned in tests/browser/axe/package-lock.json, for the accessibility checks.
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js

test: $(TESTSTAMP) $(AXE)
	$(PY) -m pytest

$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --no-audit --no-fund
	touch $@

# lonboard's page loads its code from CDNs; the benchmark serves those files from npm packages.
benchmark: $(TESTSTAMP) benchmarks/node_modules/.package-lock.json
	$(PY) benchmarks/run.py

benchmarks/node_modules/.package-lock.json: benchmarks/package.json benchmarks/package-lock.json
	npm ci --prefix benchmarks --no-audit --no-fund --silent

screenshot: $(TESTSTAMP)
	UPDATE_SCREENSHOT=1 $(PY) -m pytest tests/browser -k readme_screenshot

# Re-derive geo/naturalearth/*.npz from the TopoJSON (after replacing it); a test checks them.
outlines: $(STAMP)
	$(PY) -m mongolmap.geo.countries

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

# The test run includes the benchmark scripts' smoke tests, which import explore()'s needs.
$(TESTSTAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

clean:
	rm -rf output .pytest_cache
