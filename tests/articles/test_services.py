import pytest

from articles.models import Article
from articles.services import article_save
from tests.factories import image_upload, make_article, make_user


@pytest.mark.django_db
def test_lead_image_gets_webp_renditions_for_srcset():
    article = make_article(image=image_upload(size=(1200, 800)), image_alt="Le port")
    widths = [width for width, _height, _name in article.image_renditions]
    assert widths == [480, 960, 1200]
    assert all(name.endswith(".webp") for *_, name in article.image_renditions)
    assert "480w" in article.image_srcset and "1200w" in article.image_srcset


@pytest.mark.django_db
def test_replacing_the_image_removes_old_renditions_once_committed(
    media_root, django_capture_on_commit_callbacks
):
    article = make_article(image=image_upload(), image_alt="Avant")
    old = [name for *_, name in article.image_renditions]
    article.image = image_upload("autre.png", image_format="PNG")
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article)
    assert not any((media_root / name).exists() for name in old)
    assert all((media_root / name).exists() for *_, name in article.image_renditions)


@pytest.mark.django_db
def test_a_deleted_story_waits_in_the_bin_then_goes(client, editor, media_root):
    from datetime import timedelta

    import time_machine
    from django.urls import reverse
    from django.utils import timezone

    from articles.models import Article
    from articles.services import articles_purge_bin

    story = make_article(title="Supprimée par erreur", image=image_upload(), image_alt="Le port")
    client.force_login(editor)
    client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Supprimée par erreur" not in client.get(reverse("articles:index")).content.decode()
    bin_page = client.get(reverse("admin:articles_deletedarticle_changelist")).content.decode()
    assert "Supprimée par erreur" in bin_page
    client.post(
        reverse("admin:articles_deletedarticle_changelist"),
        {"action": "restore", "_selected_action": [story.pk]},
    )
    assert client.get(story.get_absolute_url()).status_code == 200
    client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})
    assert articles_purge_bin(older_than=timedelta(days=30)) == 0
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert articles_purge_bin(older_than=timedelta(days=30)) == 1
    assert not Article.objects.filter(pk=story.pk).exists()
    assert not (media_root / story.image.name).exists()


@pytest.mark.django_db
def test_the_bin_is_for_editors(client, journalist):
    from django.urls import reverse

    client.force_login(journalist)
    response = client.get(reverse("admin:articles_deletedarticle_changelist"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_byline_keeps_the_order_it_was_given():
    """Django adds several people at once in the order of a set of their ids: 15 comes
    before 8 there. The byline is read in the order people were added."""
    people = [make_user(f"plume{n}", first_name=f"Plume{n}", last_name="Test") for n in range(9)]
    first = next(p for p in people if p.pk % 8 == 7)
    second = next(p for p in people if p.pk > first.pk and p.pk % 8 == 0)
    article = make_article(authors=[first, second])
    assert article.byline == [f"{first.first_name} Test", f"{second.first_name} Test"]
    article_save(article=article, authors=[second, first])
    article = Article.objects.get(pk=article.pk)
    assert article.byline == [f"{second.first_name} Test", f"{first.first_name} Test"]
