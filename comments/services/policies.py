"""Sections' comment policies: saved or deleted here, so the stories they govern show the
form or the closed notice at once."""

from django.db import transaction

from articles.models import Article
from newsroom.cache import story_changed

from ..models import SectionPolicy


def _stories_changed(tag_id) -> None:
    for article_id in Article.objects.filter(tags=tag_id).values_list("pk", flat=True):
        story_changed(article_id)


def policy_save(*, policy: SectionPolicy, moderators=None) -> SectionPolicy:
    """Store a section's policy (and, when given, the moderators it names)."""
    with transaction.atomic():
        policy.save()
        if moderators is not None:
            policy.moderators.set(moderators)
        _stories_changed(policy.tag_id)
    return policy


def policy_delete(*, policy: SectionPolicy) -> None:
    """Back to the default: every comment waits, comments stay open, everyone is told."""
    with transaction.atomic():
        tag_id = policy.tag_id
        policy.delete()
        _stories_changed(tag_id)
