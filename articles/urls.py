from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="index"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("recherche/", views.SearchView.as_view(), name="search"),
    path("lectures/<int:pk>/", views.reading, name="reading"),
]
