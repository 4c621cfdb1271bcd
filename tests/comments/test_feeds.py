import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_comments_feed_lists_approved_comments_without_any_email(client):
    article = make_article(authors=[make_user(email="journaliste@newsroom.example")])
    make_comment(article, name="Alice", email="alice@example.org", body="<b>Publié</b>")
    make_comment(article, status=Comment.Status.PENDING, email="bob@example.org", body="En attente")
    response = client.get(reverse("comments:feed", args=[article.slug]))
    root = parse(response)
    assert [item.findtext("title") for item in root.iter("item")] == ["Commentaire de Alice"]
    assert "&lt;b&gt;Publié" in root.find(".//item/description").text
    assert b"@" not in response.content.replace(b"http://www.w3.org", b"")


def test_comments_feed_of_a_draft_is_not_found(client):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(reverse("comments:feed", args=[draft.slug])).status_code == 404


def test_a_feed_reader_shows_names_and_texts_as_typed(client):
    import feedparser

    article = make_article(title="Fos & Marseille, le port")
    make_comment(article, name="Zoé & Léa <3", body="Pas d’accord : 5 < 6 & 7 > 2.")
    feed = feedparser.parse(client.get(reverse("comments:feed", args=[article.slug])).content)
    (entry,) = feed.entries
    assert entry.title == "Commentaire de Zoé & Léa <3"
    assert entry.author == "Zoé & Léa <3"
    assert "Fos & Marseille, le port" in feed.feed.title
    assert "5 &lt; 6 &amp; 7 &gt; 2." in entry.summary  # HTML, escaped once
