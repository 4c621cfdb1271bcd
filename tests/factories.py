"""Small helpers that make valid rows; pass overrides for what a test is about."""

import itertools
from datetime import timedelta
from io import BytesIO

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Tag
from articles.services import article_save
from newsroom.roles import ensure_roles

_counter = itertools.count(1)


def make_user(username=None, *, group=None, **fields):
    username = username or f"user{next(_counter)}"
    user = get_user_model().objects.create_user(
        username=username,
        password="correct horse battery staple",
        is_staff=group is not None or fields.pop("is_staff", False),
        **fields,
    )
    if group:
        if not Group.objects.filter(name=group).exists():
            # A transactional test emptied the database after the migrations made the groups.
            ensure_roles(django_apps)
        user.groups.add(Group.objects.get(name=group))
    return user


def make_tag(name=None, **fields):
    name = name or f"Thème {next(_counter)}"
    return Tag.objects.create(name=name, **fields)


def make_policy(tag, *, moderators=None, **fields):
    """A section's comment policy, saved as the admin saves it."""
    from comments.models import SectionPolicy
    from comments.services import policy_save

    return policy_save(policy=SectionPolicy(tag=tag, **fields), moderators=moderators)


def make_article(*, tags=(), authors=(), **fields):
    n = next(_counter)
    values = {
        "title": f"Article numéro {n}",
        "standfirst": f"Le chapô de l'article {n}.",
        "body": f"Premier paragraphe de l'article {n}.",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=n),
    }
    values.update(fields)
    return article_save(article=Article(**values), tags=tags, authors=authors)


def image_upload(name="photo.jpg", size=(1200, 800), image_format="JPEG", mode="RGB"):
    buffer = BytesIO()
    Image.new(mode, size, color=128 if mode in {"L", "1", "P"} else (40, 90, 160)).save(
        buffer, image_format
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def make_comment(article=None, *, status=None, **fields):
    from comments.models import Comment
    from comments.services import _body_hash

    n = next(_counter)
    values = {
        "article": article or make_article(),
        "name": f"Lecteur {n}",
        "email": f"lecteur{n}@example.org",
        "body": f"Un avis argumenté numéro {n}.",
        "status": status or Comment.Status.APPROVED,
    }
    values.update(fields)
    values["body_hash"] = _body_hash(values["body"])
    return Comment.objects.create(**values)


def comment_data(article, **overrides):
    """A comment form as a reader's browser sends it, shown ten seconds ago."""
    import time

    from comments.forms import issue_token

    data = {
        "name": "Léa Martin",
        "email": "lea.martin@example.org",
        "body": "Très bon article, merci pour ces chiffres.",
        "website": "",
        "issued": issue_token(article.pk, time.time() - 10),
    }
    data.update(overrides)
    return data


def clear_caches():
    """The cache every page reads from, emptied: its worst case."""
    from django.core.cache import cache

    from newsroom.cache import LOCAL_COPIES

    cache.clear()
    LOCAL_COPIES.clear()
