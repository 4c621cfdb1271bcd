"""The site-wide lists the stories app contributes to pages: tag menu, most read, related.
Each is kept rendered (newsroom.cache.cached_render) under the site version."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from newsroom.cache import cached, cached_render

from ..models import Article, DailyReadings, Tag

register = template.Library()


def entries(stories):
    return [{"title": a.title, "url": a.get_absolute_url(), "count": a.score} for a in stories]


def tag_menu_entries():
    """Tags that have live stories, with how many."""
    return [
        {"name": t.name, "slug": t.slug, "url": t.get_absolute_url(), "count": t.count}
        for t in Tag.objects.with_live_counts()
    ]


def most_read_entries():
    """The live stories read most in the last MOST_READ_DAYS days."""
    since = timezone.localdate() - timedelta(days=settings.MOST_READ_DAYS - 1)
    return entries(Article.objects.published().best_scored(DailyReadings.objects.scores(since)))


@register.simple_tag
def tag_menu(current="", cache_only=False):
    """The header's topics; `current` is the slug of the tag page shown, or "home".
    cache_only: from the cache or not at all (error pages, whose database may be away)."""
    tags = cached("tag-menu", tag_menu_entries, cache_only=cache_only)
    if tags is None:
        return ""
    if cache_only:
        return render_to_string("includes/tag_menu.html", {"tags": tags})
    return cached_render(
        f"tag-menu:{current}", "includes/tag_menu.html", lambda: {"tags": tags, "current": current}
    )


@register.simple_tag
def most_read():
    return cached_render(
        "most-read",
        "includes/ranking.html",
        lambda: {"kind": "read", "entries": most_read_entries()},
    )


@register.simple_tag
def related_stories(article):
    """Up to 3 live stories sharing the story's tags."""

    def context():
        stories = Article.objects.related_to(article)[:3] if article.tag_list else []
        return {"stories": stories}

    return cached_render(f"related:{article.pk}", "articles/includes/related.html", context)
