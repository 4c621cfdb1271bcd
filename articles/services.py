"""Every write to stories, tags and readings: the admin, load_demo, commands and tests call
these, and each one that changes a public page ends by saying so (newsroom.cache)."""

import random
from contextlib import contextmanager

import reversion
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from newsroom.cache import site_changed, story_changed

from .images import delete_crops, delete_renditions, make_crops, make_renditions, open_image
from .models import Article, Autosave, BodyImage, Correction, DailyReadings, Tag
from .rendering import image_ids
from .search import index_story

# How long a reader is remembered as having read a story: the rest of the day at most.
READING_MEMORY = 24 * 3600
# What one client address (one IPv6 /64) may add to "most read", whatever browsers it
# claims to be: a household or an office has several readers, a script has thousands.
READINGS_PER_STORY = 3
READINGS_PER_DAY = 100


@contextmanager
def _revision(user, comment):
    """Every save is a revision (django-reversion), with who and why; inside the admin's own
    revision, that one."""
    if reversion.is_active():
        if comment:
            reversion.set_comment(comment)
        yield
        return
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment or "")
        yield


def article_save(
    *, article: Article, tags=None, authors=None, user=None, comment: str = ""
) -> Article:
    """Store a story, its tags and byline, with what follows from them: image renditions,
    the search index, and the caches of every page that may show it.

    Nothing is half-stored: a failure (a full disk, a damaged image, the database) rolls
    the story back and leaves no new file behind.
    """
    if article.pk is None and not comment:
        comment = gettext("Created")
    image_changed = article.image_changed
    new_upload = bool(article.image) and not article.image._committed
    old_renditions = article.image_renditions if image_changed else []
    new_renditions, new_crops, old_crops = [], [], []
    try:
        if article.published_at:  # to the second, as the admin's form shows and sends it
            article.published_at = article.published_at.replace(microsecond=0)
        with transaction.atomic(), _revision(user, comment):
            # One more than the latest version, the stored one or the one the caller saw (a
            # restored revision is loaded into the row with its old number first).
            stored_version, *stored_focus = Article.objects.filter(pk=article.pk).values_list(
                "edit_version", "image_focus_x", "image_focus_y"
            ).first() or (0, None, None)
            article.edit_version = max(stored_version, article.edit_version) + 1
            article.save()
            if user is not None and _adopt_images(article, user):
                Article.objects.filter(pk=article.pk).update(
                    body_html=article.body_html, body_text=article.body_text
                )
            focus = (article.image_focus_x, article.image_focus_y)
            # The crops follow the image and its focal point (and are made at its next save
            # for an image that predates them).
            recrop = image_changed or stored_focus != list(focus) or not article.image_crops
            decoded = None
            if tags is not None:
                article.tags.set(tags)
            if authors is not None:
                _set_byline(article, list(authors))
            if (image_changed or recrop) and article.image:
                decoded = open_image(article.image)
            if image_changed:
                new_renditions = make_renditions(article.image, decoded) if article.image else []
                article.image_renditions = new_renditions
                Article.objects.filter(pk=article.pk).update(image_renditions=new_renditions)
            if recrop and (article.image or article.image_crops):
                old_crops = article.image_crops
                new_crops = make_crops(article.image, focus, decoded) if article.image else []
                article.image_crops = new_crops
                Article.objects.filter(pk=article.pk).update(image_crops=new_crops)
            index_story(article)
            story_changed(article.pk)
    except Exception:
        delete_renditions(new_renditions)
        delete_crops(new_crops)
        if new_upload and article.image._committed:
            article.image.storage.delete(article.image.name)
        raise
    transaction.on_commit(lambda: (delete_renditions(old_renditions), delete_crops(old_crops)))
    for name in ("tag_list", "byline"):
        article.__dict__.pop(name, None)
    article.mark_saved()
    return article


def _set_byline(article, authors):
    """The byline in the order given: Django's set() adds several people in the order of a
    set of their ids, which put "Lucien Blanc, Camille Roux" for Camille and Lucien once
    the ids grew (the byline reads the people in the order they were added)."""
    wanted = [getattr(person, "pk", person) for person in authors]
    through = Article.authors.through.objects.filter(article=article).order_by("id")
    if list(through.values_list("user_id", flat=True)) != wanted:
        article.authors.clear()
        for person in wanted:
            article.authors.add(person)


def article_publish(*, article: Article, user=None) -> Article:
    """Put a story on the site now; a story already live keeps its publication time."""
    if article.is_live:
        return article
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    return article_save(article=article, user=user, comment=gettext("Published now"))


def article_unpublish(*, article: Article, user=None) -> Article:
    """Take a story off the site: it becomes a draft again."""
    if article.status == Article.Status.DRAFT:
        return article
    article.status = Article.Status.DRAFT
    return article_save(article=article, user=user, comment=gettext("Unpublished"))


def body_image_save(*, image: BodyImage) -> BodyImage:
    """Store an image of a story's text with its WebP renditions; the story's body is
    rendered again when it places it (a new caption or credit shows at once)."""
    new_upload = bool(image.image) and not image.image._committed
    replaced = image.pk is not None and new_upload
    old = image.renditions if replaced else []
    old_name = (
        BodyImage.objects.filter(pk=image.pk).values_list("image", flat=True).first()
        if replaced
        else None
    )
    new_renditions = []
    try:
        with transaction.atomic():
            image.save()
            if new_upload or not image.renditions:
                new_renditions = make_renditions(image.image)
                image.renditions = new_renditions
                BodyImage.objects.filter(pk=image.pk).update(renditions=new_renditions)
            if image.article_id:
                _render_placing(image.article_id, image.pk)
    except Exception:
        delete_renditions(new_renditions)
        if new_upload and image.image._committed:
            image.image.storage.delete(image.image.name)
        raise
    if replaced:
        transaction.on_commit(lambda: _delete_image_files(old_name, old))
    return image


def body_image_delete(*, image: BodyImage) -> None:
    """Remove an image of a story's text; where the body placed it, nothing shows."""
    name, renditions, pk = image.image.name, image.renditions, image.pk
    with transaction.atomic():
        image.delete()
        _render_placing(image.article_id, pk)
    transaction.on_commit(lambda: _delete_image_files(name, renditions))


def _adopt_images(article, user) -> int:
    """The images its journalist dropped into the story before it was first saved, now
    that it is, placed in its text: the story's (and its body rendered with them)."""
    placed = image_ids(article.body)
    if not placed:
        return 0
    adopted = BodyImage.objects.filter(article=None, added_by=user, pk__in=placed).update(
        article=article
    )
    if adopted:
        article.render_text()
    return adopted


def body_images_purge_unplaced(*, older_than) -> int:
    """Images dropped into a new story that was never saved, deleted with their files."""
    cutoff = timezone.now() - older_than
    doomed = list(BodyImage.objects.filter(article=None, created_at__lt=cutoff))
    for image in doomed:
        name, renditions = image.image.name, image.renditions
        image.delete()
        _delete_image_files(name, renditions)
    return len(doomed)


def _render_placing(article_id, image_pk):
    """Render again the body of the story that places this image, and drop its caches."""
    article = Article.objects.get(pk=article_id)
    if image_pk in image_ids(article.body):
        article.render_text()
        Article.objects.filter(pk=article.pk).update(
            body_html=article.body_html, body_text=article.body_text
        )
        story_changed(article.pk)


def _delete_image_files(name, renditions):
    delete_renditions(renditions)
    if name:
        default_storage.delete(name)


def correction_add(*, article: Article, kind: str, text: str, user=None) -> Correction:
    """A public correction or update at the end of a published story; in its revisions."""
    with transaction.atomic(), _revision(user, gettext("Correction or update added")):
        correction = Correction.objects.create(article=article, kind=kind, text=text)
        reversion.add_to_revision(article)
        story_changed(article.pk)
    return correction


def article_delete(*, article: Article) -> Article:
    """Put a story in the bin: off the site and out of the lists at once, restorable for
    STORY_BIN_DAYS with its comments and readings."""
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(deleted_at=timezone.now())
        story_changed(article.pk)
    article.deleted_at = timezone.now()
    return article


def article_restore(*, article: Article) -> Article:
    """Take a story out of the bin, as it was."""
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(deleted_at=None)
        story_changed(article.pk)
    article.deleted_at = None
    return article


def articles_purge_bin(*, older_than) -> int:
    """Delete for good the stories in the bin for longer than that, with their comments,
    readings and image files; return how many."""
    cutoff = timezone.now() - older_than
    doomed = list(Article.objects.binned().filter(deleted_at__lt=cutoff))
    for article in doomed:
        files = [(0, 0, name) for _w, _h, name in article.image_renditions]
        crops = article.image_crops
        image = article.image.name
        in_text = list(article.body_images.values_list("image", "renditions"))
        pk = article.pk
        with transaction.atomic():
            article.delete()  # leaves article.pk None
            story_changed(pk)
        delete_renditions(files)
        delete_crops(crops)
        for name, renditions in in_text:
            _delete_image_files(name, renditions)
        if image:
            article.image.storage.delete(image)
    return len(doomed)


def tag_save(*, tag: Tag) -> Tag:
    """Store a tag; its name shows in the menu, on cards and on its stories' pages."""
    with transaction.atomic():
        tag.save()
        for article in tag.articles.all():
            index_story(article)
            story_changed(article.pk)
        site_changed()
    return tag


def tag_delete(*, tag: Tag) -> None:
    """Delete a tag: its stories lose it (and, by the database, whatever other apps keep
    about the tag, such as its comment policy)."""
    with transaction.atomic():
        articles = list(tag.articles.all())
        tag.delete()
        for article in articles:
            index_story(article)
            story_changed(article.pk)
        site_changed()


def author_renamed(*, user) -> None:
    """A user was saved (perhaps renamed) or is being deleted: the stories they sign show
    their byline. Nothing to do for someone who signs none."""
    signed = list(Article.objects.filter(authors=user).values_list("pk", flat=True))
    for article_id in signed:
        story_changed(article_id)
    if signed:
        site_changed()


def article_record_reading(*, article: Article, reader: str, network: str) -> bool:
    """Count one reading, at most once per reader (address and browser), story and day, and
    at most READINGS_PER_STORY per story and READINGS_PER_DAY in all from one network;
    True when it counted. Readings past a cap are dropped without a word."""
    day = timezone.localdate()

    def key(*parts):
        return "reading:" + salted_hmac("newsroom.reading", "|".join(map(str, parts))).hexdigest()

    if not cache.add(key(reader, article.pk, day), 1, timeout=READING_MEMORY):
        return False
    for counter, cap in (
        (key("story", network, article.pk, day), READINGS_PER_STORY),
        (key("day", network, day), READINGS_PER_DAY),
    ):
        cache.add(counter, 0, timeout=READING_MEMORY)
        try:
            if cache.incr(counter) > cap:
                return False
        except ValueError:  # the cache is away: readings pause rather than count twice
            return False
    shard = random.randrange(DailyReadings.SHARDS)
    rows = DailyReadings.objects.filter(article=article, day=day, shard=shard)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                DailyReadings.objects.create(article=article, day=day, shard=shard, count=1)
        except IntegrityError:  # another process made the row first
            rows.update(count=F("count") + 1)
    return True


def readings_compact(*, before) -> int:
    """Fold each past day's reading shards into one row per story; return rows removed."""
    removed = 0
    days = (
        DailyReadings.objects.filter(day__lt=before, shard__gt=0)
        .values_list("article_id", "day")
        .distinct()
    )
    for article_id, day in days.iterator():
        with transaction.atomic():
            rows = DailyReadings.objects.select_for_update().filter(article_id=article_id, day=day)
            total = sum(row.count for row in rows)
            removed += rows.exclude(shard=0).delete()[0]
            DailyReadings.objects.update_or_create(
                article_id=article_id, day=day, shard=0, defaults={"count": total}
            )
    return removed


def autosave_store(*, article, user, title: str, standfirst: str, body: str) -> Autosave:
    """Keep what a journalist is typing (the editor's autosave): the story itself, its
    version and its revisions are untouched, and so is a colleague's autosave."""
    autosave, _created = Autosave.objects.update_or_create(
        article=article,
        user=user,
        defaults={"title": title[:200], "standfirst": standfirst, "body": body},
    )
    return autosave


def autosave_drop(*, article, user) -> None:
    """What was autosaved is saved (or set aside): forgotten."""
    Autosave.objects.filter(article=article, user=user).delete()
