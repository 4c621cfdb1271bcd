import json

from django.core.management.base import BaseCommand

from comments.services import OPERATOR, comments_export


class Command(BaseCommand):
    help = "Print, as JSON, every comment sent with an email address (a reader's right of access)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        self.stdout.write(
            json.dumps(comments_export(email=email, by=OPERATOR), ensure_ascii=False, indent=2)
        )
