"""A reader's data beyond their comments (their messages to the newsroom, in letters):
each app that keeps some registers a ReaderData here, and the reader's rights reach it
(comments.services.privacy): the "my comments" page lists it, the download carries it,
erasure deletes it, the purge trims it, the link is mailed when any exists."""

from collections.abc import Callable
from dataclasses import dataclass

HOLDERS: list["ReaderData"] = []


@dataclass(frozen=True)
class ReaderData:
    # A heading on the "my comments" page ("Your messages to the newsroom").
    title: str
    # What erasing does to them, said before the reader confirms.
    erase_note: str
    # The reader's rows, each with .article (or None), .created_at, .label and .body.
    items: Callable
    # The same as export rows (story, url, name, email, comment, status, sent_at, in_reply_to).
    rows: Callable
    # Delete them; returns their texts, so that mail quoting them goes too.
    erase: Callable
    # Old rows trimmed, given the purge's cutoff.
    purge: Callable


def register(holder: ReaderData) -> None:
    if holder not in HOLDERS:
        HOLDERS.append(holder)
