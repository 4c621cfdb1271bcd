"""The writing screen, in Chromium: a journalist inserts an image in the text from under the
body, sees it in the preview, saves, and readers see the figure; a tab closed before saving
loses nothing; a text pasted from Word keeps its shape."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from articles.models import BodyImage
from tests.e2e.staff import log_in
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def photo(path):
    image = Image.new("RGB", (1800, 1000), (30, 110, 160))
    buffer = BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_journalist_inserts_an_image_in_the_text(live_server, open_context, tmp_path):
    journalist = make_user("camille", group="Journalists", first_name="Camille")
    story = make_article(
        authors=[journalist], body="Premier paragraphe du récit.\n\nDernier paragraphe."
    )
    page = open_context()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "camille")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")

    # The cursor after the first paragraph; no description: the panel says so, nothing stored.
    body = page.locator("#id_body")
    body.click()
    page.evaluate(
        "() => { const b = document.getElementById('id_body');"
        " b.setSelectionRange(28, 28); b.dispatchEvent(new Event('click')); }"
    )
    page.set_input_files("#body-image-file", str(photo(tmp_path / "quai.jpg")))
    page.click("#body-image-send")
    status = page.locator("#body-image-status")
    status.get_by_text("Description de l’image").wait_for()
    assert "obligatoire" in status.inner_text()
    assert not BodyImage.objects.exists()

    page.fill("#body-image-alt", "Un quai de chargement au petit matin")
    page.fill("#body-image-caption", "Le nouveau quai, livré en mars")
    page.fill("#body-image-credit", "Léa Martin")
    page.click("#body-image-send")
    status.get_by_text("Image insérée dans le texte").wait_for()
    image = BodyImage.objects.get()
    assert re.fullmatch(
        rf"Premier paragraphe du récit\.\s+\[\[image {image.pk}\]\]\s+Dernier paragraphe\.\s*",
        body.input_value(),
    )
    page.locator(".story-editor__preview figure img").wait_for()
    assert (
        page.locator(".story-editor__preview figcaption").inner_text().startswith("Le nouveau quai")
    )

    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    reader = open_context(width=360)
    reader.goto(live_server.url + story.get_absolute_url())
    figure = reader.locator(".story__figure img")
    assert figure.get_attribute("alt") == "Un quai de chargement au petit matin"
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_closed_tab_loses_nothing(live_server, open_context, screenshot):
    """A journalist writes, closes the tab without saving, opens the story again, gets the
    text back and publishes it."""
    journalist = make_user("camille", group="Journalists")
    story = make_article(title="Le chantier du port", body="Premier jet.", authors=[journalist])
    page = open_context()
    log_in(page, live_server.url, "camille")
    change = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    page.goto(change)
    page.fill("#id_body", "Premier jet.\n\nLe second paragraphe, écrit juste avant la panne.")
    page.close(run_before_unload=True)  # the tab closed: the page's beacon keeps the text

    page = open_context()
    log_in(page, live_server.url, "camille")
    page.goto(change)
    notice = page.locator(".autosave-notice")
    notice.wait_for()
    screenshot(page, "newsdesk-autosave-offered")
    page.get_by_role("link", name="Les restaurer").click()
    page.wait_for_url("**restaurer=1")
    assert "écrit juste avant la panne" in page.input_value("#id_body")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    public = open_context()
    public.goto(live_server.url + story.get_absolute_url())
    assert "écrit juste avant la panne" in public.locator(".story__body").inner_text()


def test_the_title_and_standfirst_are_measured_and_the_shared_link_previewed(
    live_server, open_context, screenshot
):
    journalist = make_user("julien", group="Journalists")
    story = make_article(title="Un titre", standfirst="Un chapô.", authors=[journalist])
    page = open_context(width=360, height=780)
    log_in(page, live_server.url, "julien")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    long_title = "Le grand port maritime de Marseille-Fos double ses escales de croisière"
    page.fill("#id_title", long_title)
    count = page.locator("#id_title-count")
    assert count.inner_text().startswith(
        f"{len(long_title)}\u00a0caractères"
    ) or count.inner_text().startswith(f"{len(long_title)} caractères")
    assert "field-count--over" in count.get_attribute("class")
    assert page.locator(".share-card__title").inner_text() == long_title
    page.fill("#id_standfirst", "Une phrase courte.")
    assert page.locator(".share-card__description").inner_text() == "Une phrase courte."
    assert "field-count--over" not in page.locator("#id_standfirst-count").get_attribute("class")
    screenshot(page, "newsdesk-share-card")
    # Saved: the page's autosave has nothing left to send when the browser closes it.
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")


def test_text_pasted_from_word_keeps_its_shape(live_server, open_context):
    journalist = make_user("sophie", group="Journalists")
    story = make_article(title="Le port", body="", authors=[journalist])
    page = open_context()
    log_in(page, live_server.url, "sophie")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    word = (Path(__file__).parents[1] / "articles" / "clipboard" / "word.html").read_text()
    page.focus("#id_body")
    # What Word puts on the clipboard, pasted as the browser pastes it.
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Le port relance ses croisières");
            document.getElementById("id_body").dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        word,
    )
    page.locator(".story-editor__preview h2", has_text="Ce qui change").wait_for()
    body = page.input_value("#id_body")
    assert "**douze escales**" in body and "- Un quai rénové" in body and "Mso" not in body
    assert page.locator(".story-editor__preview strong", has_text="douze escales").count() == 1
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
