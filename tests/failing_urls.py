"""A view that fails, for the error reporting's test."""

from django.urls import path


def fails(request):
    raise ValueError(
        f"no subscriber {request.POST.get('email')} from {request.META['REMOTE_ADDR']}"
    )


urlpatterns = [path("boom/", fails)]
