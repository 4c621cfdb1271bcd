"""A newsroom comes with its WordPress archive: stories, authors, tags, images and comments
imported, every old link answered with a 301, a second run changing nothing, a broken or
hostile file refused before anything is written."""

import io
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from archive.models import OldAddress, SourceRecord
from articles.models import Article, BodyImage, Tag
from comments.models import Comment
from newsroom.models import OutgoingMail

from .exports import SHARED, attachment, comment, post, thumbnail, wxr

pytestmark = pytest.mark.django_db


def run(path, *options):
    out = StringIO()
    call_command("import_wordpress", str(path), *options, stdout=out)
    return out.getvalue()


def png(colour="#1d4f91", size=(1200, 800)):
    data = io.BytesIO()
    Image.new("RGB", size, colour).save(data, "PNG")
    return data.getvalue()


@pytest.fixture
def image_server(settings):
    """An old site's media server on this machine: /ok.png answers an image, /broken.png
    text, anything else 404."""
    settings.IMPORT_FETCH_PRIVATE = True
    settings.IMPORT_FETCH_TIMEOUT = 2
    files = {"/ok.png": png(), "/lead.png": png("#b3261e"), "/broken.png": b"not an image"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            body = files.get(self.path)
            self.send_response(200 if body else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def gazette(tmp_path, media):
    """A small newsroom's WordPress: a story with every kind of content and comment, a
    draft, a scheduled one, a private one, a page."""
    threads = "".join(
        [
            comment(11, "Odile", "Très juste, <b>merci</b> !", "1"),
            comment(12, "Paul", "Je réponds à Odile.", "1", parent="11"),
            comment(13, "Zoé", "Et moi à Paul.", "1", parent="12"),
            comment(14, "Hacker", 'Bonjour <script>alert("x")</script>le port', "1"),
            comment(15, "En attente", "Pas encore lu par un modérateur.", "0"),
            comment(16, "Spammeur", "Achetez maintenant", "spam"),
            comment(17, "Corbeille", "Un avis mis à la corbeille.", "trash"),
            comment(18, "Un blog", "Lien vers cet article", "1", type_="pingback"),
        ]
    )
    body = f"""Le port de Marseille-Fos <strong>accélère</strong>.
Une deuxième ligne.

<h2>Les chiffres</h2>
<ul><li>12 escales</li><li>3 000 emplois</li></ul>
<table><tr><th>Quai</th><th>Escales</th></tr><tr><td>Nord</td><td>12</td></tr></table>
<script>document.write("volé")</script>
[caption id="attachment_30" align="aligncenter" width="640"]<img src="{media}/ok.png" alt="Le quai" /> Le quai à l'aube[/caption]

[gallery ids="31"]

<img src="{media}/missing.png" alt="Perdue">

https://www.youtube.com/watch?v=port

[contact-form-7 id="9"]Écrivez-nous[/contact-form-7]"""
    return wxr(
        tmp_path,
        attachment(30, f"{media}/ok.png", alt="Le quai"),
        attachment(31, f"{media}/broken.png", alt="Cassée"),
        attachment(32, f"{media}/lead.png", alt="La grue"),
        post(
            101,
            "Le port accélère",
            body,
            slug="le-port-accelere",
            excerpt="Douze escales de plus <em>cette année</em>.",
            categories=[
                ("category", "non-classe", "Non classé"),
                ("category", "port", "Le port"),
                ("post_tag", "export", "Export"),
            ],
            comments=threads,
            meta=thumbnail(32),
        ),
        post(102, "Un brouillon", "Pas fini.", status="draft"),
        post(103, "À paraître", "Bientôt.", status="future", date="2999-01-01 08:00:00"),
        post(104, "Privé", "Interne.", status="private"),
        post(105, "Protégé", "Secret.", password="motdepasse"),
        post(106, "À propos", "La rédaction.", type_="page"),
    )


def test_a_wordpress_story_arrives_with_its_images_tags_byline_and_comments(
    tmp_path, image_server, settings
):
    reader = Client()
    assert "Le port accélère" not in reader.get("/").content.decode()
    report = run(gazette(tmp_path, image_server))

    story = Article.objects.get(slug="le-port-accelere")
    assert story.is_live and story.published_at.isoformat() == "2019-05-12T08:30:00+00:00"
    assert story.standfirst == "Douze escales de plus cette année."
    assert sorted(t.name for t in story.tags.all()) == ["Export", "Le port"]  # "Non classé" left
    author = story.authors.get()
    assert story.byline == ["Maud Lambert"]
    assert not author.is_active and not author.has_usable_password()
    assert author.groups.filter(name="Journalists").exists()

    # The page: the text cleaned, the figure served as uploads are, no shortcode, no script.
    page = reader.get(story.get_absolute_url()).content.decode()
    text = page.split('class="story__body"')[1].split("</div>")[0]
    assert "<strong>accélère</strong>" in text and "<h2>Les chiffres</h2>" in text
    assert "<li>Nord · 12</li>" in text  # a table, as a list of its rows
    assert "volé" not in page and "<script>document" not in page
    assert "[caption" not in text and "[gallery" not in text and "contact-form" not in text
    assert "Écrivez-nous" in text  # an unknown shortcode's text stays, without it
    figure = BodyImage.objects.get(article=story)
    assert (figure.alt, figure.caption) == ("Le quai", "Le quai à l'aube")
    assert 'class="story__figure"' in text and "srcset=" in text
    assert '<a href="https://www.youtube.com/watch?v=port"' in text
    assert story.image and story.image_alt == "La grue" and story.image_renditions
    # Images that could not be brought are listed, each with why; the story came anyway.
    assert "/broken.png (This file is not a readable image." in report
    assert "/missing.png (HTTP 404)" in report

    # Comments with their states; replies under their thread; no reader's script.
    comments = {c.name: c for c in Comment.objects.filter(article=story)}
    assert comments["Odile"].status == Comment.Status.APPROVED
    assert comments["Paul"].parent == comments["Odile"]
    assert comments["Zoé"].parent == comments["Odile"]  # one level of replies here
    assert comments["En attente"].status == Comment.Status.PENDING
    assert comments["Spammeur"].status == Comment.Status.SPAM
    assert comments["Corbeille"].status == Comment.Status.REJECTED
    assert "Un blog" not in comments  # pingbacks are not comments
    assert comments["Hacker"].body == "Bonjour le port"
    assert comments["Odile"].email == "11@lecteurs.example" and not comments["Odile"].ip_hash
    assert comments["Odile"].created_at.isoformat() == "2019-05-12T10:00:00+00:00"
    assert "Très juste, merci !" in page and "Pas encore lu" not in page
    assert 'alert("x")' not in page

    # Draft, scheduled; private, password-protected and pages left out, and said so.
    assert Article.objects.get(title="Un brouillon").status == Article.Status.DRAFT
    assert not Article.objects.get(title="À paraître").is_live
    assert not Article.objects.filter(title__in=["Privé", "Protégé", "À propos"]).exists()
    assert "post “Privé”: private posts are not imported" in report
    assert "post “Protégé”: password-protected posts are not imported" in report
    assert "page “À propos”: pages are not imported" in report
    assert "comment (pingback or trackback, skipped): 1" in report

    # The caches saw it; no one was mailed (no notice to old commenters, no digest).
    assert "Le port accélère" in reader.get("/").content.decode()
    assert mail.outbox == [] and not OutgoingMail.objects.exists()
    found = reader.get(reverse("articles:search"), {"q": "escales"}).content.decode()
    assert "Le port accélère" in found
    # The pending comment waits in the moderators' queue.
    assert Comment.objects.pending().get().name == "En attente"


def test_every_old_link_answers_with_a_301_to_its_new_page(tmp_path, django_assert_max_num_queries):
    run(gazette(tmp_path, "http://192.0.2.1"), "--no-images")
    story = Article.objects.get(slug="le-port-accelere")
    tag = Tag.objects.get(name="Le port")
    client = Client()
    expected = {
        "/2019/05/12/le-port-accelere/": story.get_absolute_url(),
        "/2019/05/12/le-port-accelere": story.get_absolute_url(),
        "/?p=101": story.get_absolute_url(),
        "/le-port-accelere/": story.get_absolute_url(),
        "/category/economie/port/": tag.get_absolute_url(),
        "/tag/export/": Tag.objects.get(name="Export").get_absolute_url(),
        "/feed/": reverse("articles:feed_rss"),
        "/category/economie/port/feed/": reverse("articles:tag_feed_rss", args=[tag.slug]),
        "/2019/05/12/le-port-accelere/feed/": reverse("comments:feed", args=[story.slug]),
    }
    for old, new in expected.items():
        # The page's own look-up, then one indexed read of the old address: never a scan.
        with django_assert_max_num_queries(4):
            response = client.get(old)
        assert (response.status_code, response["Location"]) == (
            HTTPStatus.MOVED_PERMANENTLY,
            new,
        ), old
        assert client.get(new).status_code == HTTPStatus.OK, new
    # A draft's old address says nothing of it; an unknown one stays a 404.
    draft = Article.objects.get(title="Un brouillon")
    assert OldAddress.objects.filter(article=draft).exists()
    assert client.get("/?p=102").status_code == HTTPStatus.OK  # the home page, as before
    assert client.get(f"/{draft.published_at:%Y/%m/%d}/article-102/").status_code == 404
    assert client.get("/2019/05/12/autre-chose/").status_code == 404


def everything(story):
    """What an import writes: its rows, and the story's edit version."""
    story.refresh_from_db()
    models = (Article, Comment, Tag, OldAddress, SourceRecord)
    return [model.objects.count() for model in models] + [story.edit_version]


def test_a_second_run_creates_nothing_and_changes_nothing(tmp_path):
    path = gazette(tmp_path, "http://192.0.2.1")
    run(path, "--no-images")
    story = Article.objects.get(slug="le-port-accelere")
    before = everything(story)
    report = run(path, "--no-images")
    assert everything(story) == before
    assert "story (already imported): 3" in report and "comment (already imported): 7" in report


def test_a_dry_run_says_what_would_happen_and_writes_nothing(tmp_path):
    report = run(gazette(tmp_path, "http://192.0.2.1"), "--dry-run")
    assert "Dry run: nothing was written." in report
    assert "story (published): 1" in report and "comment (approved): 4" in report
    assert "dry run: not fetched" in report
    assert not Article.objects.exists() and not Comment.objects.exists()
    assert not OldAddress.objects.exists() and not SourceRecord.objects.exists()


def test_images_from_this_machines_network_are_not_fetched_unless_allowed(
    tmp_path, image_server, settings
):
    settings.IMPORT_FETCH_PRIVATE = False
    report = run(gazette(tmp_path, image_server))
    assert "/ok.png (a private or local address)" in report
    assert not BodyImage.objects.exists()
    assert Article.objects.filter(slug="le-port-accelere").exists()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&lol3;</title></item></channel></rss>"""


@pytest.mark.parametrize(
    "content, said",
    [
        (BILLION_LAUGHS, "refused: the file declares entities"),
        (
            '<?xml version="1.0"?><rss><channel><title>Un flux</title></channel></rss>',
            "not a WordPress export",
        ),
        ("<html><body>Bonjour</body></html>", "not a WordPress export (no <rss> root)"),
        ("ceci n'est pas du XML", "not well-formed XML"),
    ],
    ids=["billion laughs", "an RSS feed", "a web page", "not XML"],
)
def test_a_file_that_is_not_a_wordpress_export_is_refused_with_nothing_written(
    tmp_path, content, said
):
    path = tmp_path / "export.xml"
    path.write_text(content)
    with pytest.raises(CommandError, match=re.escape(said)) as refused:
        run(path)
    assert "Nothing was imported." in str(refused.value)
    assert not Article.objects.exists() and not Tag.objects.exists()


def test_a_truncated_export_is_refused_before_its_first_story(tmp_path):
    path = gazette(tmp_path, "http://192.0.2.1")
    text = path.read_text()
    path.write_text(text[: text.index("<item>", text.index("Privé") - 2000) + 300])
    with pytest.raises(CommandError, match="not well-formed XML"):
        run(path, "--no-images")
    assert not Article.objects.exists() and not Comment.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "absent.xml")


@pytest.mark.skipif(
    not SHARED.exists(), reason="../shared/data is absent: the real exports live beside the project"
)
def test_the_theme_review_teams_export_imports_and_a_second_run_adds_nothing():
    path = SHARED / "wordpress-theme-unit-test.xml"
    report = run(path, "--no-images")
    assert "story (published): 48" in report and "story (scheduled): 1" in report
    assert "story (draft): 1" in report
    assert "Template: Password Protected" in report and "pages are not imported" in report
    assert "comment (pingback or trackback, skipped): 4" in report
    assert (
        "wpthemetestdata.files.wordpress.com/2008/06/canola2.jpg (not fetched (--no-images))"
        in report
    )
    client = Client()
    # Its permalinks (date and name), "?p=" and categories lead to the stories.
    response = client.get("/2010/06/02/post-format-video-youtube/")
    assert response["Location"] == "/articles/post-format-video-youtube/"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/category/post-formats/").status_code == HTTPStatus.MOVED_PERMANENTLY
    # Every story renders; none shows a shortcode or a WordPress block.
    for article in Article.objects.published():
        page = client.get(article.get_absolute_url())
        if not article.is_live:
            continue
        assert page.status_code == 200, article.slug
        body = page.content.decode().split('class="story__body"')[1].split("</div>")[0]
        assert "[gallery" not in body and "[caption" not in body and "wp:" not in body, article.slug
    counts = (Article.objects.count(), Comment.objects.count(), OldAddress.objects.count())
    again = run(path, "--no-images")
    assert (Article.objects.count(), Comment.objects.count(), OldAddress.objects.count()) == counts
    assert "story (already imported): 50" in again


def test_an_import_cut_short_keeps_what_it_stored_and_resumes(tmp_path, monkeypatch):
    from archive import services

    path = gazette(tmp_path, "http://192.0.2.1")
    real = services.article_save

    def disk_full_at_the_draft(**kwargs):
        if kwargs["article"].title == "Un brouillon":
            raise OSError("No space left on device")
        return real(**kwargs)

    monkeypatch.setattr(services, "article_save", disk_full_at_the_draft)
    with pytest.raises(OSError):
        run(path, "--no-images")
    story = Article.objects.get(slug="le-port-accelere")  # stored, with its comments
    assert Comment.objects.filter(article=story).count() == 7
    assert not Article.objects.filter(title="Un brouillon").exists()  # nothing half-stored
    monkeypatch.undo()
    report = run(path, "--no-images")
    assert "story (already imported): 1" in report and "story (draft): 1" in report
    assert Article.objects.count() == 3 and Comment.objects.count() == 7
