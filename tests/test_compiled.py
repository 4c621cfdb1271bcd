from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from articles.models import Article
from articles.queries import story_for_page
from newsroom.compiled import CompiledQuery, Marker
from tests.factories import make_article, make_tag, make_user

pytestmark = pytest.mark.django_db

TITLE = Article._meta.get_field("title")
PUBLISHED_AT = Article._meta.get_field("published_at")


def titles_since():
    return CompiledQuery(
        Article,
        lambda since: Article.objects.filter(published_at__gte=since).order_by("published_at"),
        since=Marker(PUBLISHED_AT, datetime(1901, 1, 1, 0, 0, 0, 1, tzinfo=UTC)),
    )


def test_compiled_query_runs_with_each_calls_values():
    now = timezone.now()
    old = make_article(title="Ancien", published_at=now - timedelta(days=10))
    new = make_article(title="Récent", published_at=now - timedelta(days=1))
    query = titles_since()
    assert [a.title for a in query.raw(since=now - timedelta(days=30))] == [old.title, new.title]
    assert [a.title for a in query.raw(since=now - timedelta(days=2))] == [new.title]
    assert [a.title for a in query.raw(since=now)] == []


def test_compiled_query_slices():
    now = timezone.now()
    made = [make_article(published_at=now - timedelta(hours=h)) for h in (5, 4, 3, 2, 1)]
    page = titles_since().raw(since=now - timedelta(days=1), limit=2, offset=2)
    assert [a.pk for a in page] == [made[2].pk, made[3].pk]


def test_a_marker_missing_from_the_query_is_refused():
    query = CompiledQuery(
        Article,
        lambda title: Article.objects.all(),
        title=Marker(TITLE, "\ue000absent"),
    )
    with pytest.raises(ImproperlyConfigured):
        list(query.raw(title="x"))


def test_story_page_query_matches_the_orm():
    author = make_user("auteur", first_name="Léa", last_name="Martin")
    second = make_user("second")
    tags = [make_tag("Zinc"), make_tag("Économie"), make_tag("Agriculture")]
    article = make_article(tags=tags, authors=[author, second])
    reader = story_for_page(make_user(), article.slug)
    assert reader.pk == article.pk
    assert [t.name for t in reader.tag_list] == ["Agriculture", "Économie", "Zinc"]
    assert reader.byline == ["Léa Martin", "second"]
    assert reader.image_renditions == []
    assert reader.published_at == Article.objects.get(pk=article.pk).published_at
    # Stories loaded any other way get the same lists from the database.
    plain = Article.objects.get(pk=article.pk)
    assert sorted(t.name for t in plain.tag_list) == sorted(t.name for t in reader.tag_list)
    assert plain.byline == reader.byline
    assert reader.display_key == story_for_page(make_user(), article.slug).display_key


def test_story_page_query_hides_drafts_and_scheduled_stories_from_readers():
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=1))
    reader = make_user()
    assert story_for_page(reader, draft.slug) is None
    assert story_for_page(reader, scheduled.slug) is None
    assert story_for_page(reader, "no-such-story") is None
    editor = make_user("chef", group="Editors")
    assert story_for_page(editor, draft.slug).pk == draft.pk


def test_compiled_pages_only_take_plain_slices():
    from newsroom.compiled import CompiledPages

    pages = CompiledPages(titles_since(), since=timezone.now())
    with pytest.raises(TypeError):
        pages[0]
    with pytest.raises(TypeError):
        pages[0:10:2]
    assert pages[0:10] == []
    assert pages.count() == 0
