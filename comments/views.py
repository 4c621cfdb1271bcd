from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.views import render_article
from newsroom.http import client_ip

from . import ratelimit
from .context import remember_own_comment
from .forms import CommentForm, issue_token
from .services import CommentsClosed, comment_submit, hash_ip, submission_key


@require_POST
def post(request, slug):
    article = get_object_or_404(Article.objects.published(), slug=slug)
    closed = _("Comments are closed on this story: your comment was not recorded.")
    if not article.comments_open:
        return render_article(request, article, status=HTTPStatus.FORBIDDEN, comment_error=closed)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return render_article(request, article, status=HTTPStatus.BAD_REQUEST, comment_form=form)
    ip_address = client_ip(request)
    if ip_address not in settings.COMMENT_RATE_LIMIT_EXEMPT and not ratelimit.allow(
        f"comment:{hash_ip(ip_address)}",
        limit=settings.COMMENT_RATE_LIMIT,
        window=settings.COMMENT_RATE_WINDOW,
    ):
        return render_article(
            request,
            article,
            status=HTTPStatus.TOO_MANY_REQUESTS,
            comment_form=form,
            comment_error=_(
                "You have sent several comments in a short time. Wait a few minutes, then send "
                "this one again: it is still in the form below."
            ),
        )
    try:
        comment = comment_submit(
            article=article,
            ip_address=ip_address,
            submission_key=submission_key(form.submitted_token),
            **{field: form.cleaned_data[field] for field in ("name", "email", "body")},
        )
    except CommentsClosed:
        return render_article(request, article, status=HTTPStatus.FORBIDDEN, comment_error=closed)
    messages.success(
        request,
        _("Thank you for your comment. It will be visible soon, once a moderator has approved it."),
        extra_tags="comment",
    )
    response = redirect(article.get_absolute_url() + "#comments")
    remember_own_comment(request, response, comment)
    return response


@never_cache
@require_GET
def form_tokens(request, slug):
    """The per-reader parts of the comment form, kept out of the shared page cache."""
    article = get_object_or_404(Article.objects.published().only("pk"), slug=slug)
    return JsonResponse({"csrf": get_token(request), "issued": issue_token(article.pk)})
