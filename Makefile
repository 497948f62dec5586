# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= data/store/workbench.duckdb

.PHONY: run test lab install demo ingest dictionary lint clean

run: $(STAMP)  ## Ingest the embedded demo data and run every analysis
	$(BIN)/workbench ingest --demo --store $(STORE) data/demo/ingest.yml

test: $(STAMP)  ## Run the whole test suite
	$(BIN)/python -m pytest

install: $(STAMP)

# uv resolves and installs the set in seconds; pip would take minutes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

lab: $(STAMP)  ## Open JupyterLab with the package importable
	$(BIN)/jupyter lab notebooks/

demo: $(STAMP)  ## Regenerate the synthetic demo exports in data/demo
	$(BIN)/workbench demo --out data/demo

dictionary: $(STAMP)  ## Regenerate docs/data-dictionary.md from the schemas
	$(BIN)/workbench dictionary

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf reports data/store
