"""Rate limits (429 with Retry-After), the log-in lock-out, the switch that turns them off,
and what production serving needs: the CSP header, HEAD, a refusal of unsafe settings."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from archive.models import AuditEntry
from archive.production import refuse_unsafe_production

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-password-123"


@pytest.fixture
def limits_on(settings, monkeypatch):
    # django-ratelimit counts in windows of the clock: a burst that straddles a window's
    # end (a slow, loaded machine) would start counting again. Its clock is held still
    # for the test, so each burst is counted in one window.
    import time
    import types

    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))
    caches["ratelimit"].clear()
    settings.ARCHIVE_RATELIMIT_ENABLED = settings.RATELIMIT_ENABLE = settings.AXES_ENABLED = True
    settings.ARCHIVE_RATELIMITS = {"search": "5/m", "api": "5/m", "feeds": "5/m", "export": "2/m", "login": "20/m"}
    yield settings
    caches["ratelimit"].clear()


@pytest.mark.parametrize("url", ["/search/?q=hanoi", "/api/search/?q=hanoi", "/feeds/latest/"])
def test_a_burst_gets_429_with_retry_after(seeded, client, limits_on, url):
    codes = [client.get(url).status_code for _ in range(8)]
    assert codes == [200] * 5 + [429] * 3
    limited = client.get(url)
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another client is counted on its own.
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200
    # Pages that are not limited still answer.
    assert client.get("/").status_code == 200


def test_the_switch_turns_the_limits_off(seeded, client, limits_on):
    limits_on.ARCHIVE_RATELIMIT_ENABLED = limits_on.RATELIMIT_ENABLE = False
    assert {client.get("/api/search/?q=hanoi").status_code for _ in range(12)} == {200}


@pytest.mark.django_db
def test_a_burst_of_failed_log_ins_is_locked_out(client, limits_on):
    limits_on.AXES_FAILURE_LIMIT = 3
    User.objects.create_superuser("root", password=PASSWORD)
    for _ in range(5):
        client.post("/admin/login/?next=/admin/", {"username": "root", "password": "wrong"})
    right = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert right.status_code in (403, 429)
    assert client.get("/admin/").status_code == 302  # still not logged in
    # The failures are in the audit trail; the lock-out does not reach other addresses.
    assert AuditEntry.objects.filter(action="login failed", username="root").count() >= 3
    other = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD},
                        REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert AuditEntry.objects.filter(action="login", username="root").exists()


@pytest.mark.django_db
def test_one_address_trying_many_user_names_is_slowed_down(client, limits_on):
    codes = [client.post("/admin/login/", {"username": f"user{i}", "password": "x"}).status_code
             for i in range(22)]
    assert codes[:20] == [200] * 20 and codes[20:] == [429, 429]


@pytest.mark.parametrize("url", ["/", "/search/?q=hanoi", "/admin/login/", "/api/search/?q=x"])
def test_every_answer_carries_the_content_security_policy(seeded, client, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_templates_have_no_inline_script():
    for template in (REPO / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for chunk in text.split("<script")[1:]:
            assert " src=" in chunk.split(">")[0], template
        assert " onclick=" not in text and "javascript:" not in text, template


def test_head_works_wherever_get_does(seeded, client):
    article = seeded["004"]
    for url in ["/", "/search/?q=hanoi", article.get_absolute_url(), f"/api/articles/{article.pk}/",
                "/api/search/?q=hanoi", "/api/suggest/?q=ha", "/api/partnerships/", "/api/places/binh-phuoc/",
                "/feeds/latest/", "/sitemap.xml", "/opensearch.xml"]:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b"" and head["Content-Type"] == get["Content-Type"], url
        assert int(head["Content-Length"]) == len(get.content), url


def test_production_refuses_debug_and_weak_keys():
    strong = "k" * 30 + "abcdefghijklmnopqrstuvwxyz"
    refuse_unsafe_production(strong, debug=False)
    for key, debug in [("", False), ("short-key", False), ("x" * 60, False),
                       ("django-insecure-" + strong, False), (strong, True)]:
        with pytest.raises(ImproperlyConfigured):
            refuse_unsafe_production(key, debug)


def test_production_settings_do_not_load_with_a_weak_key(tmp_path):
    env = {**os.environ, "ARCHIVE_ENV": "production", "ARCHIVE_SECRET_KEY": "changeme",
           "ARCHIVE_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "W009" in done.stderr


def test_the_search_export_is_limited_as_an_export(seeded, client, limits_on):
    url = "/search/export/?format=csv&q=hanoi"
    codes = [client.get(url).status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    assert 1 <= int(client.get(url)["Retry-After"]) <= 60
