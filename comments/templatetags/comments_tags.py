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
from newsroom.cache import cached, cached_render, story_key

from ..cookies import own_comment_ids
from ..forms import CommentForm
from ..models import Comment

register = template.Library()


def _shared_parts(article, language) -> tuple[int, str, str]:
    """What every reader of a story sees of its comments: the approved ones' count and
    rendered list, and the empty form (its tokens are fetched by comments/form.js); kept
    rendered until the story or its comments change."""

    def render():
        comments = list(
            article.comments.approved().only("article_id", "name", "body", "created_at")
        )
        for comment in comments:  # prepared once here: cheaper than template filters, 50 times
            local = timezone.localtime(comment.created_at)
            comment.when = formats.date_format(local, "DATETIME_FORMAT")
            comment.iso = local.isoformat()
            comment.text_html = linebreaksbr(comment.body, autoescape=True)
        form_html = ""
        if article.comments_open:
            form = CommentForm(article=article, with_tokens=False)
            form_html = render_to_string("comments/form.html", {"form": form})
        context = {"comments": comments, "language": article.language}
        list_html = render_to_string("comments/list.html", context)
        return len(comments), list_html, form_html

    return cached(
        f"comments:{story_key(article)}:{language}", render, timeout=86400, site_wide=False
    )


@register.inclusion_tag("comments/block.html", takes_context=True)
def comment_block(context, article):
    """The comment section of a story page: count, approved comments, the reader's own
    waiting ones, the form (or the notice that comments are closed)."""
    request = context["request"]
    count, comments_html, form_html = _shared_parts(article, request.LANGUAGE_CODE)
    own_ids = own_comment_ids(request)
    own_pending = (
        article.comments.filter(
            pk__in=own_ids, status__in=[Comment.Status.PENDING, Comment.Status.SPAM]
        ).only("article_id", "name", "body", "created_at")
        if own_ids
        else []
    )
    form = None
    if article.comments_open and "formulaire" in request.GET:
        # For readers without scripts: the form with its tokens in the page (never cached).
        form = CommentForm(article=article, with_tokens=True)
    return {
        "article": article,
        "comment_count": count,
        "comments_html": mark_safe(comments_html),  # noqa: S308 (rendered by a template)
        "own_pending": own_pending,
        "form": form,
        "form_html": mark_safe(form_html),  # noqa: S308 (rendered by a template)
        "messages": context.get("messages"),
        "csrf_token": context.get("csrf_token"),
    }


def most_commented_entries():
    """The live stories with the most comments published in the last MOST_COMMENTED_DAYS."""
    since = timezone.now() - timedelta(days=settings.MOST_COMMENTED_DAYS)
    stories = Article.objects.published().best_scored(Comment.objects.scores(since))
    return [{"title": a.title, "url": a.get_absolute_url(), "count": a.score} for a in stories]


@register.simple_tag
def most_commented():
    return cached_render(
        "most-commented",
        "includes/ranking.html",
        lambda: {"kind": "commented", "entries": most_commented_entries()},
    )


@register.inclusion_tag("admin/comments/moderation_summary.html", takes_context=True)
def moderation_summary(context):
    """The admin home's line on waiting comments, for those who moderate."""
    if not context["request"].user.has_perm("comments.moderate_comment"):
        return {}
    return {"pending_count": Comment.objects.pending().count()}
