from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from comments.models import Comment

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Article.objects.values_list("slug", "status", "published_at", "updated_at")),
        sorted(Comment.objects.values_list("email", "status", "created_at")),
    )


def test_the_demo_has_stories_and_comments_of_every_state_and_looks_like_a_newspaper(
    client, settings
):
    """One load for what four tests checked: each load draws the demo's pictures (3 s)."""
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    # Its password, printed plainly on a development machine.
    assert "password: demo-newsroom" in out.getvalue()
    assert "“" not in out.getvalue()
    # Tags, and stories of every state.
    assert {"attractivite", "export", "french-tech", "international"} <= set(
        Tag.objects.values_list("slug", flat=True)
    )
    assert Article.objects.published().count() >= 8
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    ).exists()
    full = Article.objects.get(slug__startswith="provence-montreal")
    assert full.body_html.count("<h2>") == 4
    assert full.body_html.count("<footer>") >= 3
    assert "millions d’euros" in full.body_html
    assert all(a.image_renditions and a.image_alt for a in Article.objects.all())
    # Comments in every state (comments add theirs on articles.signals.demo_loaded).
    assert set(Comment.objects.values_list("status", flat=True)) == {
        "approved",
        "pending",
        "rejected",
        "spam",
    }
    live = Article.objects.published()
    # Each story its own illustration, described, and credited as one.
    assert len({a.image_alt for a in live}) == live.count()
    assert all(a.image_credit_line.startswith("Illustration") for a in live)
    assert len({Path(a.image.path).read_bytes() for a in live}) == live.count()
    home = client.get(reverse("articles:index")).content.decode()
    assert "card--lead" in home
    most_read = home.split('id="most-read-title"', 1)[1].split("</section>", 1)[0]
    assert most_read.count("<li>") == 5
    # No demo comment looks like a bug: reader text with markup is for the tests.
    assert not Comment.objects.filter(name__contains="<").exists()
    assert not Comment.objects.filter(body__contains="<").exists()


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    before = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == before
