# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_CASE ?= demo-case

.PHONY: demo test lint install install-test java chromium postgresql bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python java chromium postgresql
	$(BIN)/pip install --quiet -e '.[test,spark,postgresql]'

# Spark (the linkage backend at scale) needs a Java runtime; Debian's is installed when missing.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing a Java runtime for Spark (Debian's default-jre-headless)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends default-jre-headless; }

# The web tests drive a real browser: Debian's Chromium, never a browser download.
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's Chromium for the end-to-end web tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends chromium; }

# Every store test also runs on PostgreSQL: the tests start a throwaway cluster with Debian's
# initdb and pg_ctl (on a Unix socket, as the unprivileged postgres user) and stop it at the end.
# Only the binaries are needed; the package's own cluster is not used.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installing Debian's PostgreSQL for the store tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends postgresql; }

demo: install
	$(BIN)/recount demo $(DEMO_CASE)

test: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m pytest -n auto --dist loadfile

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/import_speed.py
	$(BIN)/python benchmarks/linkage_accuracy.py
	$(BIN)/python benchmarks/linkage_speed.py
	$(BIN)/python benchmarks/mse_coverage.py
	$(BIN)/python benchmarks/mse_speed.py
	$(BIN)/python benchmarks/evidence_ingest.py
	$(BIN)/python benchmarks/claims_extraction.py
	$(BIN)/python benchmarks/web_pages.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/store_load.py

clean:
	rm -rf $(VENV) $(DEMO_CASE) build dist .pytest_cache .ruff_cache
