"""What the comment block of a story page shows, for the article and the comments views."""

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


def comment_block(request, article, *, form=None, error="", with_tokens=False):
    comments = list(article.comments.approved().defer("email", "ip_hash", "body_hash"))
    own_ids = own_comment_ids(request)
    own_pending = (
        list(
            article.comments.filter(
                pk__in=own_ids, status__in=[Comment.Status.PENDING, Comment.Status.SPAM]
            ).defer("email", "ip_hash", "body_hash")
        )
        if own_ids
        else []
    )
    if form is None and article.comments_open:
        form = CommentForm(article=article, with_tokens=with_tokens)
    return {
        "comments": comments,
        "comment_count": len(comments),
        "own_pending": own_pending,
        "comment_form": form,
        "comment_error": error,
    }
