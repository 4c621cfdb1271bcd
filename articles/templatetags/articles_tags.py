"""The site-wide lists the stories app contributes to pages: tag menu, most read, related."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.utils import timezone

from newsroom.cache import cached

from ..models import Article, DailyReadings, Tag

register = template.Library()


def _entries(stories):
    return [{"title": a.title, "url": a.get_absolute_url(), "count": a.score} for a in stories]


@register.inclusion_tag("includes/tag_menu.html")
def tag_menu():
    """Tags that have live stories, for the header."""

    def compute():
        return [
            {"name": t.name, "slug": t.slug, "url": t.get_absolute_url(), "count": t.count}
            for t in Tag.objects.with_live_counts()
        ]

    return {"tags": cached("tag-menu", compute)}


@register.inclusion_tag("includes/ranking.html")
def most_read():
    """The live stories read most in the last MOST_READ_DAYS days."""

    def compute():
        since = timezone.localdate() - timedelta(days=settings.MOST_READ_DAYS - 1)
        return _entries(
            Article.objects.published().best_scored(DailyReadings.objects.scores(since))
        )

    return {"kind": "read", "entries": cached("most-read", compute)}


@register.inclusion_tag("articles/includes/related.html")
def related_stories(article):
    """Up to 3 live stories sharing the story's tags."""

    def compute():
        return [
            {"title": a.title, "url": a.get_absolute_url(), "published_at": a.published_at}
            for a in Article.objects.related_to(article)[:3]
        ]

    return {"stories": cached(f"related:{article.pk}", compute) if article.tag_list else []}
