"""The oldest name of send_outbox, kept so schedules written for it keep working."""

from newsroom.management.commands.send_outbox import Command  # noqa: F401
