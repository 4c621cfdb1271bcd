"""In-process measurements for bench/run.py: SQL queries per page, the moderation queue's
time, EXPLAIN of the list queries, and prepared comment POST bodies. Run with the
benchmark's environment (database, secret key)."""

import json
import statistics
import sys
import time
from datetime import timedelta
from urllib.parse import urlencode

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, DailyReadings  # noqa: E402
from comments.forms import issue_token  # noqa: E402
from comments.models import Comment  # noqa: E402
from dashboard.views import DASHBOARD_KEY  # noqa: E402
from newsroom.cache import LOCAL_COPIES, RELEASE  # noqa: E402


def queries(paths):
    counts = {}
    for name, path, cookies in paths:
        client = Client(HTTP_HOST="127.0.0.1")
        for key, value in cookies.items():
            client.cookies[key] = value
        client.get(path)  # warm caches as the load test does
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[name] = {"queries": len(captured), "bytes": len(response.content)}
    return counts


def median_ms(client, path, before=None, check=b"") -> float:
    """The median of 7 loads of a page, in ms; before() runs ahead of each load, untimed."""
    runs = []
    for _ in range(7):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(path)
        runs.append(time.perf_counter() - started)
        assert response.status_code == 200 and check in response.content
    return statistics.median(runs) * 1000


def queue_timing():
    user, _ = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    queue = "/admin/comments/comment/queue/"
    timings = {}
    for name, path in (("moderation queue", queue), ("comments list", "/admin/comments/comment/")):
        client.get(path)
        timings[name] = median_ms(client, path)

    # The queue whose count per section is made anew, as the moderator who comes after the
    # half-minute finds it.
    def drop_sections():
        cache.delete(f"queue-sections:{RELEASE}")
        LOCAL_COPIES.delete(f"queue-sections:{RELEASE}")

    timings["moderation queue, counted anew"] = median_ms(client, queue, drop_sections)
    # The editors' dashboard: computed (its figures dropped from the cache first), then
    # from the cache.
    dashboard, chart = "/admin/tableau-de-bord/", b'class="chart"'
    timings["dashboard"] = median_ms(client, dashboard, lambda: cache.delete(DASHBOARD_KEY), chart)
    timings["dashboard, cached"] = median_ms(client, dashboard, check=chart)
    timings["pending"] = Comment.objects.pending().count()
    return timings


def best_scores(scores):
    """The window query of ArticleQuerySet.best_scored."""
    from django.db.models import F, Window
    from django.db.models.functions import Rank

    from articles.querysets import CANDIDATES

    ranked = scores.annotate(rank=Window(Rank(), order_by=F("score").desc()))
    return ranked.filter(rank__lte=CANDIDATES)


def explain():
    read = DailyReadings.objects.scores(timezone.localdate() - timedelta(days=6))
    commented = Comment.objects.scores(timezone.now() - timedelta(days=30))
    # The stories looked up by primary key, as the page does.
    stories = Article.objects.published().best_scored(read)
    plans = {
        "most read: best scores": best_scores(read),
        "most read: their stories": Article.objects.published()
        .filter(pk__in=[a.pk for a in stories])
        .only("title", "slug", "published_at"),
        "most commented: best scores": best_scores(commented),
        "moderation queue": Comment.objects.pending()
        .select_related("article")
        .order_by("created_at", "pk")[:50],
    }
    # By hand: QuerySet.explain() writes EXPLAIN twice for a query filtered on a window.
    result = {}
    with connection.cursor() as cursor:
        for name, queryset in plans.items():
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
            result[name] = "\n".join(row[0] for row in cursor.fetchall())
    return result


def post_bodies(path, count, csrf):
    article = Article.objects.get(slug=path.strip("/").split("/")[1])
    issued_at = time.time() - 60
    with open(sys.argv[3], "w") as out:
        for n in range(count):
            fields = {
                "csrfmiddlewaretoken": csrf,
                "name": f"Lecteur de charge {n}",
                "email": f"charge{n}@example.org",
                "body": f"Commentaire de charge numéro {n} : un avis sur les chiffres de ce projet.",
                "website": "",
                "issued": issue_token(article.pk, issued_at),
            }
            out.write(urlencode(fields) + "\n")


def ceiling_template(path, out):
    """The ceiling view's template, made from the story page as readers get it now."""
    from newsroom.ceiling import template_from_page

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.COMMENT_OWN_COOKIE] = (
        "bench"  # past the page cache: the page rendered now
    )
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    with open(out, "w") as handle:
        handle.write(template_from_page(response.content.decode()))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "queries":
        print(json.dumps(queries(json.loads(sys.argv[2]))))
    elif command == "queue":
        print(json.dumps(queue_timing()))
    elif command == "explain":
        print(json.dumps(explain()))
    elif command == "ceiling":
        ceiling_template(sys.argv[2], sys.argv[3])
    elif command == "bodies":
        post_bodies(sys.argv[2], int(sys.argv[4]), sys.argv[5])
