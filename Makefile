# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
UV := .o3s/tools/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test install web lint unit integration e2e bench dev-web clean

run: install web
	$(VENV)/bin/o3s serve

test: install web lint
	$(VENV)/bin/pytest -q
	npm --prefix web test
	O3S_E2E_REAL=1 npm --prefix web run test:e2e

$(UV):
	$(PYTHON) -m venv .o3s/tools
	.o3s/tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --quiet

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error

web: web/node_modules/.package-lock.json
	npm --prefix web run build --silent

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

unit: install
	$(VENV)/bin/pytest -q tests/unit

integration: install
	$(VENV)/bin/pytest -q tests/integration

e2e: install web
	O3S_E2E_REAL=1 npm --prefix web run test:e2e

bench: install
	$(VENV)/bin/python bench/store.py

dev-web:
	cd web && npm run dev

clean:
	rm -rf $(VENV) .o3s/tools web/node_modules web/dist
