from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("articles/<slug:slug>/ecrire-a-la-redaction/", views.write, name="write"),
]
