# Two commands do everything: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate demo worker beat lint bench browsers clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(PY) -m pip install --quiet -e .

install-dev: $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[dev]'

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

lint: install-dev
	$(PY) -m ruff check .

worker: install
	$(BIN)/celery -A ecosystem worker --loglevel=INFO

beat: install
	$(BIN)/celery -A ecosystem beat --loglevel=INFO

bench: install-dev
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media .test-private-media .pytest_cache
