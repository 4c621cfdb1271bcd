"""The newsdesk: no lost edits, revisions, corrections in public, a writing screen, and
journalists in the comment loop."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from http import HTTPStatus
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from articles.models import Article, BodyImage, Correction, DailyReadings
from articles.services import article_save, body_image_delete, body_image_save, correction_add
from comments.services import comment_submit, moderators_digest
from newsroom.mail import outbox_send
from newsroom.typography import french
from tests.factories import image_upload, make_article, make_comment, make_tag, make_user
from tests.forms import rendered_form

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(client, article, **changes):
    """What the change form posts, as a journalist who opened it now and typed `changes`."""
    return rendered_form(client.get(change_url(article))).update(**changes).data()


def test_an_older_form_cannot_overwrite_a_newer_save():
    camille = make_user("camille", group="Editors", first_name="Camille", last_name="Arnaud")
    julien = make_user("julien", group="Editors", first_name="Julien", last_name="Ferrand")
    story = make_article(standfirst="Le chapô d'origine.", authors=[camille])
    first, second = Client(), Client()
    first.force_login(camille)
    second.force_login(julien)
    camille_form = form_data(first, story, standfirst="Le chapô de Camille.")
    julien_form = form_data(second, story, standfirst="Le chapô de Julien, plus ancien.")
    assert first.post(change_url(story), camille_form).status_code == HTTPStatus.FOUND
    refused = second.post(change_url(story), julien_form)
    html = refused.content.decode()
    assert refused.status_code == HTTPStatus.OK
    assert "Camille Arnaud a enregistré cet article" in html
    assert "(chapô)" in html  # what changed, and nothing else
    assert "Le chapô de Julien, plus ancien." in html  # the text is kept in the form
    story.refresh_from_db()
    assert story.standfirst == "Le chapô de Camille."


def test_others_see_who_has_a_story_open_on_the_form_and_the_list():
    camille = make_user("camille", group="Editors", first_name="Camille", last_name="Arnaud")
    julien = make_user("julien", group="Editors", first_name="Julien", last_name="Ferrand")
    story = make_article(authors=[camille])
    first, second = Client(), Client()
    first.force_login(camille)
    second.force_login(julien)
    editing = reverse("admin:articles_article_editing", args=[story.pk])
    changelist = reverse("admin:articles_article_changelist")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert "vient d’ouvrir" not in first.get(change_url(story)).content.decode()
        assert (
            "Camille Arnaud vient d’ouvrir cet article."
            in second.get(change_url(story)).content.decode()
        )
    for minute in range(1, 11):  # Camille's editor says it is still there every minute
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            first.post(editing)
    with time_machine.travel(start + timedelta(minutes=10, seconds=5), tick=False):
        notice = french("Camille Arnaud modifie cet article depuis 10 min.")
        assert second.post(editing).json()["notice"] == notice
        assert (
            french("Ouvert dans l’éditeur : Camille Arnaud (10 min)")
            in second.get(changelist).content.decode()
        )
        assert "Julien Ferrand" in first.post(editing).json()["notice"]  # and the other way
        first.post(change_url(story), form_data(first, story, title="Enregistré"))
        assert second.post(editing).json()["notice"] == ""  # a save ends the notice
    # Julien closed his tab: two minutes without news and Camille's notice is gone.
    with time_machine.travel(start + timedelta(minutes=13), tick=False):
        assert first.post(editing).json()["notice"] == ""
    # Only those who may change the story learn who edits it.
    reader = make_user("lecteur", is_staff=True)
    outsider = Client()
    outsider.force_login(reader)
    refused = outsider.post(editing)
    assert refused.status_code in {HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND}
    assert "Camille" not in refused.content.decode()


def test_every_save_and_publication_is_a_revision_that_can_be_compared_and_restored():
    editor = make_user("chef", group="Editors", first_name="Régine", last_name="Chef")
    client = Client()
    client.force_login(editor)
    story = make_article(status=Article.Status.DRAFT, title="Première version", authors=[editor])
    client.post(change_url(story), form_data(client, story, title="Deuxième version"))
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
    )
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 3
    assert versions.first().revision.get_comment() == "Publié maintenant"
    assert versions.first().revision.user == editor
    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert "Publié maintenant" in history.content.decode()
    assert "Modification de titre." in history.content.decode()  # French names, only the title
    older, newer = versions[2], versions[1]
    compare = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]), {"a": older.pk, "b": newer.pk}
    ).content.decode()
    assert "<del>Première</del><ins>Deuxième</ins> version" in compare
    # Restoring the first revision is itself a new revision.
    revert = reverse("admin:articles_article_revision", args=[story.pk, older.pk])
    form = rendered_form(client.get(revert))
    assert form["title"] == "Première version"  # the old revision, loaded into the form
    assert form.submit(client).status_code == HTTPStatus.FOUND
    story.refresh_from_db()
    assert story.title == "Première version"
    # A fourth version, numbered after the third: a form opened on the third is now stale.
    assert Version.objects.get_for_object(story).count() == 4
    assert story.edit_version == 4


def test_the_comparison_marks_the_changed_words_and_the_new_paragraphs(client):
    editor = make_user("chef", group="Editors")
    client.force_login(editor)
    story = make_article(body="Le contexte.\n\nLe projet prévoit 120 emplois d'ici 2028.")
    story.body = "Le contexte.\n\nLe projet prévoit 210 emplois d'ici 2028.\n\nUn ajout."
    article_save(article=story, user=editor)
    newer, older = Version.objects.get_for_object(story)[:2]
    page = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]), {"a": older.pk, "b": newer.pk}
    ).content.decode()
    assert "Le projet prévoit <del>120</del><ins>210</ins> emplois" in page
    assert "<ins>Un ajout.</ins>" in page
    assert "<del>Le contexte" not in page  # an unchanged paragraph is not marked


def test_corrections_show_on_the_page_in_the_feed_and_the_json_ld(client):
    editor = make_user("chef", group="Editors")
    story = make_article(title="Un chiffre à corriger")
    client.get(story.get_absolute_url())  # cached
    correction_add(
        article=story, kind="correction", text="Le budget est de 4 millions, pas 40.", user=editor
    )
    page = client.get(story.get_absolute_url()).content.decode()
    assert french("Le budget est de 4 millions, pas 40.") in page  # set in French typography
    assert "Rectifié le" in page and "Rectificatif du" in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["correction"][0]["@type"] == "CorrectionComment"
    assert ld["correction"][0]["text"].startswith("Le budget")
    feed = ET.fromstring(client.get(reverse("articles:feed_rss")).content)
    assert french("Le budget est de 4 millions") in feed.find(".//item/description").text
    listing = client.get(reverse("articles:corrections")).content.decode()
    assert "Un chiffre à corriger" in listing and "pas 40" in listing
    assert Version.objects.get_for_object(story).first().revision.get_comment() == (
        "Rectificatif ou mise à jour ajouté"
    )


def test_an_editor_adds_a_correction_in_the_story_form():
    editor = make_user("chef", group="Editors")
    story = make_article(authors=[editor])
    client = Client()
    client.force_login(editor)
    form = rendered_form(client.get(change_url(story)))
    form.add_inline(
        "corrections",
        kind="update",
        text="Le conseil a voté le budget ce soir.",
        created_at_0="28/11/2026",
        created_at_1="18:00:00",
    )
    assert form.submit(client).status_code == HTTPStatus.FOUND
    assert Correction.objects.get().kind == "update"
    assert "Le conseil a voté le budget" in Client().get(story.get_absolute_url()).content.decode()
    # The comparison of the last two revisions shows it (it once said "Rien ne diffère").
    html = client.get(reverse("admin:articles_article_compare", args=[story.pk])).content.decode()
    assert "Rien ne diffère" not in html
    corrections = html.split("<h2>Rectificatifs et mises à jour</h2>")[1]
    assert "<ins>" in corrections
    shown = re.sub(r"</?(ins|del)>", "", corrections)
    assert french("Mise à jour, 28 novembre 2026 : Le conseil a voté le budget ce soir.") in shown


def test_the_writing_screen_previews_as_the_site_renders_and_counts_words(client):
    journalist = make_user("plume", group="Journalists")
    client.force_login(journalist)
    answer = client.post(
        reverse("admin:articles_article_preview"),
        {
            "body": "Un texte : court.\n\n<script>alert(1)</script>\n\n## Intertitre",
            "language": "fr",
        },
    ).json()
    assert "<script" not in answer["html"]
    assert "<h2>Intertitre</h2>" in answer["html"]
    assert french("Un texte : court.") in answer["html"]
    assert answer["words"] == 4 and "min de lecture" in answer["summary"]


def test_the_admin_speaks_french_offers_journalists_by_name_and_sorts_tags_in_french(client):
    editor = make_user("chef", group="Editors", first_name="Régine", last_name="Chef")
    make_user("camille", group="Journalists", first_name="Camille", last_name="Arnaud")
    make_user("moderation", group="Moderators", first_name="Marc", last_name="Modérateur")
    make_tag("Attractivité")
    make_tag("Aéronautique")
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "<title>Ajouter un article" in html
    assert ">Camille Arnaud</option>" in html and "Marc Modérateur" not in html
    assert html.index(">Aéronautique<") < html.index(">Attractivité<")
    story = make_article(authors=[editor])
    assert "| Modifier l’article |" in client.get(change_url(story)).content.decode()


def test_a_journalist_creates_a_tag(client):
    client.force_login(make_user("plume", group="Journalists"))
    client.post(
        reverse("admin:articles_tag_add"),
        {"name": "Hydrogène", "slug": "hydrogene"},
    )
    assert client.get(reverse("admin:articles_tag_changelist")).status_code == HTTPStatus.OK


def test_the_story_page_in_the_admin_shows_readings_and_comment_counts(client):
    editor = make_user("chef", group="Editors")
    story = make_article(authors=[editor])
    from django.utils import timezone

    DailyReadings.objects.create(article=story, day=timezone.localdate(), count=42)
    client.force_login(editor)
    html = client.get(change_url(story)).content.decode()
    assert "<svg" in html and "42" in html
    assert "En attente : 0" in html or french("En attente : 0") in html
    # The comments plug their line in (comments_tags.story_comments), with a link to them.
    make_comment(story, name="Lecteur de cette histoire")
    make_comment(make_article(), name="Lecteur d'une autre")
    html = client.get(change_url(story)).content.decode()
    assert "Approuvé : 1" in html
    link = re.search(r'href="([^"]+)">Voir les commentaires de cet article', html).group(1)
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Lecteur de cette histoire" in listing
    assert "Lecteur d'une autre" not in listing


def test_journalists_hear_of_comments_waiting_on_their_stories(client):
    camille = make_user("camille", group="Journalists", email="camille@newsroom.example")
    story = make_article(authors=[camille])
    comment_submit(
        article=story, name="Paul", email="p@example.org", body="Une question.", ip_address=""
    )
    moderators_digest()
    outbox_send()
    assert [m.to for m in mail.outbox] == [["camille@newsroom.example"]]
    client.force_login(camille)
    home = client.get(reverse("admin:index")).content.decode()
    assert french("1 commentaire attend sur vos articles.") in home
    listing = client.get(
        reverse("admin:comments_comment_changelist"),
        {"status__exact": "pending", "article__authors__id__exact": camille.pk},
    )
    assert "Une question." in listing.content.decode()


def two_colour_upload():
    """A wide photo, red on its left third and blue on the rest."""
    image = Image.new("RGB", (2400, 800), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 800, 800))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile("port.jpg", buffer.getvalue(), content_type="image/jpeg")


def crop_pixels(media_root, url):
    with Image.open(media_root / url.removeprefix("/media/")) as crop:
        return crop.format, crop.size, crop.convert("RGB").getpixel((crop.width // 2, 5))


def test_the_focal_point_decides_what_cards_and_shared_links_show(
    client, media_root, django_capture_on_commit_callbacks
):
    story = make_article(image=two_colour_upload(), image_alt="Le port", image_focus_x=5)
    card, share = story.card_image, story.share_image
    fmt, size, centre = crop_pixels(media_root, share[0])
    assert (fmt, size, share[1:]) == ("JPEG", (1200, 630), (1200, 630, "image/jpeg"))
    assert centre[0] > 200 and centre[2] < 60  # the red side, where the focus is
    fmt, size, _ = crop_pixels(media_root, card["src"])
    assert fmt == "WEBP" and size[0] * 9 == size[1] * 16

    # The journalist moves the focus to the right: new crops, the old ones gone.
    story.image_focus_x = 95
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=story)
    story.refresh_from_db()
    _, _, centre = crop_pixels(media_root, story.share_image[0])
    assert centre[2] > 200 and centre[0] < 60
    assert not (media_root / share[0].removeprefix("/media/")).exists()

    page = client.get(story.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="http://testserver{story.share_image[0]}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    assert '<meta property="og:image:type" content="image/jpeg">' in page
    home = client.get(reverse("articles:index")).content.decode()
    assert story.card_image["src"] in home


def test_a_journalist_sets_the_focal_point_in_the_form(media_root):
    editor = make_user("chef", group="Editors")
    client = Client()
    client.force_login(editor)
    story = make_article(image=two_colour_upload(), image_alt="Le port", authors=[editor])
    page = client.get(change_url(story)).content.decode()
    assert 'class="focus-picker"' in page
    response = client.post(
        change_url(story), form_data(client, story, image_alt="Le port", image_focus_x="90")
    )
    assert response.status_code == HTTPStatus.FOUND
    story.refresh_from_db()
    assert story.image_focus_x == 90
    response = client.post(
        change_url(story), form_data(client, story, image_alt="Le port", image_focus_x="140")
    )
    assert response.status_code == HTTPStatus.OK
    assert french("Assurez-vous que cette valeur est inférieure ou égale à 100.") in (
        response.content.decode()
    )


def test_an_image_uploaded_from_the_editor_shows_in_the_text_as_a_figure(media_root):
    journalist = make_user("camille", group="Journalists", first_name="Camille")
    client = Client()
    client.force_login(journalist)
    story = make_article(authors=[journalist], body="Premier paragraphe.\n\nDernier paragraphe.")
    upload_url = reverse("admin:articles_article_body_image", args=[story.pk])

    # No description: refused where the journalist looks, nothing stored.
    refused = client.post(upload_url, {"image": image_upload(size=(2000, 1000)), "alt": ""})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.json()["errors"] == [
        french("Description de l’image : Ce champ est obligatoire.")
    ]
    assert not BodyImage.objects.exists()
    refused = client.post(upload_url, {"image": SimpleUploadedFile("x.jpg", b"no"), "alt": "X"})
    assert "n’est pas une image" in refused.json()["errors"][0]

    answer = client.post(
        upload_url,
        {
            "image": image_upload(size=(2000, 1000)),
            "alt": "Des grues <au> port",
            "caption": "Le terminal : trois grues neuves",
            "credit": "Léa Martin",
        },
    )
    assert answer.status_code == HTTPStatus.CREATED
    image = BodyImage.objects.get()
    assert answer.json()["id"] == image.pk  # the editor draws its figure with the rest
    assert answer.json()["alt"] == "Des grues <au> port"
    line = f'<figure data-image="{image.pk}"></figure>'  # as the editor places it
    assert [w for w, _h, _n in image.renditions] == [480, 960, 1600]

    # The preview shows it as the page will.
    preview = client.post(
        reverse("admin:articles_article_preview"),
        {"body": f"<p>Texte.</p>{line}", "language": "fr", "article": story.pk},
    ).json()["html"]
    assert '<figure class="story__figure">' in preview

    body = f"<p>Premier paragraphe.</p>{line}<p>Dernier paragraphe.</p>"  # as the editor sends it
    saved = client.post(change_url(story), form_data(client, story, body=body))
    assert saved.status_code == HTTPStatus.FOUND
    page = Client().get(story.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="story__figure">.*?</figure>', page, re.S).group(0)
    assert 'alt="Des grues &lt;au&gt; port"' in figure
    assert "480w" in figure and "1600w" in figure and 'loading="lazy"' in figure
    assert french("Le terminal : trois grues neuves") in figure
    assert french("Photo : Léa Martin") in figure
    assert page.index("Premier paragraphe") < page.index("story__figure") < page.index("Dernier")

    # A new caption, from the rows under the form, shows at once.
    data = form_data(client, story, body=body)
    data.update(
        {
            "body_images-TOTAL_FORMS": "1",
            "body_images-INITIAL_FORMS": "1",
            "body_images-0-id": image.pk,
            "body_images-0-article": story.pk,
            "body_images-0-alt": "Des grues au port",
            "body_images-0-caption": "Une légende nouvelle",
            "body_images-0-credit": "Léa Martin",
        }
    )
    assert client.post(change_url(story), data).status_code == HTTPStatus.FOUND
    image.refresh_from_db()
    assert image.caption == "Une légende nouvelle"
    assert "Une légende nouvelle" in Client().get(story.get_absolute_url()).content.decode()


def test_the_text_cannot_place_an_image_of_another_story(media_root):
    editor = make_user("chef", group="Editors")
    client = Client()
    client.force_login(editor)
    other = make_article()
    elsewhere = BodyImage(article=other, image=image_upload(), alt="Ailleurs")
    body_image_save(image=elsewhere)
    story = make_article(authors=[editor])
    body = f"Texte.\n\n[[image {elsewhere.pk}]]"
    response = client.post(change_url(story), form_data(client, story, body=body))
    assert response.status_code == HTTPStatus.OK
    assert f"[[image {elsewhere.pk}]]" in response.content.decode()
    assert "Ailleurs" not in Client().get(story.get_absolute_url()).content.decode()
    story.refresh_from_db()
    assert "[[image" not in story.body


def test_removing_an_image_takes_it_off_the_page_and_the_disk(
    client, media_root, django_capture_on_commit_callbacks
):
    story = make_article(body="Texte.")
    image = body_image_save(image=BodyImage(article=story, image=image_upload(), alt="Port"))
    story.body = f"Texte.\n\n{image.placeholder}"
    article_save(article=story)
    assert 'alt="Port"' in client.get(story.get_absolute_url()).content.decode()
    files = [image.image.name] + [name for _w, _h, name in image.renditions]
    assert all((media_root / name).exists() for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        body_image_delete(image=image)
    assert 'alt="Port"' not in client.get(story.get_absolute_url()).content.decode()
    assert not any((media_root / name).exists() for name in files)


def test_the_list_of_stories_shows_bylines_in_queries_that_do_not_grow_with_it(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    camille = make_user("camille", group="Journalists", first_name="Camille", last_name="Roux")
    lucien = make_user("lucien", group="Journalists", first_name="Lucien", last_name="Blanc")
    client = Client()
    client.force_login(editor)
    client.get(reverse("admin:articles_article_changelist"))  # the session's first look
    counts = []
    for _ in range(2):
        for _ in range(3):
            make_article(authors=[camille, lucien])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("admin:articles_article_changelist")).content.decode()
        counts.append(len(queries))
    assert page.count("Camille Roux, Lucien Blanc") == 6
    assert counts[0] == counts[1]


def test_a_story_saved_unchanged_changes_nothing_readers_or_editors_see():
    """The browser sends the body's line breaks as CR LF; the stored text has LF."""
    editor = make_user("chef", group="Editors")
    story = make_article(
        body="Premier paragraphe.\n\n## Un intertitre\n\nDernier paragraphe.",
        standfirst="Un chapô.",
        published_at=timezone.now() - timedelta(days=2),
        authors=[editor],
    )
    client = Client()
    client.force_login(editor)
    form = rendered_form(client.get(change_url(story)))
    assert "\r\n" in form.pairs()[[n for n, _ in form.pairs()].index("body")][1]
    assert form.submit(client).status_code == HTTPStatus.FOUND
    assert "Mis à jour le" not in Client().get(story.get_absolute_url()).content.decode()
    newer, older = Version.objects.get_for_object(story)[:2]
    assert "corps" not in newer.revision.get_comment()
    compare = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]), {"a": older.pk, "b": newer.pk}
    ).content.decode()
    assert "Rien ne diffère entre ces deux versions." in compare
