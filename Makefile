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
.PHONY: demo demo-large test test-only serve bench bench-reprise loadtest sysdeps install lint clean

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

# The OpenID Connect provider that the ProConnect tests start (tests/oidc/provider.js), from npm.
OIDC_PROVIDER := tests/oidc/node_modules/oidc-provider/package.json
$(OIDC_PROVIDER): tests/oidc/package.json tests/oidc/package-lock.json
	@command -v node >/dev/null || { echo "Node.js 20+ is needed for the ProConnect tests' provider"; exit 2; }
	npm ci --prefix tests/oidc --no-fund --no-audit --silent
	touch $@

install: sysdeps $(VENV)/.installed $(AXE) $(OIDC_PROVIDER)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
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
	$(PY) manage.py createcachetable
	$(PY) manage.py loaddemo
	$(PY) manage.py generate_data --conventions 200 --seed 1 --skip-existing
	$(MAKE) --no-print-directory demo

test: install test-only

test-only:
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# The application as in production: DEBUG off, gunicorn with threads (config/gunicorn.conf.py:
# a sign-in's password hash does not hold up the pages), static files by WhiteNoise, and
# TASK_WORKERS workers of background tasks beside it, stopped with it. TLS is the reverse
# proxy's job (it sets X-Forwarded-Proto). SECRET_KEY must come from the environment; for a
# local try, `make serve SECRET_KEY=$$(openssl rand -hex 32)`. Several machines (N app servers,
# M workers, one PostgreSQL, object storage): docs/deployment.md.
PORT ?= 8000
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
THREADS ?= 4
TASK_WORKERS ?= 1
serve: install
	@test -n "$(SECRET_KEY)" || { echo "SECRET_KEY must be set (see README)"; exit 2; }
	DEBUG=0 SECRET_KEY="$(SECRET_KEY)" $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 SECRET_KEY="$(SECRET_KEY)" $(PY) manage.py migrate --noinput -v0
	DEBUG=0 SECRET_KEY="$(SECRET_KEY)" $(PY) manage.py createcachetable
	export DEBUG=0 SECRET_KEY="$(SECRET_KEY)"; workers=""; \
	  for i in $$(seq $(TASK_WORKERS)); do $(PY) manage.py db_worker & workers="$$workers $$!"; done; \
	  trap 'kill $$workers 2>/dev/null' EXIT INT TERM; \
	  $(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi \
	    --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --threads $(THREADS)

# Benchmark (not part of `make test`): 10,000 and 100,000 generated conventions on PostgreSQL,
# measured in one interleaved run, and 10,000 on SQLite; pages (median, p95, thread CPU,
# queries, growth, ratio to the admin changelist), CSV, PDF, send_reminders; the table goes to
# docs/benchmark.md and a missed target fails. The databases are kept and reused (migrated,
# not generated again); BENCH_FRESH=1 generates them again.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432/conventions_bench
BENCH_PG_SCALES ?= 10000 100000
BENCH_SQLITE_SCALE ?= 10000
BENCH_ENV := DEBUG=0 SECRET_KEY=benchmark-only ALLOWED_HOSTS=testserver LOG_LEVEL=WARNING
BENCH_DB = $(if $(filter sqlite,$(1)),sqlite:///var/bench-$(2).sqlite3,$(BENCH_PG)_$(2))
bench: install
	mkdir -p var
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v0
	@set -e; for scale in $(BENCH_SQLITE_SCALE); do \
	  [ -z "$(BENCH_FRESH)" ] || rm -f var/bench-$$scale.sqlite3; \
	  DATABASE_URL=$(call BENCH_DB,sqlite,$$scale) $(PY) manage.py migrate -v0; \
	  DATABASE_URL=$(call BENCH_DB,sqlite,$$scale) $(PY) manage.py generate_data --conventions $$scale --seed 1 --skip-existing; \
	done
	@set -e; for scale in $(BENCH_PG_SCALES); do \
	  $(PY) -c "import psycopg, sys; c = psycopg.connect('$(BENCH_PG)'.rsplit('/', 1)[0] + '/postgres', autocommit=True); \
	    fresh = '$(BENCH_FRESH)'; name = 'conventions_bench_$$scale'; \
	    exists = c.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name]).fetchone(); \
	    fresh and exists and c.execute(f'DROP DATABASE {name}'); \
	    (fresh or not exists) and c.execute(f'CREATE DATABASE {name}')"; \
	  DATABASE_URL=$(call BENCH_DB,postgresql,$$scale) $(PY) manage.py migrate -v0; \
	  DATABASE_URL=$(call BENCH_DB,postgresql,$$scale) $(PY) manage.py generate_data --conventions $$scale --seed 1 --skip-existing; \
	done
	$(BENCH_ENV) $(PY) manage.py benchmark --output var/bench-sqlite.json \
	  $(foreach s,$(BENCH_SQLITE_SCALE),--database $(call BENCH_DB,sqlite,$(s)))
	$(BENCH_ENV) $(PY) manage.py benchmark --output var/bench-postgresql.json \
	  $(foreach s,$(BENCH_PG_SCALES),--database $(call BENCH_DB,postgresql,$(s)))
	$(PY) manage.py benchmark --report var/bench-sqlite.json var/bench-postgresql.json --markdown docs/benchmark.md
	$(MAKE) bench-reprise

# The reprise's speed (issue 18): 100 text documents through `import_documents --dry-run`,
# the OCR of a 10-page scan. A small sample: make bench-reprise REPRISE_DOCS=3 SCAN_PAGES=1
REPRISE_DOCS ?= 100
SCAN_PAGES ?= 10
bench-reprise: install
	mkdir -p var
	$(PY) manage.py bench_reprise --documents $(REPRISE_DOCS) --scan-pages $(SCAN_PAGES) \
	  --output var/bench-reprise.json

# Load test (not part of `make test`): locust, headless and bounded, 50 users (4 staff : 1
# partner, signed in through the login forms) for 2 minutes against `make serve` on
# PostgreSQL at 10,000 generated conventions (the database is made once, then reused).
# Prints and writes docs/loadtest.md; fails on any error or a p95 of 1 s or more.
LOADTEST_DB ?= postgres://postgres@127.0.0.1:5432/loadtest_10k
LOADTEST_CONVENTIONS ?= 10000
LOADTEST_PORT ?= 8100
LOADTEST_USERS ?= 50
LOADTEST_SPAWN_RATE ?= 5
LOADTEST_TIME ?= 2m
LOADTEST_DIR := var/loadtest
loadtest: install
	mkdir -p $(LOADTEST_DIR)
	$(PY) -c "import psycopg; url = '$(LOADTEST_DB)'; base, name = url.rsplit('/', 1); \
	  c = psycopg.connect(base + '/postgres', autocommit=True); \
	  c.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name]).fetchone() \
	  or c.execute('CREATE DATABASE ' + name)"
	DATABASE_URL=$(LOADTEST_DB) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(LOADTEST_DB) $(PY) manage.py generate_data --conventions $(LOADTEST_CONVENTIONS) \
	  --seed 1 --skip-existing
	DATABASE_URL=$(LOADTEST_DB) $(PY) manage.py loadtest_users \
	  --staff $$(( $(LOADTEST_USERS) * 4 / 5 )) --partners $$(( $(LOADTEST_USERS) / 5 )) \
	  --output $(LOADTEST_DIR)/accounts.json
	@# The server as `make serve` starts it, in its own process group so that it stops whole
	@# (with its workers) when the test ends, however it ends.
	! curl -s -o /dev/null http://127.0.0.1:$(LOADTEST_PORT)/ || \
	  { echo "Port $(LOADTEST_PORT) already answers: LOADTEST_PORT=another one"; exit 1; }
	load_before="$$(cat /proc/loadavg)"; \
	DATABASE_URL=$(LOADTEST_DB) ALLOWED_HOSTS=127.0.0.1 setsid $(MAKE) --no-print-directory serve \
	  PORT=$(LOADTEST_PORT) SECRET_KEY="loadtest-$$($(PY) -c 'import secrets; print(secrets.token_hex(24))')" \
	  > $(LOADTEST_DIR)/server.log 2>&1 & server=$$!; \
	trap 'kill -TERM -- -$$server 2>/dev/null; wait $$server 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 300); do \
	  curl -sf -o /dev/null http://127.0.0.1:$(LOADTEST_PORT)/sante/ && break; \
	  kill -0 $$server 2>/dev/null || { cat $(LOADTEST_DIR)/server.log; exit 1; }; sleep 1; \
	done; \
	curl -sf -o /dev/null http://127.0.0.1:$(LOADTEST_PORT)/sante/ || { echo "server not up"; exit 1; }; \
	: "Warm-up, before the clock starts: a worker's first request loads the URLconf and the"; \
	: "templates (1-2 s); 20 requests of the login page, 10 at a time, reach every worker."; \
	seq 20 | xargs -P 10 -I{} curl -s -o /dev/null -H "X-Forwarded-Proto: https" \
	  http://127.0.0.1:$(LOADTEST_PORT)/connexion/; \
	rm -f $(LOADTEST_DIR)/run_*; log_from=$$(wc -c < $(LOADTEST_DIR)/server.log); \
	$(PY) -m devtools.loadtest.cpu $$server $(notdir $(LOADTEST_DB)) > $(LOADTEST_DIR)/cpu-before.json; \
	LOADTEST_ACCOUNTS=$(LOADTEST_DIR)/accounts.json $(VENV)/bin/locust \
	  -f devtools/loadtest/locustfile.py --headless --only-summary \
	  -u $(LOADTEST_USERS) -r $(LOADTEST_SPAWN_RATE) -t $(LOADTEST_TIME) --stop-timeout 10 \
	  --host http://127.0.0.1:$(LOADTEST_PORT) --csv $(LOADTEST_DIR)/run \
	  > $(LOADTEST_DIR)/locust.log 2>&1 || echo "locust: exit $$? (its log: $(LOADTEST_DIR)/locust.log)"; \
	$(PY) -m devtools.loadtest.cpu $$server $(notdir $(LOADTEST_DB)) > $(LOADTEST_DIR)/cpu-after.json; \
	kill -TERM -- -$$server 2>/dev/null; wait $$server 2>/dev/null; trap - EXIT; \
	DATABASE_URL=$(LOADTEST_DB) $(PY) manage.py loadtest_report --csv $(LOADTEST_DIR)/run \
	  --server-log $(LOADTEST_DIR)/server.log --server-log-from $$log_from \
	  --load-before "$$load_before" \
	  --cpu $(LOADTEST_DIR)/cpu-before.json $(LOADTEST_DIR)/cpu-after.json \
	  --users $(LOADTEST_USERS) --spawn-rate $(LOADTEST_SPAWN_RATE) --duration $(LOADTEST_TIME) \
	  --markdown docs/loadtest.md

lint:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 media tests/axe/node_modules tests/oidc/node_modules
