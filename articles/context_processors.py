from .rankings import tag_menu


def navigation(request):
    """The header's tag menu, on every page."""
    return {"tag_menu": tag_menu()}
