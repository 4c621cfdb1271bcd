from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from comments.submission import RobotChecks, check_length

from .models import ReaderMessage

# The same checks, told to a reader writing to the newsroom.
MESSAGE_CHECK_MESSAGES = {
    "honeypot": lambda: gettext(
        "Your message could not be accepted. Leave the last, hidden field empty."
    ),
    "stale": lambda: gettext(
        "This form was open for more than a day. Check your message and send it again."
    ),
    "bad_token": lambda: gettext(
        "This form could not be checked. Check your message and send it again."
    ),
    "other_story": lambda: gettext("This form belongs to another story. Send your message again."),
    "too_fast": lambda: gettext("Your message was sent very quickly. Check it and send it again."),
}


MESSAGE_LIMIT = 3000


class MessageForm(RobotChecks, forms.ModelForm):
    """A reader writes to the newsroom about a story: private, never published."""

    robot_messages = MESSAGE_CHECK_MESSAGES

    class Meta:
        model = ReaderMessage
        fields = ["kind", "name", "email", "body"]
        labels = {
            "kind": _("What is it about?"),
            "name": _("Name"),
            "email": _("Email"),
            "body": _("Your message"),
        }
        error_messages = {
            "email": {"invalid": _("Enter a valid email address, such as name@example.org.")},
            "kind": {"required": _("Choose what your message is about.")},
        }
        widgets = {
            "kind": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "body": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ReaderMessage.Kind.choices  # no empty "---------"
        self.issue_tokens(article)
        for name in ("name", "email"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["body"].widget.attrs.update(
            {"data-limit": MESSAGE_LIMIT, "aria-describedby": "message-limit"}
        )
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.form_id = "message-form"
        self.helper.layout = Layout(
            "kind",
            "name",
            "email",
            "body",
            HTML(
                format_html(
                    '<p class="form-text" id="message-limit">{}</p>',
                    gettext("At most %(limit)s characters.")
                    % {"limit": formats.number_format(MESSAGE_LIMIT, force_grouping=True)},
                )
            ),
            Div(Field("website"), css_class="hp", aria_hidden="true"),
            "issued",
            Submit("submit", _("Send to the newsroom")),
        )

    def clean_body(self):
        return check_length(self.cleaned_data["body"].strip(), MESSAGE_LIMIT)
