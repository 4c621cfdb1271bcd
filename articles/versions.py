"""The version check: a story saved since a form was opened is never overwritten by it.

Every save counts (Article.edit_version); a form carries the version it was opened on.
edit_conflict() says whether someone saved since, who, when and what they changed, from
the revisions django-reversion keeps. The admin's form refuses such a save with that
message; any other writer (an autosave, an API) asks the same question here.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.dateparse import parse_datetime
from reversion.models import Version

from .models import Article

# What a conflict names, if it changed: the fields a journalist would lose.
COMPARED = ("title", "standfirst", "body", "status", "published_at", "image_credit")


@dataclass(frozen=True)
class Conflict:
    who: object | None  # the user who saved last, if known
    when: datetime
    changed: list[str]  # the changed fields' names as editors read them


def shown(value):
    """A stored value as an editor sees it: a time to the second (the form drops the rest)."""
    moment = parse_datetime(value) if isinstance(value, str) else None
    return moment.replace(microsecond=0) if moment else value


def edit_conflict(current: Article, opened_on: int | None) -> Conflict | None:
    """None when a form opened on version `opened_on` may be saved over `current` (as read,
    locked, in the saving transaction); else who saved since, when, and what changed between
    the revision the form was opened on and the latest."""
    if opened_on is None or opened_on == current.edit_version:
        return None
    recent = Version.objects.get_for_object(current)
    versions = {v.field_dict.get("edit_version"): v.field_dict for v in recent[:50]}
    opened, latest = versions.get(opened_on), versions.get(current.edit_version)
    changed = [
        str(Article._meta.get_field(name).verbose_name)
        for name in COMPARED
        if opened and latest and shown(opened.get(name)) != shown(latest.get(name))
    ]
    last = recent.select_related("revision__user").first()
    return Conflict(
        who=last.revision.user if last else None,
        when=last.revision.date_created if last else current.updated_at,
        changed=changed,
    )
