from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from newsroom.feeds import Feed

from .models import Article, Tag

FEED_SIZE = 20


class LatestStoriesFeed(Feed):
    title = _("Newsroom: latest stories")
    description = _(
        "Economic development news: attractiveness, export, French Tech and international missions."
    )
    link = "/"

    def items(self):
        return (
            Article.objects.published()
            .with_feed_items()
            .prefetch_related("corrections")[:FEED_SIZE]
        )

    def item_title(self, article):
        # Plain text, escaped once, by the feed's XML: a reader shows "R&D" as typed, where
        # Django's default (escaped as HTML first) showed "R&amp;D".
        return article.title

    def item_description(self, article):
        # Feed readers render descriptions as HTML: the standfirst goes in as text, and so
        # do the story's corrections and updates, each with its date.
        notes = "".join(
            f"<p><strong>{escape(c.get_kind_display())} ({formats.date_format(c.created_at)})"
            f"</strong> {escape(c.text)}</p>"
            for c in article.corrections.all()
        )
        return (
            f"<p>{escape(article.standfirst)}</p>{notes}" if notes else escape(article.standfirst)
        )

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.published_at)

    def item_author_name(self, article):
        return ", ".join(article.byline) or None

    def item_categories(self, article):
        return [tag.name for tag in article.tag_list]


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = Atom1Feed
    subtitle = LatestStoriesFeed.description


class TagFeed(LatestStoriesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return _("Newsroom: %(tag)s") % {"tag": tag.name}

    def link(self, tag):
        return tag.get_absolute_url()

    def description(self, tag):
        return tag.description or tag.name

    def items(self, tag):
        return (
            Article.objects.published()
            .tagged(tag)
            .with_feed_items()
            .prefetch_related("corrections")[:FEED_SIZE]
        )


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed

    def subtitle(self, tag):
        return self.description(tag)
