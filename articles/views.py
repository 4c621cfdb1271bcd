from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from comments.context import comment_block
from newsroom.http import client_ip, is_bot, is_prefetch

from . import pagecache
from .metadata import news_article_jsonld, share_image
from .models import Article
from .queries import live_cards, story_for_page, tag_or_404
from .rankings import rankings, related
from .search import clean_query, headline, query_terms, search
from .services import article_record_reading

# A transparent 1×1 GIF, for the reading counter when scripts are off.
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


class CachedCountPaginator(Paginator):
    """Counting 20,000 live stories on every page view costs more than the page itself:
    the total, shown as "Page 2 of 1,667", may be a minute old."""

    def __init__(self, *args, count_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        key = f"count:v1:{self.count_key}"
        value = cache.get(key)
        if value is None:
            value = super().count
            cache.set(key, value, settings.NEWSROOM_RANKING_CACHE)
        return value


class ArticleListView(ListView):
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_paginator(self, queryset, per_page, **kwargs):
        return CachedCountPaginator(queryset, per_page, count_key="home", **kwargs)

    def get_queryset(self):
        return live_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**rankings(), **kwargs)


class ArticleDetailView(DetailView):
    def get(self, request, *args, **kwargs):
        if not pagecache.cacheable(request):
            return super().get(request, *args, **kwargs)
        slug, language = kwargs["slug"], request.LANGUAGE_CODE
        content = pagecache.get(slug, language)
        if content is not None:
            return HttpResponse(content)
        response = super().get(request, *args, **kwargs)
        if self.object.is_live:
            response.add_post_render_callback(lambda r: pagecache.put(slug, language, r.content))
        return response

    def get_object(self, queryset=None):
        article = story_for_page(self.request.user, self.kwargs["slug"])
        if article is None:
            raise Http404
        return article

    def get_context_data(self, *, comment_form=None, comment_error="", **kwargs):
        article = self.object
        context = super().get_context_data(**kwargs)
        # ?formulaire: the form with its tokens in the page, for readers without scripts.
        with_tokens = "formulaire" in self.request.GET
        context.update(
            comment_block(
                self.request,
                article,
                form=comment_form,
                error=comment_error,
                with_tokens=with_tokens,
            )
        )
        context.update(rankings())
        tag_ids = [tag.pk for tag in article.tag_list]
        context["canonical_url"] = self.request.build_absolute_uri(article.get_absolute_url())
        context["share_image"] = share_image(article, self.request)
        # Called by the template only when the page's head is not already rendered.
        context["jsonld"] = lambda: news_article_jsonld(article, self.request)
        context["related"] = related(article, tag_ids)
        return context


def render_article(request, article, *, status, **comment_block_kwargs):
    """The story page, answering a comment POST that could not be stored."""
    view = ArticleDetailView()
    view.setup(request, slug=article.slug)
    view.object = article
    context = view.get_context_data(object=article, **comment_block_kwargs)
    return view.render_to_response(context, status=status)


class TagDetailView(ListView):
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_paginator(self, queryset, per_page, **kwargs):
        return CachedCountPaginator(queryset, per_page, count_key=f"tag:{self.tag.pk}", **kwargs)

    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = tag_or_404(self.kwargs["slug"])
        return live_cards(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


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
        reader = f"{client_ip(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
        article_record_reading(article=article, reader=reader)
    if request.method == "GET":
        return HttpResponse(PIXEL, content_type="image/gif")
    return HttpResponse(status=HTTPStatus.NO_CONTENT)
