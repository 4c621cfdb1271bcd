import csv
import json
import secrets
from http import HTTPStatus

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.models import Article
from newsroom.fields import MultilineField
from newsroom.http import client_network, private

from . import paging, services
from .cookies import remember_own_comment
from .forms import CommentForm, FlagForm, issue_token
from .links import comment_id_from_follow, mine_from_token
from .models import Comment
from .policy import accepts_comments
from .readerdata import HOLDERS
from .services import (
    AlreadyFlagged,
    AlreadySent,
    CommentRefused,
    NotFlaggable,
    TooManyComments,
    comment_flag,
    comment_submit,
    submission_key,
    submissions_exhausted,
)

MINE_SESSION_KEY = "comments.mine"
MINE_SESSION_SECONDS = 3600


@require_POST
def post(request, slug):
    """Store a reader's comment and go back to the story; a comment that cannot be stored
    comes back on a page of its own, the form first, with what went wrong and the text."""
    if submissions_exhausted(kind="comment", ip_address=client_network(request)):
        return _too_many(request, slug)
    article = get_object_or_404(Article.objects.published(), slug=slug)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return _form_page(request, article, form, HTTPStatus.BAD_REQUEST)
    try:
        comment = comment_submit(
            article=article,
            ip_address=client_network(request),
            submission_key=submission_key(form.submitted_token),
            **{f: form.cleaned_data[f] for f in ("name", "email", "body", "parent")},
            notify_author=form.cleaned_data["notify_author"],
        )
    except AlreadySent as resent:
        # Nothing new stored: the reader sees their first comment and where it stands.
        messages.info(request, resent.message, extra_tags="comment")
        response = redirect(article.get_absolute_url() + "#comments")
        remember_own_comment(request, response, resent.comment)
        return response
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


def _too_many(request, slug):
    """An address past its limit, answered before the story, the form or the rules are
    read (a flood of refused posts must not cost a worker what a page costs): the reader's
    text comes back to copy, with the way back to the story."""
    context = {
        "body": request.POST.get("body", ""),
        "story_url": reverse("articles:detail", kwargs={"slug": slug}),
    }
    response = render(request, "comments/too_many.html", context, status=429)
    response["Retry-After"] = str(settings.COMMENT_RATE_WINDOW)
    return private(response)


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


class EditForm(forms.Form):
    body = MultilineField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 6}))

    def clean_body(self):
        body = self.cleaned_data["body"]
        if len(body) > 3000:
            raise forms.ValidationError(_("At most 3,000 characters: shorten it a little."))
        return body


@require_http_methods(["GET", "POST"])
def follow(request, token):
    """ "Follow my comment": its text and where it stands, at an address only its author
    knows; while it waits, it can be changed; at any time, withdrawn."""
    comment_id = comment_id_from_follow(token)
    comment = get_object_or_404(
        Comment.objects.select_related("article").filter(erased_at=None), pk=comment_id or 0
    )
    waiting = comment.status in (Comment.Status.PENDING, Comment.Status.SPAM)
    form = EditForm(initial={"body": comment.body})
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            services.comment_withdraw(comment=comment)
            messages.success(request, _("Your comment is withdrawn."))
            return redirect(request.path)
        form = EditForm(request.POST)
        if waiting and form.is_valid():
            services.comment_edit(comment=comment, body=form.cleaned_data["body"])
            messages.success(request, _("Your comment is changed. It still waits for a moderator."))
            return redirect(request.path)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    context = {"comment": comment, "waiting": waiting, "form": form}
    return private(render(request, "comments/follow.html", context, status=status))


class MineForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        error_messages={
            "invalid": gettext_lazy("Enter a valid email address, such as name@example.org.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


@require_http_methods(["GET", "POST"])
def mine_request(request):
    """ "My comments": the reader types an address and gets a link by mail."""
    form = MineForm(request.POST or None)
    sent, status = False, HTTPStatus.OK
    if request.method == "POST":
        if form.is_valid():
            try:
                services.privacy_link_request(
                    email=form.cleaned_data["email"], ip_address=client_network(request)
                )
                sent = True
            except services.TooManyRequests:
                form.add_error(None, _("Too many requests: try again in an hour."))
                status = HTTPStatus.TOO_MANY_REQUESTS
        else:
            status = HTTPStatus.BAD_REQUEST
    return private(
        render(request, "comments/mine_request.html", {"form": form, "sent": sent}, status=status)
    )


@require_GET
def mine_open(request, token):
    """The mailed link: valid an hour, once; it opens the reader's page for an hour."""
    found = mine_from_token(token)
    if found is None or not cache.add(f"comments:mine-used:{found[1]}", 1, 3600):
        return private(render(request, "comments/mine_expired.html", status=HTTPStatus.GONE))
    request.session[MINE_SESSION_KEY] = found[0]
    request.session.set_expiry(MINE_SESSION_SECONDS)
    return redirect("comments:mine")


def _mine_email(request):
    email = request.session.get(MINE_SESSION_KEY)
    if not email:
        raise Http404
    return email


@require_GET
def mine(request):
    email = _mine_email(request)
    comments = services.privacy_access(email=email)
    others = [(holder, holder.items(email)) for holder in HOLDERS]
    others = [{"holder": holder, "items": items} for holder, items in others if items]
    context = {"comments": comments, "others": others, "email": email}
    return private(render(request, "comments/mine.html", context))


EXPORT_COLUMNS = {
    "story": gettext_lazy("story"),
    "url": gettext_lazy("address"),
    "name": gettext_lazy("name"),
    "email": gettext_lazy("email"),
    "comment": gettext_lazy("comment"),
    "status": gettext_lazy("status"),
    "sent_at": gettext_lazy("sent at"),
    "in_reply_to": gettext_lazy("in reply to"),
}


@require_GET
def mine_download(request, format):
    if format not in {"json", "csv"}:
        raise Http404
    email = _mine_email(request)
    rows = services.comments_export(email=email)
    if format == "json":
        response = HttpResponse(
            json.dumps(rows, ensure_ascii=False, indent=2), content_type="application/json"
        )
    else:
        # A spreadsheet's columns named in the reader's language (JSON keeps stable keys).
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow([str(label) for label in EXPORT_COLUMNS.values()])
        writer.writerows([row[key] for key in EXPORT_COLUMNS] for row in rows)
    name = f"mes-commentaires-{secrets.token_hex(3)}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return private(response)


@require_POST
def mine_erase(request):
    email = _mine_email(request)
    count = services.comments_erase(email=email)
    request.session.flush()
    messages.success(
        request,
        ngettext(
            "%(count)d comment erased. Its author's name and address are nowhere any more.",
            "%(count)d comments erased. Their author's name and address are nowhere any more.",
            count,
        )
        % {"count": count},
    )
    return redirect(reverse("comments:mine_request"))


def _fragment(request, article, pages, order=paging.NEWEST, **extra):
    """Pages of a story's threads, as the story page lists them, for its scripts to put in
    place; never indexed on their own."""
    is_open = accepts_comments(article)
    html = paging.pages_html(article, pages, request.LANGUAGE_CODE, is_open, order)
    context = {
        "article": article,
        "comments_html": mark_safe(html),  # noqa: S308 (rendered by a template)
        "more": paging.more_link(article, order, pages),
        **extra,
    }
    response = render(request, "comments/page.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def comments_page(request, slug, page):
    """One page of a story's published threads (or picks, ?ordre=): the page's script
    inserts it under those shown ("Show more comments"); kept as a page is."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    order = paging.order_from(request.GET.get("ordre", ""))
    if not 1 <= page <= paging.last_page(article, order):
        raise Http404
    return _fragment(request, article, [page], order)


@require_GET
def comments_state(request, slug):
    """What the story page's script polls ("3 new comments — show"): the published count
    and the pages shown; kept as a page is (newsroom.cache), so a poll costs a cache read."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    found = paging.summary(article)
    response = JsonResponse({"count": found.count, "pages": found.pages})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def comments_latest(request, slug):
    """The comments the story page shows by default: what "show" puts in place of the list
    a reader has had open for a while."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    found = paging.summary(article)
    return _fragment(request, article, found.pages, count=found.count)


@require_GET
def permalink(request, pk):
    """A published comment's address: the story page with the page of comments holding it
    (the story's own address when it shows that page), at the comment."""
    comment = get_object_or_404(
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .select_related("article", "parent"),
        pk=pk,
    )
    article = comment.article
    page = paging.page_of(comment)
    url = article.get_absolute_url()
    if page not in paging.summary(article).pages:
        url += f"?commentaires={page}"
    return redirect(f"{url}#comment-{comment.pk}")


READER_COOKIE = "reader"
READER_SALT = "newsroom.comments.reader"


@require_http_methods(["GET", "POST"])
def flag(request, pk):
    """ "Report this comment": a reason, no account; one report per reader per comment."""
    comment = get_object_or_404(
        Comment.objects.select_related("article").filter(
            article__in=Article.objects.published(), staff_author=None
        ),
        pk=pk,
    )
    reader_id = request.get_signed_cookie(READER_COOKIE, default="", salt=READER_SALT)
    new_reader = not reader_id
    reader_id = reader_id or secrets.token_urlsafe(16)
    form = FlagForm(request.POST if request.method == "POST" else None)
    published = comment.status == Comment.Status.APPROVED and comment.erased_at is None
    state, status = "form", HTTPStatus.OK
    if not published:
        state, status = "gone", HTTPStatus.GONE
    elif request.method == "POST":
        if not form.is_valid():
            status = HTTPStatus.BAD_REQUEST
        else:
            try:
                comment_flag(
                    comment=comment,
                    reason=form.cleaned_data["reason"],
                    reader_id=reader_id,
                    ip_address=client_network(request),
                )
                state = "done"
            except AlreadyFlagged:
                state, status = "already", HTTPStatus.CONFLICT
            except NotFlaggable:
                state, status = "gone", HTTPStatus.GONE
            except TooManyComments:
                form.add_error(None, _("Too many reports from your connection: try again later."))
                status = HTTPStatus.TOO_MANY_REQUESTS
    context = {"comment": comment, "form": form, "state": state}
    response = private(render(request, "comments/flag.html", context, status=status))
    if new_reader and request.method == "POST":
        # Only the report pages see it: story pages stay shared (the page cache).
        response.set_signed_cookie(
            READER_COOKIE,
            reader_id,
            salt=READER_SALT,
            max_age=365 * 24 * 3600,
            path="/commentaires/",
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
