"""The old name of send_outbox, kept so schedules written for it keep working."""

from .send_outbox import Command  # noqa: F401
