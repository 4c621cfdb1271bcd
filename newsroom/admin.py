from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Newsroom: editorial desk")
    site_title = _("Newsroom")
    index_title = _("Stories, tags and comments")

    def index(self, request, extra_context=None):
        from comments.models import Comment

        context = dict(extra_context or {})
        if request.user.has_perm("comments.moderate_comment"):
            context["pending_comment_count"] = Comment.objects.pending().count()
        return super().index(request, context)
