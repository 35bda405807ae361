"""Tests across real processes: a file-backed SQLite database in WAL mode (or, under
ARCHIVE_DATABASE_URL, a PostgreSQL database of each test's own), a real gunicorn server on
localhost, imports in their own processes, and a SIGKILL."""
from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import feedparser
import pytest

from tests import postgres
from tests.adminform import form_data
from tests.synthetic import article_text, write_articles

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-password-123"

pytestmark = pytest.mark.slow


class Site:
    """A complete archive in a temporary folder, driven through manage.py and HTTP."""

    def __init__(self, folder: Path, database_url: str = ""):
        self.folder = folder
        self.database_url = database_url
        self.env = {**os.environ, "ARCHIVE_DATA_DIR": str(folder / "data"), "PYTHONUNBUFFERED": "1"}
        self.env.pop("ARCHIVE_DATABASE_URL", None)
        if database_url:
            self.env["ARCHIVE_DATABASE_URL"] = database_url
        self.env.pop("ARCHIVE_DB_PATH", None)
        self.env.pop("ARCHIVE_INDEX_PATH", None)
        self.server = None
        self.url = None

    def manage(self, *args, check=True):
        result = subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=REPO, env=self.env,
                                capture_output=True, text=True, timeout=900)
        if check:
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result

    def popen(self, *args):
        return subprocess.Popen([sys.executable, "manage.py", *map(str, args)], cwd=REPO, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def db(self):
        if self.database_url:
            return postgres.connect(self.database_url)
        return sqlite3.connect(self.folder / "data" / "archive.sqlite3", timeout=30)

    def count(self, table: str) -> int:
        with self.db() as conn:
            return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def serve(self):
        """gunicorn on a socket this process binds and listens on first: requests wait in its
        backlog until a worker accepts them, so there is nothing to poll for."""
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "archive.wsgi:application", "--bind", f"fd://{listener.fileno()}",
             "--workers", "2", "--threads", "2", "--timeout", "120", "--log-level", "warning"],
            cwd=REPO, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            pass_fds=[listener.fileno()])
        listener.close()  # gunicorn holds its own copy

    def stop(self):
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=20)


@pytest.fixture
def site(tmp_path, _database_reachable):
    with ExitStack() as stack:
        url = stack.enter_context(postgres.fresh_database()) if postgres.URL else ""
        site = Site(tmp_path, url)
        stack.callback(site.stop)  # before the database is dropped
        site.manage("migrate", "--noinput")
        yield site


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A logged-in admin user over plain HTTP: cookies, CSRF token, form posts."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def login(self, username: str, password: str) -> None:
        _, page = self.get("/admin/login/")
        data = form_data(page, "login-form")
        data.update(username=username, password=password)
        assert self.post("/admin/login/", data) == 302


class Importer:
    """An import in its own process and session, its report read line by line as it is written.

    Its last input is a named pipe: the import reads its files in order, so it cannot finish
    until the test writes that page. That is the barrier the tests hold it at, with no
    timing: whatever the test does before releasing the gate happens during the import."""

    def __init__(self, site: Site, inputs: list[Path], gate: Path, *args: str):
        os.mkfifo(gate)
        self.gate = gate
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "import_articles", *map(str, inputs), str(gate), *args],
            cwd=REPO, env=site.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        self.lines: list[str] = []
        self._stored = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._stored:
                self.lines.append(line.rstrip("\n"))
                self._stored.notify_all()
        with self._stored:
            self.lines.append(None)  # end of the report
            self._stored.notify_all()

    def stored(self) -> int:
        return sum(1 for line in self.lines if line and ": imported as article " in line)

    def wait_until_stored(self, count: int) -> None:
        """Block until the report says `count` files are stored (each line follows its commit)."""
        with self._stored:
            done = self._stored.wait_for(lambda: self.stored() >= count or None in self.lines, timeout=600)
        assert done and self.stored() >= count, self.lines[-20:] + [self.process.stderr.read()[-2000:]]

    def release(self, text: str) -> tuple[str, str]:
        """Write the gate's page, then let the import finish."""
        with open(self.gate, "w", encoding="utf-8") as pipe:  # returns once the import opens it
            pipe.write(text)
        self.process.wait(timeout=900)
        self._reader.join(timeout=60)
        return "\n".join(line for line in self.lines if line is not None), self.process.stderr.read()

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # the import and its worker processes
        self.process.wait()
        self._reader.join(timeout=60)


def test_500_article_import_while_200_admin_edits_arrive_over_http(site, tmp_path):
    write_articles(tmp_path / "base", 0, 200)
    site.manage("import_articles", tmp_path / "base")
    site.manage("shell", "-c", "from django.contrib.auth.models import User; "
                f"User.objects.create_superuser('chief', 'c@example.org', '{PASSWORD}')")
    with site.db() as conn:
        base = conn.execute("SELECT id, title FROM archive_article ORDER BY id").fetchall()
    assert len(base) == 200
    write_articles(tmp_path / "batch", 1000, 499)
    site.serve()

    importer = Importer(site, [tmp_path / "batch"], tmp_path / "synthetic_01499.txt")
    importer.wait_until_stored(1)  # the import is writing before the first edit is sent

    sessions = threading.local()  # one log-in per editing thread: password hashing is slow by design

    def edit(job):
        n, (article_id, title) = job
        if not hasattr(sessions, "browser"):
            sessions.browser = Browser(site.url)
            sessions.browser.login("chief", PASSWORD)
        browser = sessions.browser
        status, page = browser.get(f"/admin/archive/article/{article_id}/change/")
        if status != 200:
            return f"GET {article_id}: {status}"
        data = form_data(page, "article_form")
        data["title"] = f"{title} suachua{n:04d}"
        status = browser.post(f"/admin/archive/article/{article_id}/change/", data)
        return None if status == 302 else f"POST {article_id}: {status}"

    with ThreadPoolExecutor(max_workers=4) as pool:
        errors = [e for e in pool.map(edit, enumerate(base)) if e]
    # Every edit has landed; the import began before the first and is still held at its gate.
    assert importer.process.poll() is None
    stored_during_edits = importer.stored()
    assert 1 <= stored_during_edits <= 499
    out, err = importer.release(article_text(1499))

    assert errors == []
    assert importer.process.returncode == 0, out[-2000:] + err[-2000:]
    assert "Done: 500 imported, 0 merged, 0 unchanged, 0 rejected." in out
    assert site.count("archive_article") == 700
    browser = Browser(site.url)
    for n, (article_id, _) in enumerate(base):
        status, body = browser.get(f"/api/search/?q=suachua{n:04d}")
        assert status == 200 and f'"id": {article_id},' in body, (n, body[:300])
    status, body = browser.get("/api/search/?q=mau01499")
    assert status == 200 and '"count": 1,' in body, body[:300]
    check = site.manage("check_index")
    assert "The index matches the database." in check.stdout


def test_an_import_killed_halfway_is_finished_by_a_rerun_with_nothing_lost_or_doubled(site, tmp_path):
    write_articles(tmp_path / "first", 0, 80)
    write_articles(tmp_path / "rest", 80, 220)
    # The killed import stores the first 80 files, then waits at its gate (named between the
    # two folders: the rest cannot be stored before it), where it is killed.
    importer = Importer(site, [tmp_path / "first"], tmp_path / "gate.txt", str(tmp_path / "rest"))
    importer.wait_until_stored(80)
    assert importer.process.poll() is None
    importer.kill()
    assert site.count("archive_copy") == 80
    assert list((tmp_path / "data" / "import-journal").glob("*.pid")), "the killed import left its mark"

    rerun = site.manage("import_articles", tmp_path / "first", tmp_path / "rest")
    assert "Done: 220 imported, 0 merged, 80 unchanged, 0 rejected." in rerun.stdout
    assert site.count("archive_article") == 300
    assert site.count("archive_copy") == 300
    assert site.count("archive_rawcapture") == 300
    with site.db() as conn:
        assert conn.execute("SELECT COUNT(DISTINCT title) FROM archive_article").fetchone()[0] == 300
    check = site.manage("check_index")
    assert "The index matches the database." in check.stdout, check.stdout
    assert not list((tmp_path / "data" / "import-journal").glob("*.pid"))


FEEDS = ["/feeds/latest/", "/feeds/latest/atom/", "/feeds/lang/vi/", "/feeds/lang/fr/atom/",
         "/feeds/place/gyeonggi/", "/feeds/partnership/binh-phuoc--jeollanam/atom/",
         "/feeds/search/?q=Gyeonggi", "/feeds/search/atom/?q=h%C3%A0+n%E1%BB%99i&lang=vi"]


def test_feeds_from_a_real_server_with_conditional_get(site):
    site.manage("import_articles", REPO / "seeds")
    site.serve()
    for path in FEEDS:
        feed = feedparser.parse(site.url + path)
        assert feed.status == 200, path
        assert not feed.bozo, (path, feed.bozo_exception)
        assert feed.entries, path
        assert all(e.link.startswith(site.url + "/articles/") for e in feed.entries)
        again = feedparser.parse(site.url + path, etag=feed.etag)
        assert again.status == 304, path
        assert feedparser.parse(site.url + path, modified=feed.modified).status == 304, path


@pytest.mark.parametrize("heal", [("ensure_index",), ("check_index", "--fix")], ids=["server-start", "check-fix"])
def test_a_killed_imports_articles_become_searchable_without_another_import(site, tmp_path, heal):
    """Issue 21: the articles a killed import stored but never indexed were unsearchable
    until the next import; the next server start (`ensure_index`, as `make serve` runs it)
    or `check_index --fix` now brings the index in line and clears the import's mark."""
    write_articles(tmp_path / "first", 0, 40)
    importer = Importer(site, [tmp_path / "first"], tmp_path / "gate.txt")
    importer.wait_until_stored(40)
    importer.kill()
    assert site.count("archive_article") == 40
    journal = tmp_path / "data" / "import-journal"
    assert list(journal.glob("*.pid")), "the killed import left its mark"
    lag = site.manage("check_index", check=False)
    assert lag.returncode == 1 and "missing: 0" not in lag.stdout, lag.stdout

    site.manage(*heal)
    assert not list(journal.glob("*.pid"))
    check = site.manage("check_index")
    assert "The index matches the database." in check.stdout, check.stdout
    site.serve()
    status, body = Browser(site.url).get("/api/search/?q=mau00039")
    assert status == 200 and '"count": 1,' in body, body[:300]
