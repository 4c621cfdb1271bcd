from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article, fold_slug
from newsroom.typography import french
from tests.factories import image_upload, make_article


def test_slug_folds_french_accents():
    assert fold_slug("Attractivité à Aix") == "attractivite-a-aix"


def test_slug_folds_ligatures():
    assert fold_slug("Cœur de ville : l'œuvre des élus") == "coeur-de-ville-loeuvre-des-elus"


@pytest.mark.django_db
def test_article_slug_is_made_from_title():
    article = make_article(title="Export : les PME à l'assaut du Québec")
    assert article.slug == "export-les-pme-a-lassaut-du-quebec"


@pytest.mark.django_db
def test_article_with_same_title_gets_a_distinct_slug():
    first = make_article(title="Bilan de l'année")
    second = make_article(title="Bilan de l'année")
    assert first.slug == "bilan-de-lannee"
    assert second.slug == "bilan-de-lannee-2"


@pytest.mark.django_db
def test_body_markdown_is_rendered_on_save_with_intertitles_and_quotes():
    article = make_article(
        body="Intro.\n\n## Aller vite\n\n> « Il faut accélérer. »\n> — Jeanne Roux, maire de Gap"
    )
    assert "<h2>Aller vite</h2>" in article.body_html
    assert "<blockquote>" in article.body_html
    assert "<footer>Jeanne Roux, maire de Gap</footer>" in article.body_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">lien</a>',
        "<iframe src='https://evil.example'></iframe>",
    ],
)
def test_body_sanitising_removes_scripts_and_handlers(payload):
    article = make_article(body=f"Texte.\n\n{payload}")
    html = article.body_html.lower()
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html


@pytest.mark.django_db
def test_editing_the_body_after_publication_marks_story_updated():
    article = make_article(published_at=timezone.now() - timedelta(days=1))
    assert not article.is_revised
    article.refresh_from_db()
    article.body += "\n\nCorrection : le montant est de 4 millions d'euros."
    article.save()
    assert article.is_revised


@pytest.mark.django_db
def test_closing_comments_does_not_mark_story_updated():
    article = make_article(published_at=timezone.now() - timedelta(days=1))
    article.refresh_from_db()
    article.comments_open = False
    article.save()
    assert not article.is_revised


@pytest.mark.django_db
def test_image_requires_a_description():
    article = Article(title="T", standfirst="S", body="B", image=image_upload())
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["authors"])
    assert "image_alt" in error.value.message_dict


@pytest.mark.django_db
def test_scheduled_story_goes_live_at_its_time_without_any_job():
    publish_at = timezone.now() + timedelta(hours=2)
    article = make_article(published_at=publish_at)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_a_french_story_is_stored_in_french_typography():
    article = make_article(
        title="Provence – Montréal : 1,2 milliard d'euros !",
        standfirst="« Il faut aller vite », dit-elle : 60 000 bouteilles, 12 millions.",
        body="Un marché de 4 % : l'export.\n\n`code : intact`",
    )
    article.refresh_from_db()
    assert article.title == "Provence – Montréal\u202f: 1,2\u00a0milliard d’euros\u202f!"
    assert article.standfirst == (
        "«\u202fIl faut aller vite\u202f», dit-elle\u202f: 60\u202f000\u00a0bouteilles, "
        "12\u00a0millions."
    )
    assert "4&nbsp;%\u202f: l’export." in article.body_html
    assert "<code>code : intact</code>" in article.body_html


@pytest.mark.django_db
def test_a_story_in_english_keeps_its_typography():
    article = make_article(language="en", title="Marseille: a port's 1,200 jobs!")
    article.refresh_from_db()
    assert article.title == "Marseille: a port's 1,200 jobs!"


@pytest.mark.parametrize(
    ("credit", "line"),
    [
        ("Agence Sud", "Photo : Agence Sud"),
        ("Photo : Agence Sud", "Photo : Agence Sud"),
        ("Illustration : Newsroom", "Illustration : Newsroom"),
        ("infographie maison", "infographie maison"),
    ],
)
def test_image_credit_says_photo_once_and_not_for_an_illustration(credit, line):
    assert Article(image_credit=credit).image_credit_line == french(line)
