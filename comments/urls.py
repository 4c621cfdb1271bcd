from django.urls import path

from newsroom.cache import cache_anonymous_page

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/commentaires/", views.post, name="post"),
    path("articles/<slug:slug>/commentaires/jetons/", views.form_tokens, name="tokens"),
    path(
        "articles/<slug:slug>/commentaires/rss/",
        cache_anonymous_page(feeds.CommentsFeed()),
        name="feed",
    ),
]
