"""The author hears when their comment is published, if they asked to."""

import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.links import follow_url
from comments.models import BlockedSender, Comment
from comments.services import comment_approve
from comments.templatetags.comments_tags import moderation_delay
from newsroom.mail import outbox_send
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("opted_in", "blocked", "mailed"),
    [(True, False, True), (False, False, False), (True, True, False)],
)
def test_an_approval_is_mailed_to_an_author_who_asked(
    moderator, article, opted_in, blocked, mailed
):
    comment = make_comment(
        article, status=Comment.Status.PENDING, email="lea@example.org", notify_author=opted_in
    )
    if blocked:
        BlockedSender.objects.create(value="example.org")
    # The follow link is signed with the time: the mail's and this test's are made in the
    # same second only with the clock held (CI once crossed a second between them).
    with time_machine.travel(timezone.now(), tick=False):
        comment_approve(comment=comment, moderator=moderator)
        outbox_send()
        sent = [m for m in mail.outbox if m.to == ["lea@example.org"]]
        assert bool(sent) == mailed
        if mailed:
            assert "Votre commentaire est publié" in sent[0].subject
            assert follow_url(comment) in sent[0].body
            # The comment's address: it opens the page of comments holding it, at it.
            address = re.search(r"http://\S+/commentaires/\d+/", sent[0].body).group(0)
            opened = Client().get(address.removeprefix(settings.SITE_URL))
            assert opened["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"


def test_how_long_moderation_takes_is_said_only_with_enough_decisions(moderator, article):
    from datetime import timedelta

    from django.core.cache import cache

    def decide(count, minutes):
        for _ in range(count):
            comment = make_comment(article, status=Comment.Status.PENDING)
            comment_approve(comment=comment, moderator=moderator)
            Comment.objects.filter(pk=comment.pk).update(
                moderated_at=comment.created_at + timedelta(minutes=minutes)
            )

    decide(5, 90)
    assert moderation_delay() == ""
    cache.clear()
    from newsroom.cache import LOCAL_COPIES

    LOCAL_COPIES.clear()
    decide(10, 90)
    assert moderation_delay() == "2 h"
    page = __import__("django.test", fromlist=["Client"]).Client().get(article.get_absolute_url())
    assert "en moins de 2" in page.content.decode()
