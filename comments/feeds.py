from django.shortcuts import get_object_or_404
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

from articles.feeds import Feed
from articles.models import Article

from .models import Comment


class CommentsFeed(Feed):
    """Approved comments on one story; names and texts only, never an address."""

    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, article):
        return escape(_("Comments on “%(title)s”") % {"title": article.title})

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
        # Escaped as HTML here and as XML by the feed, as Django's default item_title is.
        if comment.erased_at:
            return _("Comment deleted at its author's request.")
        return escape(_("Comment by %(name)s") % {"name": comment.name})

    def item_description(self, comment):
        if comment.erased_at:
            return ""
        return linebreaks(escape(comment.body))

    def item_link(self, comment):
        return f"{comment.article.get_absolute_url()}#comment-{comment.pk}"

    def item_pubdate(self, comment):
        return comment.created_at

    def item_author_name(self, comment):
        return escape(comment.name) or None
