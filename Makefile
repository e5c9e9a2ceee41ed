# Two commands set up a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: venv run demo worker test test-e2e lint format bench bench-smoke clean messages

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

venv: $(VENV)/.installed

# SQLite, demo data, http://127.0.0.1:8000 (demo accounts in the README).
run: venv
	DEBUG=True $(PY) manage.py migrate --noinput
	DEBUG=True $(PY) manage.py load_demo
	DEBUG=True $(PY) manage.py runserver 127.0.0.1:8000

demo: venv
	DEBUG=True $(PY) manage.py migrate --noinput
	DEBUG=True $(PY) manage.py load_demo

# The Excel import worker (docs/exchange.md): checks uploaded files, writes confirmed ones.
# `make run` also runs imports in a thread; in production run `manage.py run_imports` beside
# gunicorn.
worker: venv
	DEBUG=True $(PY) manage.py run_imports

# The whole suite, on DATABASE_URL when set (PostgreSQL in CI), else SQLite, with line
# coverage of the portal's code; below COVERAGE_FLOOR per cent fails.
COVERAGE_FLOOR ?= 95

test: venv
	$(PY) -m pytest --cov --cov-report=term --cov-fail-under=$(COVERAGE_FLOOR) $(PYTEST_ARGS)

test-e2e: venv
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=True $(PY) manage.py check
	DEBUG=True $(PY) manage.py makemigrations --check --dry-run
	DEBUG=True $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# English catalogue: collect new strings into locale/en/LC_MESSAGES/django.po, then compile
# django.mo (needs GNU gettext). Translate the empty msgstr entries, run again, commit both files.
# locale/vi holds Django's and DRF's messages in our Vietnamese, kept by hand; compiled here too.
messages: venv
	DEBUG=True $(PY) manage.py makemessages -l en --no-obsolete \
		--ignore=$(VENV) --ignore=staticfiles --ignore=node_modules --ignore=media \
		--ignore=bench-data
	DEBUG=True $(PY) manage.py compilemessages --ignore=$(VENV)

# Benchmarks (docs/performance.md). On DATABASE_URL, else the local PostgreSQL database kc_bench
# (created if missing): 100 000 generated proposals once, then a Markdown table with PASS/FAIL.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kc_bench
BENCH_ARGS ?=

bench: venv
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" $(PY) -m bench.run $(BENCH_ARGS)

# CI-sized: 200 then 2 000 proposals in a throwaway test database (SQLite, or test_<name> on
# DATABASE_URL); fails when a page's query count grows with the data.
bench-smoke: venv
	$(PY) -m bench.smoke

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
