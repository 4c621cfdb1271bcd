"""The reader's whole journey with their comment, in Chromium, French and English: follow
it, change it while it waits, hear it is published, reply, get the newsroom's answer, then see, download and erase
everything they sent."""

import json
import re
import time
from pathlib import Path

import pytest
from django.core import mail

from comments.models import Comment
from tests.factories import make_article, make_comment, make_user

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "zoe.lecteur@example.org"
WORDS = {
    "fr": {
        "send": "Envoyer mon commentaire",
        "notify": "Me prévenir par email quand mon commentaire est publié",
        "follow": "Suivre mon commentaire",
        "waiting": "En attente de validation",
        "published": "Publié",
        "reply": "Répondre",
        "mine": "Mes commentaires",
        "mail me": "M’envoyer le lien",
        "erase": "Effacer tous mes commentaires",
        "erased": "Commentaire supprimé à la demande de son auteur.",
        "approve": "Approuver",
        "answer": "Publier la réponse",
        "newsroom": "La rédaction",
        "save change": "Enregistrer la modification",
    },
    "en": {
        "send": "Send my comment",
        "notify": "Tell me by email when my comment is published",
        "follow": "Follow my comment",
        "waiting": "Waiting for a moderator",
        "published": "Published",
        "reply": "Reply",
        "mine": "My comments",
        "mail me": "Mail me the link",
        "erase": "Erase all my comments",
        "erased": "Comment deleted at its author's request.",
        "approve": "Approve",
        "answer": "Publish the answer",
        "newsroom": "The newsroom",
        "save change": "Save the change",
    },
}


def mailed(pattern, timeout=10):
    """The last link matching a pattern in the mail sent so far (sent after responses)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for message in reversed(mail.outbox):
            found = re.search(pattern, message.body)
            if found:
                return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no mail with {pattern}: {[m.subject for m in mail.outbox]}")


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_reader_follows_edits_replies_hears_back_and_erases(
    live_server, open_context, screenshot, language
):
    words = WORDS[language]
    base = live_server.url
    story = make_article(title="Le port de Fos accueille un consortium")
    make_comment(story, name="Martine", body="Un premier avis publié.")
    make_user("moderatrice", group="Moderators", email="moderatrice@example.org")
    make_user("camille", group="Journalists", first_name="Camille", last_name="Arnaud")

    # The reader comments, asking to be told, and follows the comment.
    reader = open_context(width=360, height=780, language=language)
    reader.goto(base + story.get_absolute_url())
    reader.fill("#id_name", "Zoé Lecteur")
    reader.fill("#id_email", EMAIL)
    reader.fill("#id_body", "Une mission utile, à suivre de près.")
    reader.get_by_label(words["notify"]).check()
    time.sleep(1.2)
    reader.get_by_role("button", name=words["send"]).click()
    reader.get_by_role("link", name=words["follow"]).first.click()
    reader.get_by_text(words["waiting"]).wait_for()
    assert EMAIL not in reader.content()
    # A second thought while it waits: the reader changes it.
    reader.fill("#id_body", "Une mission utile,\nà suivre de près.")
    reader.get_by_role("button", name=words["save change"]).click()
    reader.get_by_text("à suivre de près.").wait_for()
    screenshot(reader, f"reader-follow-{language}")

    # A moderator approves it in the queue.
    desk = open_context(language=language)
    log_in(desk, base, "moderatrice")
    desk.goto(base + "/admin/comments/comment/queue/")
    desk.get_by_role("button", name=words["approve"], exact=True).first.click()
    # The decision is posted in the background: wait for the desk's notice, not the database
    # (the test's SQLite connection would meet the server's write lock).
    desk.locator(".queue__notice a").wait_for()
    comment = Comment.objects.get(email=EMAIL)
    assert comment.status == Comment.Status.APPROVED

    # The mail carries the follow link; it now says "published".
    follow = mailed(r"https?://\S+/commentaires/suivre/\S+/")
    reader.goto(base + "/" + follow.split("/", 3)[3])
    reader.get_by_text(words["published"], exact=False).first.wait_for()

    # The reader answers Martine; a journalist answers the reader as the newsroom.
    reader.goto(base + story.get_absolute_url())
    reader.locator(f"#comment-{story.comments.get(name='Martine').pk}").get_by_role(
        "link", name=words["reply"]
    ).click()
    reader.fill("#id_name", "Zoé Lecteur")
    reader.fill("#id_email", EMAIL)
    reader.fill("#id_body", "Je réponds à Martine.")
    time.sleep(1.2)
    reader.get_by_role("button", name=words["send"]).click()
    assert Comment.objects.filter(parent__name="Martine", email=EMAIL).exists()
    newsroom = open_context(language=language)
    log_in(newsroom, base, "camille")
    newsroom.goto(base + f"/admin/comments/comment/{comment.pk}/change/")
    newsroom.fill("#id_answer", "Merci, nous suivrons le dossier.")
    newsroom.get_by_role("button", name=words["answer"]).click()
    reader.goto(base + story.get_absolute_url())
    reader.get_by_text("Merci, nous suivrons le dossier.").wait_for()
    screenshot(reader, f"reader-story-{language}")
    assert words["newsroom"] in reader.locator(".comment--newsroom").text_content()

    # "My comments": by mail, then download, then erase.
    reader.get_by_role("link", name=words["mine"]).first.click()
    reader.fill("#id_email", EMAIL)
    reader.get_by_role("button", name=words["mail me"]).click()
    link = mailed(r"https?://\S+/mes-commentaires/lien/\S+/")
    reader.goto(base + "/" + link.split("/", 3)[3])
    reader.get_by_text("à suivre de près.").first.wait_for()
    screenshot(reader, f"reader-mine-{language}")
    with reader.expect_download() as download:
        reader.get_by_role("link", name="JSON").click()
    rows = json.loads(Path(download.value.path()).read_text())
    assert {row["comment"] for row in rows} == {
        "Une mission utile,\nà suivre de près.",
        "Je réponds à Martine.",
    }
    reader.get_by_role("button", name=words["erase"]).click()

    # In the same minute, the story page no longer shows the reader's name.
    stranger = open_context(language=language)
    stranger.goto(base + story.get_absolute_url())
    page = stranger.content()
    assert "Zoé Lecteur" not in page
    assert "Une mission utile" not in page
    assert words["erased"].replace("'", "’") in page.replace("&#x27;", "'").replace("'", "’")
    assert "Merci, nous suivrons le dossier." in page
