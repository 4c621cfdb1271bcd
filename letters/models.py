"""Readers' letters to the newsroom: an error, a question, information about a story.
Private, never published. Sent through the comments' submission path (comments.submission)
with their rules and rate limit, counted apart."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments.submission import ByAddressQuerySet, Submission
from newsroom.fields import TextField


def sees_reader_addresses(user) -> bool:
    """Whether a member of staff sees the address of a reader who wrote to the newsroom, and
    every such message: editors do (they answer); a journalist reads those about their own
    stories, without the address (data minimisation)."""
    return user.has_perm("articles.see_all_drafts")


class ReaderMessageQuerySet(ByAddressQuerySet):
    def for_staff(self, user):
        """The messages a member of staff reads (sees_reader_addresses)."""
        return self if sees_reader_addresses(user) else self.filter(article__authors=user)


class ReaderMessage(Submission):
    """A reader writes to the newsroom about a story: an error, a question, information.
    Private: never published; it reaches the story's journalists and the admin's inbox."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("An error to correct")
        QUESTION = "question", _("A question")
        INFORMATION = "information", _("Information for the newsroom")

    class State(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Handled")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reader_messages",
        verbose_name=_("story"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    body = TextField(_("message"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.NEW)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("last change"), null=True, blank=True)

    objects = ReaderMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="reader_message_state_idx")]
        db_table = "comments_readermessage"  # where it was born, inside comments
        verbose_name = _("message from a reader")
        verbose_name_plural = _("messages from readers")

    def __str__(self):
        return _("%(kind)s from %(name)s") % {"kind": self.get_kind_display(), "name": self.name}
