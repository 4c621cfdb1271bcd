from django.core.management.base import BaseCommand, CommandError

from archive.errors import NotAnExport
from archive.services import import_disqus

from ._progress import Progress, stream_of


class Command(BaseCommand):
    help = (
        "Import a Disqus export: each thread's comments on the story at its address (the old "
        "site's, after import_wordpress, or this site's), with their states and replies. "
        "Running it again adds only what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export's XML file")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be imported, write nothing"
        )

    def handle(self, *args, file, dry_run, **options):
        progress = Progress(stream_of(self), "Comments")
        try:
            open(file, "rb").close()  # noqa: SIM115 (only: can it be read?)
        except OSError as unreadable:
            raise CommandError(f"{file}: {unreadable.strerror or unreadable}.") from None
        try:
            report = import_disqus(file, dry_run=dry_run, progress=progress)
        except NotAnExport as refused:
            raise CommandError(f"{file}: {refused}. Nothing was imported.") from None
        self.stdout.write("\n".join(report.lines()))
