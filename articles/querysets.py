from django.db import models
from django.db.models import Aggregate, Count, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import JSONArray
from django.utils import timezone

# Columns only the admin and search use: several kilobytes a story that pages never show.
HEAVY = ("body", "body_text", "search_document", "search_vector")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """Live stories: published, and their publication time has passed."""
        return self.filter(
            status=self.model.Status.PUBLISHED, published_at__lte=now or timezone.now()
        )

    def editable_by(self, user):
        """What a member of staff sees in the admin: every story for editors, else own drafts and all published ones."""
        if user.has_perm("articles.see_all_drafts"):
            return self.all()
        if user.has_perm("articles.change_article"):
            return self.filter(
                Q(status=self.model.Status.PUBLISHED) | Q(pk__in=user.articles.values("pk"))
            )
        return self.none()

    def visible_to(self, user):
        """Stories a user may open on the site: live ones, plus previews for staff who may edit them."""
        if user.is_authenticated and user.has_perm("articles.change_article"):
            return self.editable_by(user)
        return self.published()

    def tagged(self, tag):
        """Stories filed under a tag."""
        return self.filter(tags=tag)

    def with_cards(self):
        """What a story card shows: the row and its tags, in one query."""
        return self.defer(*HEAVY, "body_html").annotate(tag_data=_tag_data())

    def with_page(self):
        """What a story page shows: the row, its tags and its byline, in one query."""
        return self.defer(*HEAVY).annotate(tag_data=_tag_data(), byline_data=_byline_data())

    def related_to(self, article, tag_ids):
        """Other live stories sharing tags with a story, most shared tags first."""
        return (
            self.published()
            .filter(tags__in=tag_ids)
            .exclude(pk=article.pk)
            .annotate(shared=Count("tags"))
            .order_by("-shared", "-published_at")
            .only("title", "slug", "published_at")
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


def _tag_data():
    from .models import Article

    return _per_article(Article.tags.through, "tag_id", "tag__name", "tag__slug")


def _byline_data():
    from .models import Article

    return _per_article(
        Article.authors.through, "id", "user__first_name", "user__last_name", "user__username"
    )
