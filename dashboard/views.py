"""The editors' dashboard: comments, moderation and readings of the last 30 days, as charts
(newsroom.charts: SVG drawn on the server) with each chart's figures in a table beside
it for screen readers.

The figures are aggregates computed in a few queries on indexes and kept in the shared
cache for DASHBOARD_SECONDS: the page says how old they are.
"""

import heapq
import statistics
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article, DailyReadings
from comments.models import Comment, ModerationLogEntry
from newsroom.charts import horizontal_bars, lines, number, stacked_bars

DAYS = 30
DASHBOARD_SECONDS = 300
DASHBOARD_KEY = f"dashboard:{settings.TIME_ZONE}"
TOP = 10
# Colours of the outcomes, each at 3:1 or more against white and apart from its neighbours.
OUTCOMES = [
    (Comment.Status.APPROVED, "#1b6e3c"),
    (Comment.Status.REJECTED, "#b3261e"),
    (Comment.Status.SPAM, "#6b4fa0"),
    (Comment.Status.PENDING, "#b06000"),
]


def figures() -> dict:
    """Every figure the dashboard shows, computed at most every DASHBOARD_SECONDS."""
    return cache.get_or_set(DASHBOARD_KEY, lambda: compute(timezone.now()), DASHBOARD_SECONDS)


def compute(now) -> dict:
    zone = timezone.get_current_timezone()
    today = timezone.localdate(now)
    days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    start = timezone.make_aware(datetime.combine(days[0], time.min), zone)
    readings, most_read = _readings(days)
    return {
        "computed_at": now,
        "days": days,
        "comments": _comments_per_day(start, days, zone),
        "moderation": _moderation_time(start, days, zone),
        "queue": _queue_through_the_day(now),
        "readings": readings,
        "most_read": most_read,
        "most_commented": _most_commented(start),
        "moderators": _decisions_per_moderator(start),
        "picks": _picks(start),
    }


def _comments_per_day(start, days, zone):
    rows = (
        # By status first: the (status, created_at) index, not the whole table.
        Comment.objects.filter(
            status__in=[status for status, _c in OUTCOMES], created_at__gte=start, staff_author=None
        )
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day", "status")
        .annotate(count=Count("id"))
    )
    counts = {(row["day"], row["status"]): row["count"] for row in rows}
    return {status: [counts.get((day, status), 0) for day in days] for status, _c in OUTCOMES}


def _moderation_time(start, days, zone):
    """Per day of decision, the median and 90th percentile of the wait (hours), decisions by
    a moderator only (not the regulars published at once)."""
    rows = Comment.objects.filter(
        moderated_at__gte=start, moderated_by__isnull=False, staff_author=None
    ).values_list("created_at", "moderated_at")
    waits = {}
    for created, moderated in rows:
        day = timezone.localtime(moderated, zone).date()
        waits.setdefault(day, []).append((moderated - created).total_seconds() / 3600)
    median, p90 = [], []
    for day in days:
        values = sorted(waits.get(day, []))
        median.append(statistics.median(values) if values else None)
        p90.append(values[min(len(values) - 1, int(0.9 * len(values)))] if values else None)
    return {"median": median, "p90": p90, "target": settings.COMMENT_MODERATION_TARGET}


def _queue_through_the_day(now):
    """The number of comments waiting for a moderator at each of the last 24 hours: those
    sent by then and decided after (or not yet). Counted from what changed in the period,
    so a queue of 50,000 costs one index count, not 24 passes over it."""
    hours = [now - timedelta(hours=23 - i) for i in range(24)]  # the last one: now
    pending = Comment.objects.pending().filter(staff_author=None)
    before = pending.filter(created_at__lte=hours[0]).count()
    recent = list(pending.filter(created_at__gt=hours[0]).values_list("created_at", flat=True))
    decided = list(
        Comment.objects.filter(moderated_at__gt=hours[0], moderated_by__isnull=False)
        .exclude(status=Comment.Status.PENDING)
        .values_list("created_at", "moderated_at")
    )
    counts = [
        before
        + sum(1 for sent in recent if sent <= hour)
        + sum(1 for sent, done in decided if sent <= hour < done)
        for hour in hours
    ]
    return {"hours": hours, "counts": counts}


def _readings(days):
    """Readings per day for the site, and the most read stories of the period. Past days'
    readings no longer change (rebuild_rankings folds their rows, keeping the sums): their
    totals, per day and per story, are summed once a day and kept; only today's are read
    each time."""
    today = days[-1]

    def past():
        rows = DailyReadings.objects.filter(day__gte=days[0], day__lt=today)
        per_day = dict(rows.values_list("day").annotate(total=Sum("count")).order_by())
        per_story = dict(rows.values_list("article_id").annotate(total=Sum("count")).order_by())
        return {"per_day": per_day, "per_story": per_story}

    kept = cache.get_or_set(f"dashboard:readings:{today.isoformat()}", past, 86400)
    now = dict(
        DailyReadings.objects.filter(day=today)
        .values_list("article_id")
        .annotate(total=Sum("count"))
        .order_by()
    )
    per_day = [kept["per_day"].get(day, 0) for day in days[:-1]] + [sum(now.values())]
    per_story = dict(kept["per_story"])
    for article_id, total in now.items():
        per_story[article_id] = per_story.get(article_id, 0) + total
    best = heapq.nsmallest(TOP, per_story.items(), key=lambda item: (-item[1], item[0]))
    return per_day, _with_titles(best)


def _most_commented(start):
    return _with_titles(
        (row["article_id"], row["score"]) for row in Comment.objects.scores(start)[:TOP]
    )


def _picks(start):
    """The newsroom's picks made since `start` and still shown: how many, and the stories
    with the most (the picks' own index)."""
    picked = Comment.objects.picks().filter(picked_at__gte=start)
    rows = picked.values("article_id").annotate(score=Count("id")).order_by("-score", "article_id")
    return {
        "total": picked.count(),
        "stories": _with_titles((r["article_id"], r["score"]) for r in rows[:TOP]),
    }


def _with_titles(scores):
    """[(story id, figure)] as [(its title, figure)], in the same order."""
    scores = list(scores)
    titles = dict(
        Article.objects.filter(pk__in=[pk for pk, _v in scores]).values_list("pk", "title")
    )
    return [(titles.get(pk, "—"), value) for pk, value in scores]


def _decisions_per_moderator(start):
    rows = (
        ModerationLogEntry.objects.filter(created_at__gte=start, actor__isnull=False)
        .exclude(to_status=F("from_status"))
        .values("actor_id", "to_status")
        .annotate(count=Count("id"))
    )
    per_actor = {}
    for row in rows:
        per_actor.setdefault(row["actor_id"], {})[row["to_status"]] = row["count"]
    people = get_user_model().objects.in_bulk(list(per_actor))
    result = []
    for actor_id, counts in per_actor.items():
        person = people.get(actor_id)
        name = (person.get_full_name() or person.get_username()) if person else "—"
        result.append((name, [counts.get(status, 0) for status, _c in OUTCOMES]))
    return sorted(result, key=lambda row: (-sum(row[1]), row[0]))


def _table(head, rows):
    return {"head": head, "rows": rows}


def charts(data) -> list[dict]:
    """The page's charts, each with its title, legend and table of figures."""
    days = data["days"]
    short = [formats.date_format(day, "j/m") for day in days]
    long = [formats.date_format(day, "l j F") for day in days]
    outcome_names = [str(Comment.Status(status).label) for status, _c in OUTCOMES]
    colours = [colour for _s, colour in OUTCOMES]
    per_day = data["comments"]
    series = [
        (name, colour, per_day[status])
        for name, (status, colour) in zip(outcome_names, OUTCOMES, strict=True)
    ]
    moderation = data["moderation"]

    def hours(value):
        return "—" if value is None else number(round(value, 1))

    queue = data["queue"]
    queue_labels = [formats.time_format(timezone.localtime(h), "H:i") for h in queue["hours"]]
    result = [
        {
            "id": "chart-comments",
            "title": _("Comments sent per day, by outcome (last %(days)d days)") % {"days": DAYS},
            "svg": stacked_bars("chart-comments-title", _("Comments sent per day"), short, series),
            "legend": list(zip(outcome_names, colours, strict=True)),
            "table": _table(
                [_("Day"), *outcome_names],
                [
                    [long[i], *(number(values[i]) for _n, _c, values in series)]
                    for i in range(len(days))
                ],
            ),
        },
        {
            "id": "chart-moderation",
            "title": _("Time to a decision, per day (hours; target %(target)d h)")
            % {"target": moderation["target"]},
            "svg": lines(
                "chart-moderation-title",
                _("Time to a decision, per day"),
                short,
                [
                    (_("median"), "#1d4f91", moderation["median"]),
                    (_("9 in 10 within"), "#b06000", moderation["p90"]),
                ],
                target=moderation["target"],
                unit=" h",
            ),
            "legend": [
                (_("median"), "#1d4f91"),
                (_("9 in 10 within"), "#b06000"),
                (_("target"), "#b3261e"),
            ],
            "table": _table(
                [_("Day"), _("median (h)"), _("9 in 10 within (h)")],
                [
                    [long[i], hours(moderation["median"][i]), hours(moderation["p90"][i])]
                    for i in range(len(days))
                ],
            ),
        },
        {
            "id": "chart-queue",
            "title": _("Comments waiting, hour by hour (last 24 hours)"),
            "svg": stacked_bars(
                "chart-queue-title",
                _("Comments waiting, hour by hour"),
                queue_labels,
                [(_("waiting"), "#b06000", queue["counts"])],
            ),
            "legend": [],
            "table": _table(
                [_("Hour"), _("waiting")],
                [
                    [label, number(count)]
                    for label, count in zip(queue_labels, queue["counts"], strict=True)
                ],
            ),
        },
        {
            "id": "chart-readings",
            "title": _("Readings per day, the whole site (last %(days)d days)") % {"days": DAYS},
            "svg": stacked_bars(
                "chart-readings-title",
                _("Readings per day"),
                short,
                [(_("readings"), "#1d4f91", data["readings"])],
            ),
            "legend": [],
            "table": _table(
                [_("Day"), _("readings")],
                [[long[i], number(data["readings"][i])] for i in range(len(days))],
            ),
        },
        {
            "id": "chart-most-read",
            "title": _("The %(count)d most read stories (last %(days)d days)")
            % {"count": TOP, "days": DAYS},
            "svg": horizontal_bars(
                "chart-most-read-title",
                _("Most read stories"),
                [(title, [total]) for title, total in data["most_read"]],
                ["#1d4f91"],
            ),
            "legend": [],
            "table": _table(
                [_("Story"), _("readings")],
                [[title, number(total)] for title, total in data["most_read"]],
            ),
        },
        {
            "id": "chart-most-commented",
            "title": _(
                "The %(count)d most commented stories (published comments, last %(days)d days)"
            )
            % {"count": TOP, "days": DAYS},
            "svg": horizontal_bars(
                "chart-most-commented-title",
                _("Most commented stories"),
                [(title, [total]) for title, total in data["most_commented"]],
                ["#1b6e3c"],
            ),
            "legend": [],
            "table": _table(
                [_("Story"), _("published comments")],
                [[title, number(total)] for title, total in data["most_commented"]],
            ),
        },
        {
            "id": "chart-moderators",
            "title": _("Decisions per moderator (last %(days)d days)") % {"days": DAYS},
            "svg": horizontal_bars(
                "chart-moderators-title", _("Decisions per moderator"), data["moderators"], colours
            ),
            "legend": list(zip(outcome_names, colours, strict=True)),
            "table": _table(
                [_("Moderator"), *outcome_names],
                [[name, *(number(v) for v in values)] for name, values in data["moderators"]],
            ),
        },
        {
            "id": "chart-picks",
            "title": ngettext(
                "The newsroom's picks: %(count)d comment picked (last %(days)d days), by story",
                "The newsroom's picks: %(count)d comments picked (last %(days)d days), by story",
                data["picks"]["total"],
            )
            % {"count": data["picks"]["total"], "days": DAYS},
            "svg": horizontal_bars(
                "chart-picks-title",
                _("Newsroom's picks per story"),
                [(title, [total]) for title, total in data["picks"]["stories"]],
                ["#1d4f91"],
            ),
            "legend": [],
            "table": _table(
                [_("Story"), _("picks")],
                [[title, number(total)] for title, total in data["picks"]["stories"]],
            ),
        },
    ]
    return result


def dashboard_view(request):
    """The admin page: /admin/tableau-de-bord/, for those who may see it (editors)."""
    if not request.user.has_perm("dashboard.view_dashboard"):
        raise PermissionDenied
    data = figures()
    context = {
        **admin.site.each_context(request),
        "title": _("Editors' dashboard"),
        "charts": charts(data),
        "computed_at": data["computed_at"],
        "minutes": DASHBOARD_SECONDS // 60,
    }
    return TemplateResponse(request, "admin/dashboard/dashboard.html", context)
