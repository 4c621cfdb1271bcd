"""A comment's admin page and the comments' list, with the decision actions."""

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article
from newsroom.admin import PersonListFilter

from ..models import (
    Comment,
    Flag,
    ModerationLogEntry,
    waiting_first,
)
from ..services import (
    ModerationConflict,
    NotPickable,
    comment_pick,
)
from .log import ModerationLogAdmin
from .queue import DECISIONS, QueueViews


class RecordInline(admin.TabularInline):
    """A comment's records (its log, its reports): shown, never added to or changed."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ModerationLogInline(RecordInline):
    model = ModerationLogEntry
    fields = ["created_at", "actor", "change", "note", "misfire"]
    verbose_name_plural = _("Moderation log")

    @admin.display(description=_("decision"))
    def change(self, entry):
        return ModerationLogAdmin.change(None, entry)


class FlagInline(RecordInline):
    model = Flag
    fields = ["created_at", "reason", "cleared"]
    verbose_name_plural = _("Reports from readers")


class WaitingStoryFilter(admin.SimpleListFilter):
    """Stories with comments waiting, newest first: a list of every story with comments
    would run to thousands of lines."""

    title = _("story")
    parameter_name = "article"
    LIMIT = 30
    SCAN = 2000

    def lookups(self, request, model_admin):
        """The stories of the newest SCAN waiting comments, newest first, LIMIT of them:
        grouping every waiting comment by story took 0.6 s with 50,000 waiting on the
        archive."""
        latest = []
        newest_first = (
            Comment.objects.pending().order_by("-created_at").values_list("article_id", flat=True)
        )
        for article_id in newest_first[: self.SCAN]:
            if article_id not in latest:
                latest.append(article_id)
                if len(latest) == self.LIMIT:
                    break
        titles = dict(Article.objects.filter(pk__in=latest).values_list("pk", "title"))
        return [(str(pk), titles[pk]) for pk in latest if pk in titles]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(article_id=value) if value and value.isdigit() else queryset


class PickFilter(admin.SimpleListFilter):
    """The newsroom's picks, published now."""

    title = _("newsroom's pick")
    parameter_name = "pick"

    def lookups(self, request, model_admin):
        return [("yes", _("Picked")), ("no", _("Not picked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(picked_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(picked_at=None)
        return queryset


@admin.register(Comment)
class CommentAdmin(QueueViews, admin.ModelAdmin):
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
        PickFilter,
        WaitingStoryFilter,
        ("article__authors", PersonListFilter),
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
        "picked_at",
        "picked_by",
    ]
    readonly_fields = fields
    inlines = [ModerationLogInline, FlagInline]
    actions = ["approve", "reject", "mark_spam", "pick", "unpick"]

    # Lookups a moderator may make through the address bar: the filters the page offers.
    ALLOWED_LOOKUPS = {"status", "notified_at", "article", "created_at", "parent", "pick"}

    def has_delete_permission(self, request, obj=None):
        # A comment is rejected, marked as spam or erased at its author's request, each a
        # logged decision that the page follows; never deleted from here.
        return False

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

    @admin.action(
        description=_("Add the selected comments to the newsroom's picks"), permissions=["pick"]
    )
    def pick(self, request, queryset):
        done = 0
        for comment in queryset:
            try:
                comment_pick(comment=comment, person=request.user)
                done += 1
            except NotPickable:
                pass
        self.message_user(
            request,
            ngettext(
                "%(count)d comment added to the newsroom's picks.",
                "%(count)d comments added to the newsroom's picks.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
        if done < len(queryset):
            self.message_user(
                request,
                _("Only published comments can be picked: the others were left."),
                messages.WARNING,
            )

    @admin.action(
        description=_("Take the selected comments out of the picks"), permissions=["pick"]
    )
    def unpick(self, request, queryset):
        for comment in queryset.filter(picked_at__isnull=False):
            comment_pick(comment=comment, person=request.user, picked=False)
        self.message_user(request, _("Taken out of the newsroom's picks."), messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        comment = self.get_object(request, object_id)
        can_answer = (
            comment is not None
            and self.has_answer_permission(request)
            and comment.status == Comment.Status.APPROVED
            and comment.parent_id is None
            and comment.erased_at is None
        )
        can_pick = (
            comment is not None
            and self.has_pick_permission(request)
            and comment.status == Comment.Status.APPROVED
            and comment.erased_at is None
        )
        context = {**(extra_context or {}), "can_answer": can_answer, "can_pick": can_pick}
        return super().change_view(request, object_id, form_url, context)
