"""Login lockouts: django-axes' own (five failures for one account from one address), and a
limit per address across accounts, against password spraying."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def failures_from_address(request) -> int:
    """Failed logins from the request's address (its /64 for IPv6) within the cool-off,
    whatever the accounts tried."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return (
        AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(n=Sum("failures_since_start"))["n"]
        or 0
    )


class AddressAwareHandler(AxesDatabaseHandler):
    """axes' database handler; an address that failed AXES_ADDRESS_FAILURE_LIMIT logins over
    any accounts is locked out too, for the same cool-off. It locks that address alone: an
    attacker elsewhere cannot lock a colleague out."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return failures_from_address(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        """axes counts the failure (and locks the account at this address at its limit);
        the failure that reaches the address's limit locks the address out as well."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if failures_from_address(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=None, ip_address=request.axes_ip_address
            )
