from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "The old way to send mail from a schedule: now the jobs that are due run once "
        "(manage.py worker --once), mail and the moderators' digest among them."
    )

    def handle(self, *args, **options):
        call_command("worker", once=True)
