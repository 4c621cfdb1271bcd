"""Whatever a client sends to the comment endpoint: no 5xx, and a row only for a valid form."""

import time
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.text import normalize_newlines
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from comments.forms import issue_token
from comments.models import Comment
from tests.factories import comment_data, make_article, make_comment

# Any code point, lone surrogates and control characters included.
ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=3500)
FIELD = st.one_of(ANY_TEXT, st.text(max_size=90), st.just(""), st.just("\x00"), st.just("a\r\nb"))
EMAIL = st.one_of(st.emails(), ANY_TEXT)


def encode_form(fields: dict) -> bytes:
    """A urlencoded body as a browser (or an attacker) might send it, surrogates and all."""
    pairs = [f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}" for k, v in fields.items()]
    return "&".join(pairs).encode("ascii")


def as_received(value: str) -> str:
    """What Django reads back: invalid UTF-8 becomes U+FFFD; the form strips the ends."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace").strip()


class CommentEndpointProperties(TestCase):
    def setUp(self):
        self.article = make_article()
        self.other = make_article()
        self.url = reverse("comments:post", kwargs={"slug": self.article.slug})

    @settings(max_examples=150, deadline=None)
    @given(name=FIELD, email=EMAIL, body=FIELD)
    @example(name="<script>alert(1)</script>", email="a@b.fr", body="x" * 3000)
    @example(name="Zoé\r\nBcc: x@y.z", email="zoe@example.org", body="ligne\r\nligne")
    @example(name="\ud800", email="zoe@example.org", body="texte \udfff seul")
    @example(name="n" * 81, email="zoe@example.org", body="b" * 3001)
    def test_never_5xx_and_a_row_only_for_a_valid_form(self, name, email, body):
        cache.clear()  # the rate limit is not what this test is about
        fields = {
            "name": name,
            "email": email,
            "body": body,
            "website": "",
            "issued": issue_token(self.article.pk, time.time() - 10),
            # Fields a form never shows: none of them may reach the row.
            "status": "approved",
            "article": str(self.other.pk),
            "moderated_by": "1",
            "ip_hash": "forged",
        }
        response = Client().generic(
            "POST", self.url, encode_form(fields), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500
        event(f"HTTP {response.status_code}")
        rows = list(Comment.objects.all())
        if response.status_code == HTTPStatus.FOUND:
            assert len(rows) == 1
            row = rows[0]
            assert row.article_id == self.article.pk
            assert (row.name, row.email, row.body) == (
                as_received(name),
                as_received(email),
                normalize_newlines(as_received(body)),  # a textarea's CR LF kept as LF
            )
            assert row.status == Comment.Status.PENDING or row.spam_reason == "trop de liens"
            assert row.ip_hash != "forged" and row.moderated_by is None
        else:
            assert 400 <= response.status_code < 500
            assert rows == []


def test_oversized_body_is_a_400_and_stores_nothing(db, client):
    article = make_article()
    data = comment_data(article, body="x" * (3 * 1024 * 1024))
    response = client.post(reverse("comments:post", kwargs={"slug": article.slug}), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "trop grande" in response.content.decode()
    assert not Comment.objects.exists()


def test_too_many_fields_is_a_400_and_stores_nothing(db, client):
    article = make_article()
    data = {**comment_data(article), **{f"extra{n}": "1" for n in range(1001)}}
    response = client.post(reverse("comments:post", kwargs={"slug": article.slug}), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Comment.objects.exists()


def test_replayed_submission_stores_one_comment(db):
    article = make_article()
    url = reverse("comments:post", kwargs={"slug": article.slug})
    data = comment_data(article, body="Je clique deux fois sur Envoyer, par réflexe.")
    first = Client().post(url, data)
    again = Client(REMOTE_ADDR="198.51.100.99").post(url, data)
    assert first.status_code == again.status_code == HTTPStatus.FOUND
    assert Comment.objects.count() == 1
    assert Comment.objects.get().status == Comment.Status.PENDING


@pytest.mark.parametrize("size", [10, 30 * 1024 * 1024])
def test_a_file_sent_to_a_public_form_is_a_400_before_it_is_stored(db, client, size, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from comments.models import Flag
    from letters.models import ReaderMessage

    article = make_article()
    comment = make_comment(article)
    attached = SimpleUploadedFile("x.bin", b"\0" * size)
    posts = {
        reverse("comments:post", kwargs={"slug": article.slug}): comment_data(article),
        reverse("comments:flag", args=[comment.pk]): {"reason": "abusive"},
        reverse("letters:write", args=[article.slug]): {"kind": "other", "body": "Bonjour"},
    }
    for url, data in posts.items():
        attached.seek(0)
        response = client.post(url, {**data, "attachment": attached})  # multipart
        assert response.status_code == HTTPStatus.BAD_REQUEST, url
        assert "trop grande" in response.content.decode()
    assert Comment.objects.count() == 1
    assert not Flag.objects.exists() and not ReaderMessage.objects.exists()
