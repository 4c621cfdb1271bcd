"""The reader pages' queries, compiled once per process: building them costs more than
running them (newsroom.compiled). The markers stand for each request's values."""

from datetime import UTC, datetime

from django.http import Http404
from django.utils import timezone

from newsroom.compiled import CompiledPages, CompiledQuery, Marker

from .models import Article, Tag

_SLUG = Marker(Article._meta.get_field("slug"), "\ue000compiled-slug")
_NOW = Marker(
    Article._meta.get_field("published_at"), datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
)
_TAG = Marker(Tag._meta.pk, -424242)
_TAG_SLUG = Marker(Tag._meta.get_field("slug"), "\ue000compiled-tag-slug")

_STORY_PAGE = CompiledQuery(
    Article,
    lambda slug, now: Article.objects.published(now).with_page().filter(slug=slug),
    slug=_SLUG,
    now=_NOW,
)
_CARDS = CompiledQuery(Article, lambda now: Article.objects.published(now).with_cards(), now=_NOW)
_TAG_CARDS = CompiledQuery(
    Article,
    lambda now, tag: Article.objects.published(now).tagged(tag).with_cards(),
    now=_NOW,
    tag=_TAG,
)

_TAG_BY_SLUG = CompiledQuery(Tag, lambda slug: Tag.objects.filter(slug=slug), slug=_TAG_SLUG)
# Feed items: what a story page shows but its body.
_FEED = CompiledQuery(
    Article, lambda now: Article.objects.published(now).with_page().defer("body_html"), now=_NOW
)
_TAG_FEED = CompiledQuery(
    Article,
    lambda now, tag: Article.objects.published(now).tagged(tag).with_page().defer("body_html"),
    now=_NOW,
    tag=_TAG,
)


def story_for_page(user, slug) -> Article | None:
    """The story a user may open at this address, with what its page shows: live stories
    for readers, plus previews for staff who may edit them."""
    if user.is_authenticated and user.has_perm("articles.change_article"):
        return Article.objects.visible_to(user).with_page().filter(slug=slug).first()
    return next(iter(_STORY_PAGE.raw(slug=slug, now=timezone.now())), None)


def live_cards(tag: Tag | None = None) -> CompiledPages:
    """Live stories, newest first, with what their cards show (optionally under a tag):
    for a paginator, which reads one page of them at a time."""
    now = timezone.now()
    if tag is None:
        return CompiledPages(_CARDS, now=now)
    return CompiledPages(_TAG_CARDS, now=now, tag=tag.pk)


def tag_or_404(slug) -> Tag:
    tag = next(iter(_TAG_BY_SLUG.raw(slug=slug)), None)
    if tag is None:
        raise Http404
    return tag


def latest_for_feed(size, tag: Tag | None = None) -> list[Article]:
    """The newest live stories (optionally under a tag), with their tags and byline."""
    if tag is None:
        return list(_FEED.raw(now=timezone.now(), limit=size))
    return list(_TAG_FEED.raw(now=timezone.now(), tag=tag.pk, limit=size))
