"""A Disqus comment history joins the stories it was about: threads matched by their
address, states, replies, names and dates kept, the rest listed."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from archive.models import OldAddress
from articles.models import Article
from comments.models import Comment
from tests.factories import make_article

from .exports import SHARED, disqus, post, wxr

pytestmark = pytest.mark.django_db


def run(path, *options):
    out = StringIO()
    call_command("import_disqus", str(path), *options, stdout=out)
    return out.getvalue()


@pytest.fixture
def stories(tmp_path):
    """Two stories from the old WordPress, and one written here."""
    path = wxr(
        tmp_path, post(201, "Le tramway", "Texte."), post(202, "La gare", "Texte."), name="wp.xml"
    )
    call_command("import_wordpress", str(path), "--no-images", stdout=StringIO())
    here = make_article(title="Écrit ici")
    return Article.objects.get(title="Le tramway"), Article.objects.get(title="La gare"), here


def test_threads_find_their_story_and_posts_keep_their_state_and_replies(tmp_path, stories):
    tram, gare, here = stories
    path = disqus(
        tmp_path,
        threads=[
            (
                1,
                "https://gazette.example/2019/05/12/article-201/",
                "201 https://gazette.example/?p=201",
            ),
            (2, "https://gazette.example/?p=202", ""),
            (3, f"https://newsroom.example{here.get_absolute_url()}", "ici"),
            (4, "https://gazette.example/2018/01/01/disparu/", "disparu"),
        ],
        posts=[
            (
                10,
                1,
                None,
                "<p>Enfin un <b>tramway</b> !</p><script>alert(1)</script>",
                "Lina",
                "lina@example.org",
                False,
                False,
            ),
            (11, 1, 10, "<p>Je suis d'accord.</p>", "Marc", "marc@example.org", False, False),
            (12, 1, 11, "<p>Moi aussi.</p>", "Anonyme du port", "", False, False),
            (13, 1, None, "<p>Gagnez de l'argent</p>", "Spam", "spam@example.org", False, True),
            (14, 2, None, "", "Effacé", "x@example.org", True, False),
            (
                15,
                2,
                14,
                "<p>Réponse à un message effacé.</p>",
                "Jo",
                "jo@example.org",
                False,
                False,
            ),
            (16, 3, None, "<p>Un avis ici.</p>", "Ici", "ici@example.org", False, False),
            (17, 4, None, "<p>Perdu.</p>", "Perdu", "p@example.org", False, False),
            (18, 4, None, "<p>Perdu aussi.</p>", "Perdu", "p@example.org", False, False),
        ],
    )
    report = run(path)
    comments = {c.name: c for c in Comment.objects.all()}
    assert comments["Lina"].article == tram and comments["Lina"].status == Comment.Status.APPROVED
    assert comments["Lina"].body == "Enfin un tramway !"
    assert comments["Marc"].parent == comments["Lina"]
    assert (
        comments["Anonyme du port"].parent == comments["Lina"]
        and comments["Anonyme du port"].email == ""
    )
    assert comments["Spam"].status == Comment.Status.SPAM
    assert "Effacé" not in comments and "comment (deleted in Disqus, skipped): 1" in report
    assert comments["Jo"].article == gare and comments["Jo"].parent is None
    assert comments["Ici"].article == here
    assert comments["Lina"].created_at.isoformat() == "2020-03-02T10:00:00+00:00"
    assert "https://gazette.example/2018/01/01/disparu/: 2 comments" in report
    assert "Perdu" not in comments

    page = Client().get(tram.get_absolute_url()).content.decode()
    assert "Enfin un tramway !" in page and "alert(1)" not in page and "Gagnez" not in page
    assert re.search(r"3\s+commentaires", page)

    before = Comment.objects.count()
    again = run(path)
    assert Comment.objects.count() == before and "comment (already imported): 6" in again


def test_a_dry_run_writes_nothing(tmp_path, stories):
    path = disqus(
        tmp_path,
        [(1, "https://gazette.example/?p=201", "")],
        [(10, 1, None, "<p>Oui.</p>", "A", "a@example.org", False, False)],
    )
    report = run(path, "--dry-run")
    assert "Dry run: nothing was written." in report and "comment (approved): 1" in report
    assert not Comment.objects.exists()


def test_a_wordpress_export_is_not_a_disqus_one(tmp_path, stories):
    path = wxr(tmp_path, post(301, "Autre", "Texte."), name="pas-disqus.xml")
    with pytest.raises(CommandError, match=re.escape("not a Disqus export (no <disqus> root)")):
        run(path)


@pytest.mark.skipif(
    not SHARED.exists(), reason="../shared/data is absent: the real exports live beside the project"
)
def test_the_isso_projects_sample_with_its_quirks():
    story = make_article(title="Redacted")
    OldAddress.objects.create(path="/blog/2013/02/12/redacted/index.html", article=story)
    report = run(SHARED / "disqus-isso-sample.xml")
    imported = Comment.objects.get()
    assert (
        imported.article == story and imported.body == "Message from thread with empty title and id"
    )
    assert imported.name == "Empty"
    # The thread at the old home page matches no story; the orphan post's thread is unknown.
    assert "http://example.org/: 3 comments" in report
    assert "(thread 1337): 1 comment" in report
    assert "comment (deleted in Disqus, skipped): 1" in report
