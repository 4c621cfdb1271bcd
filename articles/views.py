from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import get_template
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from newsroom.cache import cache_anonymous_page, cached, story_key
from newsroom.http import client_ip, client_network, is_bot, is_prefetch

from .metadata import news_article_jsonld, share_image
from .models import Article, Correction, Tag
from .search import COUNT_CAP, clean_query, headline, query_terms, search, suggestions
from .services import article_record_reading

# A transparent 1×1 GIF, for the reading counter when scripts are off.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


class CachedCountPaginator(Paginator):
    """Counting 20,000 live stories on every page view costs more than the page itself:
    the total ("Page 2 of 1,667") is one of the site's cached lists."""

    def __init__(self, *args, count_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return cached(f"count:{self.count_key}", self.object_list.count)


@method_decorator(cache_anonymous_page, name="get")
class ArticleListView(ListView):
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().with_cards()

    def get_paginator(self, queryset, per_page, **kwargs):
        return CachedCountPaginator(queryset, per_page, count_key="home", **kwargs)


def own_comments_part(request, slug):
    """The comment section alone, for a reader with comments of their own waiting: the rest
    of the story page is everyone's, from the page cache (newsroom.cache)."""
    # The few columns the section reads, kept as long as the shared page they go into (and
    # under the same site version): the query and the ORM's work were a third of this path.
    article = cached(
        f"own-part-row:{slug}",
        lambda: (
            Article.objects.published()
            .filter(slug=slug)
            .only("slug", "language", "comments_open", "status", "published_at")
            .first()
        ),
        timeout=settings.PAGE_CACHE_SECONDS,
    )
    if article is None:
        return None
    return get_template("articles/includes/own_part.html").render(
        {"request": request, "article": article}
    )


# A page of comments or an order of them (?commentaires=, ?ordre=) is kept too, once asked
# again: the comments app's permalinks lead readers there.
@method_decorator(
    cache_anonymous_page(own_part=own_comments_part, query=("commentaires", "ordre")), name="get"
)
class ArticleDetailView(DetailView):
    def get_queryset(self):
        # Readers see live stories; staff who may edit a story also get its preview.
        return Article.objects.visible_to(self.request.user).with_page()

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            share_image=share_image(article, self.request),
            jsonld=lambda: news_article_jsonld(article, self.request),
            story_key=story_key(article),
            **kwargs,
        )


@method_decorator(cache_anonymous_page, name="get")
class TagDetailView(ListView):
    paginate_by = settings.PAGE_SIZE
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).with_cards()

    def get_paginator(self, queryset, per_page, **kwargs):
        return CachedCountPaginator(queryset, per_page, count_key=f"tag:{self.tag.pk}", **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


@method_decorator(cache_anonymous_page, name="get")
class CorrectionListView(ListView):
    """Every correction and update the newsroom published, newest first."""

    paginate_by = 30
    template_name = "articles/corrections.html"

    def get_queryset(self):
        live = Article.objects.published().values("pk")
        return (
            Correction.objects.filter(article__in=live)
            .select_related("article")
            .order_by("-created_at", "-pk")
        )


class SearchView(ListView):
    paginate_by = 10
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        return search(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            search_query=self.query,
            has_terms=bool(query_terms(self.query)),
            pagination_query=urlencode({"q": self.query}),
            **kwargs,
        )
        for article in context["object_list"]:
            article.headline = headline(article, self.query)
        if context["has_terms"] and not context["paginator"].count:
            context["suggestions"] = suggestions(self.query)
        context["count_capped"] = context["paginator"].count > COUNT_CAP
        return context


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /lectures/",
        "Disallow: /recherche/",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@csrf_exempt  # sent by navigator.sendBeacon, which carries no token; it can only count once a day
@never_cache
@require_http_methods(["GET", "POST"])
def reading(request, pk):
    """Count a reading of a live story: POST from the page's script, GET from its noscript pixel."""
    article = Article.objects.published().filter(pk=pk).only("pk").first()
    countable = not (is_bot(request) or is_prefetch(request) or request.user.is_staff)
    if article and countable:
        network = client_network(request)
        reader = f"{client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
        article_record_reading(article=article, reader=reader, network=network)
    if request.method == "GET":
        return HttpResponse(PIXEL, content_type="image/gif")
    return HttpResponse(status=HTTPStatus.NO_CONTENT)
