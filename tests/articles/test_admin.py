from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, Tag
from newsroom.typography import french
from tests.factories import image_upload, make_article, make_tag
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


def add_form(client, **typed):
    """The empty add form as the page renders it, with a title, a standfirst and a body
    typed in, and `typed` on top: what the browser sends."""
    form = rendered_form(client.get(reverse("admin:articles_article_add")))
    form.update(
        title="Les PME régionales à l'export",
        standfirst="Un chapô.",
        body="Un paragraphe.\n\n## Un intertitre",
        **typed,
    )
    return form.data()


def test_groups_exist_with_their_roles():
    journalists = Group.objects.get(name="Journalists").permissions.values_list(
        "codename", flat=True
    )
    editors = Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    assert "add_article" in journalists and "delete_published_article" not in journalists
    assert {"delete_published_article", "see_all_drafts", "change_tag"} <= set(editors)
    assert Group.objects.filter(name="Moderators").exists()


def test_journalist_creates_a_draft_in_the_admin(client, journalist):
    client.force_login(journalist)
    tag = make_tag("Export")
    response = client.post(
        reverse("admin:articles_article_add"),
        add_form(client, authors=[journalist.pk], tags=[tag.pk]),
    )
    assert response.status_code == HTTPStatus.FOUND
    article = Article.objects.get()
    assert article.slug == "les-pme-regionales-a-lexport"
    assert article.status == Article.Status.DRAFT
    assert list(article.authors.all()) == [journalist]
    assert "<h2>Un intertitre</h2>" in article.body_html


def test_add_form_offers_the_journalist_as_byline(client, journalist):
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_article_add"))
    assert response.context["adminform"].form.initial["authors"] == [journalist.pk]


def test_journalist_cannot_delete_a_published_story(client, journalist):
    article = make_article(authors=[journalist])
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Article.objects.filter(pk=article.pk).exists()


def test_journalist_has_no_bulk_delete(client, journalist):
    make_article()
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert "delete_selected" not in dict(response.context["action_form"].fields["action"].choices)


def test_journalist_can_delete_own_draft(client, journalist):
    article = make_article(status=Article.Status.DRAFT, authors=[journalist])
    client.force_login(journalist)
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert Article.objects.binned().filter(pk=article.pk).exists()


def test_editor_can_delete_a_published_story(client, editor):
    article = make_article()
    client.force_login(editor)
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert Article.objects.binned().filter(pk=article.pk).exists()
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_journalist_does_not_see_colleagues_drafts(client, journalist):
    hidden = make_article(title="Brouillon d'un collègue", status=Article.Status.DRAFT)
    client.force_login(journalist)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert hidden.title not in response.content.decode()
    change = client.get(reverse("admin:articles_article_change", args=[hidden.pk]))
    assert change.status_code == HTTPStatus.FOUND  # the admin sends unknown objects home


def test_publish_now_action_puts_drafts_online(client, editor):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.is_live
    assert french("1 article publié.") in response.content.decode()


def test_unpublish_action_takes_stories_off_the_site(client, editor):
    live = make_article()
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [live.pk]},
    )
    live.refresh_from_db()
    assert live.status == Article.Status.DRAFT
    assert client.get(live.get_absolute_url()).status_code == HTTPStatus.OK  # editor preview
    client.logout()
    assert client.get(live.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("faux.jpg", b"GIF89a not really"), "image"),
        (image_upload("anim.gif", size=(40, 40), image_format="GIF", mode="P"), "GIF"),
        (
            image_upload("huge.png", size=(5000, 4001), image_format="PNG", mode="1"),
            french("20 mégapixels"),
        ),
    ],
)
def test_bad_image_upload_is_refused_with_a_message(client, editor, media_root, upload, message):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        add_form(client, authors=[editor.pk], image=upload, image_alt="Une image"),
    )
    assert response.status_code == HTTPStatus.OK
    assert message in str(response.context["adminform"].form.errors["image"])
    assert not Article.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_image_upload_shows_a_preview_in_the_admin(client, editor):
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_add"),
        add_form(
            client, authors=[editor.pk], image=image_upload(), image_alt="Le port de Marseille"
        ),
    )
    article = Article.objects.get()
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert article.image_src(480) in response.content.decode()


def test_image_without_description_is_refused(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        add_form(client, authors=[editor.pk], image=image_upload()),
    )
    assert "image_alt" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_journalist_publishes_a_story_from_the_empty_add_form(client, journalist):
    """The add form as the browser sends it: its hidden version field empty."""
    make_tag("Export")
    client.force_login(journalist)
    form = rendered_form(client.get(reverse("admin:articles_article_add")))
    assert form["edit_version"] == ""
    form.update(
        title="Hydrogène vert à Fos",
        standfirst="Un électrolyseur de 100 MW.",
        body="<p>Un paragraphe.</p><p>Un <strong>autre</strong>.</p>",  # as the editor sends it
        status=Article.Status.PUBLISHED,
        authors=[journalist.pk],
        tags=[Tag.objects.get().pk],
    )
    response = form.submit(client)
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    story = Article.objects.get()
    assert (story.status, list(story.authors.all())) == (Article.Status.PUBLISHED, [journalist])
    assert story.body == "<p>Un paragraphe.</p><p>Un <strong>autre</strong>.</p>"
    assert "Hydrogène vert à Fos" in Client().get("/").content.decode()


def test_editor_saves_a_draft_with_an_image_from_the_empty_add_form(client, editor):
    client.force_login(editor)
    form = rendered_form(client.get(reverse("admin:articles_article_add")))
    form.update(
        title="Le port de Marseille s'agrandit",
        standfirst="Un nouveau quai.",
        body="Le texte.",
        image=image_upload(),
        image_alt="Un quai au soleil",
        authors=[editor.pk],
    )
    assert form.submit(client).status_code == HTTPStatus.FOUND
    story = Article.objects.get()
    assert story.status == Article.Status.DRAFT and story.image_renditions
    assert "Le port de Marseille" not in Client().get("/").content.decode()


def test_an_image_dropped_into_a_new_story_joins_it_when_it_is_saved(client, journalist):
    """The editor's upload before the story's first save: the image waits for its journalist
    (nobody else may place it), joins the story that places it, and one never placed goes
    after two days with its files."""
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from articles.models import BodyImage
    from articles.tasks import purge_bin
    from tests.factories import make_user

    client.force_login(journalist)
    upload = reverse("admin:articles_article_body_image_new")
    answer = client.post(upload, {"image": image_upload(size=(1600, 900)), "alt": "Un quai"})
    assert answer.status_code == HTTPStatus.CREATED
    image = BodyImage.objects.get()
    assert (image.article, image.added_by) == (None, journalist)
    placed = f'<p>Avant.</p><figure data-image="{image.pk}"></figure><p>Après.</p>'

    # Another journalist cannot place it: said under the body, nothing stored.
    other = Client()
    other.force_login(make_user("julien", group="Journalists"))
    form = rendered_form(other.get(reverse("admin:articles_article_add")))
    form.update(title="Autre", standfirst="Autre.", body=placed)
    refused = form.submit(other)
    assert refused.status_code == HTTPStatus.OK
    assert "image" in refused.context["adminform"].form.errors["body"][0]
    assert not Article.objects.exists()

    form = rendered_form(client.get(reverse("admin:articles_article_add")))
    form.update(
        title="Le quai neuf",
        standfirst="Livré en mars.",
        body=placed,
        status=Article.Status.PUBLISHED,
        authors=[journalist.pk],
    )
    assert form.submit(client).status_code == HTTPStatus.FOUND
    story = Article.objects.get()
    image.refresh_from_db()
    assert image.article == story
    page = Client().get(story.get_absolute_url()).content.decode()
    assert 'alt="Un quai"' in page and "480w" in page

    # Dropped into a story never saved: gone after two days, files too.
    client.post(upload, {"image": image_upload(size=(1600, 900)), "alt": "Jamais placé"})
    lost = BodyImage.objects.get(article=None)
    files = [lost.image.name] + [name for _w, _h, name in lost.renditions]
    BodyImage.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(days=3))
    purge_bin.call()
    assert list(BodyImage.objects.all()) == [image]
    assert not any(default_storage.exists(name) for name in files)
