from django.urls import path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/commentaires/", views.post, name="post"),
    path("articles/<slug:slug>/commentaires/jetons/", views.form_tokens, name="tokens"),
    path("articles/<slug:slug>/commentaires/rss/", feeds.CommentsFeed(), name="feed"),
]
