import difflib
import logging
import re
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case, IntegerField, Sum, When
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.text import normalize_newlines
from django.utils.translation import get_language, gettext, ngettext, override
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from newsroom.admin import PersonListFilter
from newsroom.cache import story_changed
from newsroom.charts import number, stacked_bars
from newsroom.text import fold_text
from newsroom.typography import french

from .editing import editing_done, editing_now, editing_seen
from .models import Article, BodyImage, Correction, DeletedArticle, Tag
from .rendering import image_ids, plain_text, render_body
from .services import (
    article_delete,
    article_publish,
    article_restore,
    article_save,
    article_unpublish,
    body_image_delete,
    body_image_save,
    tag_delete,
    tag_save,
)

logger = logging.getLogger(__name__)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]

    def save_model(self, request, obj, form, change):
        tag_save(tag=obj)

    def delete_model(self, request, obj):
        tag_delete(tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            tag_delete(tag=tag)


class BylineField(forms.ModelMultipleChoiceField):
    """Journalists and editors, by their full names."""

    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


def _diff(before, after):
    """What changed between two texts, paragraph by paragraph and, inside a rewritten
    paragraph, word by word: [("same" | "removed" | "added", text), ...]."""
    old, new = before.split("\n\n"), after.split("\n\n")
    parts = []

    def words(a, b):
        tokens_a, tokens_b = re.split(r"(\s+)", a), re.split(r"(\s+)", b)
        matcher = difflib.SequenceMatcher(None, tokens_a, tokens_b, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                parts.append(("same", "".join(tokens_a[a1:a2])))
            if op in {"delete", "replace"}:
                parts.append(("removed", "".join(tokens_a[a1:a2])))
            if op in {"insert", "replace"}:
                parts.append(("added", "".join(tokens_b[b1:b2])))
        parts.append(("same", "\n\n"))

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.extend(("same", paragraph + "\n\n") for paragraph in old[i1:i2])
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for a, b in zip(old[i1 : i1 + paired], new[j1 : j1 + paired], strict=True):
            words(a, b)
        parts.extend(("removed", p + "\n\n") for p in old[i1 + paired : i2] if p)
        parts.extend(("added", p + "\n\n") for p in new[j1 + paired : j2] if p)
    if parts:
        parts[-1] = (parts[-1][0], parts[-1][1].rstrip("\n"))
    return [(kind, text) for kind, text in parts if text]


def editing_notice(others):
    """ "Camille Arnaud modifie cet article depuis 10 min." for each other editor."""
    return " ".join(
        gettext("%(name)s has been editing this story for %(minutes)d min.")
        % {"name": name, "minutes": minutes}
        if minutes
        else gettext("%(name)s has just opened this story.") % {"name": name}
        for name, minutes in others
    )


def _shown(value):
    """A stored value as an editor sees it: a time to the second (the form drops the rest)."""
    moment = parse_datetime(value) if isinstance(value, str) else None
    return moment.replace(microsecond=0) if moment else value


def _as_compared(value):
    """A stored value as the comparison shows it: a time in the site's zone, to the second
    (a revision stored in UTC and one stored from the form in Paris time are the same time)."""
    moment = _shown(value)
    if hasattr(moment, "tzinfo"):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return str(value)


def _corrections_text(version):
    """The corrections a revision of a story holds (it follows them), one paragraph each."""
    kinds = dict(Correction.Kind.choices)
    corrections = sorted(
        (
            v.field_dict
            for v in version.revision.version_set.all()
            if v.content_type.model_class() is Correction
        ),
        key=lambda fields: (fields["created_at"], fields["id"]),
    )
    typography = french if get_language().startswith("fr") else str
    return "\n\n".join(
        typography(
            gettext("%(kind)s, %(date)s: ")
            % {
                "kind": kinds.get(fields["kind"], fields["kind"]),
                "date": formats.date_format(
                    timezone.localtime(fields["created_at"]), "DATE_FORMAT"
                ),
            }
        )
        + fields["text"]
        for fields in corrections
    )


class ArticleForm(forms.ModelForm):
    # The version the form was opened on: a save made since is not overwritten.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "body", "edit_version", "image", "image_alt",
            "image_credit", "image_focus_x", "image_focus_y", "status", "published_at",
            "authors", "tags", "language",
            "comments_open",
        ]  # fmt: skip

    # In the history's "restore this revision" form, the story's version before the old
    # revision was loaded into it (ArticleAdmin.revision_view).
    live_edit_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("image_focus_x", "image_focus_y"):
            if name in self.fields:  # left empty: the centre
                self.fields[name].required = False
        if self.live_edit_version is not None:
            self.initial["edit_version"] = self.live_edit_version

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        placed = image_ids(body)
        known = (
            set(BodyImage.objects.filter(article_id=self.instance.pk).values_list("pk", flat=True))
            if self.instance.pk and placed
            else set()
        )
        unknown = [n for n in placed if n not in known]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "The text places an image this story does not have: %(lines)s. Insert it "
                    "with “Insert an image in the text”, or take the line out.",
                    "The text places images this story does not have: %(lines)s. Insert them "
                    "with “Insert an image in the text”, or take the lines out.",
                    len(unknown),
                )
                % {"lines": ", ".join(f"[[image {n}]]" for n in unknown)},
                code="unknown_image",
            )
        return body

    def clean_edit_version(self):
        # Empty on the add form (a new story has no version yet): the stored one, 0 when new.
        value = self.cleaned_data.get("edit_version")
        return self.instance.edit_version if value is None else value

    def clean_image_focus_x(self):
        value = self.cleaned_data.get("image_focus_x")
        return 50 if value is None else value

    def clean_image_focus_y(self):
        value = self.cleaned_data.get("image_focus_y")
        return 50 if value is None else value

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        stories = Article.objects.filter(pk=instance.pk)
        if transaction.get_connection().in_atomic_block:
            # The admin saves in the same transaction: no other save between check and write.
            stories = stories.select_for_update()
        current = stories.first()
        opened_on = cleaned.get("edit_version")
        if self.live_edit_version is not None and current is not None:
            current.edit_version = self.live_edit_version
        if current is None or opened_on is None or opened_on == current.edit_version:
            return cleaned
        # What changed since the form was opened: the revision it was opened on against the
        # latest, both as django-reversion stored them (dates to the millisecond).
        versions = {
            v.field_dict.get("edit_version"): v.field_dict
            for v in Version.objects.get_for_object(current)[:50]
        }
        opened, latest = versions.get(opened_on), versions.get(current.edit_version)
        changed = [
            str(Article._meta.get_field(name).verbose_name)
            for name in ("title", "standfirst", "body", "status", "published_at", "image_credit")
            if opened and latest and _shown(opened.get(name)) != _shown(latest.get(name))
        ]
        last = Version.objects.get_for_object(current).select_related("revision__user").first()
        who = last.revision.user if last and last.revision.user else None
        raise forms.ValidationError(
            gettext(
                "%(who)s saved this story at %(when)s, after you opened it (%(what)s). Your text "
                "is kept below and was not saved: copy what you need, open the story again, "
                "and apply it."
            )
            % {
                "who": (who.get_full_name() or who.get_username()) if who else gettext("Someone"),
                "when": formats.time_format(
                    timezone.localtime(last.revision.date_created if last else current.updated_at)
                ),
                "what": ", ".join(changed) or gettext("see its history"),
            },
            code="conflict",
        )


class BodyImageInline(admin.StackedInline):
    """The images of the story's text: each placed by its line, e.g. "[[image 12]]", on a
    paragraph of its own. Added from the editor's "Insert an image" (or here, without
    scripts); their description, caption and credit are edited here."""

    model = BodyImage
    extra = 0
    fields = [("thumbnail", "placeholder_line"), "image", "alt", "caption", "credit"]
    readonly_fields = ["thumbnail", "placeholder_line"]
    classes = ["body-images"]

    def has_add_permission(self, request, obj=None):
        return obj is not None and super().has_add_permission(request, obj)

    @admin.display(description=_("preview"))
    def thumbnail(self, image):
        if not image.renditions:
            return "—"
        width, height, name = min(image.renditions)
        return format_html(
            '<img class="body-images__thumb" src="{}" alt="" width="{}" height="{}">',
            default_storage.url(name),
            width,
            height,
        )

    @admin.display(description=_("line to put in the text"))
    def placeholder_line(self, image):
        return format_html("<code>{}</code>", image.placeholder) if image.pk else "—"


class BodyImageForm(forms.ModelForm):
    """An image uploaded from the editor, beside the body."""

    class Meta:
        model = BodyImage
        fields = ["image", "alt", "caption", "credit"]


class CorrectionInline(admin.TabularInline):
    """Public corrections and updates: an editor's to add."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == Article.Status.PUBLISHED
            and super().has_add_permission(request, obj)
        )


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    list_display = [
        "title",
        "publication_state",
        "published_at",
        "byline_display",
        "public_link",
    ]
    list_filter = ["status", "tags", ("authors", PersonListFilter), "published_at"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors", "tags"]
    form = ArticleForm
    inlines = [BodyImageInline, CorrectionInline]  # see get_inlines
    readonly_fields = [
        "image_preview",
        "created_at",
        "updated_at",
        "readings_chart",
    ]
    actions = ["publish_now", "unpublish"]
    change_form_template = "admin/articles/article/change_form.html"
    history_latest_first = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body", "edit_version"]}),
        (
            _("Lead image"),
            {
                "fields": [
                    "image",
                    "image_preview",
                    ("image_focus_x", "image_focus_y"),
                    "image_alt",
                    "image_credit",
                ]
            },
        ),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "authors", "tags", "language", "comments_open"]},
        ),
        (
            _("Readers"),
            {"fields": ["readings_chart"], "classes": ["collapse"]},
        ),
        (
            _("History"),
            {"fields": ["created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/editor.css"]}
        js = ["articles/editor.js"]

    def add_view(self, request, form_url="", extra_context=None):
        context = {"title": _("Add a story"), **(extra_context or {})}
        return super().add_view(request, form_url, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        context = {"title": _("Change the story"), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="articles_article_preview",
            ),
            path(
                "<int:pk>/editing/",
                self.admin_site.admin_view(require_POST(self.editing_view)),
                name="articles_article_editing",
            ),
            path(
                "<int:pk>/images/",
                self.admin_site.admin_view(require_POST(self.body_image_view)),
                name="articles_article_body_image",
            ),
            path(
                "<int:pk>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """The body as the site will show it, by the site's own Markdown and allow-list."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        language = request.POST.get("language", "fr")
        body = normalize_newlines(request.POST.get("body", ""))
        images = {}
        story = request.POST.get("article", "")
        if story.isdigit() and image_ids(body):
            images = {
                image.pk: image
                for image in BodyImage.objects.filter(
                    article__in=self.get_queryset(request), article_id=int(story)
                )
            }
        html = render_body(body, french_typography=language == "fr", images=images)
        words = len(re.findall(r"\w+(?:[’'-]\w+)*", plain_text(html)))  # not « : » or « — »
        return JsonResponse(
            {
                "html": html,
                "words": words,
                "summary": ngettext("%(words)d word", "%(words)d words", words) % {"words": words}
                + " · "
                + gettext("%(minutes)d min to read") % {"minutes": max(1, round(words / 200))},
            }
        )

    def body_image_view(self, request, pk):
        """An image uploaded from the editor: stored with its renditions, answered with the
        line that places it in the text, or with what is wrong, in the editor's words."""
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        form = BodyImageForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [
                gettext("%(field)s: %(message)s")
                % {"field": form.fields[name].label, "message": message}
                if name in form.fields
                else message
                for name, messages_ in form.errors.items()
                for message in messages_
            ]
            return JsonResponse({"errors": errors}, status=400)
        image = form.save(commit=False)
        image.article = article
        body_image_save(image=image)
        return JsonResponse({"placeholder": image.placeholder, "id": image.pk}, status=201)

    def editing_view(self, request, pk):
        """The open editor says it is still there (every minute while its journalist works),
        or that it left; the answer is who else has the story open."""
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if request.POST.get("left"):
            editing_done(article.pk, request.user)
            return JsonResponse({"notice": ""})
        return JsonResponse({"notice": editing_notice(editing_seen(article.pk, request.user))})

    def compare_view(self, request, pk):
        """Two revisions of a story side by side: what changed in its text and settings."""
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        ids = [request.GET.get("a"), request.GET.get("b")]
        chosen = [get_object_or_404(versions, pk=pk) for pk in ids if pk and pk.isdigit()]
        if len(chosen) != 2:
            chosen = list(versions[:2])[::-1]
        rows = []
        if len(chosen) == 2:
            older, newer = sorted(chosen, key=lambda v: v.revision.date_created)
            for name in (
                "title",
                "standfirst",
                "body",
                "status",
                "published_at",
                "tags",
                "authors",
            ):
                before = _as_compared(older.field_dict.get(name, ""))
                after = _as_compared(newer.field_dict.get(name, ""))
                if before == after:
                    continue
                rows.append((Article._meta.get_field(name).verbose_name, _diff(before, after)))
            before, after = _corrections_text(older), _corrections_text(newer)
            if before != after:
                rows.append((Correction._meta.verbose_name_plural, _diff(before, after)))
            chosen = [older, newer]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": _("Compare two revisions"),
            "versions": versions,
            "chosen": chosen,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    @admin.display(description=_("readings, last 30 days"))
    def readings_chart(self, article):
        """Readings per day as a bar chart (newsroom.charts, as on the editors' dashboard),
        with its figures in a table behind it for screen readers."""
        if not article.pk:
            return "—"
        today = timezone.localdate()
        since = today - timedelta(days=29)
        per_day = dict(
            article.readings.filter(day__gte=since)
            .values("day")
            .annotate(total=Sum("count"))
            .values_list("day", "total")
        )
        days = [since + timedelta(days=n) for n in range(30)]
        counts = [per_day.get(day, 0) for day in days]
        title = gettext("Readings per day, last 30 days")
        labels = [formats.date_format(day, "j/m") for day in days]
        svg = stacked_bars("readings-title", title, labels, [(title, "#417690", counts)])
        table = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            ((label, number(c)) for label, c in zip(labels, counts, strict=True)),
        )
        return format_html(
            '<figure class="readings-chart">{}<figcaption>{}</figcaption>'
            "<details><summary>{}</summary><table>{}</table></details></figure>",
            svg,
            ngettext("%(count)d reading in all", "%(count)d readings in all", sum(counts))
            % {"count": sum(counts)},
            gettext("The figures"),
            table,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).listed_for(request.user).with_byline()

    def has_change_permission(self, request, obj=None):
        """A colleague's story is an editor's to change (JOURNALISTS_EDIT_ALL opens it up)."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or Article.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def construct_change_message(self, request, form, formsets, add=False):
        """The history names changed fields by their model names ("titre", "chapô"), which the
        catalogue translates when shown, not by capitalised form labels, which it does not."""
        message = super().construct_change_message(request, form, formsets, add)
        with override(None):
            names = [
                str(Article._meta.get_field(name).verbose_name)
                if name in {f.name for f in Article._meta.get_fields()}
                else str(form.fields[name].label or name)
                for name in form.changed_data
            ]
        for part in message:
            if "changed" in part and "name" not in part["changed"]:
                part["changed"]["fields"] = names
        return message

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "GET" and str(object_id).isdigit():
            article = self.get_object(request, object_id)
            if article is not None and self.has_change_permission(request, article):
                extra_context = {
                    **(extra_context or {}),
                    "editing_notice": editing_notice(editing_seen(article.pk, request.user)),
                }
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError:
            # The save ran in a transaction, now rolled back; article_save removed its files.
            logger.exception("Could not store the story's image")
            self.message_user(
                request,
                _(
                    "The image could not be stored (the disk may be full, or the file is "
                    "damaged). The story was not changed: try again later, or with another image."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # The old revision is loaded into the form; the version it would replace is today's.
        request.live_edit_version = (
            Article.objects.filter(pk=object_id).values_list("edit_version", flat=True).first()
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        live = getattr(request, "live_edit_version", None)
        if live is not None:
            form = type(form.__name__, (form,), {"live_edit_version": live})
        return form

    def save_model(self, request, obj, form, change):
        """Stored with its tags and byline by save_related, in one service call."""

    def save_related(self, request, form, formsets, change):
        if change:
            editing_done(form.instance.pk, request.user)
            # Images and corrections first: the story's revision and its body carry them.
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
        live = getattr(request, "live_edit_version", None)
        if live is not None:  # restoring a revision: it follows today's version
            form.instance.edit_version = live
        article_save(
            article=form.instance,
            tags=form.cleaned_data.get("tags"),
            authors=form.cleaned_data.get("authors"),
            user=request.user,
        )
        if not change:
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            if any(formset.has_changed() for formset in formsets):
                story_changed(form.instance.pk)  # its corrections show on its page

    def get_inlines(self, request, obj):
        # Images in the text belong to a stored story: from its second save on.
        return [BodyImageInline, CorrectionInline] if obj else [CorrectionInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not BodyImage:
            return super().save_formset(request, form, formset, change)
        for image in formset.save(commit=False):
            body_image_save(image=image)
        for image in formset.deleted_objects:
            body_image_delete(image=image)

    def get_deleted_objects(self, objs, request):
        """A story goes to the bin with its comments, images and readings, restorable: the
        confirmation lists the stories alone, and asks for no right to delete comments."""
        stories = [str(story) for story in objs]
        return stories, {self.model._meta.verbose_name_plural: len(stories)}, set(), []

    def delete_model(self, request, obj):
        article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article_delete(article=article)

    def get_changeform_initial_data(self, request):
        return {
            "authors": [request.user.pk],
            **super().get_changeform_initial_data(request),
        }

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "authors":
            # The byline: journalists and editors, by their names; not the admin or moderators.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, groups__name__in=["Journalists", "Editors"])
                .distinct()
                .order_by("last_name", "first_name")
            )
            kwargs["form_class"] = BylineField
        if db_field.name == "tags":
            # As French readers sort: Aéronautique before Attractivité.
            tags = sorted(Tag.objects.all(), key=lambda tag: fold_text(tag.name))
            order = Case(
                *[When(pk=tag.pk, then=n) for n, tag in enumerate(tags)],
                output_field=IntegerField(),
            )
            kwargs["queryset"] = Tag.objects.order_by(order) if tags else Tag.objects.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if request.user.has_perm("articles.delete_published_article"):
            return True
        return obj is None or obj.status == Article.Status.DRAFT

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk deletion cannot check each story: only those who may delete published ones get it.
        if not request.user.has_perm("articles.delete_published_article"):
            actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("state"), ordering="status")
    def publication_state(self, article):
        if article.status == Article.Status.DRAFT:
            state = _("Draft")
        else:
            state = _("Online") if article.is_live else _("Scheduled")
        others = getattr(article, "editing_now", None)
        if not others:
            return state
        names = ", ".join(f"{name} ({minutes}\u00a0min)" for name, minutes in others)
        being_edited = gettext("Open in the editor: %(names)s") % {"names": names}
        return format_html('{}<br><span class="editing-now">{}</span>', state, being_edited)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Who else has these stories open in the editor: one cache read for the page.
        editing = editing_now([a.pk for a in changelist.result_list], request.user)
        for article in changelist.result_list:
            article.editing_now = editing.get(article.pk)
        return changelist

    @admin.display(description=_("byline"))
    def byline_display(self, article):
        return ", ".join(article.byline)

    @admin.display(description=_("on the site"))
    def public_link(self, article):
        label = _("View") if article.is_live else _("Preview")
        return format_html('<a href="{}">{}</a>', article.get_absolute_url(), label)

    @admin.display(description=_("preview"))
    def image_preview(self, article):
        if not article.image_renditions:
            return "—"
        # A click on the image sets the focal point fields below (static/articles/editor.js).
        return format_html(
            '<div class="focus-picker"><img src="{}" alt="{}"><span class="focus-picker__mark">'
            '</span></div><p class="help">{}</p>',
            article.image_src(480),
            article.image_alt,
            _(
                "Click the point that must stay in view when the image is cropped (lists, "
                "social networks); the crops are made when you save."
            ),
        )

    @admin.action(description=_("Publish the selected stories now"), permissions=["change"])
    def publish_now(self, request, queryset):
        mine = queryset & Article.objects.editable_by(request.user)
        published = [article_publish(article=a, user=request.user) for a in mine if not a.is_live]
        self.message_user(
            request,
            ngettext(
                "%(count)d story published.",
                "%(count)d stories published.",
                len(published),
            )
            % {"count": len(published)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected stories"), permissions=["change"])
    def unpublish(self, request, queryset):
        mine = queryset & Article.objects.editable_by(request.user)
        drafts = [
            article_unpublish(article=a, user=request.user)
            for a in mine
            if a.status == Article.Status.PUBLISHED
        ]
        self.message_user(
            request,
            ngettext(
                "%(count)d story taken off the site.",
                "%(count)d stories taken off the site.",
                len(drafts),
            )
            % {"count": len(drafts)},
            messages.SUCCESS,
        )


@admin.register(DeletedArticle)
class BinAdmin(admin.ModelAdmin):
    """The bin: editors restore deleted stories for STORY_BIN_DAYS; then they go for good."""

    list_display = ["title", "deleted_at", "byline_display", "published_at"]
    ordering = ["-deleted_at"]
    search_fields = ["title"]
    actions = ["restore"]
    fields = ["title", "standfirst", "status", "published_at", "deleted_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return DeletedArticle.objects.binned().with_byline()

    def _is_editor(self, request):
        return request.user.has_perm("articles.delete_published_article")

    def has_module_permission(self, request):
        return self._is_editor(request)

    def has_view_permission(self, request, obj=None):
        return self._is_editor(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request):
        return self._is_editor(request)

    @admin.display(description=_("byline"))
    def byline_display(self, article):
        return ", ".join(article.byline)

    @admin.action(description=_("Restore the selected stories"), permissions=["restore"])
    def restore(self, request, queryset):
        restored = [article_restore(article=a) for a in queryset]
        self.message_user(
            request,
            ngettext("%(count)d story restored.", "%(count)d stories restored.", len(restored))
            % {"count": len(restored)},
            messages.SUCCESS,
        )
