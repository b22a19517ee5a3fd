# Two commands for a new machine:  make run  |  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000

.PHONY: install run test lint typecheck importlint pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/loket db upgrade
	$(BIN)/loket models deploy bpmn_models
	$(BIN)/loket demo
	PORT=$(PORT) $(BIN)/loket run --port $(PORT)

lint: install
	$(BIN)/ruff check engine processes web forms tests

typecheck: install
	$(BIN)/mypy

importlint: install
	$(BIN)/lint-imports

pytest: install
	$(BIN)/pytest -q

test: lint typecheck importlint pytest

bench: install
	$(BIN)/loket bench engine

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache
