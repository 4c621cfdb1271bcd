"""A story with thousands of comments, in process: ./.venv/bin/python bench/comment_pages.py

For stories with 50, 500, 2,000 and 5,000 approved comments (a thread in ten answered), on
a SQLite database made for the run and a file cache as the embedded default has: the story
page's size, its render after an approval (each approval moves the story's version, so
the next reader renders its comment section anew), one page of comments ("Show more") and
a comment's address (the permalink's redirect), the page read oldest first after an
approval; and for an editor, the story's admin page and the moderation queue with a tenth
of the story's comments waiting. Each story has five of the newsroom's picks, which its
page shows first. Medians of 7, in milliseconds.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="newsroom-comments-bench-"))
os.environ.update(
    DJANGO_DEBUG="1",
    DJANGO_SETTINGS_MODULE="newsroom.settings",
    DATABASE_URL=f"sqlite:///{WORK / 'db.sqlite3'}",
    CACHE_DIR=str(WORK / "cache"),
    MEDIA_ROOT=str(WORK / "media"),
    REDIS_URL="",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.services import article_save  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.services import comment_approve  # noqa: E402

SIZES = [50, 500, 2000, 5000]
RUNS = 7


def story_with(count, moderator):
    article = article_save(
        article=Article(
            title=f"Une histoire à {count} commentaires",
            standfirst="Le chapô.",
            body="Le texte.\n\n" * 20,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
        )
    )
    start = timezone.now() - timedelta(hours=20)
    threads = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Lecteur {n}",
            email=f"lecteur{n}@example.org",
            body=f"Un avis argumenté, numéro {n}, sur ce que l'article dit et ne dit pas. " * 3,
            body_hash=f"h{count}-{n}",
            status=Comment.Status.APPROVED,
            created_at=start + timedelta(seconds=n),
        )
        for n in range(count - count // 10)
    )
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=thread,
            name=f"Réponse {n}",
            email=f"reponse{n}@example.org",
            body="D'accord, et j'ajoute un point. " * 3,
            body_hash=f"r{count}-{n}",
            status=Comment.Status.APPROVED,
            created_at=thread.created_at + timedelta(minutes=5),
        )
        for n, thread in enumerate(threads[::9][: count // 10])
    )
    for comment in Comment.objects.filter(article=article):
        Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at)
    picks = [thread.pk for thread in threads[:: max(1, len(threads) // 5)][:5]]
    Comment.objects.filter(pk__in=picks).update(picked_at=timezone.now(), picked_by=moderator)
    return article, threads


def median_ms(action):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    call_command("migrate", verbosity=0)
    moderator = get_user_model().objects.create(
        username="moderatrice", is_staff=True, is_superuser=True
    )
    client = Client()
    desk = Client()
    desk.force_login(moderator)
    print(
        f"{'approved':>9} {'page KB':>8} {'after an approval':>18} {'a page':>7} {'address':>8}"
        f" {'oldest first':>13} {'story admin':>12} {'queue':>7}"
    )
    for count in SIZES:
        article, threads = story_with(count, moderator)
        size, render, one_page, address, oldest = measure(client, article, threads, moderator)
        Comment.objects.filter(pk__in=[t.pk for t in threads[: count // 10]]).update(
            status=Comment.Status.PENDING
        )
        change = reverse("admin:articles_article_change", args=[article.pk])
        assert desk.get(change).status_code == 200
        admin_page = median_ms(lambda: desk.get(change))  # noqa: B023 (used at once)
        queue = reverse("admin:comments_comment_queue")
        shown = desk.get(queue, {"story": article.pk})
        assert shown.status_code == 200 and b"queue-item" in shown.content
        queue_page = median_ms(lambda: desk.get(queue, {"story": article.pk}))  # noqa: B023
        print(
            f"{count:>9} {size / 1024:>8.0f} {render:>15.0f} ms {one_page:>4.0f} ms"
            f" {address:>5.0f} ms {oldest:>10.0f} ms {admin_page:>9.0f} ms {queue_page:>4.0f} ms"
        )


def measure(client, article, threads, moderator):
    url = article.get_absolute_url()
    size = len(client.get(url).content)

    def approve_then_read(query=None):
        waiting = Comment.objects.create(
            article=article,
            name="Nouveau",
            email="n@example.org",
            body="Un avis.",
            body_hash=str(time.perf_counter()),
            status=Comment.Status.PENDING,
        )
        comment_approve(comment=waiting, moderator=moderator)
        response = client.get(url, query)
        assert response.status_code == 200 and b"comment--pick" in response.content

    render = median_ms(approve_then_read)
    oldest_first = median_ms(lambda: approve_then_read({"ordre": "anciens"}))
    page = reverse("comments:page", args=[article.slug, 1])
    one_page = median_ms(lambda: client.get(page, {"n": time.perf_counter()}))
    oldest = reverse("comments:permalink", args=[threads[0].pk])
    address = median_ms(lambda: client.get(oldest))
    return size, render, one_page, address, oldest_first


if __name__ == "__main__":
    main()
