# Borgerbudget: `make run` serves the demo, `make test` runs every test. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test screenshots test-redis lint fmt messages bench-tally bench-pages clean-data chromium

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version' 
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@# numba compiles the tally kernels once and caches them (rounds/tallying/kernels.py)
	$(BIN)/python -c "from rounds.tallying.mes import compile_kernels; compile_kernels()"
	touch $(INSTALLED)

## run: the demo on http://localhost:8000/ (embedded PostgreSQL unless DATABASE_URL is set)
run: $(INSTALLED)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate_schemas --executor=standard
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 0.0.0.0:8000

## test: the whole suite against real PostgreSQL schemas (the browser tests drive Chromium)
test: $(INSTALLED) chromium
	$(BIN)/pytest

## screenshots: retake the README's screenshots in docs/screenshots/ (a normal test run leaves them)
screenshots: $(INSTALLED) chromium
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_screenshots.py

## chromium: the browser of the browser tests (Debian's chromium) and GNU gettext for the translation
## checks; installed with apt-get when missing, else Playwright's own browser download
chromium: $(INSTALLED)
	@missing=""; command -v chromium >/dev/null || missing="chromium"; \
	command -v xgettext >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y $$missing; \
	    elif command -v sudo >/dev/null; then sudo apt-get update && sudo apt-get install -y $$missing; \
	    else echo "missing: $$missing; run 'apt-get install -y $$missing' as root" >&2; exit 1; fi; \
	  else $(BIN)/python -m playwright install chromium; fi; fi

## test-redis: the tests that need a real Redis (cache and Celery worker)
test-redis: $(INSTALLED)
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(BIN)/pytest -m redis -rs

lint: $(INSTALLED)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

fmt: $(INSTALLED)
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

## messages: extract translatable strings, fill Danish from scripts/da.json, compile
messages: $(INSTALLED)
	DEBUG=1 $(BIN)/python manage.py makemessages -l da --no-obsolete --ignore=.venv --ignore=.data --ignore=scripts
	$(BIN)/python scripts/translate.py

## bench-pages: median server time of the main citizen pages, 10 vs 1,000 proposals
bench-pages: $(INSTALLED)
	$(BIN)/python benchmarks/bench_pages.py

bench-tally: $(INSTALLED)
	$(BIN)/python benchmarks/bench_tally.py

## clean-data: forget the embedded database (stops nothing; stop `make run` first)
clean-data:
	rm -rf .data
