# The COP site. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
BENCH_SCALES ?= 1 10
LOAD_SECONDS ?= 60
# The production settings as a server would have them, for `check --deploy` (no value is secret).
# The four variables alone (README, "Déploiement"): no Redis, the database cache.
DEPLOY_CHECK_ENV := env -u CACHE_URL -u REDIS_URL DJANGO_SETTINGS_MODULE=cop_site.settings.production \
	SECRET_KEY=ci-deploy-check-0b7Rq2Kx9LmZt4Vw8Ny1Pc6Hd3Js5Fg-not-secret ALLOWED_HOSTS=cop.clamart.example \
	DATABASE_URL=postgres://cop@localhost/cop COP_BASE_URL=https://cop.clamart.example

.DEFAULT_GOAL := help
.PHONY: help run demo test ci lint format clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est requis (trouvé : " + sys.version.split()[0] + ").")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-ldap.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed ## Install, migrate, load the demo COP if the database is empty, serve on 127.0.0.1:8000 (and run the PDF worker)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_cop --if-empty
	@# The worker that rebuilds the PDFs after each publication, beside the server; Ctrl-C stops both.
	trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; $(MANAGE) db_worker --backend pdf & $(MANAGE) runserver $(HOST):$(PORT)

demo: $(VENV)/.installed ## (Re)build the demo COP and reset the demo accounts' passwords
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_cop

test: lint ## Install the test tools, then check and test everything on a throwaway PostgreSQL
	$(DEPLOY_CHECK_ENV) $(MANAGE) check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=cop_site.settings.test $(PY) scripts/with_postgres.py sh -c '\
		$(MANAGE) check --fail-level WARNING && \
		$(MANAGE) makemigrations --check --dry-run && \
		$(VENV)/bin/pytest $(PYTEST_ARGS)'

ci: test ## What CI runs (same as `make test`)

.PHONY: bench
bench: $(VENV)/.installed-dev ## Print page times and search latency on the demo COP and a ten-times COP (BENCH_SCALES="1 10 100" for 25,000 projects)
	BENCH_SCALES="$(BENCH_SCALES)" DJANGO_SETTINGS_MODULE=cop_site.settings.test $(PY) scripts/with_postgres.py $(PY) scripts/bench.py

.PHONY: load
load: $(VENV)/.installed ## Load test: the production server under wrk, 20 connections for LOAD_SECONDS (60), with and without the page cache
	LOAD_SECONDS="$(LOAD_SECONDS)" $(PY) scripts/with_postgres.py $(PY) scripts/load.py

lint: $(VENV)/.installed-dev ## ruff check, ruff format --check, and the layers' contracts (lint-imports)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev ## Fix imports and format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the virtual environment and the SQLite database
	rm -rf $(VENV) db.sqlite3
