"""The old site's addresses, answered with a 301 to their new page: any address that finds
nothing here (a 404) is looked up in the table the import filled (archive.OldAddress, one
indexed read), and so is the old home page with a query ("/?p=123"), which here is the
home page itself."""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from articles.models import Article

from .models import OldAddress

# The queries WordPress answered on its home page: a post by id, a category, a tag, a feed.
OLD_QUERIES = ("p", "cat", "tag", "feed")


def target(address: OldAddress) -> str | None:
    """The new page of an old address, None when it has none to show (a story not live)."""
    if address.article_id:
        article = Article.objects.published().filter(pk=address.article_id).only("slug").first()
        if article is None:
            return None
        if address.feed:
            return reverse("comments:feed", args=[article.slug])
        return article.get_absolute_url()
    if address.tag_id:
        tag = address.tag
        return (
            reverse("articles:tag_feed_rss", args=[tag.slug])
            if address.feed
            else tag.get_absolute_url()
        )
    return reverse("articles:feed_rss")


def _redirect(path):
    address = OldAddress.objects.select_related("tag").filter(path=path).first()
    new = target(address) if address else None
    return HttpResponsePermanentRedirect(new) if new else None


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for name in OLD_QUERIES:
                value = request.GET.get(name)
                if value:
                    found = _redirect(f"/?{name}={value}")
                    if found:
                        return found
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return _redirect(OldAddress.normalise(request.path)) or response
        return response
