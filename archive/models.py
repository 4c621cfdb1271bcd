"""What an import remembers: where each object came from (so a second run creates nothing
new), and the old site's addresses, each answered by a permanent redirect."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Tag


class SourceRecord(models.Model):
    """One object of an export, by its id there, and the row it became here."""

    class Kind(models.TextChoices):
        POST = "post", _("story")
        AUTHOR = "author", _("author")
        TERM = "term", _("tag")
        COMMENT = "comment", _("comment")

    # "wordpress:https://example.org" or "disqus:forum": ids are unique within a source.
    source = models.CharField(_("source"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source_id = models.CharField(_("id in the source"), max_length=200)
    object_id = models.BigIntegerField(_("id here"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="source_record_once"
            )
        ]
        verbose_name = _("imported object")
        verbose_name_plural = _("imported objects")

    def __str__(self):
        return f"{self.source} {self.kind} {self.source_id} → {self.object_id}"


class OldAddress(models.Model):
    """An address of the old site (its path, "/2019/05/12/slug/", or "/?p=123"), and the
    page it now answers with a 301: a story, a tag (their feeds with `feed`), or the site's
    feed when neither. Paths are kept without their last slash, decoded."""

    path = models.CharField(_("old address"), max_length=500, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("story")
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("tag")
    )
    feed = models.BooleanField(_("its feed"), default=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return self.path

    @staticmethod
    def normalise(path: str) -> str:
        return path.rstrip("/") or "/"
