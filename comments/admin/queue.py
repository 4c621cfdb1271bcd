"""The moderation queue: its page, one-click decisions with undo, approving what is shown,
the newsroom's answer and picks, and the decisions' bulk actions."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.db.models.functions import Lower
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from newsroom.cache import cached

from ..models import (
    Comment,
    Flag,
    ModerationLogEntry,
)
from ..services import (
    ModerationConflict,
    NotPickable,
    comment_answer,
    comment_approve,
    comment_mark_spam,
    comment_pick,
    comment_redact,
    comment_reject,
    comment_review,
    comment_undo,
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


class QueueViews:
    """Mixed into CommentAdmin: the queue's URLs and views."""

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
            path(
                "<int:pk>/pick/",
                self.admin_site.admin_view(require_POST(self.pick_view)),
                name="comments_comment_pick",
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
            "can_pick": self.has_pick_permission(request),
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
        said = message(1) % {"count": 1}
        if decision == "approve" and request.POST.get("pick") and self.has_pick_permission(request):
            comment_pick(comment=comment, person=request.user)
            said = _("Comment approved and added to the newsroom's picks.")
        undo = reverse("admin:comments_comment_undo", args=[pk])
        return self._answer(request, True, said, undo=undo)

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
        if act == "reviewed-pick" and self.has_pick_permission(request):
            try:
                comment_pick(comment=comment, person=request.user)
            except NotPickable:
                return self._answer(request, False, _("Only a published comment can be picked."))
            comment_review(comment=comment, moderator=request.user)
            return self._answer(
                request, True, _("Looked at and added to the newsroom's picks; it stays published.")
            )
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

    def has_pick_permission(self, request):
        return request.user.has_perm("comments.pick_comment")

    def pick_view(self, request, pk):
        """Add a published comment to the newsroom's picks, or take it out, from the
        comment's page."""
        if not self.has_pick_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        picked = request.POST.get("picked") == "1"
        try:
            comment_pick(comment=comment, person=request.user, picked=picked)
        except NotPickable:
            self.message_user(request, _("Only a published comment can be picked."), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Added to the newsroom's picks: it shows first under the story.")
                if picked
                else _("Taken out of the newsroom's picks."),
                messages.SUCCESS,
            )
        return redirect("admin:comments_comment_change", pk)

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
