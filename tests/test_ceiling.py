"""The benchmark's ceiling (newsroom/ceiling.py) is the story page, from constants."""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import Client
from django.utils import timezone, translation

from articles.models import Article, DailyReadings
from newsroom.ceiling import COMMENTS, body_markdown, ceiling
from tests.factories import make_article, make_comment, make_tag, make_user

pytestmark = pytest.mark.django_db
COMMENT_TEXT = (
    "Un avis argumenté sur ce sujet, numéro 1. Les chiffres annoncés méritent d'être suivis "
    "de près dans les prochains mois."
)


def classes(html):
    """The page's shape: every class attribute it uses."""
    return set(re.findall(r'class="([^"]+)"', html))


def render_ceiling(rf):
    request = rf.get("/bench/ceiling/")
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = "fr"
    with translation.override("fr"):
        return ceiling(request).render().content.decode()


def test_ceiling_reads_neither_database_nor_cache(rf, django_assert_num_queries):
    render_ceiling(rf)  # constants built once per process
    cache = caches["default"]
    with (
        django_assert_num_queries(0),
        mock.patch.object(cache, "get", side_effect=AssertionError("cache read")),
    ):
        html = render_ceiling(rf)
    assert html.count('class="comment"') == COMMENTS


def test_ceiling_has_the_story_page_shape_and_size(rf):
    story = make_article(
        title="L'hydrogène vert : Marseille avance, épisode 1",
        body=body_markdown(),
        tags=[make_tag("French Tech"), make_tag("International")],
        authors=[make_user(first_name="Camille", last_name="Roux", is_staff=True)],
    )
    Article.objects.filter(pk=story.pk).update(
        image_renditions=[[480, 270, "renditions/b-480.webp"], [1600, 900, "renditions/b.webp"]]
    )
    for n in range(COMMENTS):
        make_comment(story, name=f"Lecteur {n}", body=COMMENT_TEXT)
    for n in range(5):
        other = make_article(title=f"Autre {n}", tags=[story.tags.first()])
        make_comment(other)
        DailyReadings.objects.create(article=other, day=timezone.localdate(), count=10 + n)
    page = Client().get(story.get_absolute_url()).content.decode()
    ceiling_page = render_ceiling(rf)
    assert classes(ceiling_page) == classes(page)
    assert 0.9 < len(ceiling_page) / len(page) < 1.1
