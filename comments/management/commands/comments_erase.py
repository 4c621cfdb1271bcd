from django.core.management.base import BaseCommand

from comments.services import OPERATOR, comments_erase


class Command(BaseCommand):
    help = "Anonymise every comment sent with an email address: name, address and address hash."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        count = comments_erase(email=email, by=OPERATOR)
        self.stdout.write(self.style.SUCCESS(f"{count} comment(s) anonymised."))
