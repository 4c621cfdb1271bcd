import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backups import MANIFEST, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into the configured database (a new, empty one) and media "
        "folder, then check every table and file against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        path = Path(folder)
        differences = restore(path)
        manifest = json.loads((path / MANIFEST).read_text())
        tables, files = len(manifest["tables"]), len(manifest["media"])
        rows = sum(t["rows"] for t in manifest["tables"].values())
        if differences:
            raise CommandError(f"The restored copy differs from the backup: {differences}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and checked: {tables} tables, {rows} rows, {files} media files, "
                "every checksum equal."
            )
        )
