"""Private links a reader gets by mail or on screen, signed so that no one can guess them:
"follow my comment" (for as long as the comment exists) and "my comments" (one hour,
once)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

FOLLOW_SALT = "newsroom.comments.follow"
MINE_SALT = "newsroom.comments.mine"
MINE_MAX_AGE = 3600


def follow_url(comment, *, absolute=False) -> str:
    token = signing.dumps(comment.pk, salt=FOLLOW_SALT)
    path = reverse("comments:follow", kwargs={"token": token})
    return settings.SITE_URL + path if absolute else path


def comment_id_from_follow(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=FOLLOW_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def mine_url(email: str, nonce: str) -> str:
    token = signing.dumps({"e": email, "n": nonce}, salt=MINE_SALT)
    return settings.SITE_URL + reverse("comments:mine_open", kwargs={"token": token})


def mine_from_token(token: str) -> tuple[str, str] | None:
    """The address and nonce of a "my comments" link not older than an hour."""
    try:
        data = signing.loads(token, salt=MINE_SALT, max_age=MINE_MAX_AGE)
        return data["e"], data["n"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
