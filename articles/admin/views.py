"""The story admin's own pages beside the form: the body's preview, an image sent from the
editor, the editor's autosave, who else is editing, the comparison of two revisions, the
readings chart."""

import difflib
import re
from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import normalize_newlines
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from reversion.models import Version

from newsroom.charts import number, stacked_bars
from newsroom.typography import french

from ..editing import editing_done, editing_seen
from ..models import Article, Autosave, BodyImage, Correction
from ..pasting import MAX_PASTE, clipboard_to_html
from ..rendering import body_as_text, image_ids, plain_text, render_body
from ..services import (
    autosave_drop,
    autosave_store,
    body_image_save,
)
from ..versions import shown
from .forms import BodyImageForm

# What an autosave may hold (title, standfirst and body together): a long story is 60,000.
AUTOSAVE_MAX_CHARACTERS = 500_000


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


def editor_image(image):
    """An image of the story as the editor draws its figure: a rendition near 480 px wide,
    its description, caption and credit."""
    renditions = sorted(image.renditions or [])
    if renditions:
        src = default_storage.url(min(renditions, key=lambda r: abs(r[0] - 480))[2])
    else:
        src = image.image.url if image.image else ""
    return {
        "id": image.pk,
        "src": src,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit_line(get_language()[:2]),
    }


def editing_notice(others):
    """ "Camille Arnaud modifie cet article depuis 10 min." for each other editor."""
    return " ".join(
        gettext("%(name)s has been editing this story for %(minutes)d min.")
        % {"name": name, "minutes": minutes}
        if minutes
        else gettext("%(name)s has just opened this story.") % {"name": name}
        for name, minutes in others
    )


def _as_compared(value, name=""):
    """A stored value as the comparison shows it: the body as its text, a paragraph (an
    intertitle, a list item, an image) a block; a time in the site's zone, to the second
    (a revision stored in UTC and one stored from the form in Paris time are the same time)."""
    if name == "body":
        return body_as_text(value or "")
    moment = shown(value)
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


class StoryViews:
    """Mixed into ArticleAdmin: the URLs and views it adds to Django's."""

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
                "images/",
                self.admin_site.admin_view(require_POST(self.body_image_view)),
                name="articles_article_body_image_new",
            ),
            path(
                "paste/",
                self.admin_site.admin_view(require_POST(self.paste_view)),
                name="articles_article_paste",
            ),
            path(
                "autosave/",
                self.admin_site.admin_view(require_POST(self.autosave_view)),
                name="articles_article_autosave_new",
            ),
            path(
                "<int:pk>/autosave/",
                self.admin_site.admin_view(require_POST(self.autosave_view)),
                name="articles_article_autosave",
            ),
            path(
                "<int:pk>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """The body as the site will show it, by the site's own rendering and allow-list."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        language = request.POST.get("language", "fr")
        body = normalize_newlines(request.POST.get("body", ""))
        images = {}
        story = request.POST.get("article", "")
        if image_ids(body):
            # The story's images, and those its journalist dropped in before its first save.
            theirs = BodyImage.objects.filter(article=None, added_by=request.user)
            if story.isdigit():
                theirs |= BodyImage.objects.filter(
                    article__in=self.get_queryset(request), article_id=int(story)
                )
            images = {image.pk: image for image in theirs}
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

    def paste_view(self, request):
        """What a word processor put on the clipboard (its HTML), cleaned for the body: the
        editor puts it where the text was pasted (articles.pasting)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        html = request.POST.get("html", "")
        if len(html) > MAX_PASTE:
            return JsonResponse({"message": gettext("Too long to paste at once.")}, status=413)
        return JsonResponse({"html": clipboard_to_html(html)})

    def _story_written(self, request, pk):
        """The story being written (None for a new one), if this person may write it."""
        if pk is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def autosave_view(self, request, pk=None):
        """The editor's autosave (every AUTOSAVE_SECONDS, and when the page is left): what
        the journalist typed, kept for them alone; the story is not touched. With
        `discard`, what was kept is set aside and the form opens again."""
        article = self._story_written(request, pk)
        back = (
            reverse("admin:articles_article_change", args=[pk])
            if pk
            else reverse("admin:articles_article_add")
        )
        if request.POST.get("discard"):
            autosave_drop(article=article, user=request.user)
            self.message_user(request, gettext("The unsaved changes were set aside."))
            return redirect(back)
        fields = {name: normalize_newlines(request.POST.get(name, "")) for name in Autosave.FIELDS}
        if sum(len(value) for value in fields.values()) > AUTOSAVE_MAX_CHARACTERS:
            return JsonResponse({"message": gettext("Too long to keep.")}, status=413)
        autosave = autosave_store(article=article, user=request.user, **fields)
        when = formats.time_format(timezone.localtime(autosave.saved_at), "TIME_FORMAT")
        return JsonResponse({"message": gettext("Draft kept at %(time)s.") % {"time": when}})

    def body_image_view(self, request, pk=None):
        """An image uploaded from the editor: stored with its renditions, answered with what
        the editor draws its figure with, or with what is wrong, in the editor's words. A
        new story's images wait for it (their uploader's, until the story is saved)."""
        article = self._story_written(request, pk)
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
        image.article, image.added_by = article, request.user
        body_image_save(image=image)
        return JsonResponse(editor_image(image), status=201)

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
                before = _as_compared(older.field_dict.get(name, ""), name)
                after = _as_compared(newer.field_dict.get(name, ""), name)
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
