from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

# Columns only the admin and search use: several kilobytes a story that pages never show.
HEAVY = ("body", "body_text", "search_document", "search_vector")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Live stories: published, and their publication time has passed."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=timezone.now())

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
        """What a story card shows: the row and its tags, in a fixed number of queries."""
        return self.defer(*HEAVY, "body_html").prefetch_related(_tags())

    def with_page(self):
        """What a story page shows: the row, its tags and its byline."""
        return self.defer(*HEAVY).prefetch_related(_tags(), _byline())

    def most_read(self, since):
        """Live stories ranked by their readings since a day, busiest first."""
        return (
            self.published()
            .filter(readings__day__gte=since)
            .annotate(score=Sum("readings__count"))
            .order_by("-score", "-published_at")
            .only("title", "slug")
        )

    def most_commented(self, since):
        """Live stories ranked by comments approved since a time."""
        return (
            self.published()
            .filter(comments__status="approved", comments__created_at__gte=since)
            .annotate(score=Count("comments"))
            .order_by("-score", "-published_at")
            .only("title", "slug")
        )

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


def _tags():
    from .models import Tag

    return Prefetch("tags", queryset=Tag.objects.only("name", "slug"))


def _byline():
    return Prefetch(
        "authors", queryset=get_user_model().objects.only("username", "first_name", "last_name")
    )
