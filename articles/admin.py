import logging

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Article, DeletedArticle, Tag
from .services import (
    article_delete,
    article_publish,
    article_restore,
    article_save,
    article_unpublish,
    tag_delete,
    tag_save,
)

logger = logging.getLogger(__name__)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "premoderation", "comments_close_days"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["moderators"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        (
            _("Comments in this section"),
            {
                "fields": [
                    "premoderation",
                    "trusted_after",
                    "comments_close_days",
                    "moderators",
                ]
            },
        ),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "moderators":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    Q(is_superuser=True) | Q(groups__permissions__codename="moderate_comment"),
                    is_active=True,
                )
                .distinct()
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        tag_save(tag=obj)

    def delete_model(self, request, obj):
        tag_delete(tag=obj)

    def delete_queryset(self, request, queryset):
        for tag in queryset:
            tag_delete(tag=tag)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "publication_state",
        "published_at",
        "byline_display",
        "public_link",
    ]
    list_filter = ["status", "tags", ("authors", admin.RelatedOnlyFieldListFilter), "published_at"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors", "tags"]
    readonly_fields = ["image_preview", "created_at", "updated_at"]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        (
            _("Lead image"),
            {"fields": ["image", "image_preview", "image_alt", "image_credit"]},
        ),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "authors", "tags", "language", "comments_open"]},
        ),
        (
            _("History"),
            {"fields": ["created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).listed_for(request.user).prefetch_related("authors")

    def has_change_permission(self, request, obj=None):
        """A colleague's story is an editor's to change (JOURNALISTS_EDIT_ALL opens it up)."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or Article.objects.editable_by(request.user).filter(pk=obj.pk).exists()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
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

    def save_model(self, request, obj, form, change):
        """Stored with its tags and byline by save_related, in one service call."""

    def save_related(self, request, form, formsets, change):
        article_save(
            article=form.instance,
            tags=form.cleaned_data.get("tags"),
            authors=form.cleaned_data.get("authors"),
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

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
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
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
            return _("Draft")
        return _("Online") if article.is_live else _("Scheduled")

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
        return format_html(
            '<img src="{}" alt="{}" style="max-width:320px;height:auto">',
            article.image_src(480),
            article.image_alt,
        )

    @admin.action(description=_("Publish the selected stories now"), permissions=["change"])
    def publish_now(self, request, queryset):
        mine = queryset & Article.objects.editable_by(request.user)
        published = [article_publish(article=a) for a in mine if not a.is_live]
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
            article_unpublish(article=a) for a in mine if a.status == Article.Status.PUBLISHED
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
        return DeletedArticle.objects.binned().prefetch_related("authors")

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
