# The two commands of the README: `make demo` and `make test`. Everything they need,
# Debian packages included, is installed here so that a fresh clone works.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# .python-version selects 3.12 under pyenv; fall back to whatever python3.12 is on PATH.
PYTHON ?= $(shell (pyenv which python3 2>/dev/null | grep -q 3.12 && pyenv which python3) || command -v python3.12 || echo python3)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_PACKAGES := chromium poppler-utils libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-liberation \
	tesseract-ocr tesseract-ocr-fra

# `make demo-large`: the demo plus 200 generated conventions (fictitious, distinct names).
.PHONY: demo demo-large test test-only serve bench bench-reprise sysdeps install lint clean

sysdeps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

# axe-core for the accessibility checks of the browser tests (tests/browser.py), from npm.
AXE := tests/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the browser tests' axe-core (Node.js 18+)"; exit 2; }
	npm ci --prefix tests/axe --no-fund --no-audit --silent
	touch $@

install: sysdeps $(VENV)/.installed $(AXE)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddemo
	@echo
	@echo "  Données : les cinq conventions réelles du projet (devtools/seeds/), rien d'autre."
	@echo "  Pour 200 conventions fictives de plus : make demo-large"
	@echo "  Application : http://127.0.0.1:8000/"
	@echo "  Personnel (écriture) : gestionnaire / demo"
	@echo "  Personnel (lecture)  : lecteur / demo"
	@echo "  Partenaire (CRESS PACA) : http://127.0.0.1:8000/portail/connexion/  partenaire-cress / demo"
	@echo "  Administration : http://127.0.0.1:8000/admin/  admin / demo"
	@echo "  Reprise de l'existant (import de documents) : http://127.0.0.1:8000/reprise/"
	@echo
	@# The worker of background tasks (reading and OCR of imported documents) runs beside
	@# the server, and stops with it.
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:8000

demo-large: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddemo
	$(PY) manage.py generate_data --conventions 200 --seed 1 --skip-existing
	$(MAKE) --no-print-directory demo

test: install test-only

test-only:
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# The application as in production: DEBUG off, gunicorn, static files by WhiteNoise.
# TLS is the reverse proxy's job (it sets X-Forwarded-Proto). SECRET_KEY must come from
# the environment; for a local try, `make serve SECRET_KEY=$$(openssl rand -hex 32)`.
PORT ?= 8000
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
WORKERS_TASKS ?= 2
serve: install
	@test -n "$(SECRET_KEY)" || { echo "SECRET_KEY must be set (see README)"; exit 2; }
	DEBUG=0 SECRET_KEY="$(SECRET_KEY)" $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 SECRET_KEY="$(SECRET_KEY)" $(PY) manage.py migrate --noinput -v0
	@# WORKERS_TASKS workers of background tasks (PDFs, CSV exports, imports: docs/tasks.md)
	@# beside gunicorn; they stop with it.
	for n in $$(seq $(WORKERS_TASKS)); do DEBUG=0 SECRET_KEY="$(SECRET_KEY)" $(PY) manage.py db_worker --no-reload & done; \
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
	DEBUG=0 SECRET_KEY="$(SECRET_KEY)" $(VENV)/bin/gunicorn config.wsgi \
	  --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --access-logfile - \
	  --access-logformat '{"time": "%(t)s", "method": "%(m)s", "status": %(s)s, "duration_ms": %(M)s}' 

# Benchmark (not part of `make test`): 10,000 and 100 generated conventions on SQLite and on
# PostgreSQL, timings and query counts of the main pages; table in docs/benchmark.md.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432/conventions_bench
BENCH_ENV := DEBUG=0 SECRET_KEY=benchmark-only ALLOWED_HOSTS=testserver LOG_LEVEL=WARNING
bench: install
	mkdir -p var
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0
	for scale in 100 10000; do \
	  rm -f var/bench-$$scale.sqlite3; \
	  DATABASE_URL=sqlite:///var/bench-$$scale.sqlite3 $(PY) manage.py migrate -v0 && \
	  DATABASE_URL=sqlite:///var/bench-$$scale.sqlite3 $(PY) manage.py generate_data --conventions $$scale --seed 1 && \
	  $(BENCH_ENV) DATABASE_URL=sqlite:///var/bench-$$scale.sqlite3 $(PY) manage.py benchmark --output var/bench-sqlite-$$scale.json || exit 1; \
	  $(PY) -c "import psycopg; c = psycopg.connect('$(BENCH_PG)'.rsplit('/', 1)[0] + '/postgres', autocommit=True); c.execute('DROP DATABASE IF EXISTS conventions_bench_$$scale'); c.execute('CREATE DATABASE conventions_bench_$$scale')" && \
	  DATABASE_URL=$(BENCH_PG)_$$scale $(PY) manage.py migrate -v0 && \
	  DATABASE_URL=$(BENCH_PG)_$$scale $(PY) manage.py generate_data --conventions $$scale --seed 1 && \
	  $(BENCH_ENV) DATABASE_URL=$(BENCH_PG)_$$scale $(PY) manage.py benchmark --output var/bench-postgresql-$$scale.json || exit 1; \
	done
	$(PY) manage.py benchmark --report var/bench-*.json --markdown docs/benchmark.md
	$(MAKE) bench-reprise

# The reprise's speed (issue 18): 100 text documents through `import_documents --dry-run`,
# the OCR of a 10-page scan. A small sample: make bench-reprise REPRISE_DOCS=3 SCAN_PAGES=1
REPRISE_DOCS ?= 100
SCAN_PAGES ?= 10
bench-reprise: install
	mkdir -p var
	$(PY) manage.py bench_reprise --documents $(REPRISE_DOCS) --scan-pages $(SCAN_PAGES) \
	  --output var/bench-reprise.json

lint:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 media tests/axe/node_modules
