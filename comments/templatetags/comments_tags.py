"""How comments plug into pages, as django-contrib-comments does: the story page says
{% comment_block article %}, the sidebar {% most_commented %}, the admin home
{% moderation_summary %}. The stories app never imports this one."""

from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from articles.models import Article
from newsroom.cache import cached, cached_render, story_key
from newsroom.templatetags import grouped

from .. import paging
from ..cookies import own_comment_ids
from ..forms import CommentForm
from ..links import follow_url
from ..models import Comment
from ..policy import accepts_comments

register = template.Library()


def _form_html(article, language, is_open) -> str:
    """The empty form (its tokens are fetched by comments/form.js), kept rendered."""
    if not is_open:
        return ""

    def render():
        form = CommentForm(article=article, with_tokens=False)
        return render_to_string("comments/form.html", {"form": form})

    key = f"comments-form:{story_key(article)}:{language}"
    return cached(key, render, timeout=86400, site_wide=False)


def _default_parts(article, language, is_open) -> tuple:
    """What every reader of a story sees of its comments by default: the summary (count,
    pages shown, picks), the pages' rendered threads, the picks shown first and the empty
    form, in one cache entry (a reader with comments of their own waiting gets the section
    rendered for them from it: one read, not one per part)."""

    def compute():
        found = paging.summary(article)
        html = paging.pages_html(article, found.pages, language, is_open)
        picks = paging.picks_first_html(article, language, is_open) if found.picks else ""
        return tuple(found), html, picks, _form_html(article, language, is_open)

    key = f"comments:{story_key(article, is_open)}:{language}"
    found, html, picks, form = cached(key, compute, timeout=86400, site_wide=False)
    return paging.Summary(*found), html, picks, form


def _asked_page(request, article, order) -> int | None:
    """The page a reader asked for with ?commentaires=N (a link without script), if any."""
    value = request.GET.get("commentaires", "")
    if value.isdigit() and 1 <= int(value) <= paging.last_page(article, order):
        return int(value)
    return None


@register.inclusion_tag("comments/block.html", takes_context=True)
def comment_block(context, article):
    """The comment section of a story page: count, order, the newsroom's picks, approved
    comments, the reader's own waiting ones, the form (or the notice that comments are
    closed)."""
    request = context["request"]
    is_open = accepts_comments(article)
    language = request.LANGUAGE_CODE
    order = paging.order_from(request.GET.get("ordre", ""))
    asked = _asked_page(request, article, order)
    picks_html = ""
    if asked or order != paging.NEWEST:
        found = paging.summary(article)
        pages = [asked] if asked else paging.first_pages(article, order)
        comments_html = paging.pages_html(article, pages, language, is_open, order)
        form_html = _form_html(article, language, is_open)
    else:
        found, comments_html, picks_html, form_html = _default_parts(article, language, is_open)
        pages = found.pages
    own_ids = own_comment_ids(request)
    own_pending = []
    if own_ids:
        own_pending = list(
            article.comments.filter(
                pk__in=own_ids, status__in=[Comment.Status.PENDING, Comment.Status.SPAM]
            )
            .select_related("parent")
            .only("article_id", "parent__name", "name", "body", "created_at")
            .order_by("-created_at")
        )
        for comment in own_pending:
            comment.follow_url = follow_url(comment)
    form = None
    reply_to = _reply_to(article, request.GET.get("repondre", ""))
    if is_open and ("formulaire" in request.GET or reply_to):
        # For readers without scripts, or answering a comment: the form with its tokens in
        # the page (never cached: the address has a query string).
        form = CommentForm(article=article, with_tokens=True, reply_to=reply_to)
    return {
        "article": article,
        "comment_count": found.count,
        "comments_html": mark_safe(comments_html),  # noqa: S308 (rendered by a template)
        "order": order,
        "picks_count": found.picks,
        "picks_first": paging.PICKS_FIRST,
        "picks_html": mark_safe(picks_html),  # noqa: S308 (rendered by a template)
        "more": paging.more_link(article, order, pages),
        "asked_page": asked,
        "own_pending": own_pending,
        "form": form,
        "form_html": mark_safe(form_html),  # noqa: S308 (rendered by a template)
        "messages": context.get("messages"),
        "csrf_token": context.get("csrf_token"),
        "latest_follow_url": own_pending[0].follow_url if own_pending else "",
        "moderation_delay": moderation_delay(),
    }


def _reply_to(article, value):
    if not value.isdigit():
        return None
    return (
        Comment.objects.approved()
        .filter(article=article, parent=None, pk=int(value))
        .only("name", "article_id")
        .first()
    )


# How long moderation usually takes, said near the form: from this many decisions at least.
DELAY_MIN_DECISIONS = 10
DELAY_BUCKETS = [
    (15, "15 min"),
    (60, "1 h"),
    (120, "2 h"),
    (240, "4 h"),
    (720, "12 h"),
    (1440, "24 h"),
]


def moderation_delay() -> str:
    """'Comments are usually approved within 2 h': the 80th percentile of the last 30 days'
    decisions, rounded up to a readable bucket; "" when there are too few to say."""

    def compute():
        since = timezone.now() - timedelta(days=30)
        waits = sorted(
            (decided - sent).total_seconds() / 60
            for sent, decided in Comment.objects.filter(
                moderated_at__gte=since,
                status__in=[Comment.Status.APPROVED, Comment.Status.REJECTED],
                staff_author=None,
            ).values_list("created_at", "moderated_at")
        )
        if len(waits) < DELAY_MIN_DECISIONS:
            return ""
        typical = waits[int(len(waits) * 0.8) - 1]
        for minutes, label in DELAY_BUCKETS:
            if typical <= minutes:
                return label
        return ""

    return cached("moderation-delay", compute, timeout=3600, site_wide=False)


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
    """The admin home's lines on waiting comments (for those who moderate, or on a
    journalist's own stories)."""
    user = context["request"].user
    summary = {}
    if user.has_perm("comments.moderate_comment"):
        pending = Comment.objects.pending()
        hours = settings.COMMENT_MODERATION_TARGET
        late = pending.filter(created_at__lt=timezone.now() - timedelta(hours=hours)).count()
        summary.update(pending_count=pending.count(), late_count=late, hours=hours)
    elif user.has_perm("comments.answer_comment"):
        # A journalist: the comments waiting on their own stories, to read (and answer once
        # published).
        mine = Comment.objects.pending().filter(article__authors=user).count()
        summary.update(own_stories_pending=mine, user_id=user.pk)
    return summary


@register.inclusion_tag("admin/comments/story_comments.html", takes_context=True)
def story_comments(context, article):
    """On the story's admin page: its comments by status, and a link to them."""
    counts = dict(
        article.comments.values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {
        "article": article,
        "counts": [(label, counts.get(value, 0)) for value, label in Comment.Status.choices],
        "shown": context["request"].user.has_perm("comments.view_comment"),
    }


@register.simple_tag
def comment_count_link(article):
    """Near a story's title: "12 comments", a link to its comment section; the same count
    as the section's, the cards' and the feeds' (published comments, replies included)."""
    count = paging.summary(article).count
    if not count:
        return ""
    label = ngettext("%(count)s comment", "%(count)s comments", count) % {"count": grouped(count)}
    return format_html('<a class="story__comments" href="#comments">{}</a>', label)
