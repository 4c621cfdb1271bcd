from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_tag, make_user

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts():
    make_article(status=Article.Status.DRAFT)
    assert not Article.objects.published().exists()


def test_published_excludes_future_articles():
    make_article(published_at=timezone.now() + timedelta(minutes=5))
    assert not Article.objects.published().exists()


def test_published_is_newest_first():
    older = make_article(published_at=timezone.now() - timedelta(days=2))
    newer = make_article(published_at=timezone.now() - timedelta(days=1))
    assert list(Article.objects.published()) == [newer, older]


def test_tagged_keeps_only_the_tag_stories():
    export = make_tag("Export")
    tagged = make_article(tags=[export])
    make_article()
    assert list(Article.objects.published().tagged(export)) == [tagged]


def test_journalist_sees_own_drafts_and_all_published(journalist):
    own = make_article(status=Article.Status.DRAFT, authors=[journalist])
    make_article(status=Article.Status.DRAFT, authors=[make_user(group="Journalists")])
    live = make_article()
    assert set(Article.objects.listed_for(journalist)) == {own, live}


def test_journalist_edits_only_own_stories_unless_the_team_opens_it_up(journalist, settings):
    own = make_article(authors=[journalist])
    colleague = make_article(authors=[make_user(group="Journalists")])
    scheduled = make_article(
        authors=[make_user(group="Journalists")], published_at=timezone.now() + timedelta(days=1)
    )
    assert set(Article.objects.editable_by(journalist)) == {own}
    assert scheduled not in Article.objects.visible_to(journalist)
    settings.JOURNALISTS_EDIT_ALL = True
    assert set(Article.objects.editable_by(journalist)) == {own, colleague, scheduled}


def test_editor_sees_every_draft(editor):
    drafts = {make_article(status=Article.Status.DRAFT) for _ in range(2)}
    assert set(Article.objects.editable_by(editor)) == drafts


def test_reader_sees_only_published_stories():
    live = make_article()
    make_article(status=Article.Status.DRAFT)
    assert list(Article.objects.visible_to(make_user())) == [live]
