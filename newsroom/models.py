"""The site-wide pieces' own rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import TextField


class RateLimitEvent(models.Model):
    """One counted event of a rate limit (newsroom/ratelimit.py), kept here only while the
    shared cache is away."""

    key = models.CharField(max_length=200, db_index=True)
    at = models.DateTimeField()

    class Meta:
        db_table = "comments_ratelimitevent"  # where it was made, by comments

    def __str__(self):
        return f"{self.key} {self.at:%H:%M:%S}"


class OutgoingMail(models.Model):
    """A mail to send: the outbox every mail of the site goes through (newsroom/mail.py).
    Stored with what caused it (in the same transaction), sent by the job worker; a claim
    on it lapses, so a sender that died never leaves it unsent. A mail that fails waits
    longer before each new try, and is never given up."""

    to = models.JSONField(_("to"))
    kind = models.CharField(max_length=20, blank=True, default="")
    subject = models.CharField(_("subject"), max_length=200)
    body = TextField(_("body"))
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Not before this time (a mail that failed waits): None, as soon as possible.
    next_attempt_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        db_table = "comments_outgoingmail"  # where it was made, by comments
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(sent_at=None), name="outbox_unsent_idx"
            )
        ]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")

    def __str__(self):
        return self.subject
