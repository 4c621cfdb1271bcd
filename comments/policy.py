"""A story's comment policy, read when needed from its sections' policies (SectionPolicy):
nothing about comments is copied onto the story. The one thing a story says itself is
whether it takes comments at all (Article.comments_open, as django-contrib-comments'
CommentModerator reads an `enable_field` on the host model)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from newsroom.cache import cached, story_key

from .models import SectionPolicy


@dataclass(frozen=True)
class StoryPolicy:
    """The strictest of a story's sections' policies."""

    # Whether a regular commenter (trusted_after comments published) skips the queue.
    trusts_regulars: bool = False
    trusted_after: int = 3
    closes_at: datetime | None = None


def for_story(article) -> StoryPolicy:
    """The policy of a story: pre-moderation for everyone unless each of its sections trusts
    regulars (a section without a policy trusts nobody), the largest `trusted_after`, the
    earliest closing after publication. Kept with the story's version in the cache (a policy
    saved moves the versions of its stories) and on the story object for the request."""
    known = article.__dict__.get("_comment_policy")
    if known is not None:
        return known

    def compute():
        tag_ids = [tag.pk for tag in article.tag_list]
        policies = list(SectionPolicy.objects.filter(tag_id__in=tag_ids))
        trusting = [p for p in policies if p.premoderation == SectionPolicy.Premoderation.TRUSTED]
        days = [p.close_after_days for p in policies if p.close_after_days is not None]
        published = article.published_at
        return StoryPolicy(
            trusts_regulars=bool(tag_ids) and len(trusting) == len(tag_ids),
            trusted_after=max((p.trusted_after for p in policies), default=3),
            closes_at=published + timedelta(days=min(days)) if days and published else None,
        )

    key = f"comment-policy:{story_key(article)}"
    policy = cached(key, compute, timeout=86400, site_wide=False)
    article.__dict__["_comment_policy"] = policy
    return policy


def accepts_comments(article) -> bool:
    """Comments open on the story, and its sections' closing time (if any) not passed."""
    if not article.comments_open:
        return False
    closes = for_story(article).closes_at
    return closes is None or timezone.now() < closes
