from django.conf import settings
from django.db import connections, models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Tag
from newsroom.fields import TextField


def waiting_first():
    """0 for a comment waiting for a moderator, 1 otherwise: sorts the waiting ones first."""
    return models.Case(
        models.When(status="pending", then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class ByAddressQuerySet(models.QuerySet):
    def by_email(self, email):
        """Every row sent with an address, whatever its case: lower(email), which an index
        on it answers (email__iexact compares UPPER() and scans the table: 2,000,000 rows
        on the benchmark's archive)."""
        return self.alias(address=Lower("email")).filter(address=email.strip().lower())


class Submission(models.Model):
    """What every reader's form stores (a comment, a message to the newsroom): who sent it,
    what, and the keyed hashes the rules and the rate limit read; never the client
    address. Sent through comments.submission.store_submission."""

    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"))
    spam_reason = models.CharField(_("held because"), max_length=200, blank=True)
    # A keyed hash of the client address, for abuse handling: the address itself is never kept.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    # A hash of the normalised text, to spot the same message sent again.
    body_hash = models.CharField(max_length=64, editable=False, db_index=True)
    # The form's signed token, hashed: the same form sent twice stores one row.
    submission_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        abstract = True


class SectionPolicy(models.Model):
    """How a section's stories take comments: who waits for a moderator, when comments
    close, which moderators are told. A section without one: every comment waits, comments
    stay open, every moderator is told. A story in several sections takes the strictest of
    each (comments.policy.for_story); deleting the tag deletes its policy."""

    class Premoderation(models.TextChoices):
        ALL = "all", _("Every comment waits for a moderator")
        TRUSTED = "trusted", _("Regular commenters are published at once")

    tag = models.OneToOneField(
        Tag,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="comment_policy",
        verbose_name=_("tag"),
    )
    premoderation = models.CharField(
        _("who is moderated first"),
        max_length=10,
        choices=Premoderation.choices,
        default=Premoderation.ALL,
        help_text=_(
            "Regular commenters: at least “trusted after” comments published under their "
            "address, none refused in the last 90 days. Their comments are published at once "
            "and listed for a later look; a banned word still holds them."
        ),
    )
    trusted_after = models.PositiveSmallIntegerField(_("trusted after"), default=3)
    close_after_days = models.PositiveSmallIntegerField(
        _("comments close after (days)"),
        null=True,
        blank=True,
        help_text=_("Days after publication; empty: comments stay open."),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_sections",
        verbose_name=_("moderators told of its comments"),
        help_text=_("Empty: every moderator is told."),
    )

    class Meta:
        ordering = ["tag__name"]
        verbose_name = _("comment policy")
        verbose_name_plural = _("comment policies")

    def __str__(self):
        return str(self.tag)


class CommentQuerySet(ByAddressQuerySet):
    def approved(self):
        """Comments a moderator let through: the only ones readers see and count."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        """Comments waiting for a moderator."""
        return self.filter(status=Comment.Status.PENDING)

    def picks(self):
        """The newsroom's picks readers see: published, not erased, newest pick first."""
        return (
            self.approved()
            .filter(picked_at__isnull=False, erased_at=None)
            .order_by("-picked_at", "-pk")
        )

    def scores(self, since):
        """Published comments per story sent since a time, most first: the comments index alone."""
        return (
            self.approved()
            .filter(created_at__gte=since)
            .values("article_id")
            .annotate(score=models.Count("*"))
            .order_by("-score")
        )

    def reported(self):
        """Comments readers sent back to the queue: waiting, with reports not yet answered."""
        return self.pending().filter(flags__cleared=False).distinct()

    def waiting_per_section(self) -> list[dict]:
        """How many comments wait in each section (tag), by name: the queue's filter. One
        pass over the waiting comments' own index, counted per story before the stories'
        tags are joined; the ORM's form of it (in the tests, which compare the two) joins
        the stories table for every waiting comment first and takes twice as long with
        50,000 waiting."""
        through = Article.tags.through._meta.db_table
        sql = (
            "SELECT t.slug, t.name, SUM(p.n) FROM ("
            f"  SELECT article_id, COUNT(*) AS n FROM {Comment._meta.db_table}"
            "  WHERE status = %s GROUP BY article_id"
            f") p JOIN {through} st ON st.article_id = p.article_id"
            f" JOIN {Tag._meta.db_table} t ON t.id = st.tag_id"
            " GROUP BY t.slug, t.name ORDER BY t.name"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [Comment.Status.PENDING])
            return [
                {"article__tags__slug": slug, "article__tags__name": name, "count": int(count)}
                for slug, name, count in cursor.fetchall()
            ]


class Comment(Submission):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        WITHDRAWN = "withdrawn", _("Withdrawn by its author")

    class Reason(models.TextChoices):
        """Why a comment was not published: what its author is told."""

        OFF_TOPIC = "off_topic", _("Off topic")
        ABUSIVE = "abusive", _("Insulting or defamatory")
        ADVERTISING = "advertising", _("Advertising")
        DUPLICATE = "duplicate", _("Duplicate")
        PERSONAL_DATA = "personal_data", _("Personal data")
        OTHER = "other", _("Other")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("story")
    )
    body = TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # A reply to a published comment (one level only: replies have no replies).
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    # The newsroom's own answers: written by a member of staff from the admin, published at
    # once, and marked as the newsroom's; a reader's name can never make that mark.
    staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("newsroom answer by"),
    )
    notify_author = models.BooleanField(_("tell the author when published"), default=False)
    # Published at once (a regular commenter, by its section's policy): for a later look.
    unreviewed = models.BooleanField(_("published without review"), default=False)
    # Erased at its author's request: no name, no address, no text left, only its place.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=20, choices=Reason.choices, blank=True, default=""
    )
    reason_note = models.CharField(_("reason, in words"), max_length=300, blank=True)
    # The rule that held it (banned_word, links, blocked, duplicate): counts its misfires.
    rule = models.CharField(_("rule"), max_length=20, blank=True, default="")
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
    # The newsroom's pick ("Sélection de la rédaction"): shown first, with a badge.
    picked_at = models.DateTimeField(_("picked by the newsroom"), null=True, blank=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("picked by"),
    )

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
            # The queue's "who is this commenter" (commenter_history), by address.
            models.Index(Lower("email"), name="comment_email_lower_idx"),
            # Published at once, for a later look: the queue's count and list.
            models.Index(
                fields=["created_at"],
                condition=models.Q(unreviewed=True),
                name="comment_unreviewed_idx",
            ),
            # The waiting comments per story: the queue's count per section.
            models.Index(
                fields=["article"],
                condition=models.Q(status="pending"),
                name="comment_waiting_story_idx",
            ),
            # When moderators decided: the editors' dashboard (dashboard/views.py).
            models.Index(
                fields=["moderated_at"],
                condition=models.Q(moderated_by__isnull=False),
                name="comment_decided_idx",
            ),
            # A story's picks, newest pick first; the dashboard's count of picks.
            models.Index(
                fields=["article", "picked_at"],
                condition=models.Q(picked_at__isnull=False),
                name="comment_picked_idx",
            ),
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [
            ("moderate_comment", _("Can moderate comments")),
            ("answer_comment", _("Can answer comments as the newsroom")),
            ("pick_comment", _("Can pick comments for the newsroom's selection")),
        ]

    def __str__(self):
        return _("Comment by %(name)s on %(article)s") % {
            "name": self.name,
            "article": self.article,
        }

    @property
    def is_newsroom_answer(self):
        return self.staff_author_id is not None

    @property
    def is_pick(self):
        return self.picked_at is not None

    @property
    def reason_text(self):
        """Why it was not published, as its author reads it."""
        if self.reason == self.Reason.OTHER and self.reason_note:
            return self.reason_note
        text = self.get_reason_display() if self.reason else ""
        return f"{text} : {self.reason_note}" if text and self.reason_note else text


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
    note = TextField(_("note"), blank=True)
    # A moderator published a comment a rule had held, and said the rule was wrong.
    misfire = models.BooleanField(_("the rule was wrong"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], name="moderation_log_when_idx")]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.from_label} → {self.to_label}"

    @property
    def from_label(self):
        return Comment.Status(self.from_status).label if self.from_status else "—"

    @property
    def to_label(self):
        return Comment.Status(self.to_status).label


class PrivacyRequest(models.Model):
    """What a reader asked about their data, and what was done: for the data-protection
    officer. The address is kept only as a keyed hash, never the data itself."""

    class Kind(models.TextChoices):
        LINK = "link", _("Access link asked for")
        ACCESS = "access", _("Comments shown")
        EXPORT = "export", _("Comments downloaded")
        ERASE = "erase", _("Comments erased")

    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    email_hash = models.CharField(_("address (keyed hash)"), max_length=64, db_index=True)
    comments = models.PositiveIntegerField(_("comments concerned"), default=0)
    by = models.CharField(_("by"), max_length=40, default="reader")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request about personal data")
        verbose_name_plural = _("requests about personal data")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class ErasedAddress(models.Model):
    """An address whose comments were erased at its owner's request (keyed hash): it is
    sent nothing more."""

    email_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.email_hash[:12]


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


class Flag(models.Model):
    """A reader's report of a published comment: no account, one per reader per comment
    (a keyed hash of a signed cookie's random id); the client's address is kept hashed for
    the rate limit and the threshold. Past COMMENT_FLAG_THRESHOLD reports the comment goes
    back to the queue."""

    class Reason(models.TextChoices):
        ABUSIVE = "abusive", _("Insulting or defamatory")
        HATEFUL = "hateful", _("Hateful or discriminatory")
        MISLEADING = "misleading", _("False or misleading")
        ADVERTISING = "advertising", _("Advertising or spam")
        PERSONAL_DATA = "personal_data", _("Personal data about someone")
        OFF_TOPIC = "off_topic", _("Off topic")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="flags", verbose_name=_("comment")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reader_hash = models.CharField(max_length=64, editable=False)
    ip_hash = models.CharField(max_length=64, editable=False)
    # A moderator published the comment again after these reports: they count no more.
    cleared = models.BooleanField(_("answered by a moderator"), default=False)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reader_hash"], name="flag_one_per_reader"),
        ]
        verbose_name = _("report from a reader")
        verbose_name_plural = _("reports from readers")

    def __str__(self):
        return f"{self.get_reason_display()} ({self.comment_id})"
