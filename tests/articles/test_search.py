from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import excerpt_source, highlight, stems
from articles.services import article_save
from newsroom.typography import french
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)
SEARCH = reverse("articles:search")


def results(client, query, **params):
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == HTTPStatus.OK
    return response, [a.title for a in response.context["object_list"]]


def test_search_ignores_accents(client):
    make_article(title="L'attractivité de la métropole progresse")
    make_article(title="Autre sujet sans rapport")
    _response, titles = results(client, "attractivite")
    assert titles == ["L’attractivité de la métropole progresse"]


def test_search_finds_words_in_the_body(client):
    make_article(title="Un titre neutre", body="Les chantiers navals de La Ciotat recrutent.")
    _response, titles = results(client, "chantiers navals")
    assert titles == ["Un titre neutre"]


def test_search_puts_a_title_hit_first(client):
    make_article(title="Un sujet général", body="Il est question d'hydrogène dans le corps.")
    make_article(title="L'hydrogène vert à Fos", body="Un texte.")
    _response, titles = results(client, "hydrogène")
    assert titles[0] == "L’hydrogène vert à Fos"
    assert len(titles) == 2


def test_search_never_shows_drafts_or_scheduled_stories(client):
    make_article(title="Brouillon sur le tourisme", status=Article.Status.DRAFT)
    _response, titles = results(client, "tourisme")
    assert titles == []


def test_search_highlights_the_matching_passage(client):
    make_article(
        title="Export",
        standfirst="Chapô.",
        body="Les viticulteurs du Luberon misent sur le marché japonais cette année.",
    )
    response, _titles = results(client, "japonais")
    assert "<mark>japonais</mark>" in response.content.decode()


def test_highlight_escapes_the_text_around_matches():
    excerpt = highlight("Un <script>alert(1)</script> marché à Tokyo", ["marche"])
    assert "<script>" not in excerpt
    assert "<mark>marché</mark>" in excerpt


def test_search_understands_french_word_forms_on_every_database(client):
    make_article(title="Les PME et l'export", body="Une PME qui exporte vers le Japon.")
    make_article(title="Le port de Fos", body="Des conteneurs.")
    _response, titles = results(client, "exportations")
    assert titles == ["Les PME et l’export"]


def test_search_finds_stories_by_their_tags(client):
    export = make_tag("Export")
    tagged = [make_article(title=f"Une PME de Gap, épisode {n}", tags=[export]) for n in range(3)]
    make_article(title="Le tourisme d'affaires", body="Rien à voir.")
    _response, titles = results(client, "export")
    assert sorted(titles) == sorted(a.title for a in tagged)


def test_excerpt_keeps_blocks_apart_and_whole_words(client):
    make_article(
        title="Un sujet",
        standfirst="Un chapô.",
        body="## Aller vite\n\nLes procédures vont plus vite pour les investisseurs "
        + "étrangers qui choisissent la région " * 12,
    )
    response, _titles = results(client, "investisseurs")
    excerpt = response.context["object_list"][0].headline
    assert "vite — Les procédures" in excerpt  # the intertitle ends where the text starts
    assert "<mark>investisseurs</mark>" in excerpt
    words = excerpt.removesuffix(" …").split()
    assert words[-1] in {"investisseurs", "étrangers", "qui", "choisissent", "la", "région"}


@postgres_only
def test_search_ranks_title_above_body_on_postgres(client):
    make_article(title="Rapport annuel", body="Une note sur le littoral et le tourisme.")
    make_article(title="Le tourisme d'affaires repart", body="Un texte court.")
    _response, titles = results(client, "tourisme")
    assert titles == ["Le tourisme d’affaires repart", "Rapport annuel"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "x" * 10_000,
        "!!! ??? ... ;;; ***",
        "'; DROP TABLE articles_article; --",
        '" OR 1=1 --',
        "%_%",
        "a\x00b",
        "tourisme & | ! ( ) : *",
    ],
)
def test_absurd_queries_give_a_clear_page(client, query):
    make_article(title="Le tourisme d'affaires")
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert Article.objects.exists()


def test_invalid_utf8_in_the_query_gives_a_clear_page(client):
    response = client.get(SEARCH + "?q=%ED%A0%80%FF")
    assert response.status_code == HTTPStatus.OK


def test_empty_query_asks_for_words(client):
    response = client.get(SEARCH, {"q": "!!!"})
    assert "Saisissez un ou plusieurs mots" in response.content.decode()


def test_no_result_says_so(client):
    make_article(title="Le tourisme d'affaires")
    response = client.get(SEARCH, {"q": "cosmonaute"})
    assert french("Aucun article ne correspond à « cosmonaute »") in response.content.decode()


def test_results_pages_keep_the_query(client):
    for n in range(12):
        make_article(title=f"Export numéro {n}")
    response, titles = results(client, "export")
    assert len(titles) == 10
    assert "?q=export&amp;page=2" in response.content.decode()
    _second, rest = results(client, "export", page=2)
    assert len(rest) == 2


def test_query_is_escaped_in_the_page(client):
    response = client.get(SEARCH, {"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_popular_search_is_served_from_the_cache_until_a_story_changes():
    story = make_article(title="Les exportateurs de vin en Asie")
    url = reverse("articles:search") + "?q=exportateurs"
    reader = Client()
    assert "Les exportateurs de vin" in reader.get(url).content.decode()
    # Asked once: not kept, a change made behind the services' back shows.
    Article.objects.filter(pk=story.pk).update(title="Les exportateurs de fromage en Asie")
    assert "Les exportateurs de fromage" in reader.get(url).content.decode()
    # Asked twice: kept; the same change behind the services' back does not show...
    Article.objects.filter(pk=story.pk).update(title="Les exportateurs de miel en Asie")
    assert "Les exportateurs de fromage" in reader.get(url).content.decode()
    # ...but a change through them shows at once.
    story.refresh_from_db()
    story.title = "Les exportateurs d’huile en Asie"
    article_save(article=story)
    assert "Les exportateurs d’huile" in reader.get(url).content.decode()
    # Other parameters, or a personal cookie, are never answered from the cache.
    Article.objects.filter(pk=story.pk).update(title="Les exportateurs de riz en Asie")
    assert "Les exportateurs de riz" in reader.get(url + "&utm_source=x").content.decode()
    staff = Client()
    staff.cookies[settings.SESSION_COOKIE_NAME] = "x"
    assert "Les exportateurs de riz" in staff.get(url).content.decode()


def test_a_search_with_no_result_suggests_a_spelling_and_near_sections(client):
    make_tag(name="Aéronautique", slug="aeronautique")
    make_tag(name="Export", slug="export")
    make_article(title="Les exportations de vin progressent en Asie")
    page = client.get(SEARCH, {"q": "exprotations asie"}).content.decode()
    assert french("Aucun article ne correspond à « exprotations asie »") in page
    assert french("Vouliez-vous dire") in page
    assert f'href="{SEARCH}?q=exportations%20asie">exportations asie</a>' in page
    page = client.get(SEARCH, {"q": "aeronotique"}).content.decode()
    assert 'href="/tags/aeronautique/">Aéronautique</a>' in page
    assert "Export</a>" not in page
    # Nothing near: no suggestion at all.
    page = client.get(SEARCH, {"q": "cosmonaute"}).content.decode()
    assert "Vouliez-vous dire" not in page and "/tags/" not in page.split("search-page-form")[1]


@postgres_only
def test_the_newest_matches_are_ranked_and_the_older_follow_by_date(client, monkeypatch):
    monkeypatch.setattr("articles.search.CANDIDATES", 10)
    now = timezone.now()
    for n in range(25):
        make_article(
            title=f"Chronique numéro {n}",
            body="Une escale au port de commerce.",
            published_at=now - timedelta(hours=n + 1),
        )
    Article.objects.filter(title="Chronique numéro 4").update(title="Le port en chiffres")
    Article.objects.filter(title="Chronique numéro 15").update(title="Le port d’hier")
    from articles.search import index_story

    for story in Article.objects.filter(title__startswith="Le port"):
        index_story(story)
    pages = [results(client, "port", page=n)[1] for n in (1, 2, 3)]
    # The ten newest, best first: the title hit leads; the older title hit waits its turn.
    assert pages[0][0] == "Le port en chiffres"
    assert "Le port d’hier" in pages[1]
    assert pages[1][0] == "Chronique numéro 10"  # by date from the eleventh on
    seen = [title for page in pages for title in page]
    assert len(seen) == len(set(seen)) == 25


@postgres_only
def test_a_search_finding_very_many_stories_does_not_count_them_all(client, monkeypatch):
    monkeypatch.setattr("articles.search.COUNT_CAP", 12)
    monkeypatch.setattr("articles.views.COUNT_CAP", 12)
    for n in range(15):
        make_article(title=f"Port numéro {n}")
    response, titles = results(client, "port")
    assert french("Plus de 1 000 articles trouvés pour « port »") in response.content.decode()
    assert len(titles) == 10


@postgres_only
@pytest.mark.parametrize(
    "recent_first",
    [
        (None,),
        # The first period holds too few matches, the second enough, or none does.
        (timedelta(hours=6), timedelta(hours=16), None),
        (timedelta(hours=3), timedelta(hours=6), None),
    ],
)
def test_the_ranked_window_in_sql_matches_the_orms(monkeypatch, recent_first):
    from articles.search import RankedResults, index_story

    monkeypatch.setattr("articles.search.CANDIDATES", 12)
    monkeypatch.setattr("articles.search.RECENT_FIRST", recent_first)
    now = timezone.now()
    for n in range(20):
        make_article(
            title=f"Note {n}" if n % 3 else f"Le port, note {n}",
            standfirst="Le port de commerce." if n % 4 == 0 else "Une escale.",
            body="Une escale au port." * (1 + n % 5),
            published_at=now - timedelta(hours=n + 1),
        )
    make_article(title="Le port demain", status=Article.Status.DRAFT)
    for story in Article.objects.all():
        index_story(story)
    found = RankedResults("port")
    for start, stop in ((0, 5), (5, 10), (10, 12), (0, 12)):
        assert found.ranked_ids(start, stop) == found.ranked_ids_orm(start, stop)
    assert len(found.ranked_ids(0, 12)) == 12


def test_the_excerpt_is_made_from_the_passages_that_hold_the_words():
    filler = "La conjoncture reste stable dans la région. " * 20  # 880 characters
    body = (
        f"{filler}\nLes Économies d’énergie des usines.\n{filler}\n"
        "Export\nL’Asie achète, et les exportateurs d’Asie le savent.\n"
        f"{filler}"
    )
    source = excerpt_source("Un chapô.", body, stems("économie export asie"))
    # Two passages, in the story's order, apart: each word found, accents and capitals
    # aside, with whole words around it; the text far from them left out.
    first, second = source.split("\n…\n")
    assert "Les Économies d’énergie des usines." in first
    assert "Export\nL’Asie achète, et les exportateurs d’Asie le savent." in second
    assert len(source) < 1200 < len(body)
    assert not first.startswith(" ") and first.split()[0] in filler.split()
    # No word begins with the stem ("différence" → "different"): the whole text.
    assert excerpt_source("Un chapô.", body, stems("différence")) == "Un chapô.\n" + body
    assert "Œuvre" in excerpt_source("", "Rien.\nUne Œuvre d’art.", stems("oeuvre"))


@postgres_only
def test_a_match_deep_in_a_long_story_is_highlighted_in_its_excerpt(client):
    paragraphs = [f"Paragraphe {n} : la conjoncture régionale reste stable." for n in range(40)]
    paragraphs[33] = "Les chantiers navals de Saint-Nazaire recrutent des soudeurs."
    paragraphs[3] = "Un mot sur les soudeurs, déjà."
    make_article(title="Un long dossier", body="\n\n".join(paragraphs))
    response, _titles = results(client, "soudeurs chantiers")
    excerpt = response.context["object_list"][0].headline
    assert "<mark>chantiers</mark> navals" in excerpt and "<mark>soudeurs</mark>" in excerpt
    assert "Paragraphe 10" not in excerpt
    assert " … " in excerpt  # the two passages are far apart in the story
