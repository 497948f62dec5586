# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= data/store/workbench.duckdb
# axe-core (npm) checks pages against WCAG 2.2 AA in the browser tests; pinned, installed into .cache/node.
AXE_VERSION := 4.14.1
AXE := .cache/node/node_modules/axe-core/axe.min.js

.PHONY: help run test serve publish lab install chromium pdf-tools demo dictionary lint benchmarks clean

run: $(STAMP) chromium  ## Ingest the embedded demo data and run every analysis of the default manifest (HTML + PDF)
	$(BIN)/workbench ingest --demo --store $(STORE) data/demo/ingest.yml
	$(BIN)/workbench run --store $(STORE)

# The doctests import modules by file (importlib mode), so folders without an __init__.py are collected too.
# The suite runs in TEST_WORKERS processes (pytest-xdist; CI has 2 cores): most tests wait on kernels, browsers
# and subprocesses, so two workers halve the time; more gain nothing on 2 cores (measured: docs/developing.md).
TEST_WORKERS ?= 2
test: lint chromium pdf-tools $(AXE)  ## The gate (make lint), the docstrings' examples, then the whole test suite
	$(BIN)/python -m pytest --doctest-modules --import-mode=importlib src/evaluation
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist loadfile

help:  ## List the targets and what each does
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-zA-Z_-]+):.*## (.*)/\1\t\2/' | expand -t 14

# A Debian package, installed when its command is missing (through sudo unless root).
define apt_install
	@command -v $(1) >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends $(2); }
endef

# Debian's chromium prints the reports' PDFs and drives the browser tests and kaleido's static images; never a
# downloaded browser.
chromium:  ## Install Debian's chromium if missing (reports' PDFs, browser tests, static images)
	$(call apt_install,chromium,chromium)

# poppler-utils (pdftotext, pdftoppm, pdffonts): the report tests read the PDFs with them.
pdf-tools:  ## Install poppler-utils if missing (the report tests read the PDFs with it)
	$(call apt_install,pdftotext,poppler-utils)

install: $(STAMP)  ## Create .venv and install the package with its dev tools (again when pyproject.toml changes)

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .cache/node axe-core@$(AXE_VERSION)

# uv resolves and installs the set in seconds; pip would take minutes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)  ## Serve the published site and the live dashboards (after `make run`) on http://127.0.0.1:8866/
	$(BIN)/workbench serve

publish: $(STAMP)  ## Render the published site of dashboards again (reports/_site); `make run` does it too
	$(BIN)/workbench publish

lab: $(STAMP)  ## Open JupyterLab with the package importable
	$(BIN)/jupyter lab notebooks/

demo: $(STAMP)  ## Regenerate the synthetic demo exports in data/demo
	$(BIN)/workbench demo --out data/demo

dictionary: $(STAMP)  ## Regenerate docs/data-dictionary.md from the schemas
	$(BIN)/workbench dictionary

lint: $(STAMP)  ## The static gate: ruff check and format, mypy ([tool.mypy]), import contracts ([tool.importlinter])
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

benchmarks: $(STAMP)  ## Run every benchmark (minutes; prints JSON figures)
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/run_suite.py
	$(BIN)/python benchmarks/statistics.py
	$(BIN)/python benchmarks/economics.py
	$(BIN)/python benchmarks/dashboards.py --demo
	$(BIN)/python benchmarks/coverage.py --no-write  # rewrite the docs' coverage tables: without --no-write

clean:  ## Remove the reports and the store that make run wrote
	rm -rf reports data/store
