"""What moderators and editors keep beside the queue: sections' comment policies, banned
words, blocked senders, and the record of readers' privacy requests."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q

from ..models import (
    BannedWord,
    BlockedSender,
    PrivacyRequest,
    SectionPolicy,
)
from ..services import (
    policy_delete,
    policy_save,
)


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


class PeopleField(forms.ModelMultipleChoiceField):
    """Moderators by their full names."""

    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


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
            kwargs["form_class"] = PeopleField
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
