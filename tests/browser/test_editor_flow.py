"""An editor in a real browser hides an article; it vanishes from search and the feed."""
import feedparser
import pytest
from django.contrib.auth.models import Group, User

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_editor_hides_an_article(seeded_fresh, live_server, page):
    editor = User.objects.create_user("edna", "edna@example.org", "a-long-password-123", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    article = seeded_fresh["004"]

    page.goto(live_server.url + "/search/?q=Jeollanam")
    assert page.locator(".result").count() == 1

    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "edna")
    page.fill("#id_password", "a-long-password-123")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    page.goto(live_server.url + "/admin/archive/article/")
    page.check(f"input[name=_selected_action][value='{article.id}']")
    page.select_option("select[name=action]", "hide")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert "1 article(s) now hidden" in page.inner_text(".messagelist")

    page.goto(live_server.url + "/search/?q=Jeollanam")
    assert page.locator(".result").count() == 0
    assert "0 articles" in page.inner_text("#result-count")
    response = page.goto(live_server.url + article.get_absolute_url())
    assert response.status == 404
    feed = feedparser.parse(page.request.get(live_server.url + "/feeds/latest/").body())
    assert not feed.bozo
    assert article.title not in [e.title for e in feed.entries]
    assert len(feed.entries) == 3
