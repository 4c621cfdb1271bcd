"""The writing screen, in Chromium: a journalist drops an image in the text, describes it
where it was dropped, sees it in the preview, saves, and readers see the figure; a tab closed before saving
loses nothing; a text pasted from Word keeps its shape."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from articles.models import Article, BodyImage
from tests.e2e.staff import log_in, story_text
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def photo(path):
    image = Image.new("RGB", (1800, 1000), (30, 110, 160))
    buffer = BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


DROP_PHOTO = """async ([x, y]) => {
    const canvas = document.createElement("canvas");
    canvas.width = 1800;
    canvas.height = 1000;
    const context = canvas.getContext("2d");
    context.fillStyle = "#1e6ea0";
    context.fillRect(0, 0, 1800, 1000);
    const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg"));
    const data = new DataTransfer();
    data.items.add(new File([blob], "quai.jpg", { type: "image/jpeg" }));
    const text = document.querySelector(".field-body .tiptap");
    text.dispatchEvent(new DragEvent("drop", {
        dataTransfer: data, clientX: x, clientY: y, bubbles: true, cancelable: true }));
}"""


def test_a_journalist_drops_an_image_in_the_text(
    live_server, open_context, screenshot, handbook_shot
):
    """From the empty add form: the story written, a photo dropped into it before its first
    save, described where it went, published with it."""
    make_user("camille", group="Journalists", first_name="Camille")
    page = open_context()
    log_in(page, live_server.url, "camille")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Le quai neuf du port")
    page.fill("#id_standfirst", "Livré en mars.")
    story_text(page).click()
    page.keyboard.type("Premier paragraphe du récit.")
    page.keyboard.press("Enter")
    page.keyboard.type("Dernier paragraphe.")
    page.select_option("#id_status", "published")  # the byline is hers already

    # A photo dropped at the end of the first paragraph: the dialog asks for its
    # description there; without one, it says so and nothing is stored.
    first = story_text(page).locator("p", has_text="Premier paragraphe")
    box = first.bounding_box()
    page.evaluate(DROP_PHOTO, [box["x"] + box["width"] - 2, box["y"] + box["height"] - 4])
    dialog = page.locator("#body-image-dialog")
    dialog.wait_for()
    page.locator("#body-image-preview").wait_for()
    assert page.evaluate("document.activeElement.id") == "body-image-alt"
    page.click("#body-image-send")
    status = page.locator("#body-image-status")
    status.get_by_text("Description de l’image").wait_for()
    assert "obligatoire" in status.inner_text()
    assert not BodyImage.objects.exists()

    page.fill("#body-image-alt", "Un quai de chargement au petit matin")
    page.fill("#body-image-caption", "Le nouveau quai, livré en mars")
    page.fill("#body-image-credit", "Léa Martin")
    screenshot(page, "newsdesk-image-dropped")
    handbook_shot(page, "redaction-image")
    page.click("#body-image-send")
    figure = story_text(page).locator("figure.story-image img")
    figure.wait_for(timeout=30_000)  # the upload makes three WebP renditions first
    image = BodyImage.objects.get()
    assert figure.get_attribute("alt") == "Un quai de chargement au petit matin"
    assert re.fullmatch(
        rf'<p>Premier paragraphe du récit\.</p><figure data-image="{image.pk}"></figure>'
        r"<p>Dernier paragraphe\.</p>",
        page.input_value("#id_body"),
    )
    page.locator(".story-editor__preview figure img").wait_for()
    assert (
        page.locator(".story-editor__preview figcaption").inner_text().startswith("Le nouveau quai")
    )
    # The toolbar's image button opens the same dialog, for the keyboard; Escape closes it.
    page.get_by_role("button", name=re.compile(r"^Image \(")).click()
    dialog.wait_for()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")

    # Saved and left for the list: a story form left open would say "I left" to the
    # server as the test ends, after its database is gone.
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    story = Article.objects.get()
    assert list(story.body_images.all()) == [image]  # the story's now
    reader = open_context(width=360)
    reader.goto(live_server.url + story.get_absolute_url())
    shown = reader.locator(".story__figure img")
    assert shown.get_attribute("alt") == "Un quai de chargement au petit matin"
    assert shown.evaluate("img => img.complete && img.naturalWidth > 0")
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
    story_text(page).click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Le second paragraphe, écrit juste avant la panne.")
    page.close(run_before_unload=True)  # the tab closed: the page's beacon keeps the text

    page = open_context()
    log_in(page, live_server.url, "camille")
    page.goto(change)
    notice = page.locator(".autosave-notice")
    notice.wait_for()
    screenshot(page, "newsdesk-autosave-offered")
    page.get_by_role("link", name="Les restaurer").click()
    page.wait_for_url("**restaurer=1")
    assert "écrit juste avant la panne" in story_text(page).inner_text()
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
    story_text(page).click()
    # What Word puts on the clipboard, pasted as the browser pastes it.
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "Le port relance ses croisières");
            document.querySelector(".field-body .tiptap").dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        word,
    )
    page.locator(".story-editor__preview h2", has_text="Ce qui change").wait_for()
    body = page.input_value("#id_body")
    assert "<strong>douze escales</strong>" in body and "<li><p>Un quai rénové" in body
    assert "Mso" not in body and "style" not in body and "<span" not in body
    assert page.locator(".story-editor__preview strong", has_text="douze escales").count() == 1
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")


def test_a_journalist_writes_illustrates_and_publishes_on_a_phone(
    live_server, open_context, tmp_path
):
    """At 360 px, with the toolbar rather than shortcuts: an intertitle, bold, a list, an
    image chosen with the image button, published; readers see the text as written."""
    make_user("lea", group="Journalists", first_name="Léa")
    page = open_context(width=360, height=780)
    log_in(page, live_server.url, "lea")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Trois grues neuves au terminal")
    page.fill("#id_standfirst", "Elles arrivent de Shanghai.")
    bar = page.get_by_role("toolbar", name="Mise en forme du texte")
    story_text(page).click()
    page.keyboard.type("Le port attendait ses grues depuis deux ans.")
    page.keyboard.press("Enter")
    page.locator(".prose-menubar__selected").click()  # the paragraph menu
    page.get_by_role("button", name="Intertitre", exact=True).click()
    page.keyboard.type("Un chantier de six mois")
    page.keyboard.press("Enter")
    bar.get_by_role("button", name="Liste à puces (Ctrl+Maj+8)").click()
    page.keyboard.type("Montage en mars")
    page.keyboard.press("Enter")
    bar.get_by_role("button", name="Gras (Ctrl+B)").click()
    page.keyboard.type("Essais en mai")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    bar.get_by_role("button", name=re.compile(r"^Image \(")).click()
    page.set_input_files("#body-image-file", str(photo(tmp_path / "grues.jpg")))
    page.fill("#body-image-alt", "Trois grues bleues sur le quai")
    page.click("#body-image-send")
    story_text(page).locator("figure.story-image img").wait_for(timeout=30_000)
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")

    story = Article.objects.get()
    reader = open_context(width=360, height=780)
    reader.goto(live_server.url + story.get_absolute_url())
    text = reader.locator(".story__body")
    assert text.locator("h2").inner_text() == "Un chantier de six mois"
    assert text.locator("li").all_inner_texts() == ["Montage en mars", "Essais en mai"]
    assert text.locator("li strong").inner_text() == "Essais en mai"
    assert (
        text.locator(".story__figure img").get_attribute("alt") == "Trois grues bleues sur le quai"
    )
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
