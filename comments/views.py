from http import HTTPStatus

from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from newsroom.http import client_ip

from .cookies import remember_own_comment
from .forms import CommentForm, issue_token
from .services import CommentRefused, comment_submit, submission_key


@require_POST
def post(request, slug):
    """Store a reader's comment and go back to the story; a comment that cannot be stored
    comes back on a page of its own, the form first, with what went wrong and the text."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return _form_page(request, article, form, HTTPStatus.BAD_REQUEST)
    try:
        comment = comment_submit(
            article=article,
            ip_address=client_ip(request),
            submission_key=submission_key(form.submitted_token),
            **{field: form.cleaned_data[field] for field in ("name", "email", "body")},
        )
    except CommentRefused as refusal:
        form.add_error(None, refusal.message)
        return _form_page(request, article, form, refusal.status)
    messages.success(
        request,
        _("Thank you for your comment. It will be visible soon, once a moderator has approved it."),
        extra_tags="comment",
    )
    response = redirect(article.get_absolute_url() + "#comments")
    remember_own_comment(request, response, comment)
    return response


def _form_page(request, article, form, status):
    return render(
        request, "comments/form_page.html", {"article": article, "form": form}, status=status
    )


@never_cache
@require_GET
def form_tokens(request, slug):
    """The per-reader parts of the comment form, kept out of the shared page cache."""
    article = get_object_or_404(Article.objects.published().only("pk"), slug=slug)
    return JsonResponse({"csrf": get_token(request), "issued": issue_token(article.pk)})
