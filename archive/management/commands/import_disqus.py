from archive.services import import_disqus

from ._progress import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a Disqus export: each thread's comments on the story at its address (the old "
        "site's, after import_wordpress, or this site's), with their states and replies. "
        "Running it again adds only what is new."
    )
    label = "Comments"

    def run(self, file, progress, *, dry_run, **options):
        return import_disqus(file, dry_run=dry_run, progress=progress)
