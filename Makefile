# graphapp: `make run` sets everything up and serves http://127.0.0.1:5000 with the seed graph;
# `make test` sets everything up and runs the whole suite against a real Neo4j.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test setup neo4j db lint stop clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

neo4j: setup
	$(BIN)/graphapp neo4j start

db: neo4j
	$(BIN)/graphapp db init
	$(BIN)/graphapp seed
	$(BIN)/graphapp users ensure-admin  # the first run: prints how to sign in

run: db  # gunicorn (graphapp run); the development server is `graphapp run --debug`
	$(BIN)/graphapp run --host $(HOST) --port $(PORT)

# The suite provisions its own Neo4j (NEO4J_URI, else testcontainers, else the local "test"
# instance), so a dev database is never wiped by tests.
# Browser tests use Playwright's Chromium where it can be downloaded, else the system's Chromium
# or Chrome; with neither they fail saying how to get one. Nothing is installed system-wide.
test: setup
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null \
	  || $(BIN)/playwright install chromium >/dev/null 2>&1 || true
	$(BIN)/ruff check .
	$(BIN)/pytest

# wrk, the load generator of bench/web.py (gunicorn against the Flask dev server). The Makefile
# installs nothing system-wide: without wrk it says so, and bench/web.py uses a threaded client.
.PHONY: bench-tools
bench-tools:
	@command -v wrk >/dev/null || echo "wrk is not installed: bench/web.py uses its threaded Python client instead (for wrk, install the wrk package: Debian and Ubuntu)." >&2

# The one benchmark table at 10k nodes (docs/benchmarks.md; about 3 minutes). SCALE=100000...
SCALE ?= 10000
.PHONY: bench
bench: setup bench-tools
	$(BIN)/python bench/run.py --scale $(SCALE)

lint: setup
	$(BIN)/ruff check .

stop: setup
	$(BIN)/graphapp neo4j stop --all

clean: stop
	rm -rf $(VENV) .neo4j instance
