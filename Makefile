# ITA Workbench — `make run` serves the app on SQLite; `make test` runs lint, types and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint types suite fuzz format messages lock clean

run: setup
	$(BIN)/ita serve --demo --host $(HOST) --port $(PORT)

test: setup lint types suite

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock scripts/system-deps.sh
	scripts/system-deps.sh
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: setup
	$(BIN)/mypy

suite: setup
	$(BIN)/pytest

# Draw new random cases for the property tests (the suite repeats a fixed set); run it a few
# times after touching input handling, and turn what it finds into a plain test.
FUZZ_TESTS = $(shell grep -l '^from hypothesis' tests/test_*.py)
fuzz: setup
	ITA_HYPOTHESIS_PROFILE=explore $(BIN)/pytest $(FUZZ_TESTS)

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Update the message catalogues after changing user-facing text, then translate the new
# entries in src/ita/locale/*/LC_MESSAGES/django.po and run this again to compile them.
messages: setup
	cd src/ita && ../../$(BIN)/django-admin makemessages --locale th --no-obsolete --settings ita.settings --pythonpath ..
	cd src/ita && ../../$(BIN)/django-admin compilemessages --settings ita.settings --pythonpath ..

# Refresh requirements.lock (the exact versions CI and `make run` install).
lock:
	rm -rf /tmp/ita-lock-venv && $(PYTHON) -m venv /tmp/ita-lock-venv
	/tmp/ita-lock-venv/bin/python -m pip install --quiet --upgrade pip
	/tmp/ita-lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	/tmp/ita-lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache .hypothesis
