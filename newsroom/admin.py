from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog


class PersonListFilter(admin.RelatedOnlyFieldListFilter):
    """A filter by person (byline, moderator) that shows full names, not login names.

    The people offered are those the field's own table names: whoever signs a story, for
    a filter by byline, whether or not that story has comments. Django's "related only"
    asks the list's whole table which people it reaches: through 2,000,000 comments to
    their stories' bylines, 0.7 s on the benchmark's archive; one index probe per person
    here."""

    def field_choices(self, field, request, model_admin):
        from django.contrib.auth import get_user_model
        from django.db.models import Exists, OuterRef

        if field.many_to_many:
            rows = field.remote_field.through.objects.filter(
                **{field.m2m_reverse_field_name(): OuterRef("pk")}
            )
        else:
            rows = field.model._default_manager.filter(**{field.name: OuterRef("pk")})
        people = get_user_model().objects.filter(Exists(rows))
        return sorted(
            ((user.pk, user.get_full_name() or user.get_username()) for user in people),
            key=lambda choice: choice[1],
        )


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom: editorial desk")
    site_title = _("Newsroom")
    index_title = _("Stories, tags and comments")

    def i18n_javascript(self, request, extra_context=None):
        """The admin's own strings, and the body editor's (its link and figure dialogs)."""
        packages = ["django.contrib.admin", "django_prose_editor"]
        return JavaScriptCatalog.as_view(packages=packages)(request)

    def index(self, request, extra_context=None):
        """The admin's home, with an alert for whoever reads the outbox when mail keeps
        failing (newsroom/mail.py never gives a mail up)."""
        extra_context = extra_context or {}
        if request.user.has_perm("newsroom.view_outgoingmail"):
            from .mail import failing

            extra_context["failing_mail"] = failing().count()
        return super().index(request, extra_context)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Pages of its own an app adds inside the admin (the editors' dashboard), from its
        # AppConfig.ready(): the site package imports no app.
        self.extra_urls = []

    def get_urls(self):
        return [*self.extra_urls, *super().get_urls()]


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
        readonly_fields = [*(base.readonly_fields or []), "recent_logins"]

        class Media:
            css = {"all": ["css/staff.css"]}

        def get_fieldsets(self, request, obj=None):
            fieldsets = list(super().get_fieldsets(request, obj))
            if obj is not None:
                fieldsets.append((_("Last logins"), {"fields": ["recent_logins"]}))
            return fieldsets

        @admin.display(description=_("last logins"))
        def recent_logins(self, user):
            """The account's last ten logins, as django-axes logged them: when, from where,
            with which browser, and whether the session was closed by logging out."""
            from axes.models import AccessLog
            from django.utils import formats, timezone
            from django.utils.html import format_html, format_html_join

            logins = AccessLog.objects.filter(username=user.get_username()).order_by(
                "-attempt_time"
            )[:10]
            if not logins:
                return _("No login recorded yet.")
            rows = format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        formats.date_format(
                            timezone.localtime(login.attempt_time), "SHORT_DATETIME_FORMAT"
                        ),
                        login.ip_address or "—",
                        (login.user_agent or "—")[:80],
                        _("logged out") if login.logout_time else "",
                    )
                    for login in logins
                ),
            )
            return format_html(
                '<div class="recent-logins-scroll"><table class="recent-logins"><thead><tr><th scope="col">{}</th>'
                '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
                "</tr></thead><tbody>{}</tbody></table></div>",
                _("When"),
                _("Address"),
                _("Browser"),
                _("Session"),
                rows,
            )

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


def outbox_admin(site):
    """Outgoing mail in the admin, for support: what went, what waits and why, and a way to
    send again what failed (newsroom/mail.py never gives a mail up, but says so)."""
    from django.contrib.messages import SUCCESS
    from django.utils.translation import ngettext

    from .mail import ALERT_AFTER, send_again
    from .models import OutgoingMail

    class FailingFilter(admin.SimpleListFilter):
        title = _("state")
        parameter_name = "state"

        def lookups(self, request, model_admin):
            return [
                ("waiting", _("Not sent yet")),
                ("failing", _("Failing (tried %(count)d times or more)") % {"count": ALERT_AFTER}),
                ("sent", _("Sent")),
            ]

        def queryset(self, request, queryset):
            if self.value() == "waiting":
                return queryset.filter(sent_at=None)
            if self.value() == "failing":
                return queryset.filter(sent_at=None, attempts__gte=ALERT_AFTER)
            if self.value() == "sent":
                return queryset.exclude(sent_at=None)
            return queryset

    class OutgoingMailAdmin(admin.ModelAdmin):
        list_display = [
            "subject",
            "created_at",
            "sent_at",
            "attempts",
            "next_attempt_at",
            "last_error",
        ]
        list_filter = [FailingFilter]
        readonly_fields = [
            "to",
            "subject",
            "body",
            "created_at",
            "sent_at",
            "attempts",
            "next_attempt_at",
            "last_error",
        ]
        actions = ["send_now"]

        def has_add_permission(self, request):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def has_send_permission(self, request):
            return request.user.has_perm("newsroom.view_outgoingmail")

        @admin.action(description=_("Send again now"), permissions=["send"])
        def send_now(self, request, queryset):
            count = send_again(queryset)
            self.message_user(
                request,
                ngettext(
                    "%(count)d mail will be tried again in a moment.",
                    "%(count)d mails will be tried again in a moment.",
                    count,
                )
                % {"count": count},
                SUCCESS,
            )

    site.register(OutgoingMail, OutgoingMailAdmin)
