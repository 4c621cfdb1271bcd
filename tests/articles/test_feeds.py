import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom.typography import french
from tests.factories import image_upload, make_article, make_tag, make_user

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def stories():
    tag = make_tag("Export")
    live = make_article(title="Article en ligne", tags=[tag])
    make_article(title="Brouillon secret", status=Article.Status.DRAFT, tags=[tag])
    make_article(
        title="Programmé secret", published_at=timezone.now() + timedelta(days=2), tags=[tag]
    )
    make_article(title="Autre thème")
    return tag, live


def parse(response):
    assert response.status_code == HTTPStatus.OK
    return ET.fromstring(response.content)


def test_rss_lists_only_published_stories(client, stories):
    root = parse(client.get(reverse("articles:feed_rss")))
    titles = [item.findtext("title") for item in root.iter("item")]
    assert set(titles) == {"Article en ligne", "Autre thème"}


def test_atom_lists_only_published_stories(client, stories):
    root = parse(client.get(reverse("articles:feed_atom")))
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert set(titles) == {"Article en ligne", "Autre thème"}


@pytest.mark.parametrize("name", ["articles:tag_feed_rss", "articles:tag_feed_atom"])
def test_tag_feeds_list_only_the_tag_published_stories(client, stories, name):
    tag, _live = stories
    content = parse(client.get(reverse(name, args=[tag.slug])))
    titles = [el.text for el in content.iter() if el.tag in {"title", f"{ATOM}title"}]
    assert "Article en ligne" in titles
    assert not {"Brouillon secret", "Programmé secret", "Autre thème"} & set(titles)


def test_story_feeds_carry_no_email(client, stories):
    author = make_user(email="journaliste@newsroom.example", first_name="Inès", last_name="Roux")
    make_article(title="Signé par Inès", authors=[author])
    for name in ("articles:feed_rss", "articles:feed_atom"):
        content = client.get(reverse(name)).content.decode()
        item = next(
            element
            for element in ET.fromstring(content).iter()
            if element.tag in {"item", f"{ATOM}entry"}
            and any(child.text == french("Signé par Inès") for child in element)
        )
        as_text = ET.tostring(item, encoding="unicode")
        assert "Inès Roux" in as_text  # the item names its author…
        assert "journaliste@newsroom.example" not in content  # …never their address


def test_feeds_are_linked_from_the_pages_head(client, stories):
    tag, live = stories
    home = client.get(reverse("articles:index")).content.decode()
    assert (
        f'type="application/rss+xml" title="{french("Newsroom : les derniers articles")} (RSS)" href="{reverse("articles:feed_rss")}"'
        in home
    )
    assert (
        reverse("articles:tag_feed_atom", args=[tag.slug])
        in client.get(tag.get_absolute_url()).content.decode()
    )
    assert (
        reverse("comments:feed", args=[live.slug])
        in client.get(live.get_absolute_url()).content.decode()
    )


def test_unknown_tag_feed_is_not_found(client):
    assert client.get(reverse("articles:tag_feed_rss", args=["inconnu"])).status_code == 404


def test_sitemap_lists_published_stories_and_tags_with_dates(client, stories):
    tag, live = stories
    root = parse(client.get(reverse("articles:sitemap")))
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in root.iter(f"{ns}url")}
    assert f"http://testserver{live.get_absolute_url()}" in urls
    assert f"http://testserver{tag.get_absolute_url()}" in urls
    assert all(urls.values())
    assert not any("secret" in url for url in urls)


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /lectures/" in body


def test_story_page_carries_sharing_metadata_and_json_ld(client):
    author = make_user(first_name="Camille", last_name="Arnaud")
    article = make_article(
        title="Une </script> dans le titre",
        standfirst="Un chapô qui résume l'article.",
        authors=[author],
        image=image_upload(size=(1700, 900)),
        image_alt="Le port",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    url = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta name="description" content="Un chapô qui résume l’article.">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:image" content="http://testserver/media/renditions/' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Une </script> dans le titre"
    assert data["author"] == [{"@type": "Person", "name": "Camille Arnaud"}]
    assert data["datePublished"].startswith(str(article.published_at.year))
    assert data["image"][0].endswith("-1600.webp")
    assert data["publisher"]["name"] == "Newsroom"
