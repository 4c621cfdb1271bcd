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

from .models import Comment, Flag

_SALT = "newsroom.comments.form"


def issue_token(article_id: int, issued_at: float | None = None) -> str:
    """A signed note of when the form was shown, for which story; unique to this showing."""
    return signing.dumps(
        {"a": article_id, "t": int(issued_at or time.time()), "n": secrets.token_urlsafe(9)},
        salt=_SALT,
    )


# What a reader is told when a form fails the robots' checks, by robot_check's answer.
ROBOT_CHECK_MESSAGES = {
    "honeypot": lambda: gettext(
        "Your comment could not be accepted. Leave the last, hidden field empty."
    ),
    "stale": lambda: gettext(
        "This form was open for more than a day. Check your comment and send it again."
    ),
    "bad_token": lambda: gettext(
        "This form could not be checked. Check your comment and send it again."
    ),
    "other_story": lambda: gettext("This form belongs to another story. Send your comment again."),
    "too_fast": lambda: gettext("Your comment was sent very quickly. Check it and send it again."),
}


def check_length(value: str, limit: int) -> str:
    """The value, or a message that says how long it is and how long it may be."""
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


class RobotChecks(forms.Form):
    """The fields a reader's form carries against robots (robot_check): a honeypot people
    never see, and the signed token of when the form was shown, for which story."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput, required=False)

    # What the reader is told when a check fails, by robot_check's answer.
    robot_messages: dict = {}

    def clean(self):
        cleaned = super().clean()
        problem = robot_check(self.data, self.submitted_token, self.article.pk)
        if problem == "too_fast" and self.errors:
            # A form sent with a field missing or wrong is refused for that, and said so:
            # "sent very quickly" would send the reader looking for the wrong problem.
            return cleaned
        if problem:
            raise forms.ValidationError(self.robot_messages[problem](), code=problem)
        return cleaned

    def issue_tokens(self, article, *, in_form=True):
        """The story the form is for; keep the token sent, and give the form a fresh one (a
        form shown again can simply be sent again); in_form=False: the page's script
        fetches it (comments/form.js)."""
        self.article = article
        self.submitted_token = self.data.get("issued", "") if self.is_bound else ""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["issued"] = issue_token(article.pk)
        elif in_form:
            self.initial["issued"] = issue_token(article.pk)


class CommentForm(RobotChecks, forms.ModelForm):
    robot_messages = ROBOT_CHECK_MESSAGES

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
        self.with_tokens = with_tokens
        self.issue_tokens(article, in_form=with_tokens)
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
        return check_length(self.cleaned_data[name], self.fields[name].limit)

    def clean_name(self):
        return self._clean_length("name")

    def clean_email(self):
        return self._clean_length("email")

    def clean_body(self):
        return self._clean_length("body")


def robot_check(data, submitted_token: str, article_id: int) -> str:
    """ "" for a form a person filled in: the hidden field empty (in every copy: website=spam&
    website= too), a token signed by us for this story, not older than a day, and not sent
    back faster than COMMENT_MIN_SECONDS. Otherwise which check failed."""
    copies = data.getlist("website") if hasattr(data, "getlist") else [data.get("website", "")]
    if any((value or "").strip() for value in copies):
        return "honeypot"
    try:
        token = signing.loads(submitted_token, salt=_SALT, max_age=settings.COMMENT_FORM_MAX_AGE)
    except signing.SignatureExpired:
        return "stale"
    except signing.BadSignature:
        return "bad_token"
    if token.get("a") != article_id:
        return "other_story"
    if time.time() - token.get("t", 0) < settings.COMMENT_MIN_SECONDS:
        return "too_fast"
    return ""


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason: it tells the moderators what to look for."),
            "invalid_choice": _("Choose one of the reasons listed."),
        },
    )
