"""The rules a comment (or a message) meets when it is sent: blocked senders, links, banned
words, the same text twice; the keyed hashes of addresses; who is a regular commenter."""

import hashlib
import re
from datetime import timedelta

from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from newsroom.text import fold_text

from ..models import (
    BannedWord,
    BlockedSender,
    Comment,
)
from ..policy import for_story

MAX_LINKS = 2


# A commenter refused in this time is not a regular, whatever the published comments.
TRUST_CLEAN_DAYS = timedelta(days=90)


DUPLICATE_WINDOW = timedelta(days=7)


# Shorter texts ("Bravo !", "Merci") are too often sent alike by different readers.
DUPLICATE_MIN_LENGTH = 20


_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def hash_ip(ip_address: str) -> str:
    """A keyed hash of a client address: stable enough to spot abuse, useless without the key."""
    return salted_hmac("newsroom.comments.ip", ip_address or "").hexdigest()


def _body_hash(body: str) -> str:
    return hashlib.sha256(fold_text(body).encode()).hexdigest()


def held_by_rule(*, email: str, body: str, body_hash: str, among=None) -> tuple[str, str]:
    """Which rule holds a new comment as spam, and why in words ("", "" when none does)."""
    address = email.strip().lower()
    domain = address.rpartition("@")[2]
    # A blocked domain blocks its subdomains too: mail.example.org with example.org.
    parts = domain.split(".")
    domains = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    blocked = BlockedSender.objects.filter(value__in=[address, *domains]).values_list(
        "value", flat=True
    )
    if blocked:
        value = blocked[0]
        what = _("address %(value)s") if "@" in value else _("domain %(value)s")
        return "blocked", _("Blocked sender: %(what)s") % {"what": what % {"value": value}}
    links = len(_LINK.findall(body))
    if links > MAX_LINKS:
        return "links", _("%(count)d links") % {"count": links}
    folded = f" {fold_text(body)} "
    for word in BannedWord.objects.values_list("word", flat=True):
        if re.search(rf"(?<!\w){re.escape(fold_text(word))}(?!\w)", folded):
            return "banned_word", _("Banned word: “%(word)s”") % {"word": word}
    if len(folded.strip()) >= DUPLICATE_MIN_LENGTH:
        earlier = (
            (Comment.objects.all() if among is None else among)
            .filter(body_hash=body_hash, created_at__gte=timezone.now() - DUPLICATE_WINDOW)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if earlier:
            when = formats.date_format(timezone.localtime(earlier), "DATETIME_FORMAT")
            return "duplicate", _("Text already sent on %(when)s") % {"when": when}
    return "", ""


def is_trusted(*, article, email: str) -> bool:
    """A regular commenter, by the story's sections' policy (the strictest of them): at least
    `trusted_after` comments published after review under this address, none refused in the
    last TRUST_CLEAN_DAYS."""
    policy = for_story(article)
    if not policy.trusts_regulars:
        return False
    mine = Comment.objects.by_email(email)
    if mine.filter(
        status=Comment.Status.REJECTED, moderated_at__gte=timezone.now() - TRUST_CLEAN_DAYS
    ).exists():
        return False
    reviewed = mine.filter(status=Comment.Status.APPROVED, unreviewed=False, staff_author=None)
    return reviewed.count() >= policy.trusted_after


def hash_email(email: str) -> str:
    return salted_hmac("newsroom.comments.email", email.strip().lower()).hexdigest()
