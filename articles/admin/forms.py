"""The story admin's forms: the story (with the version check), its body images, the byline."""

from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django_prose_editor.widgets import AdminProseEditorWidget

from ..models import Article, BodyImage
from ..rendering import image_ids
from ..versions import edit_conflict


class BylineField(forms.ModelMultipleChoiceField):
    """Journalists and editors, by their full names."""

    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


def story_editor(language=None):
    """The body's rich-text editor: what a story may hold, and no more (the stored body
    goes through articles.rendering.clean_body on save whatever the editor sends)."""
    return AdminProseEditorWidget(
        config={
            "extensions": {
                "Bold": True,
                "Italic": True,
                "Heading": {"levels": [2, 3]},
                "BulletList": True,
                "OrderedList": True,
                "ListItem": True,
                "Blockquote": True,
                "HardBreak": True,
                "HorizontalRule": True,
                "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
                "StoryImage": True,
                "WordProcessorPaste": {"url": reverse("admin:articles_article_paste")},
                "History": True,
                "NoSpellCheck": False,  # the browser's spelling check helps on deadline
            }
        },
        attrs={"lang": language} if language else None,
        preset="configurable",
    )


class ArticleForm(forms.ModelForm):
    # The version the form was opened on: a save made since is not overwritten.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "body", "edit_version", "image", "image_alt",
            "image_credit", "image_focus_x", "image_focus_y", "status", "published_at",
            "authors", "tags", "language",
            "comments_open",
        ]  # fmt: skip

    # In the history's "restore this revision" form, the story's version before the old
    # revision was loaded into it (ArticleAdmin.revision_view).
    live_edit_version = None
    # Who fills the form in (ArticleAdmin.get_form): the images they dropped into a new story.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("image_focus_x", "image_focus_y"):
            if name in self.fields:  # left empty: the centre
                self.fields[name].required = False
        if self.live_edit_version is not None:
            self.initial["edit_version"] = self.live_edit_version
        if "body" in self.fields:
            self.fields["body"].widget = story_editor()
        widget = self.fields["published_at"].widget if "published_at" in self.fields else None
        if hasattr(widget, "widgets"):  # the admin's date and time boxes, each named
            widget.widgets[0].attrs["aria-label"] = gettext("Publication date")
            widget.widgets[1].attrs["aria-label"] = gettext("Publication time")

    def clean_body(self):
        body = self.cleaned_data.get("body", "")
        placed = image_ids(body)
        mine = BodyImage.objects.filter(article=None, added_by=self.user) if self.user else None
        known = set()
        if placed and self.instance.pk:
            known |= set(self.instance.body_images.values_list("pk", flat=True))
        if placed and mine is not None:  # dropped in before its first save
            known |= set(mine.values_list("pk", flat=True))
        unknown = [n for n in placed if n not in known]
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "The text places an image this story does not have: %(lines)s. Insert it "
                    "with “Insert an image in the text”, or take the line out.",
                    "The text places images this story does not have: %(lines)s. Insert them "
                    "with “Insert an image in the text”, or take the lines out.",
                    len(unknown),
                )
                % {"lines": ", ".join(f"[[image {n}]]" for n in unknown)},
                code="unknown_image",
            )
        return body

    def clean_edit_version(self):
        # Empty on the add form (a new story has no version yet): the stored one, 0 when new.
        value = self.cleaned_data.get("edit_version")
        return self.instance.edit_version if value is None else value

    def clean_image_focus_x(self):
        value = self.cleaned_data.get("image_focus_x")
        return 50 if value is None else value

    def clean_image_focus_y(self):
        value = self.cleaned_data.get("image_focus_y")
        return 50 if value is None else value

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        stories = Article.objects.filter(pk=instance.pk)
        if transaction.get_connection().in_atomic_block:
            # The admin saves in the same transaction: no other save between check and write.
            stories = stories.select_for_update()
        current = stories.first()
        if current is None:
            return cleaned
        if self.live_edit_version is not None:
            current.edit_version = self.live_edit_version
        conflict = edit_conflict(current, cleaned.get("edit_version"))
        if conflict is None:
            return cleaned
        who = conflict.who
        raise forms.ValidationError(
            gettext(
                "%(who)s saved this story at %(when)s, after you opened it (%(what)s). Your text "
                "is kept below and was not saved: copy what you need, open the story again, "
                "and apply it."
            )
            % {
                "who": (who.get_full_name() or who.get_username()) if who else gettext("Someone"),
                "when": formats.time_format(timezone.localtime(conflict.when)),
                "what": ", ".join(conflict.changed) or gettext("see its history"),
            },
            code="conflict",
        )


class BodyImageForm(forms.ModelForm):
    """An image uploaded from the editor, beside the body."""

    class Meta:
        model = BodyImage
        fields = ["image", "alt", "caption", "credit"]
