from django.contrib.sitemaps.views import sitemap
from django.urls import path

from newsroom.cache import cache_anonymous_page

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="index"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("flux/rss/", cache_anonymous_page(feeds.LatestStoriesFeed()), name="feed_rss"),
    path("flux/atom/", cache_anonymous_page(feeds.LatestStoriesAtomFeed()), name="feed_atom"),
    path("tags/<slug:slug>/rss/", cache_anonymous_page(feeds.TagFeed()), name="tag_feed_rss"),
    path("tags/<slug:slug>/atom/", cache_anonymous_page(feeds.TagAtomFeed()), name="tag_feed_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "recherche/",
        cache_anonymous_page(views.SearchView.as_view(), query=("q", "page")),
        name="search",
    ),
    path("rectificatifs/", views.CorrectionListView.as_view(), name="corrections"),
    path("lectures/<int:pk>/", views.reading, name="reading"),
]
