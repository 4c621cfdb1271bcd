"""What the comment block of a story page shows, for the article and the comments views."""

from django.core.cache import cache
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe

from articles import pagecache

from .forms import CommentForm
from .models import Comment

OWN_COOKIE = "own_comments"
OWN_SALT = "newsroom.comments.own"
OWN_MAX_AGE = 30 * 24 * 3600
OWN_KEEP = 20


def own_comment_ids(request) -> list[int]:
    """Comments this browser sent, from a signed cookie: no account needed."""
    raw = request.get_signed_cookie(OWN_COOKIE, default="", salt=OWN_SALT, max_age=OWN_MAX_AGE)
    return [int(pk) for pk in raw.split(",") if pk.isdigit()]


def remember_own_comment(request, response, comment):
    ids = [comment.pk, *own_comment_ids(request)][:OWN_KEEP]
    response.set_signed_cookie(
        OWN_COOKIE,
        ",".join(map(str, ids)),
        salt=OWN_SALT,
        max_age=OWN_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def _for_display(comments):
    """Dates and text prepared once in Python: cheaper than template filters, fifty times."""
    for comment in comments:
        local = timezone.localtime(comment.created_at)
        comment.when = formats.date_format(local, "DATETIME_FORMAT")
        comment.iso = local.isoformat()
        comment.text_html = linebreaksbr(comment.body, autoescape=True)
    return comments


def approved_comments(article, language):
    """The rendered list of approved comments and their count, cached until a moderator
    changes it (articles.pagecache.forget)."""
    key = pagecache.comments_key(article.slug, language)
    cached = cache.get(key)
    if cached is None:
        comments = _for_display(
            list(article.comments.approved().only("article_id", "name", "body", "created_at"))
        )
        html = render_to_string("comments/list.html", {"comments": comments})
        cached = (len(comments), html)
        cache.set(key, cached, 24 * 3600)
    return cached


def comment_block(request, article, *, form=None, error="", with_tokens=False):
    count, comments_html = approved_comments(article, request.LANGUAGE_CODE)
    own_ids = own_comment_ids(request)
    own_pending = (
        list(
            article.comments.filter(
                pk__in=own_ids, status__in=[Comment.Status.PENDING, Comment.Status.SPAM]
            ).only("article_id", "name", "body", "created_at")
        )
        if own_ids
        else []
    )
    shared_form = None
    if form is None and article.comments_open:
        if with_tokens:
            form = CommentForm(article=article, with_tokens=True)
        else:
            # The same for every reader; built only when its cached rendering is missing.
            def shared_form():
                return CommentForm(article=article, with_tokens=False)

    return {
        "comments_html": mark_safe(comments_html),  # noqa: S308 (rendered by a template)
        "comment_count": count,
        "own_pending": own_pending,
        "comment_form": form,
        "shared_form": shared_form,
        "comment_error": error,
    }
