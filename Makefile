# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app

.PHONY: run test install lint typecheck translations extract-messages clean bench

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed translations tests/browser/node_modules

## axe-core for the browser tests (tests/browser), pinned in its package-lock.json; made
## once, when the folder is absent. Without npm the accessibility tests skip and say why.
tests/browser/node_modules:
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	else \
		echo "npm is not installed: the accessibility tests (axe-core) will be skipped"; \
	fi

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d app/translations >/dev/null

## Extract the Dutch source strings and merge them into the English catalogue.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

## Serve the Dutch demo community on http://$(HOST):$(PORT) (defaults 127.0.0.1:5000), with
## the background worker (the response guarantee) beside it; Ctrl+C stops both.
run: install
	$(BIN)/flask db upgrade
	DEMO_MODE=$${DEMO_MODE:-1} $(BIN)/flask demo load
	@DEMO_MODE=$${DEMO_MODE:-1} SEARCH_WRITER=web $(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEMO_MODE=$${DEMO_MODE:-1} SEARCH_WRITER=web COOKIE_SECURE=$${COOKIE_SECURE:-0} $(BIN)/flask serve

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

## Lint, type-check, then the whole suite on SQLite, and when TEST_DATABASE_URL is set, on
## PostgreSQL at the same time (two cores, half the wait); its output follows the SQLite
## pass's. The browser tests (tests/browser) run once: on SQLite.
test: install lint typecheck
	@if [ -z "$$TEST_DATABASE_URL" ]; then \
		exec $(BIN)/pytest -p no:cacheprovider; \
	fi; \
	log=$$(mktemp); \
	$(BIN)/pytest -p no:cacheprovider -m "not browser" >"$$log" 2>&1 & postgres=$$!; \
	echo "== the suite on SQLite (and on PostgreSQL alongside: its output follows)"; \
	env -u TEST_DATABASE_URL $(BIN)/pytest -p no:cacheprovider; sqlite=$$?; \
	wait $$postgres; postgres=$$?; \
	echo "== the suite on PostgreSQL ($$TEST_DATABASE_URL)"; \
	cat "$$log"; rm -f "$$log"; \
	[ $$sqlite -eq 0 ] && [ $$postgres -eq 0 ]

## Every benchmark, or some: make bench BENCH=realtime
bench: install
	$(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
