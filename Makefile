# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-packages test-postgres postgres postgres-stop setup serve clean bench bench-quick \
	messages opensearch opensearch-stop opensearch-fetch opensearch-packages run-scaled

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt requirements-crosscheck.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-crosscheck.txt
	touch $@

# The interface's translations (locale/*/LC_MESSAGES/django.po) compiled into .mo files.
# The .mo files are committed too, so the archive speaks vi/ko/fr on a machine without
# gettext; where msgfmt exists they are rebuilt here from the catalogs.
messages: $(VENV)/.runtime
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules; \
	else echo "msgfmt (Debian's gettext) is missing: using the committed .mo files"; fi

setup: $(VENV)/.runtime messages
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

# Production serving (README "Serving in production"): Django's deployment checks first (any
# warning stops it), then gunicorn with WhiteNoise for the static files. ARCHIVE_SECRET_KEY
# and ARCHIVE_ALLOWED_HOSTS must be set; production mode refuses DEBUG and a weak key.
WORKERS ?= 3
TIMEOUT ?= 60
serve: $(VENV)/.runtime
	ARCHIVE_ENV=production $(PY) manage.py check --deploy --fail-level WARNING
	ARCHIVE_ENV=production $(PY) manage.py migrate --noinput
	ARCHIVE_ENV=production $(PY) manage.py ensure_index
	ARCHIVE_ENV=production $(VENV)/bin/gunicorn archive.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --timeout $(TIMEOUT) --graceful-timeout 30 \
		--max-requests 2000 --max-requests-jitter 200 --no-control-socket --access-logfile -

# Everything the tests need, installed and started here (and stopped at the end), so that
# `make test` works on a fresh machine: the Python packages, Debian's gettext (msgfmt, for
# the translations and their check), chromium and CJK fonts for the browser tests (scripts/install-test-packages says what to run where it can't), and
# axe-core from the npm registry for their accessibility checks.
test-packages:
	@sh scripts/install-test-packages

test: $(VENV)/.test test-packages opensearch-fetch node_modules/.installed messages
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-postgres

# The database-touching tests again on PostgreSQL (issue 19): a server of their own started
# here in data/postgres-test and stopped afterwards, whatever the tests gave. If it cannot
# start, the tests say so (tests.services: a skip, or a failure under ARCHIVE_REQUIRE_SERVICES).
POSTGRES_TEST_PORT ?= 55433
POSTGRES_TEST_MODULES := tests/archive/test_import.py tests/archive/test_curation.py \
	tests/archive/test_processes.py tests/archive/test_parallel_import.py \
	tests/search/test_backend_whoosh.py tests/archive/test_move_to_postgres.py
test-postgres: $(VENV)/.test test-packages
	@url=$$(ARCHIVE_POSTGRES_FSYNC=off sh scripts/postgres start data/postgres-test $(POSTGRES_TEST_PORT)) \
		|| url=$$(sh scripts/postgres url data/postgres-test $(POSTGRES_TEST_PORT)); \
	echo "PostgreSQL run: $(POSTGRES_TEST_MODULES)"; \
	ARCHIVE_DATABASE_URL=$$url $(PY) -m pytest $(POSTGRES_TEST_MODULES); rc=$$?; \
	sh scripts/postgres stop data/postgres-test; exit $$rc

# A PostgreSQL server for the archive in data/postgres, on 127.0.0.1:$(POSTGRES_PORT), run
# as the postgres user (README "Scaling out"); `make postgres-stop` stops it.
POSTGRES_PORT ?= 55432
postgres:
	@sh scripts/postgres start data/postgres $(POSTGRES_PORT)

postgres-stop:
	@sh scripts/postgres stop data/postgres

# The suite without the slow tests (cross-process, 1,000-file, relevance, browser).
test-fast: $(VENV)/.test messages
	$(PY) -m pytest -m "not slow"

# axe-core, pinned in package-lock.json, for the accessibility checks of the browser tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Each page type at 360 and 1,280 px into docs/screenshots/ (issue 16); not part of `make test`.
.PHONY: screenshots
screenshots: $(VENV)/.test test-packages
	$(PY) -m tests.browser.screenshots

# Speed at 100,000 articles on Whoosh, OpenSearch (a node the bench starts on 127.0.0.1:9270
# and stops) and SQLite FTS5, in one run (issues 7 and 20): resumable, stage by stage; not
# part of `make test`. bench-quick is the same at 2,000 articles.
bench: $(VENV)/.runtime opensearch-fetch
	$(PY) bench/run.py --n 100000 --every 5 --replay 500

bench-quick: $(VENV)/.runtime opensearch-fetch
	$(PY) bench/run.py --n 2000 --load-seconds 10 --replay 200 --results bench/work/RESULTS-quick.md

clean:
	rm -rf $(VENV) data

# OpenSearch (README "Scaling out"): Java 17, Maven to fetch the distribution from Maven
# Central (cached in data/opensearch/), then a node on 127.0.0.1:$(OPENSEARCH_PORT) with a
# 512 MB heap, as the system user `opensearch`. The tests start and stop their own node
# (tests/search/opensearch_node.py) from the same cached distribution.
OPENSEARCH_PORT ?= 9250
OPENSEARCH_URL ?= http://127.0.0.1:$(OPENSEARCH_PORT)
opensearch-packages:
	@ARCHIVE_TEST_PACKAGES="openjdk-17-jre-headless maven unzip curl" sh scripts/install-test-packages

opensearch-fetch: opensearch-packages
	sh scripts/opensearch fetch

opensearch: opensearch-fetch
	ARCHIVE_OPENSEARCH_PORT=$(OPENSEARCH_PORT) sh scripts/opensearch start

opensearch-stop:
	ARCHIVE_OPENSEARCH_PORT=$(OPENSEARCH_PORT) sh scripts/opensearch stop

# The seeded archive on PostgreSQL (data/postgres, 127.0.0.1:$(POSTGRES_PORT)) searched through
# OpenSearch; both servers are stopped when the web server stops.
SCALED_DB := data/postgres
run-scaled: $(VENV)/.runtime messages opensearch
	@ARCHIVE_TEST_PACKAGES="postgresql" sh scripts/install-test-packages
	@trap 'sh scripts/postgres stop $(SCALED_DB); ARCHIVE_OPENSEARCH_PORT=$(OPENSEARCH_PORT) sh scripts/opensearch stop' EXIT INT TERM; \
	url=$$(sh scripts/postgres start $(SCALED_DB) $(POSTGRES_PORT)) || exit 1; \
	export ARCHIVE_DATABASE_URL=$$url ARCHIVE_SEARCH_ENGINE=opensearch ARCHIVE_OPENSEARCH_URL=$(OPENSEARCH_URL); \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py ensure_index && \
	$(PY) manage.py import_articles seeds/ && \
	echo "  The archive (PostgreSQL at 127.0.0.1:$(POSTGRES_PORT), OpenSearch at $(OPENSEARCH_URL)) is at http://$(HOST):$(PORT)/" && \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload
