"""How comments plug into pages, as django-contrib-comments does: the story page says
{% comment_block article %}, the sidebar {% most_commented %}, the admin home
{% moderation_summary %}. The stories app never imports this one."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe

from articles.models import Article
from newsroom.cache import cached, story_version

from ..cookies import own_comment_ids
from ..forms import CommentForm
from ..models import Comment

register = template.Library()


def _comment_list(article, language) -> tuple[int, str]:
    """The approved comments' count and rendered list, kept until the story changes."""

    def render():
        comments = list(
            article.comments.approved().only("article_id", "name", "body", "created_at")
        )
        for comment in comments:  # prepared once here: cheaper than template filters, 50 times
            local = timezone.localtime(comment.created_at)
            comment.when = formats.date_format(local, "DATETIME_FORMAT")
            comment.iso = local.isoformat()
            comment.text_html = linebreaksbr(comment.body, autoescape=True)
        return len(comments), render_to_string("comments/list.html", {"comments": comments})

    return cached(
        f"comments:{article.pk}:{language}",
        render,
        version=story_version(article.pk),
        timeout=24 * 3600,
    )


@register.inclusion_tag("comments/block.html", takes_context=True)
def comment_block(context, article):
    """The comment section of a story page: count, approved comments, the reader's own
    waiting ones, the form (or the notice that comments are closed)."""
    request = context["request"]
    count, comments_html = _comment_list(article, request.LANGUAGE_CODE)
    own_ids = own_comment_ids(request)
    own_pending = (
        article.comments.filter(
            pk__in=own_ids, status__in=[Comment.Status.PENDING, Comment.Status.SPAM]
        ).only("article_id", "name", "body", "created_at")
        if own_ids
        else []
    )
    form = None
    if article.comments_open:
        # The page may be shared by every reader (the page cache): its form then carries no
        # token of its own, and comments/form.js fetches them. ?formulaire puts them in the
        # page, for readers without scripts.
        form = CommentForm(article=article, with_tokens="formulaire" in request.GET)
    return {
        "article": article,
        "comment_count": count,
        "comments_html": mark_safe(comments_html),  # noqa: S308 (rendered by a template)
        "own_pending": own_pending,
        "form": form,
        "messages": context.get("messages"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("includes/ranking.html")
def most_commented():
    """The live stories with the most comments published in the last MOST_COMMENTED_DAYS."""

    def compute():
        since = timezone.now() - timedelta(days=settings.MOST_COMMENTED_DAYS)
        stories = Article.objects.published().best_scored(Comment.objects.scores(since))
        return [{"title": a.title, "url": a.get_absolute_url(), "count": a.score} for a in stories]

    return {"kind": "commented", "entries": cached("most-commented", compute)}


@register.inclusion_tag("admin/comments/moderation_summary.html", takes_context=True)
def moderation_summary(context):
    """The admin home's line on waiting comments, for those who moderate."""
    if not context["request"].user.has_perm("comments.moderate_comment"):
        return {}
    return {"pending_count": Comment.objects.pending().count()}
