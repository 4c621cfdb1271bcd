from django.urls import path

from newsroom.cache import cache_anonymous_page

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/commentaires/", views.post, name="post"),
    path("articles/<slug:slug>/commentaires/jetons/", views.form_tokens, name="tokens"),
    # One page of a story's comments, for the story page's script ("Show more comments").
    path(
        "articles/<slug:slug>/commentaires/page/<int:page>/",
        cache_anonymous_page(views.comments_page, query=("ordre",)),
        name="page",
    ),
    # What the story page polls for new comments, and the newest ones to show in place.
    path(
        "articles/<slug:slug>/commentaires/etat/",
        cache_anonymous_page(views.comments_state),
        name="state",
    ),
    path(
        "articles/<slug:slug>/commentaires/recents/",
        cache_anonymous_page(views.comments_latest),
        name="latest",
    ),
    # A comment's address: the page of comments holding it, scrolled to it.
    path("commentaires/<int:pk>/", views.permalink, name="permalink"),
    path(
        "articles/<slug:slug>/commentaires/rss/",
        cache_anonymous_page(feeds.CommentsFeed()),
        name="feed",
    ),
    path("commentaires/suivre/<str:token>/", views.follow, name="follow"),
    path("commentaires/<int:pk>/signaler/", views.flag, name="flag"),
    path("mes-commentaires/", views.mine_request, name="mine_request"),
    path("mes-commentaires/lien/<str:token>/", views.mine_open, name="mine_open"),
    path("mes-commentaires/liste/", views.mine, name="mine"),
    path(
        "mes-commentaires/telecharger.<str:format>",
        views.mine_download,
        name="mine_download",
    ),
    path("mes-commentaires/effacer/", views.mine_erase, name="mine_erase"),
]
