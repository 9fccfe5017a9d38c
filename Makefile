# The README's commands. `make run` sets everything up and serves the back-office; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve smoke-serve setup install test test-postgres test-browser screenshots lint migrations bench bench-load

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

# The browser suite (tests_browser/): a fresh database with the plan and generated companies, served
# by runserver, driven by Debian's Chromium (apt-get install -y chromium). Failure screenshots go to
# screenshots/failures/. PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright never fetches a browser.
test-browser: install
	@test -x /usr/bin/chromium || { echo "/usr/bin/chromium 없음: apt-get install -y chromium"; exit 1; }
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(PY) -m pytest -c tests_browser/pytest.ini tests_browser

# The README's screenshots, taken by the browser suite.
screenshots: install
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 BROWSER_DOCS_SCREENSHOTS=docs/screenshots $(PY) -m pytest \
		-c tests_browser/pytest.ini tests_browser/test_jobs.py -k "dashboard or program_list or import_companies"

lint: install
	$(VENV)/bin/ruff check .

# Each app's 0001_initial made again from the models; the hand-written 0002+ (triggers) are kept.
migrations: install
	$(PY) bin/regenerate-migrations

bench: install
	$(PY) bench/run.py

# 30 staff sessions browsing the lists on gunicorn + PostgreSQL while a 64,061-company import runs (bench/README.md).
bench-load: install
	$(PY) bench/load.py
