"""The moderators' log: every decision, filterable, exported as CSV."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from newsroom.admin import PersonListFilter

from ..models import (
    ModerationLogEntry,
)


@admin.register(ModerationLogEntry)
class ModerationLogAdmin(admin.ModelAdmin):
    """Who decided what, when, and why: readable, filterable, exportable."""

    list_display = ["created_at", "comment_link", "actor", "change", "note_excerpt", "misfire"]
    list_filter = [("actor", PersonListFilter), "created_at", "misfire"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "comment"]
    search_fields = ["note"]
    ordering = ["-created_at", "-pk"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def comment_link(self, entry):
        url = reverse("admin:comments_comment_change", args=[entry.comment_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(entry.comment.body).chars(60))

    @admin.display(description=_("decision"))
    def change(self, entry):
        if entry.from_status == entry.to_status:
            return entry.to_label + " " + str(_("(unchanged)"))
        return f"{entry.from_label} → {entry.to_label}"

    @admin.display(description=_("note"))
    def note_excerpt(self, entry):
        return Truncator(entry.note).chars(120)

    def get_urls(self):
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name="comments_moderationlogentry_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The log as filtered on its page, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="journal-de-moderation.csv"'
        writer = csv.writer(response)
        writer.writerow(["when", "comment", "story", "by", "from", "to", "note", "rule_wrong"])
        for entry in entries.select_related("comment__article")[:50_000]:
            writer.writerow(
                [
                    timezone.localtime(entry.created_at).isoformat(),
                    entry.comment_id,
                    entry.comment.article.title,
                    entry.actor.get_username() if entry.actor else "",
                    entry.from_label,
                    entry.to_label,
                    entry.note,
                    "yes" if entry.misfire else "",
                ]
            )
        return response

    def changelist_view(self, request, extra_context=None):
        query = request.GET.urlencode()
        export = reverse("admin:comments_moderationlogentry_export") + (
            f"?{query}" if query else ""
        )
        return super().changelist_view(request, {**(extra_context or {}), "export_url": export})
