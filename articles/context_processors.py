from django.utils.functional import SimpleLazyObject

from newsroom.views import language_links

from .rankings import tag_menu


def navigation(request):
    """The header's tag menu and the footer's language switch, on every page that shows
    them (computed only when a template reads them)."""
    return {
        "tag_menu": SimpleLazyObject(tag_menu),
        "language_links": SimpleLazyObject(lambda: language_links(request)),
    }
