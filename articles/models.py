import re
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from newsroom.fields import TextField
from newsroom.text import fold_text
from newsroom.typography import french

from .images import validate_lead_image
from .querysets import ArticleQuerySet, DailyReadingsQuerySet, TagQuerySet
from .rendering import figure_placeholder, image_ids, plain_text, render_body, stored_body

# Letters that Unicode decomposition does not fold to ASCII.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# An edit this soon after publication is a last correction, not an update worth telling readers.
REVISION_GRACE = timedelta(minutes=5)
# The fields whose change makes a published story "updated" for its readers.
EDITORIAL_FIELDS = ("title", "standfirst", "body", "image")


# A credit that already says what the image is needs no "Photo :" before it.
_CREDIT_KIND = re.compile(
    r"(photo|illustration|infographie|infographic|dessin|drawing|crédit|credit)\b", re.I
)


def credit_line(credit, language):
    """A credit under an image: as typed when it says what the image is ("Photo : …",
    "Illustration : …"), else "Photo : …"; empty without a credit."""
    credit = credit.strip()
    if credit and not _CREDIT_KIND.match(credit):
        credit = _("Photo: %(credit)s") % {"credit": credit}
    return french(credit) if language == "fr" else credit


def fold_slug(text, max_length=200):
    """A URL slug with French accents and ligatures folded: "Attractivité à Aix" → attractivite-a-aix."""
    return slugify(text.translate(_LIGATURES))[:max_length].strip("-")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = TextField(_("description"), max_length=500, blank=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = fold_slug(self.name, 60)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The story's address. Made from the title when left empty."),
    )
    standfirst = TextField(
        _("standfirst"),
        max_length=800,
        help_text=_("One paragraph that sums the story up."),
    )
    body = TextField(
        _("body"),
        help_text=_(
            "Write as in a word processor: the toolbar or Ctrl+B, Ctrl+I, Ctrl+K for a link; "
            "“Intertitle” in the paragraph menu; a quotation's last paragraph “— Name, role” is "
            "its attribution. Drop or paste an image where it goes, or use the image button."
        ),
    )
    body_html = models.TextField(editable=False, default="")
    # The body as plain text, for search excerpts; and title + standfirst + body folded, for SQLite.
    body_text = models.TextField(editable=False, default="")
    search_document = models.TextField(editable=False, default="")
    # Kept up to date on PostgreSQL only, with a GIN index (migration 0005).
    search_vector = SearchVectorField(null=True, editable=False)
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="articles", verbose_name=_("byline")
    )
    image = models.ImageField(
        _("lead image"),
        upload_to="articles/%Y/%m/",
        blank=True,
        validators=[validate_lead_image],
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 20 megapixels."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it. Required with an image."),
    )
    image_credit = models.CharField(
        _("image credit"),
        max_length=120,
        blank=True,
        help_text=_(
            "Shown under the image. A name alone reads “Photo: name”; start with "
            "“Illustration:” or “Infographic:” when it is one."
        ),
    )
    image_renditions = models.JSONField(default=list, editable=False)
    # The point of the image that must stay in view when it is cropped (0–100 % from the
    # left and from the top), and the crops made around it: [[kind, width, height, name]].
    image_focus_x = models.PositiveSmallIntegerField(
        _("focal point, from the left (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Click the image above, or type the position: 0 is the left edge, 100 the right."
        ),
    )
    image_focus_y = models.PositiveSmallIntegerField(
        _("focal point, from the top (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("0 is the top edge, 100 the bottom."),
    )
    image_crops = models.JSONField(default=list, editable=False)
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True, verbose_name=_("tags"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        default=timezone.now,
        help_text=_(
            "A published story with a time in the future appears on the site at that time."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("The language the story is written in. French text gets French typography."),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    # Counts the saves: a form opened before the last one cannot overwrite it.
    edit_version = models.PositiveIntegerField(default=0)
    # Deleted stories wait in the bin for STORY_BIN_DAYS, restorable, then go for good.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            # The live stories alone, newest first: counting them (home, tag pages, the tag
            # menu) and finding a period's stories read this index, not the story table
            # (on 200,000 stories, 140 ms to count them through the table, 28 ms here).
            models.Index(
                fields=["-published_at", "id"],
                condition=models.Q(status="published", deleted_at=None),
                name="article_live_idx",
            ),
            # Every story not in the bin, in the admin's order: its list, its count and the
            # date links above it read this index (200,000 stories: 1.7 s of SQL for the
            # list page through the table, 0.2 s here).
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(deleted_at=None),
                name="article_desk_idx",
            ),
        ]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        permissions = [
            ("see_all_drafts", _("Can see and edit every draft")),
            ("delete_published_article", _("Can delete published stories")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Fill the derived fields; the side effects of a save (image renditions, search
        index, caches) are articles.services.article_save's."""
        if self.language == "fr":
            self.title, self.standfirst = french(self.title), french(self.standfirst)
        if not self.slug:
            self.slug = self._unique_slug()
        self.body = stored_body(self.body)
        self.render_text()
        if self._state.adding:
            # A story entered after its publication time (an archive, an import) is not "updated".
            self.updated_at = min(timezone.now(), self.published_at)
        elif self.loaded_editorial not in (None, self._editorial_snapshot()):
            self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Describe the image for readers who cannot see it.")}
            )

    def render_text(self):
        """body_html and body_text from the body and the images it places."""
        images = (
            {image.pk: image for image in self.body_images.all()}
            if self.pk and image_ids(self.body)
            else None
        )
        self.body_html = render_body(
            self.body, french_typography=self.language == "fr", images=images
        )
        self.body_text = plain_text(self.body_html)

    # What the editorial fields were when the story was loaded (None: a new story).
    loaded_editorial = None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Partial loads (.only(), .defer()) skip it: reading a deferred field would load it.
        if set(EDITORIAL_FIELDS) <= set(field_names):
            instance.loaded_editorial = instance._editorial_snapshot()
        return instance

    @property
    def image_changed(self) -> bool:
        """A new story, or a new image (or none any more) since the story was loaded."""
        if self._state.adding:
            return True
        return self.loaded_editorial is not None and self.loaded_editorial[-1] != self.image.name

    def mark_saved(self):
        """What the editorial fields are now becomes what they were "when loaded"."""
        self.loaded_editorial = self._editorial_snapshot()

    def _editorial_snapshot(self):
        return tuple(
            getattr(self, f).name if f == "image" else getattr(self, f) for f in EDITORIAL_FIELDS
        )

    def _unique_slug(self):
        base = fold_slug(self.title) or "article"
        slug, n = base, 1
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base[:190]}-{n}"
        return slug

    @property
    def image_credit_line(self):
        """The credit under the image: as typed when it says what it is ("Photo : …",
        "Illustration : …"), else "Photo : …"."""
        return credit_line(self.image_credit, self.language)

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    @cached_property
    def correction_list(self) -> list:
        """Its public corrections and updates, oldest first."""
        return list(self.corrections.all())

    @property
    def is_revised(self):
        """Edited after publication, so the page says when."""
        return self.updated_at > self.published_at + REVISION_GRACE

    @cached_property
    def tag_list(self) -> list[Tag]:
        """The story's tags in alphabetical order, accents aside (É with E); from the
        with_cards/with_feed_items annotation when the story came through one."""
        if hasattr(self, "tag_data"):
            tags = [Tag(id=pk, name=name, slug=slug) for pk, name, slug in self.tag_data or ()]
        else:
            tags = list(self.tags.all())
        return sorted(tags, key=lambda tag: fold_text(tag.name))

    @cached_property
    def byline(self) -> list[str]:
        """Authors' names, in the order they were added to the story."""
        if hasattr(self, "byline_data"):
            people = [row[1:] for row in sorted(self.byline_data or (), key=lambda row: row[0])]
        else:
            through = Article.authors.through.objects.filter(article=self).order_by("id")
            people = through.values_list("user__first_name", "user__last_name", "user__username")
        return [f"{first} {last}".strip() or username for first, last, username in people]

    def image_src(self, width=960):
        """The rendition closest to a width, for src and social cards."""
        if not self.image_renditions:
            return ""
        best = min(self.image_renditions, key=lambda r: abs(r[0] - width))
        return default_storage.url(best[2])

    @property
    def image_srcset(self):
        return ", ".join(f"{default_storage.url(n)} {w}w" for w, _h, n in self.image_renditions)

    def _crops(self, kind):
        return [(w, h, name) for k, w, h, name in self.image_crops if k == kind]

    @property
    def card_image(self):
        """The 16:9 crops around the focal point for cards, as src, srcset, width, height;
        before they exist, the full renditions (the browser crops them at the centre)."""
        crops = self._crops("card") or [tuple(r) for r in self.image_renditions]
        if not crops:
            return None
        w, h, name = min(crops, key=lambda c: abs(c[0] - 960))
        return {
            "src": default_storage.url(name),
            "srcset": ", ".join(f"{default_storage.url(n)} {cw}w" for cw, _h, n in crops),
            "width": w,
            "height": h,
        }

    @property
    def share_image(self):
        """The 1200×630 JPEG (PNG with transparency) networks show: (url, width, height,
        type), or None before it exists."""
        for w, h, name in self._crops("share"):
            kind = "image/png" if name.endswith(".png") else "image/jpeg"
            return default_storage.url(name), w, h, kind
        return None


class Correction(models.Model):
    """A dated public note at the end of a published story: a fact corrected, or news added."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("story")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = TextField(_("text"), max_length=1000)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.article}"

    def save(self, *args, **kwargs):
        if self.article.language == "fr":
            self.text = french(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class BodyImage(models.Model):
    """An image inside a story's text: a figure with its description, caption and credit,
    placed by a figure in the body, shown in the same WebP renditions as the
    lead image."""

    # None: dropped into a story not saved yet; it joins the story when the story is saved
    # with it in its text (articles.services.article_save), or goes after two days.
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="body_images",
        verbose_name=_("story"),
        null=True,
        blank=True,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    image = models.ImageField(
        _("image"),
        upload_to="articles/%Y/%m/",
        validators=[validate_lead_image],
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 20 megapixels."),
    )
    alt = models.CharField(
        _("image description"),
        max_length=250,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("image credit"), max_length=120, blank=True)
    renditions = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("image in the text")
        verbose_name_plural = _("images in the text")

    def __str__(self):
        return f"image {self.pk}"

    @property
    def placeholder(self):
        """What places it in the body: the editor's figure."""
        return figure_placeholder(self.pk)

    def credit_line(self, language):
        return credit_line(self.credit, language)


class DeletedArticle(Article):
    """The bin: deleted stories, for editors to restore."""

    class Meta:
        proxy = True
        verbose_name = _("deleted story")
        verbose_name_plural = _("bin: deleted stories")

    def __str__(self):
        return self.title


class DailyReadings(models.Model):
    """Readings of a story on one day, split over a few rows so busy stories never queue on one lock."""

    SHARDS = 8

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="readings")
    day = models.DateField()
    shard = models.PositiveSmallIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    objects = DailyReadingsQuerySet.as_manager()

    class Meta:
        # Covering: the "most read" sum reads the index alone, never the table.
        indexes = [
            models.Index(
                fields=["day", "article"], include=["count"], name="readings_day_article_idx"
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["article", "day", "shard"], name="unique_reading_shard")
        ]
        verbose_name = _("daily readings")
        verbose_name_plural = _("daily readings")

    def __str__(self):
        return f"{self.article_id} {self.day} #{self.shard}: {self.count}"


# Every save of a story is kept (django-reversion), with its tags, byline and corrections.
reversion.register(Correction)
reversion.register(Article, follow=["corrections"])


class Autosave(models.Model):
    """What a journalist typed in a story and has not saved yet, kept every 30 seconds and
    when they leave the page: theirs alone (two people's never overwrite each other), never
    the story's until they restore it and save. A new story's has no story yet."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    standfirst = TextField(blank=True)
    body = TextField(blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_one_per_person"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article=None),
                name="autosave_one_new_story_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.article_id} {self.saved_at:%Y-%m-%d %H:%M}"

    FIELDS = ("title", "standfirst", "body")

    def differs_from(self, article) -> bool:
        """Whether restoring it would change anything in the story as stored."""
        stored = article or Article()
        return any(getattr(self, name) != getattr(stored, name) for name in self.FIELDS)
