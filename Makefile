# Two commands: `make run` serves the site, `make test` runs the whole suite.
# Both create .venv from the pinned requirements.txt and (re)build the SQLite
# database when it is missing or older than anything in data/ or the schema.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := instance/atlas.sqlite3
DATA_FILES := $(shell find data -type f)

.PHONY: run test lint clean

run: $(DB)
	$(BIN)/flask --app app run --host 127.0.0.1 --port 5000

test: $(DB)
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check app scripts tests
	$(BIN)/ruff format --check app scripts tests

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DB): $(VENV)/.installed $(DATA_FILES) app/models.py
	$(BIN)/flask --app app catalog load

clean:
	rm -rf $(VENV) instance .pytest_cache
