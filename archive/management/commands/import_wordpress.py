from django.core.management.base import BaseCommand, CommandError

from archive.errors import NotAnExport
from archive.services import import_wordpress

from ._progress import Progress, stream_of


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.0–1.2): posts, authors, tags and "
        "categories, images, comments; the old addresses answer with a 301. Running it again "
        "adds only what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export's XML file")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be imported, write nothing"
        )
        parser.add_argument(
            "--no-images", action="store_true", help="do not fetch the images (listed as missing)"
        )

    def handle(self, *args, file, dry_run, no_images, **options):
        progress = Progress(stream_of(self), "Posts")
        try:
            open(file, "rb").close()  # noqa: SIM115 (only: can it be read?)
        except OSError as unreadable:
            raise CommandError(f"{file}: {unreadable.strerror or unreadable}.") from None
        try:
            report = import_wordpress(
                file, dry_run=dry_run, images=not no_images, progress=progress
            )
        except NotAnExport as refused:
            raise CommandError(f"{file}: {refused}. Nothing was imported.") from None
        self.stdout.write("\n".join(report.lines()))
