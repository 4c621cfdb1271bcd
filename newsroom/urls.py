from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from newsroom import staff, views

urlpatterns = [
    path(settings.ADMIN_URL + "2fa/", staff.two_factor, name="two_factor"),
    # Readers' messages moved from comments to letters: links in mail sent before still open.
    re_path(
        "^" + settings.ADMIN_URL + r"comments/readermessage/(?P<rest>.*)$",
        RedirectView.as_view(
            url="/" + settings.ADMIN_URL + "letters/readermessage/%(rest)s",
            permanent=True,
            query_string=True,
        ),
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("langue/<str:code>/", views.choose_language, name="choose_language"),
    # Browsers ask for it on pages that name no icon (the admin, feeds, files).
    path("favicon.ico", views.favicon),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("csp-report/", views.csp_report, name="csp_report"),
    path("", include("articles.urls")),
    path("", include("comments.urls")),
    path("", include("letters.urls")),
]

if settings.BENCH_CEILING_TEMPLATE:
    from newsroom.ceiling import ceiling

    urlpatterns.append(path("bench/ceiling/", ceiling))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "newsroom.views.server_error"
