from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom: editorial desk")
    site_title = _("Newsroom")
    index_title = _("Stories, tags and comments")
