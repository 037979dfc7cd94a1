# newspipe: two commands matter. `make run` (the main job) and `make test` (all tests).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: install install-system install-browser run test test-fast smoke bench bench-stream lint format lock clean help

help:
	@echo "make run      - Airflow 3 + warehouse + DAGs on this machine (UI on http://localhost:8080)"
	@echo "make test     - all tests (unit, DAG, integration, end to end)"
	@echo "make smoke    - the real stack: backfill, streaming, UI screenshots (minutes)"
	@echo "make bench    - throughput benchmarks (parse, load, backfill, annotate, events)"
	@echo "make bench-stream - streaming lag distribution against the real stack"
	@echo "make lint     - ruff + mypy"
	@echo "make lock     - re-resolve requirements.lock from requirements.in"

install: $(STAMP)

# The venv is rebuilt whenever the lock or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip sync --python $(PY) --quiet requirements.lock
	$(UV) pip install --python $(PY) --quiet --no-deps -e .
	touch $(STAMP)

# System packages the tests use (Debian): docker-compose validates docker-compose.yml.
install-system:
	@command -v docker-compose >/dev/null || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null) \
	  || { echo "could not install docker-compose (apt-get install docker-compose)"; exit 1; }; }

run: install
	$(PY) -m pipeline run

test: install install-system
	$(PY) -m pytest -q -p no:cacheprovider --ignore=tests/smoke

# Minutes, not for CI: the real stack (Airflow standalone), a backfill, streaming, headless Chromium.
smoke: install install-browser
	$(PY) -m pytest -q -p no:cacheprovider tests/smoke

install-browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || { echo "could not install chromium (apt-get install chromium chromium-driver)"; exit 1; }; }

bench-stream: install
	$(PY) bench/bench_stream.py

test-fast: install
	$(PY) -m pytest -q -p no:cacheprovider tests/unit

bench: install
	$(PY) bench/run_all.py

lint: install
	$(VENV)/bin/ruff check pipeline dags plugins tests bench
	$(VENV)/bin/ruff format --check pipeline dags plugins tests bench
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format pipeline dags plugins tests bench
	$(VENV)/bin/ruff check --fix pipeline dags plugins tests bench

# Re-resolve the lock (needs the package index; run by a maintainer, then commit the result).
lock: install
	$(UV) pip compile requirements.in --python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
