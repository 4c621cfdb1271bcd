"""Facts about a request that several apps need."""

import ipaddress
import re
from functools import lru_cache

from django.conf import settings

# Crawlers, link previewers, monitors and scripted clients: not readers.
_BOTS = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|skype|"
    r"headless|lighthouse|pingdom|uptime|monitor|curl|wget|python|java/|okhttp|"
    r"go-http-client|libwww|httpclient|scrapy|feed|rss|wrk",
    re.IGNORECASE,
)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address) -> bool:
    return any(address in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless it is one of our own reverse proxies.

    Behind a trusted proxy, X-Forwarded-For is read from the right, skipping our proxies:
    the first other address is the one that reached them. Whatever a client writes in the
    header itself stands to the left of that and is never believed.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    remote_address = _address(remote)
    if remote_address is None or not _is_trusted(remote_address):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        if not _is_trusted(address):
            return str(address)
    return remote


def client_network(request) -> str:
    """Who a limit counts: the client's address, or for IPv6 its /64 network (one household
    or one server holds a whole /64, and could rotate through it), written as that network's
    first address so it stays a valid address for whatever stores it."""
    address = _address(client_ip(request))
    if address is None:
        return client_ip(request)
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)


def is_bot(request) -> bool:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return not agent or bool(_BOTS.search(agent))


def is_prefetch(request) -> bool:
    """A browser fetching ahead of a click (or prerendering), not a reader reading."""
    purpose = " ".join(
        request.META.get(header, "")
        for header in ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
    ).lower()
    return "prefetch" in purpose or "preview" in purpose or "prerender" in purpose


def acts_as_staff(user) -> bool:
    """Whether a session may use its staff rights now: a member of staff, past the second
    factor where it is required (a password alone opens no admin page and no preview)."""
    if not (user.is_authenticated and user.is_staff):
        return False
    return not settings.STAFF_2FA_REQUIRED or getattr(user, "is_verified", lambda: False)()


def private(response):
    """A page at a private address (a reader's own link, a form to the newsroom): never
    indexed, never cached by anyone."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
