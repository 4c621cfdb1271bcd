"""The editor's autosave: what a journalist types is kept for them, never for the story,
until they restore it and save; two people's autosaves never meet."""

import re
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Autosave
from tests.factories import make_article, make_user
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


def desk(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave(client, page, **typed):
    """What the editor's script sends: the page's own title, standfirst and body fields as
    the person left them, and the CSRF token, to the address the page names."""
    form = rendered_form(page).update(**typed)
    url = re.search(r'data-autosave-url="([^"]+)"', page.content.decode()).group(1)
    fields = {name: form[name] for name in ("csrfmiddlewaretoken", "title", "standfirst", "body")}
    return client.post(url, urlencode(fields), content_type="application/x-www-form-urlencoded")


def test_a_closed_page_is_offered_back_and_saved_by_the_journalist(journalist):
    story = make_article(title="Le port accélère", body="Premier jet.", authors=[journalist])
    client = desk(journalist)
    page = client.get(change_url(story))
    answer = autosave(
        client, page, body="Premier jet.\n\nUn second paragraphe, pas encore enregistré."
    )
    assert (
        answer.status_code == HTTPStatus.OK and "Brouillon conservé à" in answer.json()["message"]
    )
    story.refresh_from_db()
    assert story.body == "<p>Premier jet.</p>"  # the story is untouched, its version too
    # Reopened (the tab was closed): the changes are offered back.
    reopened = client.get(change_url(story)).content.decode()
    assert "Vous avez des modifications non enregistrées" in reopened
    restored = client.get(change_url(story) + "?restaurer=1")
    assert "Un second paragraphe" in rendered_form(restored)["body"]
    assert "Vos modifications non enregistrées sont de retour" in restored.content.decode()
    # Saved as any change is: the text is the story's, the kept copy goes.
    response = rendered_form(restored).submit(client)
    assert response.status_code == HTTPStatus.FOUND
    story.refresh_from_db()
    assert "Un second paragraphe" in story.body
    assert not Autosave.objects.exists()
    assert "modifications non enregistrées" not in client.get(change_url(story)).content.decode()


def test_changes_set_aside_are_forgotten(journalist):
    story = make_article(body="Premier jet.", authors=[journalist])
    client = desk(journalist)
    autosave(client, client.get(change_url(story)), body="Une version à oublier.")
    page = client.get(change_url(story))
    response = rendered_form(page).submit(client, "discard", follow=True)
    assert "Les modifications non enregistrées ont été écartées." in response.content.decode()
    assert not Autosave.objects.exists()
    story.refresh_from_db()
    assert story.body == "<p>Premier jet.</p>"


def test_two_people_keep_their_own(journalist, editor):
    story = make_article(body="Premier jet.", authors=[journalist])
    mine, theirs = desk(journalist), desk(editor)
    autosave(mine, mine.get(change_url(story)), body="La version de la journaliste.")
    autosave(theirs, theirs.get(change_url(story)), body="La version du rédacteur en chef.")
    assert Autosave.objects.count() == 2
    assert (
        "La version de la journaliste."
        in rendered_form(mine.get(change_url(story) + "?restaurer=1"))["body"]
    )
    assert (
        "du rédacteur en chef"
        in rendered_form(theirs.get(change_url(story) + "?restaurer=1"))["body"]
    )


def test_a_new_story_is_kept_too(journalist):
    client = desk(journalist)
    add = reverse("admin:articles_article_add")
    autosave(client, client.get(add), title="Une idée", standfirst="Un chapô", body="Un début.")
    assert "Vous avez des modifications non enregistrées" in client.get(add).content.decode()
    form = rendered_form(client.get(add + "?restaurer=1"))
    assert (form["title"], form["body"]) == ("Une idée", "Un début.")
    assert form.submit(client).status_code == HTTPStatus.FOUND
    assert Article.objects.get().title == "Une idée" and not Autosave.objects.exists()


def test_no_one_keeps_a_story_they_may_not_change(journalist):
    other = make_user("autre", group="Journalists")
    story = make_article(body="Premier jet.", authors=[other])
    client = desk(journalist)
    url = reverse("admin:articles_article_autosave", args=[story.pk])
    response = client.post(url, {"title": "x", "standfirst": "y", "body": "z"})
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    assert not Autosave.objects.exists()
