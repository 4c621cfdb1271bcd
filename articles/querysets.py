"""Every read of stories, tags and readings, named as an editor would say it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Aggregate, Count, F, JSONField, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import JSONArray, Rank
from django.utils import timezone

from newsroom.http import acts_as_staff

# Columns only the admin and search use: several kilobytes a story that pages never show.
HEAVY = ("body", "body_text", "search_document", "search_vector")
# How many of the best scores are read before their stories are looked up: a margin for
# stories that went offline since they were read or commented.
CANDIDATES = 50
# Related stories are of the same period as the story: this long before or after it.
RELATED_WITHIN = timedelta(days=180)


def live(prefix="", now=None) -> Q:
    """The rule of a live story: published, and its publication time has passed.

    `prefix` applies it across a relation ("articles__" from a tag)."""
    return Q(
        **{
            f"{prefix}status": "published",
            f"{prefix}published_at__lte": now or timezone.now(),
            f"{prefix}deleted_at__isnull": True,
        }
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Live stories: published, and their publication time has passed."""
        return self.filter(live(now=now))

    def binned(self):
        """Deleted stories, waiting in the bin."""
        return self.filter(deleted_at__isnull=False)

    def listed_for(self, user):
        """What a member of staff sees in the admin: every story for editors, else their own
        and every published one; not those in the bin."""
        stories = self.filter(deleted_at=None)
        if user.has_perm("articles.see_all_drafts"):
            return stories
        if user.has_perm("articles.view_article"):
            published = Q(status=self.model.Status.PUBLISHED)
            return stories.filter(published | Q(pk__in=user.articles.values("pk")))
        return self.none()

    def editable_by(self, user):
        """What a member of staff may change: everything for editors, else their own stories
        (every story with JOURNALISTS_EDIT_ALL, for a small team)."""
        if user.has_perm("articles.see_all_drafts"):
            return self.filter(deleted_at=None)
        if user.has_perm("articles.change_article"):
            if settings.JOURNALISTS_EDIT_ALL:
                return self.listed_for(user)
            return self.filter(pk__in=user.articles.values("pk"), deleted_at=None)
        return self.none()

    def visible_to(self, user):
        """Stories a user may open on the site: live ones, plus previews of those they may
        edit, once their session is past the second factor where it is required."""
        if acts_as_staff(user) and user.has_perm("articles.change_article"):
            return self.published() | self.editable_by(user)
        return self.published()

    def tagged(self, tag):
        """Stories filed under a tag."""
        return self.filter(tags=tag)

    def with_cards(self):
        """What a story card shows: the row and its tags, in one query."""
        return self.defer(*HEAVY, "body_html").annotate(tag_data=self._tag_data())

    def with_page(self):
        """What a story page reads: the row without the columns only the admin and search use.

        Its tags and byline are read only when its rendered parts are not cached: building
        their JSON subqueries costs Django more than running the whole query (1.4 ms against
        0.5, bench/run.py's database)."""
        return self.defer(*HEAVY)

    def with_byline(self):
        """Each story's byline read with it (Article.byline): the admin's lists, where it was
        one query per row."""
        return self.annotate(byline_data=self._byline_data())

    def with_feed_items(self):
        """What a feed item shows: the row (no body), its tags and byline, in one query."""
        return self.defer(*HEAVY, "body_html").annotate(
            tag_data=self._tag_data(), byline_data=self._byline_data()
        )

    def related_to(self, article):
        """Other live stories of the same period (RELATED_WITHIN either side) sharing tags
        with a story, most shared tags first, then the newest. The period keeps an old
        story's related ones in its context, and the query on the live stories' index (on
        200,000 stories: 30 ms, against 290 ms for every story sharing a tag)."""
        around = article.published_at or timezone.now()
        return (
            self.published()
            .filter(published_at__range=(around - RELATED_WITHIN, around + RELATED_WITHIN))
            .filter(tags__in=[tag.pk for tag in article.tag_list])
            .exclude(pk=article.pk)
            .annotate(shared=Count("tags"))
            .order_by("-shared", "-published_at")
            .only("title", "slug", "published_at")
        )

    def best_scored(self, scores, size=5):
        """The stories of this queryset with the best scores (ties: the newest first), each
        with .score; `scores` is a values() queryset of article_id and score.

        Joining scores to all stories before sorting makes PostgreSQL read the whole story
        table. Instead: the best CANDIDATES scores and every story tied with the last of
        them (a rank gives equal scores the same rank), then those stories by primary key.
        A story left out scores below all of them, so when `size` of them qualify the
        answer is exact; otherwise (most of the best went offline) every score is read.
        """
        ranked = scores.annotate(rank=Window(Rank(), order_by=F("score").desc()))
        head = {row["article_id"]: row["score"] for row in ranked.filter(rank__lte=CANDIDATES)}
        stories = list(self.filter(pk__in=head).only("title", "slug", "published_at"))
        if len(stories) < size and len(head) >= CANDIDATES:
            head = {row["article_id"]: row["score"] for row in scores}
            stories = list(self.filter(pk__in=head).only("title", "slug", "published_at"))
        for story in stories:
            story.score = head[story.pk]
        stories.sort(key=lambda a: (-a.score, -a.published_at.timestamp()))
        return stories[:size]

    def _tag_data(self):
        return _per_article(self.model.tags.through, "tag_id", "tag__name", "tag__slug")

    def _byline_data(self):
        return _per_article(
            self.model.authors.through,
            "id",
            "user__first_name",
            "user__last_name",
            "user__username",
        )


class TagQuerySet(models.QuerySet):
    def with_live_counts(self) -> list:
        """Tags that have live stories, each with .count of them.

        Counted from the tag links of live stories: from the tags' side, PostgreSQL joined
        every story to every tag (450 ms on 200,000 stories, against 110 ms)."""
        links = self.model.articles.through.objects.filter(live("article__"))
        counts = dict(links.values_list("tag_id").annotate(n=Count("article_id")).order_by())
        tags = list(self.filter(pk__in=counts))
        for tag in tags:
            tag.count = counts[tag.pk]
        return tags


class DailyReadingsQuerySet(models.QuerySet):
    def scores(self, since):
        """Readings per story since a day, busiest first: the readings index alone."""
        return (
            self.filter(day__gte=since)
            .values("article_id")
            .annotate(score=Sum("count"))
            .order_by("-score")
        )


class JSONList(Aggregate):
    """The rows of a group as one JSON array (PostgreSQL's jsonb_agg, SQLite's json_group_array)."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def _per_article(through, *columns):
    """A story's related rows as [[column, …], …], in a subquery of the story's own query:
    one round trip where prefetch_related makes one more query per relation."""
    return Subquery(
        through.objects.filter(article=OuterRef("pk"))
        .values("article")
        .annotate(data=JSONList(JSONArray(*columns)))
        .values("data")
    )
