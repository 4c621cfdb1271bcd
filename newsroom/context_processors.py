from django.utils.functional import SimpleLazyObject

from newsroom.views import language_links as _language_links


def language_links(request):
    """The footer's language switch, on every page (built only when a template reads it)."""
    return {"language_links": SimpleLazyObject(lambda: _language_links(request))}
