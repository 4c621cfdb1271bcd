"""Pages of comments. A story with thousands of comments shows a page or two of them, the
most recent first, and "Show more comments" loads older ones a page at a time.

Pages hold PER_PAGE threads (a published comment with its replies), numbered from the
oldest: page 1 is the first PER_PAGE threads ever published, and a page's threads never
move to another page. A new thread lands on the last page, a reply on its thread's page,
so a comment's address (its permalink) stays true, and the story page renders the newest
page or two, whatever the count. Each page is rendered and kept on its own, under the
story's version (page_html)."""

from django.db.models import Count, Q
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils import formats, timezone

from newsroom.cache import cached, story_key

PER_PAGE = 40


def _threads(article):
    return article.comments.approved().filter(parent=None)


def counts(article) -> tuple[int, int]:
    """The story's published comments (replies included: the count said everywhere) and
    threads, in one query."""
    row = article.comments.approved().aggregate(
        total=Count("id"), threads=Count("id", filter=Q(parent=None))
    )
    return row["total"], row["threads"]


def default_pages(threads: int) -> list[int]:
    """The pages a story page with this many threads shows, newest first: the last one (1
    when there are none), and the one before when the last holds fewer than half a page (a
    page just begun would show a comment or two)."""
    last = max(1, -(-threads // PER_PAGE))
    if last > 1 and threads - (last - 1) * PER_PAGE < PER_PAGE // 2:
        return [last, last - 1]
    return [last]


def page_of(comment) -> int:
    """The page holding a published comment (a reply: its thread's)."""
    thread = comment.parent if comment.parent_id else comment
    earlier = _threads(thread.article).filter(
        Q(created_at__lt=thread.created_at) | Q(created_at=thread.created_at, pk__lt=thread.pk)
    )
    return earlier.count() // PER_PAGE + 1


def threads_on(article, page: int) -> list:
    """The threads of one page, newest first, each with its published replies (oldest
    first, the newsroom's answer first) in `answers`; prepared for the template."""
    start = (page - 1) * PER_PAGE
    fields = (
        "article_id",
        "parent_id",
        "staff_author_id",
        "name",
        "body",
        "created_at",
        "erased_at",
    )
    # One query: the page's threads (a slice, as a subquery) and their replies.
    on_page = _threads(article).order_by("created_at", "pk").values("pk")[start : start + PER_PAGE]
    rows = list(
        article.comments.approved()
        .filter(Q(pk__in=on_page) | Q(parent_id__in=on_page))
        .order_by("created_at", "pk")
        .only(*fields)
    )
    threads = [row for row in rows if row.parent_id is None]
    replies = [row for row in rows if row.parent_id is not None]
    by_id = {thread.pk: thread for thread in threads}
    for comment in threads + replies:  # prepared once here: cheaper than template filters
        local = timezone.localtime(comment.created_at)
        comment.when = formats.date_format(local, "DATETIME_FORMAT")
        comment.iso = local.isoformat()
        comment.text_html = linebreaksbr(comment.body, autoescape=True)
        comment.answers = []
    for reply in replies:
        parent = by_id[reply.parent_id]
        reply.parent_name = parent.name
        parent.answers.append(reply)
    for thread in threads:
        # The newsroom's answer right under the comment it answers, before readers'
        # replies (older ones included): read after a later reply, it seemed to answer it.
        thread.answers.sort(key=lambda answer: answer.staff_author_id is None)
    threads.reverse()
    return threads


def page_html(article, page, language, is_open) -> str:
    """One page of the story's threads, rendered, kept on its own under the story's version:
    a story's page renders the pages it shows, never the whole list (comments.paging)."""

    def render():
        context = {
            "comments": threads_on(article, page),
            "language": article.language,
            "open": is_open,
        }
        return render_to_string("comments/list.html", context)

    key = f"comments-page:{story_key(article, is_open)}:{page}:{language}"
    return cached(key, render, timeout=86400, site_wide=False)


def pages_html(article, pages, language, is_open) -> str:
    """Several pages, in the order given."""
    return "".join(page_html(article, page, language, is_open) for page in pages)


def summary(article) -> tuple[int, list[int]]:
    """The story's published comments count and the pages its page shows (the first of
    them is the last page), kept under the story's version."""

    def compute():
        total, threads = counts(article)
        return total, default_pages(threads)

    key = f"comments-summary:{story_key(article)}"
    return cached(key, compute, timeout=86400, site_wide=False)


def last_page(article) -> int:
    return summary(article)[1][0]
