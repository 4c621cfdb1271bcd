"""The benchmark's ceiling (newsroom/ceiling.py) is the story page, served from constants."""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import Client

from newsroom import ceiling
from tests.factories import make_article, make_comment, make_tag, make_user

pytestmark = pytest.mark.django_db


def classes(html):
    """The page's shape: every class attribute it uses, and how often."""
    return sorted(re.findall(r'class="([^"]+)"', html))


@pytest.fixture
def story_page():
    story = make_article(
        title="L'hydrogène vert : Marseille avance",
        body=ceiling.body_markdown(),
        tags=[make_tag("French Tech")],
        authors=[make_user(first_name="Camille", last_name="Roux", is_staff=True)],
    )
    for n in range(ceiling.COMMENTS):
        make_comment(story, name=f"Lecteur {n}", body=ceiling.COMMENT)
    return Client().get(story.get_absolute_url()).content.decode()


@pytest.fixture
def served(story_page, tmp_path, settings, rf):
    """The ceiling made from that page, as the benchmark makes it, then served."""
    path = tmp_path / "ceiling.html"
    path.write_text(ceiling.template_from_page(story_page))
    settings.BENCH_CEILING_TEMPLATE = str(path)
    ceiling._template.cache_clear()

    def serve():
        request = rf.get("/bench/ceiling/")
        request.user = AnonymousUser()
        return ceiling.ceiling(request).render().content.decode()

    yield serve
    ceiling._template.cache_clear()


def test_ceiling_has_the_story_page_shape_and_size(story_page, served):
    page = served()
    assert classes(page) == classes(story_page)
    assert abs(len(page) - len(story_page)) < 0.02 * len(story_page)


def test_ceiling_renders_the_comments_and_reads_neither_database_nor_cache(
    served, django_assert_num_queries
):
    served()
    with (
        django_assert_num_queries(0),
        mock.patch.object(caches["default"], "get", side_effect=AssertionError("cache read")),
    ):
        page = served()
    assert page.count('class="comment"') == ceiling.COMMENTS
    assert "Lecteur 49" in page
