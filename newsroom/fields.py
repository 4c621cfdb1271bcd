"""Model and form fields the apps share."""

from django import forms
from django.db import models
from django.utils.text import normalize_newlines


class MultilineField(forms.CharField):
    """Text typed in a textarea, its line breaks as stored: a browser sends them as CR LF,
    the text is kept with LF, so a form sent back unchanged changes nothing."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if value else value


class TextField(models.TextField):
    """A TextField whose forms (the admin's, the public ones) keep LF line breaks."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MultilineField, **kwargs})

    def deconstruct(self):
        # The same column as Django's TextField: migrations see no change.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs
