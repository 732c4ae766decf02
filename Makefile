# Two commands: `make run` serves the site, `make test` runs the whole suite.
# Both create .venv from the pinned requirements, write a local SECRET_KEY under
# instance/ (never used where SECRET_KEY is set), migrate the SQLite database
# and (re)load the catalog when it is missing or older than data/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
DB := instance/atlas.sqlite3
KEY := instance/secret_key
DATA_FILES := $(shell find data -type f)
MIGRATIONS := $(shell find migrations -name '*.py')
# the Spanish interface: messages.po is written by us and committed, messages.mo is built
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
# what `pybabel extract` calls a message (besides gettext, ngettext, _ and the templates')
BABEL_KEYWORDS := -k _l -k plural_forms:1,2

.PHONY: run serve test lint catalog messages clean

run: catalog $(MO_FILES)
	$(FLASK) run --host 127.0.0.1 --port 5000

# the production server on this machine (see README, "Deploying")
serve: catalog $(MO_FILES)
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:8000 'app:create_app()'

test: $(VENV)/.installed-dev catalog $(MO_FILES)
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check app scripts tests migrations
	$(BIN)/ruff format --check app scripts tests migrations

# after changing interface text: extract the messages and merge them into each language's
# messages.po (new ones empty, changed ones fuzzy: the suite fails until both are translated)
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
		--project "Welcoming Atlas" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

# the compiled catalogs the site reads
%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

# upgrade the schema, and load the catalog into a database that has none
# (a file left empty or half-made is rebuilt, not served as a 503)
catalog: $(DB)
	$(FLASK) db upgrade
	$(FLASK) catalog load --if-empty

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(KEY):
	mkdir -p instance
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@

$(DB): $(VENV)/.installed $(KEY) $(DATA_FILES) $(MIGRATIONS)
	$(FLASK) db upgrade
	$(FLASK) catalog load
	touch $@

clean:
	rm -rf $(VENV) instance .pytest_cache
