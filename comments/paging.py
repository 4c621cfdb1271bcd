"""Pages of comments. A story with thousands of comments shows a page or two of them, the
most recent first, and "Show more comments" loads older ones a page at a time. A reader may
read them oldest first instead, or only the newsroom's picks ("Sélection de la rédaction"),
a few of which the default view shows first.

Pages hold PER_PAGE threads (a published comment with its replies), numbered from the
oldest: page 1 is the first PER_PAGE threads ever published, and a page's threads never
move to another page. A new thread lands on the last page, a reply on its thread's page,
so a comment's address (its permalink) stays true, and the story page renders the newest
page or two, whatever the count. Each page is rendered and kept on its own, under the
story's version (page_html)."""

from typing import NamedTuple

from django.db.models import Count, Q
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone

from newsroom.cache import cached, story_key

PER_PAGE = 40
# The orders a reader may choose (?ordre=): the newest threads first (the default: a story
# that draws comments is a live one), the oldest first, the newsroom's picks only.
NEWEST, OLDEST, PICKS = "recents", "anciens", "selection"
# Picks the default view shows first, above every comment.
PICKS_FIRST = 3
FIELDS = (
    "article_id",
    "parent_id",
    "staff_author_id",
    "name",
    "body",
    "created_at",
    "erased_at",
    "picked_at",
)


def order_from(value: str) -> str:
    return value if value in (OLDEST, PICKS) else NEWEST


def _threads(article):
    return article.comments.approved().filter(parent=None)


def counts(article) -> tuple[int, int, int]:
    """The story's published comments (replies included: the count said everywhere),
    threads and picks (Comment.objects.picks()), in one query."""
    row = article.comments.approved().aggregate(
        total=Count("id"),
        threads=Count("id", filter=Q(parent=None)),
        picks=Count("id", filter=Q(picked_at__isnull=False, erased_at=None)),
    )
    return row["total"], row["threads"], row["picks"]


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


def _prepare(comment):
    """What the template shows of a comment, prepared once here: cheaper than filters."""
    local = timezone.localtime(comment.created_at)
    comment.when = formats.date_format(local, "DATETIME_FORMAT")
    comment.iso = local.isoformat()
    comment.text_html = linebreaksbr(comment.body, autoescape=True)
    comment.answers = []


def threads_on(article, page: int, *, oldest: bool = False) -> list:
    """The threads of one page, newest first (oldest first if asked), each with its
    published replies (oldest first, the newsroom's answer first) in `answers`; prepared
    for the template."""
    start = (page - 1) * PER_PAGE
    # One query: the page's threads (a slice, as a subquery) and their replies.
    on_page = _threads(article).order_by("created_at", "pk").values("pk")[start : start + PER_PAGE]
    rows = list(
        article.comments.approved()
        .filter(Q(pk__in=on_page) | Q(parent_id__in=on_page))
        .order_by("created_at", "pk")
        .only(*FIELDS)
    )
    threads = [row for row in rows if row.parent_id is None]
    replies = [row for row in rows if row.parent_id is not None]
    by_id = {thread.pk: thread for thread in threads}
    for comment in threads + replies:
        _prepare(comment)
    for reply in replies:
        parent = by_id[reply.parent_id]
        reply.parent_name = parent.name
        parent.answers.append(reply)
    for thread in threads:
        # The newsroom's answer right under the comment it answers, before readers'
        # replies (older ones included): read after a later reply, it seemed to answer it.
        thread.answers.sort(key=lambda answer: answer.staff_author_id is None)
    if not oldest:
        threads.reverse()
    return threads


def picks_on(article, page: int, per_page: int = PER_PAGE) -> list:
    """One page of the story's picks, newest pick first, each alone (a reply says whom it
    answers); prepared for the template."""
    start = (page - 1) * per_page
    picks = list(
        article.comments.picks()
        .select_related("parent")
        .only(*FIELDS, "parent__name")[start : start + per_page]
    )
    for comment in picks:
        _prepare(comment)
        if comment.parent_id:
            comment.parent_name = comment.parent.name
    return picks


def _render(comments, article, is_open, picks=False) -> str:
    context = {
        "comments": comments,
        "language": article.language,
        "open": is_open,
        "picks": picks,
    }
    return render_to_string("comments/list.html", context)


def page_html(article, page, language, is_open, order=NEWEST) -> str:
    """One page of the story's threads (or picks), rendered, kept on its own under the
    story's version: a story's page renders the pages it shows, never the whole list."""

    def render():
        if order == PICKS:
            return _render(picks_on(article, page), article, is_open, picks=True)
        return _render(threads_on(article, page, oldest=order == OLDEST), article, is_open)

    key = f"comments-page:{story_key(article, is_open)}:{order}:{page}:{language}"
    return cached(key, render, timeout=86400, site_wide=False)


def pages_html(article, pages, language, is_open, order=NEWEST) -> str:
    """Several pages, in the order given."""
    return "".join(page_html(article, page, language, is_open, order) for page in pages)


def picks_first_html(article, language, is_open) -> str:
    """The newest PICKS_FIRST picks, shown above every comment by default ("" if none)."""
    picks = picks_on(article, 1, PICKS_FIRST)
    return _render(picks, article, is_open, picks=True) if picks else ""


class Summary(NamedTuple):
    count: int  # published comments, replies included: the count said everywhere
    pages: list[int]  # the pages the story page shows by default, the last one first
    picks: int  # the newsroom's picks


def summary(article) -> Summary:
    """The story's published comments count, the pages its page shows and how many picks
    it has, kept under the story's version."""

    def compute():
        total, threads, picks = counts(article)
        return Summary(total, default_pages(threads), picks)

    key = f"comments-summary:{story_key(article)}"
    return Summary(*cached(key, compute, timeout=86400, site_wide=False))


def last_page(article, order=NEWEST) -> int:
    """The highest page number of an order (1 when it has none)."""
    found = summary(article)
    if order == PICKS:
        return max(1, -(-found.picks // PER_PAGE))
    return found.pages[0]


def first_pages(article, order) -> list[int]:
    """The pages shown before a reader asks for more: the newest one or two, or page 1."""
    return summary(article).pages if order == NEWEST else [1]


def more_link(article, order, pages) -> dict | None:
    """ "Show more comments" after these pages: the address of the next page (older ones
    for the newest first, newer for the others) for a browser without scripts, and its
    fragment for the page's script; None after the last."""
    if order == NEWEST:
        after = min(pages) - 1
    else:
        after = max(pages) + 1
        if after > last_page(article, order):
            after = 0
    if after < 1:
        return None
    asked = f"commentaires={after}" if order == NEWEST else f"ordre={order}&commentaires={after}"
    fragment = reverse("comments:page", args=[article.slug, after])
    return {
        "href": f"{article.get_absolute_url()}?{asked}#comments",
        "fragment": fragment if order == NEWEST else f"{fragment}?ordre={order}",
    }
