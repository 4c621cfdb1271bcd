from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("articles/<slug:slug>/commentaires/", views.post, name="post"),
    path("articles/<slug:slug>/commentaires/jetons/", views.form_tokens, name="tokens"),
]
