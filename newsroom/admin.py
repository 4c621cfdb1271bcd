from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PersonListFilter(admin.RelatedOnlyFieldListFilter):
    """A filter by person (byline, moderator) that shows full names, not login names."""

    def field_choices(self, field, request, model_admin):
        from django.contrib.auth import get_user_model

        choices = super().field_choices(field, request, model_admin)
        people = get_user_model().objects.filter(pk__in=[pk for pk, _label in choices])
        names = {user.pk: user.get_full_name() or user.get_username() for user in people}
        return sorted(((pk, names.get(pk, label)) for pk, label in choices), key=lambda c: c[1])


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom: editorial desk")
    site_title = _("Newsroom")
    index_title = _("Stories, tags and comments")


def staff_accounts_admin(site):
    """Staff accounts in the admin: the second factor is reset from the account itself (a
    lost phone), not from django-otp's own device pages, which speak only English."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.admin import UserAdmin
    from django.contrib.messages import SUCCESS
    from django.utils.translation import ngettext
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .staff import second_factor_reset

    for model in (TOTPDevice, StaticDevice):
        if site.is_registered(model):
            site.unregister(model)
    user_model = get_user_model()
    base = type(site._registry.pop(user_model)) if site.is_registered(user_model) else UserAdmin

    class StaffAccountAdmin(base):
        actions = [*(base.actions or []), "reset_second_factor"]

        @admin.action(
            description=_("Reset the second factor (lost phone)"),
            permissions=["change"],
        )
        def reset_second_factor(self, request, queryset):
            for user in queryset:
                second_factor_reset(user)
            count = queryset.count()
            self.message_user(
                request,
                ngettext(
                    "%(count)d account will enrol its authenticator app again at its next "
                    "login; its sessions have ended.",
                    "%(count)d accounts will enrol their authenticator app again at their next "
                    "login; their sessions have ended.",
                    count,
                )
                % {"count": count},
                SUCCESS,
            )

    site.register(user_model, StaffAccountAdmin)
