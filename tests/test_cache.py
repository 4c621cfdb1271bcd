"""newsroom/cache.py: whole pages for anonymous readers, and the one invalidation point.

Every kind of write that changes a public page is tried here: after it, the next anonymous
request for the story page, the home page and the comments feed shows the change."""

import os
import subprocess
import sys
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import (
    article_publish,
    article_save,
)
from comments.models import Comment
from comments.services import comment_approve
from newsroom.cache import LOCAL_COPIES, REFRESHING, RELEASE, cached, site_version
from newsroom.typography import french
from tests.factories import comment_data, make_article, make_comment, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def anonymous(url):
    response = Client().get(url)
    return response.status_code, response.content.decode()


def public_pages(article):
    """What every reader may see of a story: its page, the home page, its comments feed."""
    return {
        "story": anonymous(article.get_absolute_url()),
        "home": anonymous(reverse("articles:index")),
        "feed": anonymous(reverse("comments:feed", args=[article.slug])),
    }


def test_second_anonymous_visit_is_served_from_the_page_cache(django_assert_num_queries):
    article = make_article()
    first = Client().get(article.get_absolute_url())
    with django_assert_num_queries(0):
        second = Client().get(article.get_absolute_url())
    assert second.status_code == HTTPStatus.OK
    assert second.content == first.content


def test_a_story_that_goes_live_on_its_own_is_on_the_home_page_after_the_page_time():
    make_article(title="Déjà en ligne")
    make_article(title="Programmé", published_at=timezone.now() + timedelta(seconds=30))
    home = reverse("articles:index")
    assert "Programmé" not in anonymous(home)[1]
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1)):
        LOCAL_COPIES.clear()  # as in another process
        assert "Programmé" in anonymous(home)[1]


def test_past_its_time_a_page_is_served_as_it_was_while_another_process_renders_it(
    django_assert_num_queries,
):
    article = make_article(title="Le titre d’avant")
    anonymous(article.get_absolute_url())  # kept
    Article.objects.filter(pk=article.pk).update(title="Changé sans passer par un service")
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1)):
        LOCAL_COPIES.clear()
        key = f"page:{RELEASE}:fr:{article.get_absolute_url()}::v{site_version()}"
        cache.add(f"{key}:refreshing", 1, 30)  # another process is rendering it now
        with django_assert_num_queries(0):
            assert "Le titre d’avant" in anonymous(article.get_absolute_url())[1]
        cache.delete(f"{key}:refreshing")
        assert "Changé sans passer" in anonymous(article.get_absolute_url())[1]
        assert cache.add(f"{key}:refreshing", 1, 30)  # released once rendered


def test_page_cache_can_be_switched_off(settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article()
    Client().get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="Changé sans passer par un service")
    # Nothing was invalidated, yet the page shows it: it was not kept.
    assert "Changé sans passer" in anonymous(article.get_absolute_url())[1]


def test_cached_page_carries_nothing_personal():
    article = make_article()
    page = Client().get(article.get_absolute_url())
    html = page.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in page.cookies
    assert f'data-tokens-url="{reverse("comments:tokens", args=[article.slug])}"' in html


def test_reader_with_a_waiting_comment_gets_a_fresh_page_with_it(client):
    article = make_article()
    Client().get(article.get_absolute_url())  # fills the cache
    client.post(
        reverse("comments:post", args=[article.slug]),
        comment_data(article, body="Le mien, en attente."),
    )
    assert settings.COMMENT_OWN_COOKIE in client.cookies
    assert "Le mien, en attente." in client.get(article.get_absolute_url()).content.decode()
    assert "Le mien, en attente." not in anonymous(article.get_absolute_url())[1]


def test_a_reader_with_waiting_comments_gets_the_shared_page_with_their_own_section(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    article = make_article(title="Titre d’origine")
    make_comment(article, body="Un avis publié.")
    client.post(
        reverse("comments:post", args=[article.slug]),
        comment_data(article, body="Le mien, en attente."),
    )
    client.get(article.get_absolute_url())  # the thank-you message: a page of its own
    assert not client.cookies["messages"].value  # shown, so emptied
    anonymous(article.get_absolute_url())  # fills the page cache
    # A change no service announced: only a page rendered anew would show it.
    Article.objects.filter(pk=article.pk).update(title="Titre changé en douce")
    with django_assert_max_num_queries(2):  # the story's row and the reader's comments
        page = client.get(article.get_absolute_url()).content.decode()
    assert "Titre d’origine" in page and "Titre changé en douce" not in page
    assert "Le mien, en attente." in page and "Un avis publié." in page
    assert page.count('id="comments"') == 1 and page.count("<!--own-->") == 1
    assert "Le mien, en attente." not in anonymous(article.get_absolute_url())[1]
    # The row is kept with the page: the next time, only the reader's own comments are read.
    with django_assert_num_queries(1):
        again = client.get(article.get_absolute_url()).content.decode()
    assert "Le mien, en attente." in again and "Titre d’origine" in again


def test_the_spliced_section_follows_the_story_at_once(client):
    """The story's row kept for the splice carries the site version: comments closed by
    the newsroom show at once to a reader with a waiting comment, as to everyone."""
    article = make_article()
    client.post(
        reverse("comments:post", args=[article.slug]),
        comment_data(article, body="Le mien, en attente."),
    )
    client.get(article.get_absolute_url())  # the thank-you message
    anonymous(article.get_absolute_url())
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Laisser un commentaire" in page
    article.comments_open = False
    article_save(article=article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Les commentaires sont fermés pour cet article." in page
    assert "Le mien, en attente." in page


def test_languages_are_cached_apart():
    article = make_article()
    assert "Laisser un commentaire" in anonymous(article.get_absolute_url())[1]
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Leave a comment" in english.get(article.get_absolute_url()).content.decode()


# Every write × the next anonymous page: tests/test_invalidation.py.


def test_publishing_a_draft_puts_it_on_the_home_page_at_once():
    make_article(title="Déjà en ligne")
    assert "Déjà en ligne" in anonymous(reverse("articles:index"))[1]
    draft = make_article(title="Tout juste publié", status=Article.Status.DRAFT)
    assert "Tout juste publié" not in anonymous(reverse("articles:index"))[1]
    article_publish(article=draft)
    assert "Tout juste publié" in anonymous(reverse("articles:index"))[1]
    assert anonymous(draft.get_absolute_url())[0] == HTTPStatus.OK


def test_approval_moves_most_commented_at_once(moderator):
    article = make_article(title="Le plus commenté")
    ranked = f'{article.title}</a> <span class="ranking__count">{french("1 commentaire")}'
    comment = make_comment(article, status=Comment.Status.PENDING)
    assert ranked not in anonymous(reverse("articles:index"))[1]
    comment_approve(comment=comment, moderator=moderator)
    assert ranked in anonymous(reverse("articles:index"))[1]


def test_a_change_announced_by_another_process_is_seen_at_once(file_cache):
    """The embedded default's cache is shared: a command run apart (here, a real second
    process) that says the site changed is heard by the running server."""
    article = make_article()
    make_comment(article, name="Ancien Nom")
    assert "Ancien Nom" in anonymous(article.get_absolute_url())[1]
    # Changed behind the cache's back, as another process's write is to this one.
    Comment.objects.filter(article=article).update(name="Nom Corrigé")
    assert "Ancien Nom" in anonymous(article.get_absolute_url())[1]
    location = settings.CACHES["default"]["LOCATION"]
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "CACHE_DIR": str(location),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "REDIS_URL": "",
    }
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from newsroom.cache import site_changed, story_changed; "
            f"story_changed({article.pk})",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
    )
    assert "Nom Corrigé" in anonymous(article.get_absolute_url())[1]


def test_staff_login_does_not_empty_the_caches(django_assert_num_queries):
    article = make_article()
    user = make_user("connecte", is_staff=True)
    anonymous(article.get_absolute_url())
    Client().force_login(user)
    assert get_user_model().objects.get(pk=user.pk).last_login is not None
    with django_assert_num_queries(0):
        anonymous(article.get_absolute_url())


def test_a_list_is_recomputed_once_its_time_is_past():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert cached("essai", compute, timeout=60) == 1
    assert cached("essai", compute, timeout=60) == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert cached("essai", compute, timeout=60) == 2


def test_past_its_time_a_list_is_served_while_another_process_refreshes_it():
    assert cached("essai", lambda: "ancienne", timeout=60) == "ancienne"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        LOCAL_COPIES.clear()  # as in another process
        cache.add(REFRESHING, 1, 30)  # that process is computing it now
        assert cached("essai", lambda: "nouvelle", timeout=60) == "ancienne"
        cache.delete(REFRESHING)
        assert cached("essai", lambda: "nouvelle", timeout=60) == "nouvelle"


def test_past_their_time_lists_are_refreshed_one_at_a_time_on_the_whole_site():
    """Another process refreshing one list: this one serves every other list as it was,
    instead of refreshing another at the same moment; but a list never computed (a new
    version) is computed at once."""
    assert cached("menu", lambda: "menu d’avant", timeout=60) == "menu d’avant"
    assert cached("classement", lambda: "classement d’avant", timeout=60) == "classement d’avant"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        LOCAL_COPIES.clear()
        cache.add(REFRESHING, 1, 30)  # another process is refreshing "menu"
        assert cached("classement", lambda: "nouveau", timeout=60) == "classement d’avant"
        assert cached("inédit", lambda: "calculé", timeout=60) == "calculé"
        cache.delete(REFRESHING)
        assert cached("classement", lambda: "nouveau", timeout=60) == "nouveau"
        assert cache.add(REFRESHING, 1, 30)  # released after its refresh


@pytest.mark.parametrize(
    "path",
    [
        "articles/views.py",
        "newsroom/formats/fr/formats.py",
        "comments/migrations/0001_initial.py",
        "templates/base.html",
        "locale/fr/LC_MESSAGES/django.mo",
    ],
)
def test_a_change_to_what_renders_pages_is_a_new_release(path, settings, tmp_path):
    from newsroom.cache import _release

    settings.BASE_DIR = tmp_path
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text("before")
    before = _release()
    (tmp_path / path).write_text("after")
    assert _release() != before
