from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from newsroom.feeds import Feed

from .models import Comment


class CommentsFeed(Feed):
    """Approved comments on one story; names and texts only, never an address; the
    newsroom's picks said as such (title and category)."""

    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    # Titles and names are plain text: the feed's XML escapes them, once. The description
    # is HTML, so the reader's text is escaped as HTML first.
    def title(self, article):
        return _("Comments on “%(title)s”") % {"title": article.title}

    def link(self, article):
        return article.get_absolute_url() + "#comments"

    def description(self, article):
        return self.title(article)

    def items(self, article):
        return (
            Comment.objects.approved()
            .filter(article=article)
            .select_related("article")
            .defer("email", "ip_hash")
            .order_by("-created_at")[:50]
        )

    def item_title(self, comment):
        if comment.erased_at:
            return _("Comment deleted at its author's request.")
        if comment.picked_at:
            return _("Newsroom's pick: comment by %(name)s") % {"name": comment.name}
        return _("Comment by %(name)s") % {"name": comment.name}

    def item_categories(self, comment):
        # A feed reader can sort or filter the newsroom's picks by it.
        return [_("Newsroom's pick")] if comment.picked_at and not comment.erased_at else []

    def item_description(self, comment):
        if comment.erased_at:
            return ""
        return linebreaks(escape(comment.body))

    def item_link(self, comment):
        return reverse("comments:permalink", args=[comment.pk])

    def item_pubdate(self, comment):
        return comment.created_at

    def item_author_name(self, comment):
        return comment.name or None
