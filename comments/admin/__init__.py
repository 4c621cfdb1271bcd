"""The comments' admin, in parts: the moderation queue (queue), the comment's page and
list (comments), the moderators' log (log), and the lists moderators and editors keep
(lists: sections' policies, banned words, blocked senders, privacy requests)."""

from . import comments, lists, log  # noqa: F401 (they register their models)
