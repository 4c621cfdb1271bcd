"""One whole task per role, in Chromium, each from an empty state as a new user finds it:
a journalist creates, previews, schedules, publishes and corrects a story with an image and
a tag; a moderator works a queue of ten comments with the keyboard alone. (The reader's
journey: test_reader_journey.py.) Screenshots at 360 and 1280 px go to .screenshots/;
with HANDBOOK_SHOTS set (./dev handbook), the handbook's pictures to docs/images/handbook/."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment, ModerationLogEntry
from comments.services import comment_submit
from tests.e2e.staff import log_in, select_in_text, story_text
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def photo(path):
    buffer = BytesIO()
    Image.new("RGB", (1600, 1000), (30, 110, 160)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_a_journalist_creates_schedules_publishes_and_corrects_a_story(
    live_server, open_context, screenshot, handbook_shot, tmp_path
):
    base = live_server.url
    make_user("camille", group="Journalists", first_name="Camille", last_name="Arnaud")
    assert not Article.objects.exists()
    page = open_context()
    log_in(page, base, "camille")

    # A tag first: the section the story belongs to.
    page.goto(base + "/admin/articles/tag/add/")
    page.fill("#id_name", "Export")
    page.click("input[name=_save]")
    page.get_by_text("a été ajouté", exact=False).wait_for()

    # The story, from the empty add form: text, lead image, tag, scheduled for tomorrow.
    page.goto(base + "/admin/articles/article/add/")
    page.fill("#id_title", "Les PME provençales à la conquête du Québec")
    page.fill("#id_standfirst", "Douze entreprises ont signé des contrats à Montréal.")
    # The body typed and formatted with the keyboard, as in a word processor.
    story_text(page).click()
    page.keyboard.type("La mission a duré une semaine.")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Alt+2")  # an intertitle
    page.keyboard.type("Des contrats signés")
    page.keyboard.press("Enter")
    page.keyboard.type("Huit entreprises ")
    page.keyboard.press("Control+b")
    page.keyboard.type("repartent")
    page.keyboard.press("Control+b")
    page.keyboard.type(" avec un distributeur.")
    page.locator(".story-editor__preview h2").get_by_text("Des contrats signés").wait_for()
    # The writing screen, for the handbook: on a desk and on a phone.
    handbook_shot(page, "redaction-editeur", show=page.locator(".field-body"))
    handbook_shot(page, "redaction-editeur-mobile", (360, 780), show=page.locator(".field-body"))
    page.set_input_files("#id_image", photo(tmp_path / "montreal.jpg"))
    page.fill("#id_image_alt", "Le port de Montréal sous la neige")
    page.select_option("#id_tags_from", label="Export")
    page.click("#id_tags_add")
    page.select_option("#id_status", "published")
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.fill("#id_published_at_0", tomorrow.strftime("%d/%m/%Y"))
    page.fill("#id_published_at_1", "08:00:00")
    screenshot(page, "journalist-add-form")
    handbook_shot(page, "redaction-ajout")
    page.click("input[name=_save]")
    page.get_by_text("a été ajouté", exact=False).wait_for()
    story = Article.objects.get()
    assert story.body == (
        "<p>La mission a duré une semaine.</p><h2>Des contrats signés</h2>"
        "<p>Huit entreprises <strong>repartent</strong> avec un distributeur.</p>"
    )

    # Scheduled: readers do not see it yet; the journalist previews it.
    reader = open_context()
    assert reader.goto(base + story.get_absolute_url()).status == 404
    page.goto(base + story.get_absolute_url())
    page.get_by_text("cet article est programmé", exact=False).wait_for()

    # Published now, from the list.
    page.goto(base + "/admin/articles/article/")
    page.locator(f"input[name=_selected_action][value='{story.pk}']").check()
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    page.get_by_text("publié", exact=False).first.wait_for()
    reader.goto(base + story.get_absolute_url())
    reader.locator(".story__image img").wait_for()
    assert reader.locator(".story__body h2").inner_text() == "Des contrats signés"
    assert reader.locator(".story__body strong").inner_text() == "repartent"
    assert "Export" in reader.locator(".story__header .tag").text_content()
    screenshot(reader, "journalist-story-published")
    handbook_shot(reader, "lecteur-article")

    # A figure was wrong: the journalist corrects the text, readers see it at once.
    page.goto(base + f"/admin/articles/article/{story.pk}/change/")
    story_text(page)
    select_in_text(page, "Huit")
    page.keyboard.type("Neuf")
    page.click("input[name=_save]")
    page.get_by_text("a été modifié", exact=False).wait_for()
    reader.goto(base + story.get_absolute_url())
    assert "Neuf entreprises repartent" in reader.locator(".story__body").inner_text()


def test_a_moderator_works_a_queue_of_ten_comments_with_the_keyboard(
    live_server, open_context, screenshot, handbook_shot
):
    from articles.services import article_save

    base = live_server.url
    make_user("moderatrice", group="Moderators", email="moderatrice@example.org")
    story = article_save(
        article=Article(
            title="Un consortium s’installe au port de Fos",
            standfirst="Trois cents emplois annoncés.",
            body="Le texte.",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(hours=1),
        )
    )
    for n in range(10):
        comment_submit(
            article=story,
            name=f"Lecteur {n}",
            email=f"lecteur{n}@example.org",
            body=f"Avis numéro {n} sur le port de Fos.",
            ip_address="",
        )
    page = open_context()
    log_in(page, base, "moderatrice")
    page.goto(base + "/admin/comments/comment/queue/")
    page.locator(".queue-item").first.wait_for()
    screenshot(page, "moderator-queue")
    handbook_shot(page, "moderation-file")
    assert page.locator(".queue-item").count() == 10

    def press(key, decided):
        """A key that decides: the card goes (the page is watched, not the database, which
        the server is writing to)."""
        page.keyboard.press(key)
        expect(page.locator(".queue-item")).to_have_count(10 - decided)

    # The first card has the focus: approve (a) six, reject two as off topic (r, then the
    # reason's number), mark one spam (s), skip one (j) and approve the last.
    for n in range(6):
        press("a", n + 1)
    for n in range(2):
        page.keyboard.press("r")
        press("1", 7 + n)  # 1. Hors sujet
    press("s", 9)
    page.keyboard.press("j")
    press("a", 10)
    page.locator(".queue__more").wait_for()  # the page is done: a link to the next ones
    assert ModerationLogEntry.objects.exclude(actor=None).count() == 10
    statuses = dict(Comment.objects.values_list("name", "status"))
    assert [statuses[f"Lecteur {n}"] for n in range(10)] == [
        *["approved"] * 6,
        *["rejected"] * 2,
        "spam",
        "approved",
    ]
    assert set(Comment.objects.filter(status="rejected").values_list("reason", flat=True)) == {
        "off_topic"
    }
    reader = open_context(width=360, height=780)
    reader.goto(base + story.get_absolute_url())
    assert reader.locator(".comment").count() == 7
