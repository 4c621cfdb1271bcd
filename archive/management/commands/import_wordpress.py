from archive.services import import_wordpress

from ._progress import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.0–1.2): posts, authors, tags and "
        "categories, images, comments; the old addresses answer with a 301. Running it again "
        "adds only what is new."
    )
    label = "Posts"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-images", action="store_true", help="do not fetch the images (listed as missing)"
        )

    def run(self, file, progress, *, dry_run, no_images, **options):
        return import_wordpress(file, dry_run=dry_run, images=not no_images, progress=progress)
