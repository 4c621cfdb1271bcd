from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Tag
from comments.models import Comment

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Article.objects.values_list("slug", "status", "published_at", "updated_at")),
        sorted(Comment.objects.values_list("email", "status", "created_at")),
    )


def test_load_demo_creates_tags_and_stories_of_every_state():
    call_command("load_demo", stdout=StringIO())
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


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    before = snapshot()
    call_command("load_demo", stdout=StringIO())
    assert snapshot() == before


def test_load_demo_adds_comments_in_every_state():
    call_command("load_demo", stdout=StringIO())
    assert set(Comment.objects.values_list("status", flat=True)) == {
        "approved",
        "pending",
        "rejected",
        "spam",
    }
