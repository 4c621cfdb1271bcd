"""Text pasted from Word, LibreOffice and Google Docs keeps what a story has (paragraphs,
intertitles, bold, italic, links, lists) and nothing of the rest; the allow-list still
refuses what a clipboard could carry."""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from articles.pasting import clipboard_to_markdown
from articles.rendering import render_body

SAMPLES = Path(__file__).parent / "clipboard"


@pytest.mark.parametrize("program", ["word", "libreoffice", "google-docs"])
def test_a_word_processors_text_keeps_its_shape_and_loses_its_styles(program):
    markdown = clipboard_to_markdown((SAMPLES / f"{program}.html").read_text())
    html = render_body(markdown)
    assert "<h2>Le port relance ses croisières</h2>" in html  # the page's h1 is the title
    assert "<h2>Ce qui change</h2>" in html
    assert "<strong>douze escales</strong>" in html and "<em>La Provence</em>" in html
    assert (
        '<a href="https://example.org/escales" rel="noopener noreferrer">le site du port</a>'
        in html
    )
    assert "<ul>\n<li>Un quai rénové</li>\n<li>Des navettes électriques</li>\n</ul>" in html
    assert "<ol>\n<li>Réunion en janvier</li>\n<li>Vote en mars</li>\n</ol>" in html
    assert "Le texte révisé dit douze escales." in html
    # Tracked deletions, reviewers' comments, styles, fonts, classes: gone.
    for absent in (
        "trente",
        "capitainerie",
        "[JD1]",
        "font",
        "style",
        "class",
        "Mso",
        "·",
        "&nbsp;",
    ):
        assert absent not in markdown, absent


def test_what_a_clipboard_may_carry_never_reaches_a_page():
    hostile = (
        '<p onclick="steal()">Texte <a href="javascript:alert(1)">piège</a>'
        '<script>alert(2)</script><img src=x onerror="alert(3)">'
        '<iframe src="https://evil.example"></iframe><span style="color:red">rouge</span></p>'
    )
    html = render_body(clipboard_to_markdown(hostile))
    for absent in ("onclick", "javascript:", "<script", "alert(2)", "onerror", "<iframe", "style="):
        assert absent not in html, absent
    assert "Texte" in html and "rouge" in html


@pytest.mark.django_db
def test_the_editor_asks_the_server_as_its_script_does(journalist):
    client = Client()
    client.force_login(journalist)
    html = (SAMPLES / "google-docs.html").read_text()
    answer = client.post(
        reverse("admin:articles_article_paste"),
        urlencode({"html": html}),
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert answer.json()["html"].startswith("<h2>Le port relance ses croisières")
    reader = Client()
    assert reader.post(reverse("admin:articles_article_paste"), {"html": html}).status_code == 302
