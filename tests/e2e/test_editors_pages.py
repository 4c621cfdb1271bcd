"""An editor's own pages, in Chromium, from an empty state: a section's comment policy set
in its form and felt on the story page, the admin home's lines, the inbox of readers'
messages, the dashboard. Screenshots at 360 and 1280 px, in French and in English."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from articles.editing import editing_now
from articles.models import Article, Tag
from articles.services import article_save
from comments.models import SectionPolicy
from letters.services import message_send
from tests.e2e.staff import log_in
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_closes_a_sections_comments_and_reads_the_inbox_and_the_dashboard(
    live_server, open_context, screenshot, handbook_shot
):
    base = live_server.url
    make_user("regine", group="Editors", first_name="Régine", last_name="Chef")
    make_user("marc", group="Moderators", first_name="Marc", last_name="Modérateur")
    port = Tag.objects.create(name="Port")
    old = article_save(
        article=Article(
            title="Le port de Fos prépare son extension",
            standfirst="Une enquête publique s'ouvre.",
            body="Le texte.",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=20),
        ),
        tags=[port],
    )
    assert not SectionPolicy.objects.exists()
    reader = open_context()
    reader.goto(base + old.get_absolute_url())
    reader.locator("#comment-form").wait_for()

    page = open_context()
    log_in(page, base, "regine")
    page.goto(base + "/admin/comments/sectionpolicy/add/")
    page.select_option("#id_tag", label="Port")
    page.select_option("#id_premoderation", "trusted")
    page.fill("#id_close_after_days", "14")
    page.select_option("#id_moderators_from", label="Marc Modérateur")
    page.click("#id_moderators_add")
    handbook_shot(page, "rubrique-regles")
    screenshot(page, "editor-section-policy")
    page.click("input[name=_save]")
    page.get_by_text("a été ajouté", exact=False).wait_for()
    policy = SectionPolicy.objects.get()
    assert (policy.tag, policy.premoderation, policy.close_after_days) == (port, "trusted", 14)
    assert [u.username for u in policy.moderators.all()] == ["marc"]
    screenshot(page, "editor-section-policies")

    # Published 20 days ago in a section closing after 14: the form gives way at once.
    reader.goto(base + old.get_absolute_url())
    reader.get_by_text("Les commentaires sont fermés", exact=False).wait_for()
    assert reader.locator("#comment-form").count() == 0

    # A reader writes to the newsroom: the editor sees it on the admin home and in the inbox.
    message_send(
        article=old,
        kind="question",
        name="Léa Martin",
        email="lea@example.org",
        body="Quand l'enquête publique se termine-t-elle ?",
        ip_address="",
    )
    page.goto(base + "/admin/")
    page.get_by_text("1 nouveau message de lecteur", exact=False).wait_for()
    handbook_shot(page, "accueil-admin")
    screenshot(page, "editor-admin-home")
    page.get_by_text("1 nouveau message de lecteur", exact=False).click()
    page.get_by_text("Léa Martin").wait_for()
    handbook_shot(page, "courrier-lecteurs")
    screenshot(page, "editor-inbox")

    page.goto(base + "/admin/tableau-de-bord/")
    page.locator("svg.chart").first.wait_for()
    handbook_shot(page, "tableau-de-bord")
    screenshot(page, "editor-dashboard")

    # The story's admin page: readings drawn by the same chart module, its comments' line.
    page.goto(base + f"/admin/articles/article/{old.pk}/change/")
    page.locator(".story-comments").wait_for()
    page.get_by_text("Voir les commentaires de cet article").wait_for()
    screenshot(page, "editor-story-admin")

    english = open_context(language="en")
    log_in(english, base, "regine")
    for path, name in (
        ("/admin/", "editor-admin-home-en"),
        (f"/admin/comments/sectionpolicy/{port.pk}/change/", "editor-section-policy-en"),
        ("/admin/letters/readermessage/", "editor-inbox-en"),
        ("/admin/tableau-de-bord/", "editor-dashboard-en"),
        (f"/admin/articles/article/{old.pk}/change/", "editor-story-admin-en"),
    ):
        assert english.goto(base + path).status == 200
        screenshot(english, name)
    english.get_by_text("See this story's comments").wait_for()
    # Both leave the story form while the test runs: its "I left" must reach the server
    # before the test's database goes, not as the browser closes.
    for browser in (page, english):
        browser.goto(base + "/admin/")
    for _ in range(100):
        if not editing_now([old.pk], SimpleNamespace(pk=None)):
            break
        page.wait_for_timeout(50)
    assert not editing_now([old.pk], SimpleNamespace(pk=None))
