# The register's two everyday commands, and what they need. Both work from a fresh clone.
#   make demo   set up .venv, then serve the register with demo data on an SQLite file
#   make test   set up .venv, ruff and mypy --strict (make lint), start PostgreSQL when it is down,
#               install redis-server when it is missing, run every test on SQLite and PostgreSQL

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DIR ?= .lerarenregister
DEMO_DATABASE_URL ?= sqlite+aiosqlite:///$(CURDIR)/$(DEMO_DIR)/demo.sqlite3
PYTEST_ARGS ?=
PG_WACHT_SECONDEN ?= 30
INSTALLED := $(VENV)/.installed
UV_VERSION ?= 0.13.9
LOCK_VENV ?= .venv-lock
UV := $(LOCK_VENV)/bin/uv

.PHONY: lint demo test install lock upgrade postgres redis chromium graphiql matrix schema-basis demo-reset topologie voorbeelden

# Installed from requirements-test.lock (every file's hash checked), then the package itself, editable,
# without dependencies and with the locked setuptools. Refused, before anything is installed, when
# pyproject.toml's dependency declarations changed since the lock was made: run `make lock`.
$(INSTALLED): pyproject.toml requirements.lock requirements-test.lock tools/lock.py
	$(PYTHON) tools/lock.py check
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --require-hashes -r requirements-test.lock
	$(VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(INSTALLED)

# After changing a dependency in pyproject.toml: re-resolve both lock files (current pins are kept
# where they still fit). `make upgrade`: every pin to the newest release pyproject.toml allows.
# uv (pinned here) runs from a venv of its own; it resolves against PyPI.
$(UV):
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'

lock: $(UV)
	$(PYTHON) tools/lock.py compile $(UV)

upgrade: $(UV)
	$(PYTHON) tools/lock.py compile $(UV) --upgrade

# Demo mode is asked for explicitly (REGISTER_DEMO=true) and needs all three OIDC variables unset. The database and the demo signing key live in
# $(DEMO_DIR) (git-ignored); the demo data is loaded into an empty database only.
DEMO_SERVE = env -u REGISTER_OIDC_ISSUER -u REGISTER_OIDC_AUDIENCE -u REGISTER_OIDC_JWKS \
	  REGISTER_DEMO=true REGISTER_DATABASE_URL='$(DEMO_DATABASE_URL)' REGISTER_DEMO_DIR='$(DEMO_DIR)' \
	  $(VENV)/bin/lerarenregister serve --host $(HOST) --port $(PORT)
demo: $(INSTALLED)
	mkdir -p $(DEMO_DIR)
	$(DEMO_SERVE)

# The reference pages (examples/: public search and a board's dashboard) on an origin of their own,
# beside the register in demo mode on $(PORT), which is started here unless something listens there.
VOORBEELDEN_PORT ?= 8001
voorbeelden: $(INSTALLED)
	mkdir -p $(DEMO_DIR)
	@if (exec 3<>/dev/tcp/$(HOST)/$(PORT)) 2>/dev/null; then echo "something listens on $(PORT): using it as the API"; \
	else $(DEMO_SERVE) & api=$$!; trap 'kill $$api 2>/dev/null' EXIT; fi; \
	echo "pages: http://$(HOST):$(VOORBEELDEN_PORT)/zoeken/ and http://$(HOST):$(VOORBEELDEN_PORT)/dashboard/"; \
	$(VENV)/bin/python -m http.server $(VOORBEELDEN_PORT) --bind $(HOST) --directory examples

# Throw the demo database away; the next `make demo` loads the demo data afresh.
demo-reset:
	rm -f $(DEMO_DIR)/demo.sqlite3 $(DEMO_DIR)/demo.sqlite3-wal $(DEMO_DIR)/demo.sqlite3-shm

# The tests use REGISTER_TEST_PG (default: the local cluster on 127.0.0.1:5432). A local cluster that
# is down is started; when PostgreSQL cannot be reached the suite fails rather than skips.
postgres:
	@if [ -n "$${REGISTER_TEST_PG:-}" ]; then exit 0; fi; \
	bereikbaar() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { ! command -v pg_isready >/dev/null && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }; }; \
	if bereikbaar; then exit 0; fi; \
	echo "PostgreSQL is down: starting it"; \
	pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start \
	  || { echo "make: cannot start PostgreSQL; the tests need it (see README.md)" >&2; exit 1; }; \
	for _ in $$(seq $(PG_WACHT_SECONDEN)); do bereikbaar && exit 0; sleep 1; done; \
	echo "make: PostgreSQL did not come up within $(PG_WACHT_SECONDEN)s" >&2; exit 1

# The rate-limit tests start a redis-server of their own on a free port (tests/test_snelheidslimieten.py).
# When the binary is missing the Debian package is installed (as root, non-interactive); when that
# cannot be done the target fails: the tests would fail rather than skip without it.
redis:
	@if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then exit 0; fi; \
	echo "redis-server is missing: installing the Debian package redis-server"; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "make: redis-server is missing and installing it needs root (apt-get install redis-server)" >&2; exit 1; fi; \
	{ DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; } \
	  || { echo "make: cannot install redis-server; the rate-limit tests need it (see README.md)" >&2; exit 1; }; \
	command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] \
	  || { echo "make: apt-get installed redis-server but there is no redis-server binary" >&2; exit 1; }

# The GraphiQL test (tests/test_graphiql.py) drives headless Chromium through chromedriver. When either
# is missing the Debian packages are installed (as root, non-interactive); when that cannot be done the
# target fails: the test would fail rather than skip without them.
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	echo "chromium or chromedriver is missing: installing the Debian packages chromium and chromium-driver"; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "make: chromium/chromedriver are missing and installing them needs root (apt-get install chromium chromium-driver)" >&2; exit 1; fi; \
	{ DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver; } \
	  || { echo "make: cannot install chromium and chromium-driver; the GraphiQL test needs them (see README.md)" >&2; exit 1; }; \
	[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
	  || { echo "make: apt-get ran but /usr/bin/chromium or /usr/bin/chromedriver is missing" >&2; exit 1; }

# Re-vendor GraphiQL's browser build (lerarenregister/graphiql/) from tools/graphiql/package-lock.json.
# Needs npm and the registry; the served package needs neither. Upgrade: change the versions in
# tools/graphiql/package.json, `cd tools/graphiql && npm install --package-lock-only`, then `make graphiql`.
graphiql:
	cd tools/graphiql && npm ci --no-audit --no-fund --loglevel=error
	python3 tools/graphiql/vendor.py

# The linter and the strict type check, before any test runs (pyproject.toml: [tool.ruff], [tool.mypy]).
lint: $(INSTALLED)
	$(VENV)/bin/ruff check lerarenregister tests bench examples
	$(VENV)/bin/ruff format --check lerarenregister tests bench examples
	$(VENV)/bin/mypy

# pytest's exit code 5 (no tests collected) is a failure like any other non-zero code.
test: lint $(INSTALLED) postgres redis chromium
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS) || { rc=$$?; \
	  [ $$rc -eq 5 ] && echo "make: pytest collected no tests; that is a failure" >&2; exit $$rc; }

# Regenerate the visibility matrix in README.md from the schema's declarations.
matrix: $(INSTALLED)
	$(VENV)/bin/lerarenregister matrix --readme README.md

# After a release: the code's schema becomes the baseline that schema changes are reviewed against
# (docs/schemawijzigingen.md); refused while a breaking, dangerous or widening change is unnamed.
schema-basis: $(INSTALLED)
	$(VENV)/bin/python -m lerarenregister.schemawijzigingen basis

# Two app instances, a PostgreSQL primary and streaming replica, Redis and nginx on loopback ports,
# a smoke test through nginx as every role, then all torn down (deploy/topologie.sh; deploy/RESULTS.md).
topologie: $(INSTALLED)
	VENV=$(VENV) deploy/topologie.sh
