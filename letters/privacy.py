"""A reader's letters under their rights (comments.readerdata): listed on the "my
comments" page, downloaded with the comments, erased with them, trimmed by the purge."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from comments.submission import ReaderData

from .models import ReaderMessage


def _items(email):
    letters = list(ReaderMessage.objects.by_email(email).select_related("article"))
    for letter in letters:
        letter.label = letter.get_kind_display()
    return letters


def _rows(email):
    return [
        {
            "story": m.article.title if m.article else "",
            "url": settings.SITE_URL + m.article.get_absolute_url() if m.article else "",
            "name": m.name,
            "email": m.email,
            "comment": m.body,
            "status": _("message to the newsroom (%(kind)s)") % {"kind": m.get_kind_display()},
            "sent_at": m.created_at.isoformat(),
            "in_reply_to": None,
        }
        for m in ReaderMessage.objects.by_email(email).select_related("article")
    ]


def _erase(email):
    letters = ReaderMessage.objects.by_email(email)
    texts = list(letters.values_list("body", flat=True))
    letters.delete()
    return texts


def _purge(cutoff):
    """Handled or spam messages go; the others lose the address hash."""
    old = ReaderMessage.objects.filter(created_at__lt=cutoff)
    old.filter(state__in=[ReaderMessage.State.DONE, ReaderMessage.State.SPAM]).delete()
    old.exclude(ip_hash="").update(ip_hash="")


LETTERS = ReaderData(
    title=gettext_lazy("Your messages to the newsroom"),
    erase_note=gettext_lazy("Your messages to the newsroom are deleted too."),
    items=_items,
    rows=_rows,
    erase=_erase,
    purge=_purge,
)
