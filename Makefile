# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-packages setup serve clean bench bench-quick

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt requirements-crosscheck.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-crosscheck.txt
	touch $@

setup: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_index
	$(PY) manage.py import_articles seeds/

run: setup
	@echo ""
	@echo "  The archive is at http://$(HOST):$(PORT)/"
	@echo "  To use the admin at http://$(HOST):$(PORT)/admin/, create an account first:"
	@echo "      $(PY) manage.py createsuperuser"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Everything the tests need, installed and started here (and stopped at the end), so that
# `make test` works on a fresh machine: the Python packages, Debian's chromium and CJK fonts
# for the browser tests (scripts/install-test-packages says what to run where it can't), and
# axe-core from the npm registry for their accessibility checks.
test-packages:
	@sh scripts/install-test-packages

test: $(VENV)/.test test-packages node_modules/.installed
	$(PY) -m pytest

# The suite without the slow tests (cross-process, 1,000-file, relevance, browser).
test-fast: $(VENV)/.test
	$(PY) -m pytest -m "not slow"

# axe-core, pinned in package-lock.json, for the accessibility checks of the browser tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Each page type at 360 and 1,280 px into docs/screenshots/ (issue 16); not part of `make test`.
.PHONY: screenshots
screenshots: $(VENV)/.test test-packages
	$(PY) -m tests.browser.screenshots

# Speed at 100,000 articles (issue 7): resumable, stage by stage; not part of `make test`.
bench: $(VENV)/.runtime
	$(PY) bench/run.py --n 100000 --every 5 --replay 500

bench-quick: $(VENV)/.runtime
	$(PY) bench/run.py --n 2000 --load-seconds 10 --at 1000 --results bench/work/RESULTS-quick.md

clean:
	rm -rf $(VENV) data
