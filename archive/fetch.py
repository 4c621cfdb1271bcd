"""Images of an old site, fetched from their addresses: http(s) only, never an address of
this machine's networks (unless IMPORT_FETCH_PRIVATE is on, as in the tests), a time limit,
a size limit, and the checks an upload gets (type, size, pixels)."""

import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from articles.images import MAX_BYTES, validate_lead_image


class NotFetched(Exception):
    """Why an image was not imported, in words for the report; host_down when its server
    could not be reached at all (the importer asks it nothing more)."""

    def __init__(self, reason, host_down=False):
        super().__init__(reason)
        self.host_down = host_down


def _public(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        raise NotFetched("host not found", host_down=True) from None
    return all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)


class _NoRedirectToPrivate(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _check(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotFetched("not an http(s) address")
    if not settings.IMPORT_FETCH_PRIVATE and not _public(parts.hostname):
        raise NotFetched("a private or local address")


def fetch_image(url: str) -> SimpleUploadedFile:
    """The image at `url` as an upload the site's models take; NotFetched otherwise."""
    _check(url)
    opener = urllib.request.build_opener(_NoRedirectToPrivate)
    request = urllib.request.Request(url, headers={"User-Agent": "newsroom-import/1"})
    try:
        with opener.open(request, timeout=settings.IMPORT_FETCH_TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as refused:
        raise NotFetched(f"HTTP {refused.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as failed:
        reason = getattr(failed, "reason", None) or failed
        raise NotFetched(f"unreachable ({reason})", host_down=True) from None
    if len(data) > MAX_BYTES:
        raise NotFetched("larger than 10 MB")
    name = urlsplit(url).path.rsplit("/", 1)[-1] or "image"
    upload = SimpleUploadedFile(name[-100:], data)
    with translation.override("en"):  # the report is the operator's, in English
        try:
            validate_lead_image(upload)
        except ValidationError as invalid:
            raise NotFetched(" ".join(invalid.messages)) from None
    upload.seek(0)
    return upload
