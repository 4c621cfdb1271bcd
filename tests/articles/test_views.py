from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom.typography import french
from tests.factories import clear_caches, image_upload, make_article, make_tag, make_user

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    """Queries for one page with cold caches: the worst case a reader can meet."""
    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_home_lists_published_stories_newest_first(client):
    older = make_article(title="Le plus ancien", published_at=timezone.now() - timedelta(days=3))
    newer = make_article(title="Le plus récent", published_at=timezone.now() - timedelta(days=1))
    make_article(title="Brouillon caché", status=Article.Status.DRAFT)
    make_article(title="Programmé caché", published_at=timezone.now() + timedelta(days=1))
    response = client.get(reverse("articles:index"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert "Brouillon caché" not in html
    assert "Programmé caché" not in html


def test_home_shows_standfirst_tags_and_french_date(client):
    tag = make_tag("Export")
    make_article(
        standfirst="Un chapô qui résume.",
        tags=[tag],
        published_at=timezone.make_aware(timezone.datetime(2026, 3, 14, 10, 0)),
    )
    response = client.get(reverse("articles:index"))
    assert b"Un chap\xc3\xb4 qui r\xc3\xa9sume." in response.content
    assert f'href="{tag.get_absolute_url()}"'.encode() in response.content
    assert "14 mars 2026" in response.content.decode()


def test_home_paginates_twelve_stories_a_page(client):
    for _ in range(13):
        make_article()
    first = client.get(reverse("articles:index"))
    second = client.get(reverse("articles:index"), {"page": 2})
    assert len(first.context["article_list"]) == 12
    assert len(second.context["article_list"]) == 1
    assert french("Page 1 sur 2") in first.content.decode()


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1", "1e9"])
def test_bad_page_number_is_a_not_found_page(client, page):
    make_article()
    response = client.get(reverse("articles:index"), {"page": page})
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_story_page_shows_the_whole_anatomy(client):
    author = make_user(first_name="Camille", last_name="Arnaud", is_staff=True)
    tag = make_tag("French Tech", description="Les start-up.")
    article = make_article(
        title="Aix – Miami : l'innovation en partage",
        standfirst="Un chapô en gras.",
        body="Paragraphe.\n\n## Séduire\n\n> « Venez chez nous. »\n> — Ana Lima, maire",
        tags=[tag],
        authors=[author],
        image=image_upload(),
        image_alt="La délégation à l'aéroport",
        image_credit="Agence Sud",
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="fr">' in html
    assert html.count("<h1") == 1
    assert '<p class="story__standfirst" lang="fr">Un chapô en gras.</p>' in html
    assert "<h2>Séduire</h2>" in html
    assert "<footer>Ana Lima, maire</footer>" in html
    assert "Par Camille Arnaud" in html
    assert french("Photo : Agence Sud") in html
    assert 'alt="La délégation à l&#x27;aéroport"' in html
    assert "480w" in html
    assert f'href="{tag.get_absolute_url()}"' in html
    assert 'href="#content"' in html


def test_story_page_says_when_it_was_updated(client):
    article = make_article(published_at=timezone.now() - timedelta(days=2))
    article.refresh_from_db()
    article.body = "Nouvelle version."
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="story__updated">Mis à jour le <time' in html


def test_story_page_does_not_say_updated_when_never_edited(client):
    article = make_article(published_at=timezone.now() - timedelta(days=2))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Publié le <time" in html  # the line that would say it
    assert "story__updated" not in html


def test_script_in_markdown_never_reaches_the_page(client):
    article = make_article(body="<script>alert('pwned')</script>\n\n<img src=x onerror=alert(1)>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_unpublished_story_is_not_found_for_readers(client, fields):
    article = make_article(**fields)
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_unknown_story_is_not_found(client):
    response = client.get(reverse("articles:detail", kwargs={"slug": "nexiste-pas"}))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_journalist_previews_own_draft_with_a_banner(client, journalist):
    article = make_article(status=Article.Status.DRAFT, authors=[journalist])
    client.force_login(journalist)
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert french("Aperçu : cet article est un brouillon") in response.content.decode()


def test_journalist_cannot_preview_a_colleague_draft(client, journalist):
    article = make_article(status=Article.Status.DRAFT, authors=[make_user(group="Journalists")])
    client.force_login(journalist)
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_tag_page_shows_description_and_only_its_stories(client):
    export = make_tag("Export", description="Les entreprises qui vendent à l'étranger.")
    tagged = make_article(title="Vendre au Japon", tags=[export])
    make_article(title="Autre sujet")
    response = client.get(export.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Les entreprises qui vendent à l&#x27;étranger." in html
    assert tagged.title in html
    assert "Autre sujet" not in html


def test_tag_page_paginates_and_rejects_bad_pages(client):
    tag = make_tag("Maritime")
    for _ in range(13):
        make_article(tags=[tag])
    assert len(client.get(tag.get_absolute_url(), {"page": 2}).context["article_list"]) == 1
    assert client.get(tag.get_absolute_url(), {"page": "x"}).status_code == HTTPStatus.NOT_FOUND


def test_unknown_tag_is_not_found(client):
    assert client.get(reverse("articles:tag", kwargs={"slug": "inconnu"})).status_code == 404


def test_home_query_count_does_not_grow_with_stories_or_tags(client):
    tags = [make_tag() for _ in range(10)]
    for _ in range(5):
        make_article(tags=tags[:1])
    few = count_queries(client, reverse("articles:index"))
    for _ in range(195):
        make_article(tags=tags)
    many = count_queries(client, reverse("articles:index"))
    assert few == many
    assert many <= 8


def test_story_query_count_does_not_grow_with_tags_or_authors(client):
    tags = [make_tag() for _ in range(10)]
    one = make_article(tags=tags[:1], authors=[make_user()])
    ten = make_article(tags=tags, authors=[make_user() for _ in range(3)])
    few = count_queries(client, one.get_absolute_url())
    many = count_queries(client, ten.get_absolute_url())
    assert few == many
    # Cold: the story, its tags, its byline, related, two rankings of two queries each, the
    # tag menu (its counts, then its tags), its sections' comment policies, the comments'
    # counts, the page of comments shown and how long moderation takes. Warm, one: the story.
    assert many <= 13


def test_french_title_is_served_with_its_no_break_spaces(client):
    article = make_article(title="Provence – Montréal : 1,2 milliard d'euros !")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Provence – Montréal\u202f: 1,2\u00a0milliard d’euros\u202f!</h1>" in html


def test_in_english_a_french_story_keeps_its_language(client):
    article = make_article(title="Le port de Marseille")
    client.cookies["django_language"] = "en"
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert '<h1 class="story__title" lang="fr">Le port de Marseille</h1>' in html
    assert 'class="story__body" lang="fr"' in html
    assert '<meta property="og:locale" content="fr_FR">' in html
    assert '<meta property="og:locale:alternate" content="en_GB">' in html


def test_topic_menu_marks_the_topic_shown_and_tag_pages_have_the_sidebar(client):
    export = make_tag("Export")
    make_article(tags=[export])
    html = client.get(export.get_absolute_url()).content.decode()
    assert f'<a href="{export.get_absolute_url()}" aria-current="page">Export</a>' in html
    assert 'class="sidebar"' in html and "Sujets les + lus" in html
    home = client.get(reverse("articles:index")).content.decode()
    assert f'<a href="{export.get_absolute_url()}">Export</a>' in home
    assert 'aria-current="page">À la une</a>' in home


def test_home_page_leads_with_the_newest_story_on_its_first_page_only(client):
    for days in range(1, 13):
        make_article(
            title=f"Il y a {days} jours", published_at=timezone.now() - timedelta(days=days)
        )
    newest = make_article(title="La plus récente", published_at=timezone.now())
    html = client.get(reverse("articles:index")).content.decode()
    lead = html.split('class="card card--lead"', 1)[1].split("</article>", 1)[0]
    assert newest.title in lead
    assert html.count("card--lead") == 1
    second = client.get(reverse("articles:index"), {"page": 2}).content.decode()
    assert "Il y a 12" in second
    assert "card--lead" not in second


def test_search_page_has_one_search_form(client):
    html = client.get(reverse("articles:search"), {"q": "export"}).content.decode()
    assert html.count('role="search"') == 1
    assert 'id="search-page-q"' in html


def test_not_found_page_carries_the_site_header_menu_search_and_footer(client):
    make_article(tags=[make_tag("Export")])
    response = client.get("/articles/nulle-part/")
    page = response.content.decode()
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Cette page n’existe pas" in page
    assert 'role="search"' in page
    assert '<a href="/tags/export/">Export</a>' in page
    assert 'class="site-footer"' in page
