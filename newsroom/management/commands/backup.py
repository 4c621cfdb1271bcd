from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from newsroom.backups import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc on PostgreSQL) and the media files into a new "
        "folder under FOLDER, with a manifest that restore checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        path = backup(Path(folder) / timezone.now().strftime("newsroom-%Y%m%d-%H%M%S"))
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
