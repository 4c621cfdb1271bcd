import json
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles.models import Article
from comments.context import OWN_COOKIE
from comments.models import Comment
from comments.services import comment_approve
from tests.factories import comment_data, make_article, make_comment

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_the_page_cache(django_assert_num_queries):
    article = make_article()
    first = Client().get(article.get_absolute_url())
    with django_assert_num_queries(0):
        second = Client().get(article.get_absolute_url())
    assert second.status_code == HTTPStatus.OK
    assert second.content == first.content


def test_cached_page_carries_nothing_personal():
    article = make_article()
    page = Client().get(article.get_absolute_url())
    html = page.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'name="issued" value=""' in html or 'name="issued" id="id_issued"' in html
    assert "csrftoken" not in page.cookies
    assert f'data-tokens-url="{reverse("comments:tokens", args=[article.slug])}"' in html


def test_reader_with_a_waiting_comment_gets_a_fresh_page_with_it(client):
    article = make_article()
    Client().get(article.get_absolute_url())  # fills the cache
    client.post(
        reverse("comments:post", args=[article.slug]),
        comment_data(article, body="Le mien, en attente."),
    )
    assert OWN_COOKIE in client.cookies
    assert "Le mien, en attente." in client.get(article.get_absolute_url()).content.decode()
    assert "Le mien, en attente." not in Client().get(article.get_absolute_url()).content.decode()


def test_approved_comment_appears_at_once_despite_the_cache(moderator):
    article = make_article()
    comment = make_comment(article, status=Comment.Status.PENDING, body="Bientôt visible.")
    assert "Bientôt visible." not in Client().get(article.get_absolute_url()).content.decode()
    comment_approve(comment=comment, moderator=moderator)
    assert "Bientôt visible." in Client().get(article.get_absolute_url()).content.decode()


def test_edited_story_appears_at_once_despite_the_cache():
    article = make_article(title="Ancien titre")
    Client().get(article.get_absolute_url())
    article.refresh_from_db()
    article.title = "Nouveau titre"
    article.save()
    assert "Nouveau titre" in Client().get(article.get_absolute_url()).content.decode()


def test_unpublished_story_leaves_the_cache():
    article = make_article()
    Client().get(article.get_absolute_url())
    article.refresh_from_db()
    article.status = Article.Status.DRAFT
    article.save()
    assert Client().get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_languages_are_cached_apart():
    article = make_article()
    Client().get(article.get_absolute_url())
    english = Client()
    english.cookies["django_language"] = "en"
    assert "Leave a comment" in english.get(article.get_absolute_url()).content.decode()


def test_page_cache_can_be_switched_off(settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article()
    Client().get(article.get_absolute_url())
    assert cache.get(f"page:story:fr:{article.slug}") is None


def test_token_endpoint_gives_csrf_and_form_tokens():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("comments:tokens", args=[article.slug]))
    tokens = json.loads(response.content)
    assert response["Cache-Control"].startswith("max-age=0")
    assert "csrftoken" in response.cookies
    data = comment_data(article, csrfmiddlewaretoken=tokens["csrf"])
    from django.core import signing

    from comments.forms import _SALT

    assert signing.loads(tokens["issued"], salt=_SALT)["a"] == article.pk
    data.pop("issued")
    data["issued"] = tokens["issued"]
    response = client.post(reverse("comments:post", args=[article.slug]), data)
    # Fresh token: refused as too fast, but the CSRF check passed.
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "très vite" in response.content.decode()


def test_token_endpoint_is_not_found_for_drafts():
    draft = make_article(status=Article.Status.DRAFT)
    assert Client().get(reverse("comments:tokens", args=[draft.slug])).status_code == 404


def test_form_without_scripts_carries_its_tokens():
    article = make_article()
    html = Client().get(article.get_absolute_url() + "?formulaire").content.decode()
    assert "csrfmiddlewaretoken" in html
    assert 'name="issued" value="ey' in html


def test_rate_limit_exemption_is_by_address(settings):
    settings.COMMENT_RATE_LIMIT = 1
    settings.COMMENT_RATE_LIMIT_EXEMPT = ["127.0.0.9"]
    article = make_article()
    url = reverse("comments:post", args=[article.slug])
    bench = Client(REMOTE_ADDR="127.0.0.9")
    assert [
        bench.post(url, comment_data(article, body=f"Texte numéro {n}.")).status_code
        for n in range(3)
    ] == [302] * 3
    other = Client(REMOTE_ADDR="127.0.0.10")
    assert [
        other.post(url, comment_data(article, body=f"Autre {n}.")).status_code for n in range(2)
    ] == [302, 429]


def fresh_page(article):
    """The page as a reader with a comment of their own gets it: past the page cache, with
    the story's own fragments (head, body) cached in the process."""
    client = Client()
    client.cookies[OWN_COOKIE] = "x"
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def _rename_tag(article):
    tag = article.tags.get()
    tag.name = "Exportations"
    tag.save()
    return '<meta property="article:tag" content="Exportations">'


def _rename_author(article):
    article.authors.update(first_name="Claire-Anne")
    return "Claire-Anne Dumont"


def _change_credit(article):
    article.image_credit = "Crédit neuf"  # not an editorial change: updated_at stays
    article.save()
    return "Crédit neuf"


def _close_comments(article):
    article.comments_open = False
    article.save()
    return "Les commentaires sont fermés pour cet article."


@pytest.mark.parametrize("change", [_rename_tag, _rename_author, _change_credit, _close_comments])
def test_story_fragments_follow_every_change_to_what_the_page_shows(change):
    from tests.factories import make_tag, make_user

    author = make_user("plume", first_name="Claire", last_name="Dumont")
    article = make_article(tags=[make_tag("Export")], authors=[author], image_credit="Ancien")
    Article.objects.filter(pk=article.pk).update(image_renditions=[[480, 320, "a/x-480.webp"]])
    assert "Claire Dumont" in fresh_page(article)
    article.refresh_from_db()
    expected = change(article)
    assert expected in fresh_page(article)


def test_scheduled_story_fragments_do_not_outlive_the_preview(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_user

    editor = make_user("chef", group="Editors")
    article = make_article(published_at=timezone.now() + timedelta(seconds=1))
    client.force_login(editor)
    assert "preview-banner" in client.get(article.get_absolute_url()).content.decode()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
    assert "preview-banner" not in fresh_page(article)


def test_story_fragments_are_kept_apart_by_language():
    from django.conf import settings

    article = make_article()
    assert "Publié le" in fresh_page(article)
    client = Client()
    client.cookies[OWN_COOKIE] = "x"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(article.get_absolute_url()).content.decode()
    assert "Published" in english
    assert "Publié le" not in english
