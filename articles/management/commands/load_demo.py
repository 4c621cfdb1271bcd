import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles import demo
from articles.models import Article, BodyImage, DailyReadings, Tag, fold_slug
from articles.services import article_save, body_image_save
from articles.signals import demo_loaded

DEMO_PASSWORD = "demo-newsroom"
# username, first name, last name, group (None: superuser)
ACCOUNTS = [
    ("admin", "Alex", "Admin", None),
    ("redaction", "Régine", "Chef", "Editors"),
    ("moderation", "Marc", "Modérateur", "Moderators"),
]


class Command(BaseCommand):
    help = "Load demo tags, journalists and stories. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            metavar="N",
            help="Give one story N published comments (threads, replies, the newsroom's picks) "
            "to try a long comment section.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if options["comments"] < 0:
            raise CommandError("--comments takes a number of comments, 0 or more.")
        tags = {slug: self._tag(name, slug, description) for name, slug, description in demo.TAGS}
        users = {}
        for username, first, last in demo.JOURNALISTS:
            users[username] = self._user(username, first, last, "Journalists")
        for username, first, last, group in ACCOUNTS:
            users[username] = self._user(username, first, last, group)

        now = timezone.now()
        created = 0
        for (
            title,
            tag_slugs,
            authors,
            standfirst,
            body,
            palette,
            days_ago,
        ) in demo.STORIES:
            published_at = (now - timedelta(days=days_ago)).replace(
                minute=30, second=0, microsecond=0
            )
            created += self._story(
                title,
                tag_slugs,
                authors,
                standfirst,
                body,
                palette,
                Article.Status.PUBLISHED,
                published_at,
                tags,
                users,
            )
        title, tag_slugs, authors, standfirst, body, palette = demo.DRAFT_STORY
        created += self._story(
            title,
            tag_slugs,
            authors,
            standfirst,
            body,
            palette,
            Article.Status.DRAFT,
            now,
            tags,
            users,
        )
        title, tag_slugs, authors, standfirst, body, palette = demo.SCHEDULED_STORY
        created += self._story(
            title,
            tag_slugs,
            authors,
            standfirst,
            body,
            palette,
            Article.Status.PUBLISHED,
            now + timedelta(days=3),
            tags,
            users,
        )
        others = [
            said
            for _, said in demo_loaded.send(
                sender=self.__class__, users=users, comments=options["comments"]
            )
            if said
        ]
        self._readings()
        self.stdout.write(
            self.style.SUCCESS(", ".join([f"Demo content ready: {created} new stories", *others]))
        )
        if settings.DEBUG:
            names = ", ".join([u for u, *_ in ACCOUNTS] + [u for u, *_ in demo.JOURNALISTS])
            self.stdout.write(f"Admin at /admin/ - accounts {names} - password: {DEMO_PASSWORD}")

    def _readings(self):
        """A week of readings for the live stories that have none, so "most read" is not
        empty on a new site: more for the newer and the fuller stories."""
        today = timezone.localdate()
        for rank, article in enumerate(Article.objects.published().order_by("-published_at")):
            if article.readings.exists():
                continue
            rng = random.Random(article.slug)
            DailyReadings.objects.bulk_create(
                DailyReadings(
                    article=article,
                    day=today - timedelta(days=days_ago),
                    count=max(3, 400 // (rank + 2) + rng.randint(0, 60) - days_ago * 8),
                )
                for days_ago in range(7)
                if article.published_at.date() <= today - timedelta(days=days_ago)
            )

    def _tag(self, name, slug, description):
        tag, _ = Tag.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        return tag

    def _user(self, username, first, last, group):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@newsroom.example",
                "is_staff": True,
                "is_superuser": group is None,
            },
        )
        if created:
            # Known passwords only on a development machine; elsewhere set them with changepassword.
            if settings.DEBUG:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
        return user

    def _story(
        self,
        title,
        tag_slugs,
        authors,
        standfirst,
        body,
        palette,
        status,
        published_at,
        tags,
        users,
    ):
        slug = fold_slug(title)
        if Article.objects.filter(slug=slug).exists():
            return 0
        kind, description = demo.picture_for(slug)
        article = Article(
            title=title,
            slug=slug,
            standfirst=standfirst,
            body=body,
            status=status,
            published_at=published_at,
            image_alt=description,
            image_credit=demo.PICTURE_CREDIT,
        )
        article.image.save(
            f"{slug[:60]}.jpg",
            ContentFile(demo.draw_picture(title, palette, kind)),
            save=False,
        )
        article_save(
            article=article,
            tags=[tags[slug] for slug in tag_slugs],
            authors=[users[username] for username in authors],
        )
        if picture := demo.body_picture_for(slug):
            kind, description, caption, credit = picture
            image = BodyImage(article=article, alt=description, caption=caption, credit=credit)
            image.image.save(
                f"{slug[:50]}-figure.jpg",
                ContentFile(demo.draw_picture(caption, palette, kind, size=(1200, 675))),
                save=False,
            )
            body_image_save(image=image)
            first, _, rest = article.body.partition("\n")  # after the first paragraph
            article.body = f"{first}\n{image.placeholder}\n{rest}"
            article.mark_saved()  # written with its figure: not an update for readers
            article_save(article=article)
        return 1
