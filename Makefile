# The README's commands. `make run` sets everything up and serves the back-office; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve smoke-serve setup install test test-postgres lint bench bench-load

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_plan
	$(PY) manage.py setup_roles
	$(PY) manage.py ensure_local_admin

# The web server and the task worker (background imports, exports, reports) in one command.
run: setup
	HOST=$(HOST) PORT=$(PORT) $(PY) bin/serve --dev

# As production runs it: gunicorn + WhiteNoise + the worker, production settings (README: 운영).
serve: install
	HOST=$(HOST) PORT=$(PORT) $(PY) bin/serve

smoke-serve: install
	$(PY) bin/smoke-serve

test: install
	$(PY) -m pytest

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ppuri} $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) bench/run.py

# 30 staff sessions browsing the lists on gunicorn + PostgreSQL while a 64,061-company import runs (bench/README.md).
bench-load: install
	$(PY) bench/load.py
