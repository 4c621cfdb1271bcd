"""The moderators' digest: one mail each, at most every COMMENT_DIGEST_MINUTES, listing
the comments waiting since the last one."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from articles.models import Article
from newsroom.mail import mail_queue
from newsroom.models import OutgoingMail
from newsroom.text import isolated

from ..models import (
    Comment,
)

DIGEST_LATE = timedelta(hours=2)


# Held while one process makes the digest. The workers that finish their responses at the
# same moment would each see no recent digest and, skipping each other's locked rows, each
# announce another batch: four digests at once to every moderator.
DIGEST_LOCK = "comments:digest:making"


# Comments announced in one digest, at most: the others go in the next.
DIGEST_MAX = 500


def digest_soon() -> None:
    """Have the job worker look at the moderators' digest once this transaction commits."""

    transaction.on_commit(digest_job.enqueue)


@task()
def digest_job() -> int:
    """The job worker's: the digest, when one is due (it waits COMMENT_DIGEST_MINUTES)."""
    return moderators_digest()


def moderators_digest() -> int:
    """Tell moderators of the comments waiting since the last digest: one mail each, at most
    every COMMENT_DIGEST_MINUTES, to those who watch the comments' sections (everyone who
    moderates, for a section that names no one). Returns how many comments were announced."""
    if not cache.add(DIGEST_LOCK, 1, timeout=60):  # another process is making it
        return 0
    try:
        return _make_digest()
    finally:
        cache.delete(DIGEST_LOCK)


def _make_digest() -> int:
    now = timezone.now()
    every = timedelta(minutes=settings.COMMENT_DIGEST_MINUTES)
    with transaction.atomic():
        last = (
            OutgoingMail.objects.filter(kind="digest")
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if last and now - last < every:
            return 0
        waiting = list(
            Comment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Comment.Status.PENDING, notified_at=None)
            .select_related("article")
            # The story's title, not its text: whole rows for 500 comments took 27 MB.
            .only("article_id", "article__title", "name", "body", "created_at")
            .order_by("created_at")[:DIGEST_MAX]
        )
        if not waiting:
            return 0
        Comment.objects.filter(pk__in=[c.pk for c in waiting]).update(notified_at=now)
        _write_digest_lines(waiting)
        everyone = list(moderators())
        watchers = _section_watchers({c.article_id for c in waiting}, everyone)
        per_moderator = {}
        for comment in waiting:
            for user in watchers.get(comment.article_id) or everyone:
                per_moderator.setdefault(user, []).append(comment)
        for user, comments in per_moderator.items():
            mail_queue(to=[user.email], kind="digest", **_digest(comments, now))
        # The journalists whose stories they are hear of them too (they may answer them).
        per_author = {}
        authors = Article.authors.through.objects.filter(
            article_id__in={c.article_id for c in waiting}, user__is_active=True
        ).exclude(user__email="")
        staff_addresses = {user.email for user in everyone}
        by_story = {}
        for comment in waiting:
            by_story.setdefault(comment.article_id, []).append(comment)
        for article_id, email in authors.values_list("article_id", "user__email"):
            if email not in staff_addresses:
                per_author.setdefault(email, []).extend(by_story[article_id])
        for email, comments in per_author.items():
            mail_queue(to=[email], kind="digest-author", **_digest(comments, now))
    return len(waiting)


def _section_watchers(article_ids, everyone) -> dict:
    """For each story, the moderators its sections name (none named: everyone)."""
    allowed = {user.pk: user for user in everyone}
    named = {}
    through = Article.tags.through.objects.filter(article_id__in=article_ids)
    pairs = through.values_list("article_id", "tag__comment_policy__moderators")
    for article_id, user_id in pairs:
        if user_id in allowed:
            named.setdefault(article_id, set()).add(allowed[user_id])
    return named


def _write_digest_lines(comments):
    """Each comment's line, once: a comment is in the digest of every moderator who
    watches its section."""

    def one_line(text):
        return " ".join(str(text).split())

    line = _("• “%(title)s” — %(name)s: %(text)s")
    for c in comments:
        c.digest_line = line % {
            "title": one_line(c.article.title),
            "name": isolated(one_line(c.name)),
            "text": isolated(Truncator(one_line(c.body)).chars(160)),
        }


def _digest(comments, now) -> dict:
    late = sum(1 for c in comments if now - c.created_at > DIGEST_LATE)
    subject = ngettext(
        "%(count)d comment to moderate", "%(count)d comments to moderate", len(comments)
    ) % {"count": len(comments)}
    if late:
        subject += ngettext(
            ", %(late)d waiting for more than 2 h", ", %(late)d waiting for more than 2 h", late
        ) % {"late": late}
    queue = settings.SITE_URL + reverse("admin:comments_comment_queue")
    body = (
        "\n".join(c.digest_line for c in comments)
        + "\n\n"
        + _("Moderation queue: %(queue)s\n") % {"queue": queue}
    )
    return {"subject": subject, "body": body}


def moderators():
    """Active accounts that may moderate and have an address to write to."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="moderate_comment")
            | Q(user_permissions__codename="moderate_comment")
        )
        .exclude(email="")
        .distinct()
    )
