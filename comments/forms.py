import secrets
import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Comment

_SALT = "newsroom.comments.form"


def issue_token(article_id: int, issued_at: float | None = None) -> str:
    """A signed note of when the form was shown, for which story; unique to this showing."""
    return signing.dumps(
        {"a": article_id, "t": int(issued_at or time.time()), "n": secrets.token_urlsafe(9)},
        salt=_SALT,
    )


class CommentForm(forms.ModelForm):
    # A field people never see: whatever fills it is a robot.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Comment
        fields = ["parent", "name", "email", "body", "notify_author"]
        labels = {
            "name": _("Name"),
            "email": _("Email"),
            "body": _("Comment"),
            "notify_author": _("Tell me by email when my comment is published"),
        }
        error_messages = {
            "email": {"invalid": _("Enter a valid email address, such as name@example.org.")},
            "parent": {
                "invalid_choice": _(
                    "The comment you are answering is no longer published: send yours as a comment."
                )
            },
        }
        widgets = {
            "parent": forms.HiddenInput,
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, article, with_tokens=True, reply_to=None, **kwargs):
        """with_tokens=False renders a form any reader may share (the page cache): its
        CSRF and timing tokens are then filled in by comments/form.js. reply_to: the
        published comment this one answers."""
        if reply_to is not None:
            kwargs.setdefault("initial", {})["parent"] = reply_to.pk
        super().__init__(*args, **kwargs)
        self.reply_to = reply_to
        # Only a published comment of this story, not itself a reply, can be answered.
        self.fields["parent"].queryset = Comment.objects.approved().filter(
            article=article, parent=None
        )
        self.article = article
        self.with_tokens = with_tokens
        self.submitted_token = self.data.get("issued", "") if self.is_bound else ""
        if self.is_bound:
            # A form shown again carries a fresh token, so the reader can simply resend it.
            self.data = self.data.copy()
            self.data["issued"] = issue_token(article.pk)
        elif with_tokens:
            self.initial["issued"] = issue_token(article.pk)
        # Lengths are checked by the server, whose message says what to do: a browser's
        # maxlength cuts a pasted text short without a word. Its own validation speaks the
        # browser's language, not the page's: off too (novalidate).
        for name in ("name", "email", "body"):
            limit = self.fields[name].widget.attrs.pop("maxlength", None)
            self.fields[name].max_length = None
            self.fields[name].validators = [
                v for v in self.fields[name].validators if not isinstance(v, MaxLengthValidator)
            ]
            self.fields[name].limit = int(limit)
        body_limit = self.fields["body"].limit
        self.fields["body"].widget.attrs.update(
            {"data-limit": body_limit, "aria-describedby": "body-count"}
        )
        self.helper = FormHelper()
        self.helper.disable_csrf = not with_tokens
        self.helper.attrs = {"novalidate": ""}
        if not with_tokens:
            self.helper.attrs["data-tokens-url"] = reverse(
                "comments:tokens", kwargs={"slug": article.slug}
            )
        self.helper.form_action = reverse("comments:post", kwargs={"slug": article.slug})
        self.helper.form_id = "comment-form"
        self.helper.layout = Layout(
            "parent",
            "name",
            "email",
            "body",
            HTML(
                format_html(
                    '<p class="char-count" id="body-count" data-template="{}">{}</p>'
                    '<p class="visually-hidden" aria-live="polite" data-over="{}" data-near="{}"></p>',
                    gettext("{count} / {limit} characters"),
                    gettext("At most %(limit)s characters.")
                    % {"limit": formats.number_format(body_limit, force_grouping=True)},
                    gettext("{over} characters too many: shorten your comment."),
                    gettext("{left} characters left."),
                )
            ),
            "notify_author",
            Div(Field("website"), css_class="hp", aria_hidden="true"),
            "issued",
            Submit("submit", _("Send my comment")),
        )

    def _clean_length(self, name):
        value = self.cleaned_data[name]
        limit = self.fields[name].limit
        if len(value) > limit:
            raise forms.ValidationError(
                _("%(count)s characters: the limit is %(limit)s. Shorten it, then send it again."),
                code="max_length",
                params={
                    "count": formats.number_format(len(value), force_grouping=True),
                    "limit": formats.number_format(limit, force_grouping=True),
                },
            )
        return value

    def clean_name(self):
        return self._clean_length("name")

    def clean_email(self):
        return self._clean_length("email")

    def clean_body(self):
        return self._clean_length("body")

    def clean(self):
        cleaned = super().clean()
        # Any value in any copy of the hidden field is a robot's: website=spam&website= too.
        copies = self.data.getlist("website") if hasattr(self.data, "getlist") else []
        if any(value.strip() for value in copies) or cleaned.get("website"):
            raise forms.ValidationError(
                _("Your comment could not be accepted. Leave the last, hidden field empty."),
                code="honeypot",
            )
        try:
            token = signing.loads(
                self.submitted_token, salt=_SALT, max_age=settings.COMMENT_FORM_MAX_AGE
            )
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("This form was open for more than a day. Check your comment and send it again."),
                code="stale",
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form could not be checked. Check your comment and send it again."),
                code="bad_token",
            ) from None
        if token.get("a") != self.article.pk:
            raise forms.ValidationError(
                _("This form belongs to another story. Send your comment again."),
                code="bad_token",
            )
        if time.time() - token.get("t", 0) < settings.COMMENT_MIN_SECONDS:
            raise forms.ValidationError(
                _("Your comment was sent very quickly. Check it and send it again."),
                code="too_fast",
            )
        return cleaned
