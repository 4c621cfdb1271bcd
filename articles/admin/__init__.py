"""The stories' admin, in parts: forms (the story's form and its version check), views
(preview, images, editing presence, compare, the readings chart), stories (the story's
page, its inlines, the bin) and tags."""

from . import stories, tags  # noqa: F401 (they register their models)
