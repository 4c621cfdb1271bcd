from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .models import (
    BannedWord,
    BlockedSender,
    Comment,
    ModerationLogEntry,
    OutgoingMail,
    PrivacyRequest,
    waiting_first,
)
from .services import (
    ModerationConflict,
    comment_answer,
    comment_approve,
    comment_mark_spam,
    comment_reject,
)

# decision → (service, message for one or many)
DECISIONS = {
    "approve": (
        comment_approve,
        lambda n: ngettext("%(count)d comment approved.", "%(count)d comments approved.", n),
    ),
    "reject": (
        comment_reject,
        lambda n: ngettext("%(count)d comment rejected.", "%(count)d comments rejected.", n),
    ),
    "spam": (
        comment_mark_spam,
        lambda n: ngettext(
            "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", n
        ),
    ),
}
QUEUE_PAGE = 50


class ModerationLogInline(admin.TabularInline):
    model = ModerationLogEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("Moderation log")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WaitingStoryFilter(admin.SimpleListFilter):
    """Stories with comments waiting, newest first: a list of every story with comments
    would run to thousands of lines."""

    title = _("story")
    parameter_name = "article"
    LIMIT = 30

    def lookups(self, request, model_admin):
        waiting = (
            Comment.objects.pending()
            .values("article_id", "article__title")
            .annotate(latest=Max("created_at"))
            .order_by("-latest")[: self.LIMIT]
        )
        return [(str(row["article_id"]), row["article__title"]) for row in waiting]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(article_id=value) if value and value.isdigit() else queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "article_title",
        "name",
        "email",
        "created_at",
        "status",
        "spam_reason",
    ]
    list_filter = [
        "status",
        ("notified_at", admin.EmptyFieldListFilter),
        WaitingStoryFilter,
        "created_at",
    ]
    search_fields = ["name", "email", "body"]
    raw_id_fields = ["article", "parent"]
    list_select_related = ["article"]
    list_per_page = 50
    # Counting every comment a second time, for "x of y", is not worth its cost.
    show_full_result_count = False
    change_form_template = "admin/comments/comment/change_form.html"
    fields = [
        "article",
        "parent",
        "staff_author",
        "name",
        "email",
        "body",
        "status",
        "reason",
        "reason_note",
        "spam_reason",
        "notify_author",
        "created_at",
        "moderated_by",
        "moderated_at",
        "notified_at",
    ]
    readonly_fields = fields
    inlines = [ModerationLogInline]
    actions = ["approve", "reject", "mark_spam"]

    # Lookups a moderator may make through the address bar: the filters the page offers.
    ALLOWED_LOOKUPS = {"status", "notified_at", "article", "article__id", "created_at", "parent"}

    def lookup_allowed(self, lookup, value, request=None):
        """Not by address hash, text hash or form token: the page offers no such filter, and a
        hand-made URL must not find a reader by the fingerprint of their address."""
        if lookup.split("__")[0] not in {field.split("__")[0] for field in self.ALLOWED_LOOKUPS}:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_display(self, request):
        # Readers' addresses are for moderators: journalists read comments without them.
        fields = super().get_list_display(request)
        if self.has_moderate_permission(request):
            return fields
        return [field for field in fields if field != "email"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_moderate_permission(request):
            return fields
        return [field for field in fields if field != "email"]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self.has_moderate_permission(request):
            return fields
        return [field for field in fields if field != "email"]

    def get_ordering(self, request):
        return [waiting_first().asc(), "created_at", "id"]

    def has_add_permission(self, request):
        # Comments come from readers only, and stay as they were typed.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(90)

    @admin.display(description=_("story"), ordering="article__title")
    def article_title(self, comment):
        return Truncator(comment.article.title).chars(60)

    def _decide(self, request, queryset, decision):
        service, message = DECISIONS[decision]
        done = conflicts = 0
        for comment in queryset:
            try:
                service(comment=comment, moderator=request.user)
                done += 1
            except ModerationConflict:
                conflicts += 1
        self.message_user(request, message(done) % {"count": done}, messages.SUCCESS)
        if conflicts:
            self.message_user(
                request,
                ngettext(
                    "%(count)d comment changed meanwhile and was left as it was.",
                    "%(count)d comments changed meanwhile and were left as they were.",
                    conflicts,
                )
                % {"count": conflicts},
                messages.WARNING,
            )

    @admin.action(description=_("Approve the selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._decide(request, queryset, "approve")

    @admin.action(description=_("Reject the selected comments"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._decide(request, queryset, "reject")

    @admin.action(description=_("Mark the selected comments as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._decide(request, queryset, "spam")

    def get_urls(self):
        return [
            path(
                "queue/",
                self.admin_site.admin_view(self.queue_view),
                name="comments_comment_queue",
            ),
            path(
                "queue/<int:pk>/<str:decision>/",
                self.admin_site.admin_view(require_POST(self.queue_decide)),
                name="comments_comment_decide",
            ),
            path(
                "<int:pk>/answer/",
                self.admin_site.admin_view(require_POST(self.answer_view)),
                name="comments_comment_answer",
            ),
            *super().get_urls(),
        ]

    def queue_view(self, request):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        pending = Comment.objects.pending()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Moderation queue"),
            "comments": pending.select_related("article", "parent").order_by("created_at", "pk")[
                :QUEUE_PAGE
            ],
            "reasons": Comment.Reason.choices,
            "pending_count": pending.count(),
        }
        return TemplateResponse(request, "admin/comments/comment/queue.html", context)

    def queue_decide(self, request, pk, decision):
        if not self.has_moderate_permission(request) or decision not in DECISIONS:
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        service, message = DECISIONS[decision]
        extra = {}
        if decision == "reject":
            reason = request.POST.get("reason", "")
            extra = {
                "reason": reason if reason in Comment.Reason.values else "",
                "note": request.POST.get("note", "").strip()[:300],
            }
        try:
            # The queue shows waiting comments: a decision applies only to one still waiting.
            service(
                comment=comment,
                moderator=request.user,
                seen_status=Comment.Status.PENDING,
                **extra,
            )
        except ModerationConflict as conflict:
            self.message_user(
                request,
                _("This comment was already moderated (%(status)s).")
                % {"status": conflict.comment.get_status_display()},
                messages.WARNING,
            )
        else:
            self.message_user(request, message(1) % {"count": 1}, messages.SUCCESS)
        return redirect("admin:comments_comment_queue")

    def has_answer_permission(self, request):
        return request.user.has_perm("comments.answer_comment")

    def answer_view(self, request, pk):
        """The newsroom answers a published comment, from the comment's page."""
        if not self.has_answer_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(
            Comment.objects.approved().filter(parent=None, erased_at=None), pk=pk
        )
        body = request.POST.get("body", "").strip()
        if not body or len(body) > 3000:
            self.message_user(
                request, _("Write an answer of 3,000 characters at most."), messages.ERROR
            )
        else:
            comment_answer(parent=comment, author=request.user, body=body)
            self.message_user(request, _("Your answer is published."), messages.SUCCESS)
        return redirect("admin:comments_comment_change", pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, object_id)
        can_answer = (
            comment is not None
            and self.has_answer_permission(request)
            and comment.status == Comment.Status.APPROVED
            and comment.parent_id is None
            and comment.erased_at is None
        )
        context = {**(extra_context or {}), "can_answer": can_answer}
        return super().change_view(request, object_id, form_url, context)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """What the site mailed or will mail, for support: read only."""

    list_display = ["subject", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["to", "subject", "body", "created_at", "sent_at", "attempts", "last_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    """The register of readers' requests about their data, for the data-protection officer."""

    list_display = ["created_at", "kind", "comments", "by", "email_hash"]
    list_filter = ["kind", "created_at"]
    search_fields = ["email_hash"]
    readonly_fields = ["created_at", "kind", "comments", "by", "email_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BannedWord)
class BannedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]


@admin.register(BlockedSender)
class BlockedSenderAdmin(admin.ModelAdmin):
    list_display = ["value", "note", "created_at"]
    search_fields = ["value", "note"]
