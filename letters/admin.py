from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.admin import PersonListFilter

from .models import ReaderMessage, sees_reader_addresses
from .services import message_set_state


@admin.register(ReaderMessage)
class ReaderMessageAdmin(admin.ModelAdmin):
    """The newsroom's inbox: readers' messages about stories, and who handles them."""

    list_display = ["created_at", "kind", "story", "name", "excerpt", "state", "handled_by"]
    list_filter = ["state", "kind", ("handled_by", PersonListFilter), "created_at"]
    search_fields = ["name", "email", "body", "article__title"]
    list_select_related = ["article", "handled_by"]
    fields = [
        "article",
        "kind",
        "name",
        "email",
        "body",
        "spam_reason",
        "created_at",
        "state",
        "handled_by",
        "handled_at",
    ]
    readonly_fields = [f for f in fields if f != "state"]
    actions = ["mark_in_progress", "mark_done"]
    show_full_result_count = False

    def get_queryset(self, request):
        # New first, then those in progress; handled and spam last; newest first within each.
        order = Case(
            *(When(state=state, then=Value(i)) for i, state in enumerate(ReaderMessage.State)),
            output_field=IntegerField(),
        )
        messages_ = super().get_queryset(request).for_staff(request.user)
        return messages_.alias(order=order).order_by("order", "-created_at")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if sees_reader_addresses(request.user):
            return fields
        return [field for field in fields if field != "email"]

    def get_search_fields(self, request):
        if sees_reader_addresses(request.user):
            return self.search_fields
        return [field for field in self.search_fields if field != "email"]

    def has_add_permission(self, request):
        return False  # readers write them, from the stories

    @admin.display(description=_("story"))
    def story(self, message):
        return Truncator(message.article.title).chars(50) if message.article else "—"

    @admin.display(description=_("message"))
    def excerpt(self, message):
        return Truncator(message.body).chars(80)

    def save_model(self, request, obj, form, change):
        if "state" in form.changed_data:
            message_set_state(message=obj, state=obj.state, by=request.user)

    def _mark(self, request, queryset, state):
        for message in queryset:
            message_set_state(message=message, state=state, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d message is now “%(state)s”.",
                "%(count)d messages are now “%(state)s”.",
                len(queryset),
            )
            % {"count": len(queryset), "state": ReaderMessage.State(state).label.lower()},
            messages.SUCCESS,
        )

    @admin.action(description=_("I handle them (in progress)"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self._mark(request, queryset, ReaderMessage.State.IN_PROGRESS)

    @admin.action(description=_("Mark them as handled"), permissions=["change"])
    def mark_done(self, request, queryset):
        self._mark(request, queryset, ReaderMessage.State.DONE)
