"""Facts about a request that several apps need."""

import re

# Crawlers, link previewers, monitors and scripted clients: not readers.
_BOTS = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|skype|"
    r"headless|lighthouse|pingdom|uptime|monitor|curl|wget|python|java/|okhttp|"
    r"go-http-client|libwww|httpclient|scrapy|feed|rss",
    re.IGNORECASE,
)


def client_ip(request) -> str:
    """The client's address as the server saw it."""
    return request.META.get("REMOTE_ADDR", "")


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
