from django.utils.functional import SimpleLazyObject

from .rankings import tag_menu


def navigation(request):
    """The header's tag menu, on every page that shows it (read only when a template does)."""
    return {"tag_menu": SimpleLazyObject(tag_menu)}
