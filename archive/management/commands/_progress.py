"""The import commands' common part: their progress (a bar redrawn in place on a
terminal, a plain line every tenth of the way in a log) and their handling of the file."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from archive.errors import NotAnExport


class Progress:
    def __init__(self, stream, label):
        self.stream, self.label = stream, label
        self.terminal = hasattr(stream, "isatty") and stream.isatty()
        self.said, self.started = -1, time.monotonic()

    def __call__(self, done, total):
        total = max(total, 1)
        if self.terminal:
            width = 30
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {done}/{total}")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
            return
        tenth = 10 * done // total
        if tenth != self.said:
            self.said = tenth
            seconds = time.monotonic() - self.started
            self.stream.write(f"{self.label}: {done}/{total} ({seconds:.0f} s)\n")


def stream_of(command):
    return getattr(command.stdout, "_out", sys.stdout)


class ImportCommand(BaseCommand):
    """What both import commands share: the file, --dry-run, the progress, the errors said
    as the operator reads them, the report. A command names its `label` and `run`s."""

    label = "Items"

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export's XML file")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be imported, write nothing"
        )

    def run(self, file, progress, **options):
        raise NotImplementedError

    def handle(self, *args, file, **options):
        try:
            open(file, "rb").close()  # noqa: SIM115 (only: can it be read?)
        except OSError as unreadable:
            raise CommandError(f"{file}: {unreadable.strerror or unreadable}.") from None
        try:
            report = self.run(file, Progress(stream_of(self), self.label), **options)
        except NotAnExport as refused:
            raise CommandError(f"{file}: {refused}. Nothing was imported.") from None
        self.stdout.write("\n".join(report.lines()))
