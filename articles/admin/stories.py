"""The story's admin page, its inlines, and the bin."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db.models import Case, IntegerField, When
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, override
from django.utils.translation import gettext_lazy as _
from js_asset import Media
from reversion.admin import VersionAdmin

from newsroom.admin import PersonListFilter
from newsroom.cache import story_changed
from newsroom.text import fold_text

from ..editing import editing_done, editing_now, editing_seen
from ..models import Article, Autosave, BodyImage, Correction, DeletedArticle, Tag
from ..services import (
    article_delete,
    article_publish,
    article_restore,
    article_save,
    article_unpublish,
    autosave_drop,
    body_image_delete,
    body_image_save,
)
from .forms import ArticleForm, BylineField
from .views import StoryViews, editing_notice, editor_image

logger = logging.getLogger("articles.admin")


class BodyImageInline(admin.StackedInline):
    """The images of the story's text, each placed by a figure in the body: added from the
    editor (its image button, a file dropped on the text or pasted), or here without
    scripts; their description, caption and credit are edited here."""

    model = BodyImage
    extra = 0
    fields = ["thumbnail", "image", "alt", "caption", "credit"]
    readonly_fields = ["thumbnail"]
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
class ArticleAdmin(StoryViews, VersionAdmin):
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
                    **self._autosave_context(request, article),
                }
        elif object_id is None and request.method == "GET":
            extra_context = {**(extra_context or {}), **self._autosave_context(request, None)}
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The body's editor loads its modules through an import map, an inline script:
        # it carries the page's CSP nonce, as the module scripts do (no 'unsafe-inline').
        context["media"] = Media.from_media(context["media"]).with_nonce(request.csp_nonce)
        # The images the body's figures show in the editor, by id.
        images = (
            obj.body_images.all()
            if obj
            else BodyImage.objects.filter(article=None, added_by=request.user)
        )
        context["story_images"] = {str(image.pk): editor_image(image) for image in images}
        context["editor_labels"] = {
            "toolbar": gettext("Formatting of the text"),
            "body": gettext("Body"),
            "bold": gettext("Bold (Ctrl+B)"),
            "italic": gettext("Italic (Ctrl+I)"),
            "paragraph": gettext("Paragraph"),
            "heading 2": gettext("Intertitle (Ctrl+Alt+2)"),
            "heading 3": gettext("Sub-intertitle (Ctrl+Alt+3)"),
            "heading2": gettext("Intertitle"),
            "heading3": gettext("Sub-intertitle"),
            "unordered list": gettext("Bulleted list (Ctrl+Shift+8)"),
            "ordered list": gettext("Numbered list (Ctrl+Shift+7)"),
            "blockquote": gettext(
                "Quotation (Ctrl+Shift+B): its last paragraph, “— Name, role”, is the attribution"
            ),
            "horizontal rule": gettext("Separator"),
            "insert link": gettext("Link (Ctrl+K)"),
            "remove link": gettext("Remove the link"),
            "image": gettext("Image (or drop one on the text, or paste it)"),
            "undo": gettext("Undo (Ctrl+Z)"),
            "redo": gettext("Redo (Ctrl+Shift+Z)"),
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _autosave_context(self, request, article):
        """The notice of changes kept by the editor's autosave and not saved (none when
        they were just restored into the form, or say nothing new)."""
        restored = getattr(request, "autosave_restored", False) or (
            article is None and "restaurer" in request.GET
        )
        autosave = Autosave.objects.filter(article=article, user=request.user).first()
        shown = autosave if autosave and not restored and autosave.differs_from(article) else None
        return {
            "autosave": shown,
            "autosave_restored": restored and autosave is not None,
            "autosave_seconds": settings.AUTOSAVE_SECONDS,
            "share_domain": urlsplit(settings.SITE_URL).hostname or "",
        }

    def get_object(self, request, object_id, from_field=None):
        """The story; with ?restaurer (the autosave notice's link), with what its journalist
        typed and did not save in place of its title, standfirst and body, to save or not."""
        article = super().get_object(request, object_id, from_field)
        if article is not None and request.method == "GET" and "restaurer" in request.GET:
            autosave = Autosave.objects.filter(article=article, user=request.user).first()
            if autosave is not None:
                for name in Autosave.FIELDS:
                    setattr(article, name, getattr(autosave, name))
                request.autosave_restored = True
        return article

    def get_changeform_initial_data(self, request):
        """A new story is signed by who writes it; with ?restaurer, it opens with what they
        typed in a new story and did not save."""
        initial = {"authors": [request.user.pk], **super().get_changeform_initial_data(request)}
        if "restaurer" in request.GET:
            autosave = Autosave.objects.filter(article=None, user=request.user).first()
            if autosave is not None:
                initial.update({name: getattr(autosave, name) for name in Autosave.FIELDS})
        initial.pop("restaurer", None)
        return initial

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
        return type(form.__name__, (form,), {"user": request.user})

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
        # Saved: what the autosave kept of this story (or of a new one) is no more needed.
        autosave_drop(article=form.instance if change else None, user=request.user)
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
