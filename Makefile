# The two commands in the README: `make demo` and `make test`. Needs only Python 3.11+ and make.
.DEFAULT_GOAL := help
SHELL := /bin/bash

# uv installs everything else (Python packages, and Node.js for the stylesheet build).
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen
DEMO_ENV := DEMO_MODE=true DEBUG=false

.PHONY: help install assets demo test lint benchmark benchmark-reminders bench bench-uploads loadtest

help:
	@echo "make demo   install everything, load the demo plan and accounts, serve http://127.0.0.1:8000"
	@echo "make test   run the test suite"
	@echo "make benchmark  time the exception report and board pack on the demo (docs/benchmarks.md)"
	@echo "make benchmark-reminders  time the sweep and 500 digests through two workers (needs Redis)"
	@echo "make bench  the whole benchmark: demo and scale 10, SQLite and PostgreSQL (docs/benchmarks.md)"
	@echo "make bench-uploads  the import commands on dense and real-size spreadsheets: time and memory"
	@echo "make loadtest  50 users on scale 10 through gunicorn and PostgreSQL, then more until p95 passes 2 s (docs/loadtest.md)"

$(CURDIR)/.tools/bin/uv:
	python3 -m pip install --quiet --target .tools uv

install: $(UV)
	$(UV) sync --frozen

node_modules/.package-lock.json: package.json package-lock.json | install
	$(RUN) npm ci --no-audit --no-fund --loglevel=error

static/dist/app.css: node_modules/.package-lock.json static/src/app.scss static/src/app.mjs
	$(RUN) npm run --silent build

assets: static/dist/app.css

demo: install assets
	$(DEMO_ENV) $(RUN) python manage.py migrate --no-input
	$(DEMO_ENV) $(RUN) python manage.py load_demo
	@echo ""
	@echo "The tracker is at http://127.0.0.1:8000 (Ctrl+C to stop). Reminder emails print below."
	mkdir -p .celery
	$(DEMO_ENV) $(RUN) honcho start --port 8000

test: install assets
	$(RUN) ruff check --quiet .
	$(RUN) python manage.py makemigrations --check --dry-run
	$(RUN) pytest --numprocesses=auto --maxprocesses=4 --dist=loadfile --durations=15

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

# The demo in its own database (or DATABASE_URL's), so timing never touches the demo you run.
BENCHMARK_DB := $(or $(DATABASE_URL),sqlite:///$(CURDIR)/.tools/benchmark.sqlite3)
benchmark: install assets
	mkdir -p .tools
	$(DEMO_ENV) DATABASE_URL=$(BENCHMARK_DB) $(RUN) python manage.py migrate --no-input --verbosity 0
	$(DEMO_ENV) DATABASE_URL=$(BENCHMARK_DB) $(RUN) python manage.py load_demo > /dev/null
	$(DEMO_ENV) DATABASE_URL=$(BENCHMARK_DB) $(RUN) python manage.py benchmark_reports

# Reminders: the sweep covers every plan, so its own database, never the one the demo is loaded in.
BENCHMARK_REMINDERS_DB := $(or $(DATABASE_URL),sqlite:///$(CURDIR)/.tools/benchmark-reminders.sqlite3)
benchmark-reminders: install
	mkdir -p .tools
	DATABASE_URL=$(BENCHMARK_REMINDERS_DB) $(RUN) python manage.py migrate --no-input --verbosity 0
	DATABASE_URL=$(BENCHMARK_REMINDERS_DB) $(RUN) python manage.py benchmark_reminders

# Every page's p50/p95, queries and memory beside its floor view, for the demo and scale 10, on
# SQLite and on PostgreSQL (BENCH_POSTGRES_URL, default the local server; databases of its own),
# then the issue's targets passed or failed: .tools/bench/report.md and one JSON file per run.
bench: install assets
	$(RUN) python manage.py bench_all

# The import commands, each in a process of its own, on dense workbooks (refused) and 10,000
# figures formatted to column XFD (loaded, dry run): time and peak memory (docs/benchmarks.md).
BENCH_UPLOADS_DB := $(or $(DATABASE_URL),sqlite:///$(CURDIR)/.tools/bench-uploads.sqlite3)
bench-uploads: install
	mkdir -p .tools
	DATABASE_URL=$(BENCH_UPLOADS_DB) $(RUN) python manage.py migrate --no-input --verbosity 0
	DATABASE_URL=$(BENCH_UPLOADS_DB) $(RUN) python manage.py bench_uploads --out .tools/bench-uploads.json

# Locust against gunicorn on loopback, on scale-10 data in PostgreSQL (database tracker_loadtest,
# rebuilt each run unless LOADTEST_REUSE=1): 50 users for 5 minutes, then steps up until p95
# passes 2 s. Not part of `make test`; locust is in its own dependency group. docs/loadtest.md.
loadtest: install assets
	$(RUN) --group loadtest python -m bench.loadtest.run
