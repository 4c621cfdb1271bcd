from http import HTTPStatus

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from articles.models import Article
from comments.submission import TooManyComments, submission_key
from newsroom.http import client_network, private

from .forms import MessageForm
from .services import message_send


@require_http_methods(["GET", "POST"])
def write(request, slug):
    """ "Report an error or write to the newsroom": a private message about a story, to its
    journalists; never published."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = MessageForm(request.POST if request.method == "POST" else None, article=article)
    sent, status = None, HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = message_send(
                    article=article,
                    ip_address=client_network(request),
                    submission_key=submission_key(form.submitted_token),
                    **{f: form.cleaned_data[f] for f in ("kind", "name", "email", "body")},
                )
            except TooManyComments:
                form.add_error(
                    None,
                    _(
                        "You have sent several messages in a short time. Wait a few minutes, "
                        "then send this one again: it is still in the form below."
                    ),
                )
                status = HTTPStatus.TOO_MANY_REQUESTS
        else:
            status = HTTPStatus.BAD_REQUEST
    context = {"article": article, "form": form, "sent": sent}
    return private(render(request, "letters/write.html", context, status=status))
