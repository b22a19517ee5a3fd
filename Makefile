# Two commands for a new machine:  make run  |  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := web/static/vendor/.installed
PORT ?= 5000

.PHONY: install translations pdf browser run test lint typecheck importlint pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The process owner's editors: our sources in web/frontend/, bundled with the npm packages by esbuild.
FRONTEND := $(shell find web/frontend -type f)

# Front-end assets come from npm at install time and are never committed.
$(ASSETS): package.json package-lock.json $(FRONTEND)
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p web/static/vendor
	cp node_modules/@utrecht/component-library-css/dist/index.css web/static/vendor/utrecht.css
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css web/static/vendor/tokens.css
	mkdir -p web/static/vendor/bpmn
	cp node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js node_modules/bpmn-js/dist/assets/diagram-js.css \
		node_modules/bpmn-js/dist/assets/bpmn-js.css web/static/vendor/bpmn/
	rm -rf web/static/vendor/editor
	node web/frontend/build.mjs
	touch $(ASSETS)

translations: $(STAMP)
	for dir in web/translations web/public/translations web/staff/translations; do \
		$(BIN)/pybabel compile --use-fuzzy -d $$dir -D messages >/dev/null 2>&1 || exit 1; done

install: $(STAMP) $(ASSETS) translations

# The evaluation report's PDF is drawn by WeasyPrint, which needs Pango and a font.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf:
	@dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $(PDF_PACKAGES) >/dev/null)

# The end-to-end tests drive Debian's Chromium (Playwright cannot download a browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

run: install pdf
	$(BIN)/loket db upgrade
	$(BIN)/loket models deploy bpmn_models
	$(BIN)/loket demo
	$(BIN)/loket serve --port $(PORT)

lint: install
	$(BIN)/ruff check engine processes web forms tests

typecheck: install
	$(BIN)/mypy

importlint: install
	$(BIN)/lint-imports

pytest: install pdf browser
	$(BIN)/pytest -q

test: lint typecheck importlint pytest

bench: install
	$(BIN)/loket bench engine

clean:
	rm -rf $(VENV) instance node_modules web/static/vendor .pytest_cache .mypy_cache .ruff_cache
