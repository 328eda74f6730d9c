# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080

# `make run` keeps its state under ./var and serves the example DAGs (examples/dags and the runnable ones in
# examples/runnable), unless the environment says otherwise.
export ORCHESTRATOR_API_DATABASE_URL ?= sqlite:///$(CURDIR)/var/orchestrator-api.db
export ORCHESTRATOR_API_DAGS_FOLDER ?= $(CURDIR)/examples
export ORCHESTRATOR_API_LOGS_FOLDER ?= $(CURDIR)/var/logs

.PHONY: help install install-test run serve test test-sqlite test-postgres lint fmt bench bench-postgres compat docker clean sdk

help:
	@echo "make run    install, migrate, create the admin user, load the examples, serve on $(HOST):$(PORT)"
	@echo "           with a scheduler and one worker"
	@echo "make test   install the test extras and run the whole suite on SQLite, then on PostgreSQL"
	@echo "make test-sqlite / make test-postgres   one backend only (PYTEST_ARGS=... to pick tests)"
	@echo "make lint   ruff check, ruff format --check, mypy"
	@echo "make fmt    rewrite files with ruff"
	@echo "make bench  wrk against serve, a bare connexion ceiling and Airflow 2.10.5 on 100 000 task instances,"
	@echo "           then ours at 10x (1 000 000); writes bench/RESULTS.md (about 30 min; BENCH_ARGS adds options)"
	@echo "make bench-postgres  the same at 1x and 10x on a private PostgreSQL cluster, without Airflow (about 20 min);"
	@echo "           writes bench/RESULTS-postgres.md"
	@echo "make compat compare every Airflow operation with a real Airflow 2.10.5 (writes compat/REPORT.md)"
	@echo "make docker build the image and run it"
	@echo "make sdk    generate Python, TypeScript and Go clients from openapi/v1.yaml into build/sdk"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed

# The benchmark's servers run from a virtualenv with the production dependencies only.
SERVE_VENV ?= .venv-serve
$(SERVE_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(SERVE_VENV)
	$(SERVE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SERVE_VENV)/bin/python -m pip install --quiet -e .
	@touch $@

install-test: $(VENV)/.installed-test

run: install
	@mkdir -p var
	$(BIN)/orchestrator-api db migrate
	$(BIN)/orchestrator-api users create --username admin --email admin@example.org --role Admin \
		--firstname Ada --lastname Admin --generate-password
	$(BIN)/orchestrator-api dags sync
	@# Like `airflow standalone`: the API, a scheduler and one worker; Ctrl-C stops all three.
	@token=$$($(BIN)/orchestrator-api workers create --name local-worker --replace \
		| sed -n 's/^token for local-worker (shown once): //p'); \
	trap 'kill 0' EXIT; \
	$(BIN)/orchestrator-api scheduler & \
	ORCHESTRATOR_API_WORKER_TOKEN=$$token $(BIN)/orchestrator-api worker --queues default \
		--api-url http://$(HOST):$(PORT) & \
	$(BIN)/orchestrator-api serve --bind $(HOST):$(PORT)

serve: install
	$(BIN)/orchestrator-api serve --bind $(HOST):$(PORT)

# Tests run in parallel (pytest-xdist); the PostgreSQL pass runs on a private throwaway cluster that
# scripts/pg-cluster installs if needed, starts and always stops. Both passes run even if the first fails.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

test: install-test
	@status=0; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	$(MAKE) --no-print-directory test-postgres || status=1; \
	exit $$status

test-sqlite: install-test
	@echo "== test suite on SQLite =="
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install-test
	@echo "== test suite on PostgreSQL =="
	scripts/pg-cluster run $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check src tests bench compat
	$(BIN)/ruff format --check src tests bench compat
	$(BIN)/mypy

fmt: install-test
	$(BIN)/ruff check --fix src tests bench compat
	$(BIN)/ruff format src tests bench compat

# openapi-generator is Java: the JRE comes from apt where it is missing.
sdk: install-test
	@command -v java >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends default-jre-headless; }
	$(BIN)/python -m tests.clients.sdkgen

# Not part of `make test`. wrk comes from apt when missing; BENCH_DATABASE_URL=postgresql+psycopg://... measures
# on an empty PostgreSQL database instead of SQLite.
BENCH_ARGS ?=
# `make bench BENCH_ARGS="--scales 1"` skips the 10x part; `--dags 100` shrinks everything.
bench: install-test $(SERVE_VENV)/.installed
	BENCH_SERVER_PYTHON=$(SERVE_VENV)/bin/python $(BIN)/python -m bench --scales 1,10 --airflow $(BENCH_ARGS)
	$(BIN)/python -m bench.execution

# A throwaway cluster from scripts/pg-cluster (installs the Debian package when missing); each scale gets
# its own database. BENCH_ARGS="--scales 1" skips the 10x part.
bench-postgres: install-test $(SERVE_VENV)/.installed
	BENCH_SERVER_PYTHON=$(SERVE_VENV)/bin/python scripts/pg-cluster run sh -c 'BENCH_DATABASE_URL="$$ORCHESTRATOR_API_TEST_DATABASE_URL" exec $(BIN)/python -m bench --scales 1,10 --out bench/RESULTS-postgres.md $(BENCH_ARGS)'

# Not part of `make test`: installs apache-airflow==2.10.5 into a cached venv (minutes, once), then runs a real
# Airflow webserver beside ours and compares their answers. Exits 1 while undocumented differences remain.
compat: install-test
	$(BIN)/python -m compat

docker:
	docker build -t orchestrator-api .
	docker run --rm -p $(PORT):8080 -e ORCHESTRATOR_API_PASSWORD orchestrator-api

clean:
	rm -rf $(VENV) $(SERVE_VENV) var build .pytest_cache .mypy_cache .ruff_cache
