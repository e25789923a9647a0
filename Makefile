# Two commands on a fresh machine: `make serve` and `make test`.
# Everything installs into .venv from constraints.txt, so every build of a
# commit uses the same versions. Re-running a target reinstalls nothing unless
# pyproject.toml or constraints.txt changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve preview build test lint format bench schema constraints clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

# Lighthouse for the browser tests, at the versions of tests/lighthouse/package-lock.json.
# It is 12.x because 13 needs Node.js 22.19 and Debian 12's nodejs is 18. package.json's
# overrides pin the two packages Lighthouse's trace engine asks for as `latest`: without
# them `npm ci` refuses the lock file as soon as either publishes a new version.
LIGHTHOUSE := tests/lighthouse
$(LIGHTHOUSE)/node_modules/.installed: $(LIGHTHOUSE)/package.json $(LIGHTHOUSE)/package-lock.json
	npm ci --prefix $(LIGHTHOUSE) --no-audit --no-fund
	@touch $@

install: $(VENV)/.installed  ## install the site's tools into .venv (briefs, mkdocs)

serve: $(VENV)/.installed  ## serve the sample site at http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# A pull request's preview as downloaded from its run (the artifact preview-site),
# unpacked into a temporary folder that goes when the server stops.
PORT ?= 8001
# The name comes from the pull request's run: it reaches the shell as a variable's
# value, never as text of the command (where `…` or $(…) in it would run).
preview: override export ARTIFACT := $(value ARTIFACT)
preview: override export PORT := $(value PORT)
preview: $(VENV)/.installed  ## serve a downloaded preview: make preview ARTIFACT=preview-site.zip [PORT=8001]
	@test -n "$$ARTIFACT" || { echo "usage: make preview ARTIFACT=path/to/preview-site.zip [PORT=8001]" >&2; exit 2; }
	@$(BIN)/briefs preview "$$ARTIFACT" --port "$$PORT"

build: $(VENV)/.installed  ## strict build into site/ (replaced only when the build succeeds)
	@rm -rf site.new
	@$(BIN)/mkdocs build --strict --site-dir site.new || { rm -rf site.new; exit 1; }
	@rm -rf site.old; if [ -d site ]; then mv site site.old; fi; mv site.new site; rm -rf site.old
	@echo "Built into site/"

test: $(VENV)/.installed-test $(LIGHTHOUSE)/node_modules/.installed lint  ## every test: lint, unit, property, site builds, browser
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test  ## ruff, mypy and the import layers on the code, zizmor on the GitHub workflows
	$(BIN)/ruff check plugins tests hooks bench
	$(BIN)/ruff format --check plugins tests hooks bench
	$(BIN)/zizmor --offline .github/workflows/
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.installed-test
	$(BIN)/ruff format plugins tests hooks bench
	$(BIN)/ruff check --fix plugins tests hooks bench

bench: $(VENV)/.installed-test  ## build synthetic sites and print figures (bench/results.md)
	$(BIN)/python bench/run.py

schema: $(VENV)/.installed  ## regenerate the committed JSON Schema of the front-matter
	$(BIN)/briefs schema > schema/brief.schema.json
	$(BIN)/briefs schema --outlets > schema/outlets.schema.json

# `pip list --format=freeze` prints `name==version` even for a package installed
# from a local file, where `pip freeze` would write that machine's path.
constraints:  ## re-resolve every pin from the package index into constraints.txt
	rm -rf .venv-constraints
	$(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/pip install --quiet --upgrade pip
	.venv-constraints/bin/pip install --quiet --no-cache-dir -e '.[test]'
	{ sed -n '/^#/p' constraints.txt; .venv-constraints/bin/pip list --format=freeze --exclude-editable \
	  | grep -v -i -E '^(pip|setuptools|wheel)=='; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .venv-constraints

clean:
	rm -rf site .briefs-cache .pytest_cache
