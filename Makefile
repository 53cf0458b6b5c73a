# Media Hub. `make run` sets everything up and serves the demo; `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DARAJA_SIMULATOR_PORT ?= 8009
TEST_ENV := DJANGO_SETTINGS_MODULE=mediahub.settings.test

.PHONY: run test lint format install messages po chromium redis ffmpeg wrk nginx load migrate seed db db-stop \
	check bench prod-smoke clean

## run: install, start the embedded PostgreSQL, migrate, load the demo and serve it on :8000
## (with the task worker, the scheduler and the Daraja simulator on :8009, all stopped when
## runserver stops)
run: migrate
	$(PY) manage.py seed_demo
	@echo "Platform: http://localhost:$(PORT)/   Schools: http://greenwood.localhost:$(PORT)/  http://riverside.localhost:$(PORT)/"
	@# Links, and the callback URL the simulator posts to, carry the port actually served.
	@# The worker does not reload on code changes (runserver does): restart `make run` then.
	@export DARAJA_SIMULATOR_PORT=$(DARAJA_SIMULATOR_PORT) PLATFORM_PORT=$(PORT); \
	  $(PY) manage.py daraja_simulator --port $(DARAJA_SIMULATOR_PORT) & simulator=$$!; \
	  $(PY) manage.py db_worker --no-reload & worker=$$!; \
	  $(PY) manage.py scheduler & scheduler=$$!; \
	  trap 'kill $$simulator $$worker $$scheduler 2>/dev/null; wait' EXIT; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

## test: the checks and the whole test suite, browser tests included (needs no .env)
test: install chromium redis ffmpeg
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

## lint: ruff (lint and format check) and import-linter (the layers of docs/architecture.md)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	@# Modules a reader can hold: none over 400 lines outside tests and migrations.
	@big=$$(find . -name '*.py' -not -path './.venv*' -not -path './node_modules/*' \
	  -not -path '*/migrations/*' -not -path '*/tests/*' \
	  -exec awk 'END { if (NR > 400) print FILENAME ": " NR " lines" }' {} \;); \
	  if [ -n "$$big" ]; then echo "Split these modules (over 400 lines):"; echo "$$big"; exit 1; fi

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The Kiswahili catalogue compiled (.mo files are built, never committed), with Debian's gettext
# (msgfmt), which the translation tests use too.
messages: $(VENV)/.installed
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing Debian's gettext to compile the translations..."; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends gettext; \
	fi
	@$(TEST_ENV) $(PY) manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules

## po: refresh the Kiswahili catalogues from the code (then translate the new entries)
po: messages
	$(TEST_ENV) $(PY) manage.py makemessages -l sw --no-location --no-obsolete \
	  -i .venv -i .venv-load -i node_modules -i bench -i '*/tests/*' -i staticfiles
	$(TEST_ENV) $(PY) manage.py makemessages -d djangojs -l sw --no-location --no-obsolete \
	  -i .venv -i .venv-load -i node_modules -i bench -i '*/tests/*' -i staticfiles
	@# No date in the header, so two branches that both add messages merge cleanly.
	@sed -i '/^"POT-Creation-Date:/d' locale/sw/LC_MESSAGES/*.po

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium; \
	fi

# Debian's redis-server: the tests and prod-smoke start their own on a free port;
# a deployment points REDIS_URL at its Redis. Not started here, and never needed by `make run`.
redis:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing Debian's redis-server for the shared cache's tests..."; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends redis-server; \
	fi

# Debian's ffmpeg (and ffprobe): every stored video and recording is remuxed by it, without its
# location and device tags (media_library/validation/av_metadata.py), so uploads need it at run
# time as well as in the tests. A production server installs it too (README: Production).
ffmpeg:
	@if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing Debian's ffmpeg to strip location from stored videos and recordings..."; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends ffmpeg; \
	fi

# A new .env from .env.example, with a freshly generated SECRET_KEY. Never overwrites one.
.env:
	@key=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	  sed "s|^SECRET_KEY=.*|SECRET_KEY=$$key|" .env.example > .env
	@echo "Created .env from .env.example (with a new SECRET_KEY)."

## migrate: the public schema, the platform rows and template, then every school
migrate: install ffmpeg .env
	$(PY) manage.py migrate_schemas --shared --noinput -v 0
	$(PY) manage.py platform_setup
	$(PY) manage.py migrate_schemas --tenant --noinput -v 0

seed: migrate
	$(PY) manage.py seed_demo

## db / db-stop: start or stop the embedded PostgreSQL (ignored when DATABASE_URL is set)
db: install
	$(PY) -m mediahub.embedded_db start

db-stop: install
	$(PY) -m mediahub.embedded_db stop

## bench: every benchmark of bench/ on a scratch database it makes and drops (BENCH_ARGS="--quick")
bench: install wrk ffmpeg redis
	$(PY) bench/run.py $(BENCH_ARGS)

## load: 50 simulated people for 60 s on the demo (locust, in its own .venv-load); not in CI
load: seed .venv-load/.installed
	$(PY) bench/load.py $(LOAD_ARGS)

.venv-load/.installed: bench/requirements-load.txt
	@test -x .venv-load/bin/python || $(PYTHON) -m venv .venv-load
	.venv-load/bin/pip install --quiet --disable-pip-version-check -r bench/requirements-load.txt
	@touch $@

# Debian's wrk, the load generator of the HTTP benchmark (P1).
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing Debian's wrk for the benchmarks..."; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends wrk; \
	fi

## prod-smoke: the production recipe of deploy/ on loopback (nginx with TLS, two gunicorns, the
## worker, the scheduler, Redis, PostgreSQL), driven over HTTPS; stops everything it started
prod-smoke: install nginx redis ffmpeg
	$(PY) deploy/smoke.py $(SMOKE_ARGS)

# Debian's nginx, the TLS proxy of deploy/ that prod-smoke runs (never as a system service).
nginx:
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  echo "Installing Debian's nginx for prod-smoke..."; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends nginx; \
	fi

clean:
	rm -rf $(VENV) .venv-load node_modules staticfiles .pytest_cache .ruff_cache
