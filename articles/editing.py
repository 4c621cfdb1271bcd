"""Who has a story open in the editor: an advisory notice ("Camille Arnaud modifie cet
article depuis 10 min"), never a lock that stops anyone. Each open editor says it is still
there every minute while its journalist works; an entry not renewed for two minutes (a
closed tab, an idle one) is gone, and a save or leaving the page removes it at once.

It lives in the shared cache only: losing it loses a notice, never an edit (saving an
outdated form is refused by the version check in the admin's form).
"""

import time

from django.core.cache import cache

PRESENCE_SECONDS = 120


def _key(article_pk):
    return f"editing:{article_pk}"


def _fresh(entries, now):
    return {uid: e for uid, e in (entries or {}).items() if now - e["seen"] < PRESENCE_SECONDS}


def editing_seen(article_pk, user):
    """`user` has the story open now; who else has, longest first."""
    now = time.time()
    entries = _fresh(cache.get(_key(article_pk)), now)
    mine = entries.get(str(user.pk))
    entries[str(user.pk)] = {
        "name": user.get_full_name() or user.get_username(),
        "since": mine["since"] if mine else now,
        "seen": now,
    }
    cache.set(_key(article_pk), entries, PRESENCE_SECONDS)
    return _others(entries, user, now)


def editing_done(article_pk, user):
    """`user` saved the story or left its page."""
    now = time.time()
    entries = _fresh(cache.get(_key(article_pk)), now)
    if entries.pop(str(user.pk), None) is not None:
        cache.set(_key(article_pk), entries, PRESENCE_SECONDS)


def editing_now(article_pks, user):
    """For a list of stories: {pk: [(name, minutes), ...]} of the others editing them."""
    now = time.time()
    found = cache.get_many([_key(pk) for pk in article_pks])
    return {
        pk: others
        for pk in article_pks
        if (others := _others(_fresh(found.get(_key(pk)), now), user, now))
    }


def _others(entries, user, now):
    return [
        (e["name"], int((now - e["since"]) // 60))
        for uid, e in sorted(entries.items(), key=lambda item: item[1]["since"])
        if uid != str(user.pk)
    ]
