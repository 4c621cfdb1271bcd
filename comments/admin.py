import csv
from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.db.models.functions import Lower
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator, normalize_newlines
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from articles.models import Article
from newsroom.admin import PersonListFilter
from newsroom.cache import cached

from .models import (
    BannedWord,
    BlockedSender,
    Comment,
    Flag,
    ModerationLogEntry,
    PrivacyRequest,
    SectionPolicy,
    waiting_first,
)
from .services import (
    ModerationConflict,
    comment_answer,
    comment_approve,
    comment_mark_spam,
    comment_redact,
    comment_reject,
    comment_review,
    comment_undo,
    policy_delete,
    policy_save,
    sender_block,
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
# The queue's count per section is kept this long. Counted each time, it joins every story
# with comments waiting to its sections, which grows with the archive (200,000 stories,
# 50,000 waiting: 74 to 155 ms, most of the page's SQL); the total and the list stay exact.
SECTION_COUNTS_SECONDS = 30
# The rules that hold comments, as moderators read them.
RULES = {
    "banned_word": _("Banned word"),
    "links": _("Links"),
    "blocked": _("Blocked sender"),
    "duplicate": _("Text already sent"),
}


def moderation_target():
    return timedelta(hours=settings.COMMENT_MODERATION_TARGET)


def commenter_history(emails) -> dict:
    """For each address, what became of its comments: published, refused, and when its
    first came; so a regular is known at a glance."""
    rows = (
        Comment.objects.annotate(address=Lower("email"))
        .filter(address__in=[e.strip().lower() for e in emails])
        .values("address")
        .annotate(
            published=Count("id", filter=Q(status=Comment.Status.APPROVED)),
            refused=Count("id", filter=Q(status=Comment.Status.REJECTED)),
            first=Min("created_at"),
        )
    )
    return {row["address"]: row for row in rows}


def reader_reports(comment_ids) -> dict:
    """For each comment, readers' reports not yet answered: [(reason, how many)], most first."""
    rows = (
        Flag.objects.filter(comment_id__in=comment_ids, cleared=False)
        .values("comment_id", "reason")
        .annotate(count=Count("id"))
        .order_by("comment_id", "-count", "reason")
    )
    reports = {}
    for row in rows:
        reports.setdefault(row["comment_id"], []).append(
            (Flag.Reason(row["reason"]).label, row["count"])
        )
    return reports


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
    ]
    readonly_fields = fields
    inlines = [ModerationLogInline, FlagInline]
    actions = ["approve", "reject", "mark_spam"]

    # Lookups a moderator may make through the address bar: the filters the page offers.
    ALLOWED_LOOKUPS = {"status", "notified_at", "article", "created_at", "parent"}

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

    def get_urls(self):
        return [
            path(
                "queue/",
                self.admin_site.admin_view(self.queue_view),
                name="comments_comment_queue",
            ),
            path(
                "queue/approve-shown/",
                self.admin_site.admin_view(require_POST(self.queue_approve_shown)),
                name="comments_comment_approve_shown",
            ),
            path(
                "queue/<int:pk>/undo/",
                self.admin_site.admin_view(self.queue_undo),
                name="comments_comment_undo",
            ),
            path(
                "queue/<int:pk>/act/<str:act>/",
                self.admin_site.admin_view(require_POST(self.queue_act)),
                name="comments_comment_act",
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

    def _queue_queryset(self, request):
        """The comments the queue page shows, by its filters: waiting (by default), held by a
        rule, or published at once for a later look; by section, story, age. Returns what
        is shown, the comments, and whether a filter narrowed them."""
        shown = request.GET.get("show", "waiting")
        if shown == "held":
            comments = Comment.objects.filter(status=Comment.Status.SPAM).exclude(rule="")
        elif shown == "unreviewed":
            comments = Comment.objects.approved().filter(unreviewed=True)
        elif shown == "reported":
            comments = Comment.objects.reported()
        else:
            comments = Comment.objects.pending()
        unfiltered = comments
        tag = request.GET.get("tag", "")
        if tag:
            comments = comments.filter(article__tags__slug=tag)
        story = request.GET.get("story", "")
        if story.isdigit():
            comments = comments.filter(article_id=int(story))
        if request.GET.get("late"):
            comments = comments.filter(created_at__lt=timezone.now() - moderation_target())
        return shown, comments.order_by("created_at", "pk"), comments is not unfiltered

    def queue_view(self, request):
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        shown, queryset, narrowed = self._queue_queryset(request)
        comments = list(queryset.select_related("article", "parent")[:QUEUE_PAGE])
        now, target = timezone.now(), moderation_target()
        history = commenter_history({c.email for c in comments})
        reports = reader_reports([c.pk for c in comments])
        for comment in comments:
            comment.reports = reports.get(comment.pk, [])
            comment.waited = now - comment.created_at
            comment.late = comment.waited > target
            comment.history = history.get(comment.email.strip().lower(), {})
        # Both counts in one pass over the (status, created_at) index alone: counted by
        # the column the index holds, not the key, which is in the table's rows.
        waiting = Comment.objects.pending().aggregate(
            all=Count("created_at"),
            late=Count("created_at", filter=Q(created_at__lt=now - target)),
        )
        pending_count = waiting["all"]
        sections = cached(
            "queue-sections",
            Comment.objects.waiting_per_section,
            timeout=SECTION_COUNTS_SECONDS,
            site_wide=False,
        )
        # Unfiltered, the waiting list is every waiting comment: counted once.
        shown_count = pending_count if shown == "waiting" and not narrowed else queryset.count()
        misfires = (
            ModerationLogEntry.objects.filter(misfire=True)
            .values("comment__rule")
            .annotate(count=Count("id"))
            .order_by("-count")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Moderation queue"),
            "comments": comments,
            "shown": shown,
            "shown_count": shown_count,
            "pending_count": pending_count,
            "held_count": Comment.objects.filter(status=Comment.Status.SPAM)
            .exclude(rule="")
            .count(),
            "unreviewed_count": Comment.objects.approved().filter(unreviewed=True).count(),
            "reported_count": Comment.objects.reported().count(),
            "late_count": waiting["late"],
            "sections": sections,
            "section_counts_seconds": SECTION_COUNTS_SECONDS,
            "misfires": [
                (RULES.get(row["comment__rule"], row["comment__rule"]), row["count"])
                for row in misfires
            ],
            "reasons": Comment.Reason.choices,
            "filters": request.GET.urlencode(),
            "target_hours": settings.COMMENT_MODERATION_TARGET,
        }
        return TemplateResponse(request, "admin/comments/comment/queue.html", context)

    def _back_to_queue(self, request):
        back = request.POST.get("back", "")
        return redirect(reverse("admin:comments_comment_queue") + (f"?{back}" if back else ""))

    def _answer(self, request, ok, message, level=messages.SUCCESS, undo=None):
        """A decision's answer: JSON for the queue's script (the card goes, no reload), else
        back to the queue with a message."""
        if request.headers.get("X-Requested-With") == "fetch":
            return JsonResponse({"ok": ok, "message": str(message), "undo": undo or ""})
        self.message_user(request, message, level)
        return self._back_to_queue(request)

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
        if decision == "approve":
            extra = {"misfire": bool(request.POST.get("misfire"))}
        seen = request.POST.get("seen", Comment.Status.PENDING)
        try:
            # A decision applies only to a comment still as the moderator saw it.
            service(comment=comment, moderator=request.user, seen_status=seen, **extra)
        except ModerationConflict as conflict:
            return self._answer(
                request,
                False,
                _("This comment was already moderated (%(status)s).")
                % {"status": conflict.comment.get_status_display()},
                messages.WARNING,
            )
        undo = reverse("admin:comments_comment_undo", args=[pk])
        return self._answer(request, True, message(1) % {"count": 1}, undo=undo)

    def queue_act(self, request, pk, act):
        """The other things a moderator does from a card: redact the text, block the sender
        (address or domain), mark a comment published at once as looked at."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        if act == "redact":
            body = normalize_newlines(request.POST.get("body", "")).strip()
            if not body or len(body) > 3000:
                return self._answer(
                    request, False, _("The text must not be empty."), messages.ERROR
                )
            comment_redact(comment=comment, moderator=request.user, body=body)
            return self._answer(request, True, _("Text changed; the original is in the log."))
        if act in {"block-address", "block-domain"}:
            sender_block(
                comment=comment, moderator=request.user, whole_domain=act == "block-domain"
            )
            return self._answer(request, True, _("Sender blocked; the comment is filed as spam."))
        if act == "reviewed":
            comment_review(comment=comment, moderator=request.user)
            return self._answer(request, True, _("Looked at; it stays published."))
        raise PermissionDenied

    def queue_undo(self, request, pk):
        """Put a comment back as it was before its last decision."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        if request.method == "POST":
            comment = comment_undo(comment=comment, moderator=request.user)
            return self._answer(
                request,
                True,
                _("Undone: the comment is %(status)s again.")
                % {"status": comment.get_status_display().lower()},
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Undo the last decision"),
            "comment": comment,
        }
        return TemplateResponse(request, "admin/comments/comment/undo.html", context)

    def queue_approve_shown(self, request):
        """Approve every comment the filtered queue shows, after saying how many."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
        comments = Comment.objects.pending().filter(pk__in=ids)
        if not request.POST.get("confirm"):
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Approve the comments shown"),
                "comments": comments.select_related("article"),
                "ids": ids,
                "back": request.POST.get("back", ""),
            }
            return TemplateResponse(request, "admin/comments/comment/approve_shown.html", context)
        done = 0
        for comment in comments:
            try:
                comment_approve(
                    comment=comment, moderator=request.user, seen_status=Comment.Status.PENDING
                )
                done += 1
            except ModerationConflict:
                pass
        self.message_user(
            request,
            ngettext("%(count)d comment approved.", "%(count)d comments approved.", done)
            % {"count": done},
            messages.SUCCESS,
        )
        return self._back_to_queue(request)

    def has_answer_permission(self, request):
        return request.user.has_perm("comments.answer_comment")

    def answer_view(self, request, pk):
        """The newsroom answers a published comment, from the comment's page."""
        if not self.has_answer_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(
            Comment.objects.approved().filter(parent=None, erased_at=None), pk=pk
        )
        body = normalize_newlines(request.POST.get("body", "")).strip()
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


@admin.register(SectionPolicy)
class SectionPolicyAdmin(admin.ModelAdmin):
    """Comments in a section: who waits for a moderator, when they close, who is told. A
    section without a policy: every comment waits, comments stay open, everyone is told."""

    list_display = ["tag", "premoderation", "trusted_after", "close_after_days"]
    list_select_related = ["tag"]
    search_fields = ["tag__name"]
    filter_horizontal = ["moderators"]
    fields = ["tag", "premoderation", "trusted_after", "close_after_days", "moderators"]

    def get_readonly_fields(self, request, obj=None):
        return ["tag"] if obj else []

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
        policy_save(policy=obj, moderators=form.cleaned_data["moderators"])

    def save_related(self, request, form, formsets, change):
        pass  # the moderators were saved with the policy (policy_save)

    def delete_model(self, request, obj):
        policy_delete(policy=obj)

    def delete_queryset(self, request, queryset):
        for policy in queryset:
            policy_delete(policy=policy)


@admin.register(BannedWord)
class BannedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]


@admin.register(BlockedSender)
class BlockedSenderAdmin(admin.ModelAdmin):
    list_display = ["value", "note", "created_at"]
    search_fields = ["value", "note"]


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
