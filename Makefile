# Two entry points: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	$(BIN)/kg build
	$(BIN)/kg ask --all
	$(BIN)/kg viz
	$(BIN)/kg stats

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest -q
	$(BIN)/python -m ruff check kg tests
	$(BIN)/python -m mypy

lint: $(VENV)/.test-installed
	$(BIN)/python -m ruff check kg tests
	$(BIN)/python -m mypy

clean:
	rm -rf build $(VENV)
