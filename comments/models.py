from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article


def waiting_first():
    """0 for a comment waiting for a moderator, 1 otherwise: sorts the waiting ones first."""
    return models.Case(
        models.When(status="pending", then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """Comments a moderator let through: the only ones readers see and count."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        """Comments waiting for a moderator."""
        return self.filter(status=Comment.Status.PENDING)

    def scores(self, since):
        """Published comments per story sent since a time, most first: the comments index alone."""
        return (
            self.approved()
            .filter(created_at__gte=since)
            .values("article_id")
            .annotate(score=models.Count("*"))
            .order_by("-score")
        )

    def by_email(self, email):
        """Every comment sent with an address, whatever its case."""
        return self.filter(email__iexact=email.strip())


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("story")
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"))
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    spam_reason = models.CharField(_("spam reason"), max_length=120, blank=True)
    # A keyed hash of the client address, for abuse handling: the address itself is never kept.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    # A hash of the normalised text, to spot the same message sent again.
    body_hash = models.CharField(max_length=64, editable=False, db_index=True)
    # The form's signed token, hashed: the same form sent twice stores one comment.
    submission_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    notified_at = models.DateTimeField(_("moderators notified"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"], name="comment_article_status_idx"
            ),
            models.Index(fields=["status", "created_at"], name="comment_status_created_idx"),
            # "Most commented": approved comments of the last weeks per story, from the index
            # alone (CommentQuerySet.scores).
            models.Index(
                fields=["created_at"],
                include=["article"],
                condition=models.Q(status="approved"),
                name="comment_approved_recent_idx",
            ),
            # The admin's list: waiting comments first, oldest first (CommentAdmin.get_ordering).
            models.Index(waiting_first(), "created_at", "id", name="comment_waiting_first_idx"),
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can moderate comments"))]

    def __str__(self):
        return _("Comment by %(name)s on %(article)s") % {
            "name": self.name,
            "article": self.article,
        }


class ModerationLogEntry(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"


class BannedWord(models.Model):
    word = models.CharField(
        _("word or phrase"),
        max_length=100,
        unique=True,
        help_text=_("A comment containing it goes to spam. Case and accents are ignored."),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("banned word")
        verbose_name_plural = _("banned words")

    def __str__(self):
        return self.word


class BlockedSender(models.Model):
    value = models.CharField(
        _("address or domain"),
        max_length=254,
        unique=True,
        help_text=_("An email address (name@example.com) or a whole domain (example.com)."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["value"]
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")

    def __str__(self):
        return self.value

    def save(self, *args, **kwargs):
        self.value = self.value.strip().lower().lstrip("@")
        super().save(*args, **kwargs)
