"""The cookie that remembers which comments this browser sent, so their author sees them
while they wait: no account needed. Its name is settings.COMMENT_OWN_COOKIE, which the page
cache also reads (a reader with waiting comments gets a page of their own)."""

from django.conf import settings

SALT = "newsroom.comments.own"
MAX_AGE = 30 * 24 * 3600
KEEP = 20


def own_comment_ids(request) -> list[int]:
    raw = request.get_signed_cookie(
        settings.COMMENT_OWN_COOKIE, default="", salt=SALT, max_age=MAX_AGE
    )
    return [int(pk) for pk in raw.split(",") if pk.isdigit()]


def remember_own_comment(request, response, comment) -> None:
    ids = [comment.pk, *own_comment_ids(request)][:KEEP]
    response.set_signed_cookie(
        settings.COMMENT_OWN_COOKIE,
        ",".join(map(str, ids)),
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
