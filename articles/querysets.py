from django.db import models
from django.db.models import Q
from django.utils import timezone


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
        return self.prefetch_related("tags")

    def with_page(self):
        """What a story page shows: the row, its tags and its byline."""
        return self.prefetch_related("tags", "authors")
