# Two commands do everything: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-contract test-fast test-browser install install-dev migrate demo worker beat lint bench browsers check-deploy clean messages compilemessages

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(PY) -m pip install --quiet -e .
	$(PY) manage.py compile_catalogues

install-dev: $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) manage.py compile_catalogues

# Languages (README "Languages"): extract every marked string into locale/<lang>/LC_MESSAGES/
# django.po and djangojs.po (needs GNU gettext's xgettext/msgmerge); compile in pure Python.
MAKEMESSAGES := manage.py makemessages -l hr -l de -l it --ignore=.venv --ignore=staticfiles --ignore=node_modules --add-location=file
messages: install-dev
	$(PY) $(MAKEMESSAGES)
	$(PY) $(MAKEMESSAGES) -d djangojs
	$(PY) manage.py compile_catalogues

compilemessages: install
	$(PY) manage.py compile_catalogues --force

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=ecosystem.settings.test
	$(PY) -m pytest $(PYTEST_ARGS)

# The schemathesis contract suite alone (`make test` runs it too).
test-contract: install-dev
	$(PY) -m pytest -m contract $(PYTEST_ARGS)

# Everything but the headless-Chromium tests; and those alone.
test-fast: install-dev
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install-dev browsers
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (skipped with a reason when it is missing).
browsers:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "Chromium is missing: install it (apt-get install chromium) to run the browser tests"

# The production settings must pass Django's deploy checks without a single warning.
check-deploy: install
	DJANGO_SETTINGS_MODULE=ecosystem.settings.production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS=portal.example SITE_URL=https://portal.example $(PY) manage.py check --deploy --fail-level WARNING

lint: install-dev
	$(PY) -m ruff check .

worker: install
	$(BIN)/celery -A ecosystem worker --loglevel=INFO

beat: install
	$(BIN)/celery -A ecosystem beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

bench: install-dev
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media .test-private-media .pytest_cache
