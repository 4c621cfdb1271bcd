"""Accessibility as a tested property (docs/accessibility.md): axe-core finds no serious or
critical violation on any public page, in French and English, at 360 and 1280 px; and the
comment loop works with the keyboard alone, with a visible focus on every field."""

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.factories import make_article, make_comment, make_tag

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site():
    export = make_tag("Export")
    story = make_article(
        title="Provence – Montréal : une mission économique",
        body="Intro.\n\n## Séduire\n\n> « Venez. »\n> — Ana Lima, maire\n\n- un\n- deux",
        tags=[export],
    )
    for n in range(3):
        make_article(title=f"Une PME exporte, épisode {n}", tags=[export])
    picked = make_comment(story, name="Martine", body="Un avis utile.\nSur deux lignes.")
    # One of the newsroom's picks: the section shows its box, its badge and the orders.
    Comment.objects.filter(pk=picked.pk).update(picked_at=timezone.now())
    make_comment(story, status=Comment.Status.PENDING)
    return story, export


def violations(page, axe_source):
    # Evaluated by the browser's debugging protocol: the page's CSP forbids inline scripts.
    page.evaluate(axe_source)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return found


def comment_refused(page, url):
    page.goto(url)
    page.fill("#id_name", "Lecteur")
    page.fill("#id_email", "pas-une-adresse")
    page.fill("#id_body", "Trop court pour être refusé, mais l'adresse l'est.")
    page.click("#comment-form [type=submit]")
    page.wait_for_selector("#error-summary")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("width", [360, 1280])
def test_public_pages_have_no_serious_accessibility_violation(
    live_server, open_context, axe_source, site, language, width
):
    story, export = site
    page = open_context(width=width, language=language)
    pages = {
        "home": reverse("articles:index"),
        "story": story.get_absolute_url(),
        "story, oldest comments first": story.get_absolute_url() + "?ordre=anciens",
        "story, the newsroom's picks": story.get_absolute_url() + "?ordre=selection",
        "tag": export.get_absolute_url(),
        "search": reverse("articles:search") + "?q=export",
        "search, nothing found": reverse("articles:search") + "?q=cosmonaute",
        "not found": "/articles/nulle-part/",
        "write to the newsroom": reverse("letters:write", args=[story.slug]),
        "report a comment": reverse("comments:flag", args=[story.comments.approved().get().pk]),
    }
    found = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        found[name] = violations(page, axe_source)
    comment_refused(page, live_server.url + story.get_absolute_url())
    found["comment refused"] = violations(page, axe_source)
    assert {name: v for name, v in found.items() if v} == {}


def _contrast(page, selector):
    """The contrast between an element's focus outline and what is behind it."""
    return page.evaluate(
        """(selector) => {
        const el = document.querySelector(selector);
        const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => {
            const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        let back = el.parentElement;
        while (back && getComputedStyle(back).backgroundColor === 'rgba(0, 0, 0, 0)') back = back.parentElement;
        const a = lum(rgb(getComputedStyle(el).outlineColor));
        const b = lum(rgb(back ? getComputedStyle(back).backgroundColor : 'rgb(255,255,255)'));
        const style = getComputedStyle(el);
        return {width: parseFloat(style.outlineWidth), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
    }""",
        selector,
    )


def test_comment_loop_with_the_keyboard_alone_shows_where_the_focus_is(
    live_server, open_context, site
):
    story, _export = site
    page = open_context()
    page.goto(live_server.url + story.get_absolute_url())
    visited = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(e => (e.closest('.story') ? 'story ' : '') + (e.getAttribute('href') || e.id))"
            "(document.activeElement)"
        )
        visited.append(focused)
        if focused.endswith("id_name"):
            break
    assert visited[-1] == "story id_name"
    # The story's tags are passed once, not twice.
    assert visited.count("story " + reverse("articles:tag", args=["export"])) == 1
    for field in ("#id_name", "#id_email", "#id_body"):
        page.focus(field)
        focus = _contrast(page, field)
        assert focus["width"] >= 2 and focus["ratio"] >= 3, (field, focus)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_editors_desk_pages_have_no_serious_accessibility_violation(
    live_server, open_context, axe_source, site, width
):
    from letters.models import ReaderMessage
    from tests.factories import make_user

    story, _export = site
    make_user("cheffe", group="Editors")
    ReaderMessage.objects.create(
        article=story, kind="question", name="Marc", email="marc@example.org", body="Quand ?"
    )
    page = open_context(width=width)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "cheffe")
    page.fill("#id_password", "correct horse battery staple")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")
    found = {}
    for path in (
        # First: the story form says "I left" when the next page opens, not as the test ends.
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:dashboard"),
        reverse("admin:comments_comment_queue") + "?show=reported",
        reverse("admin:letters_readermessage_changelist"),
        reverse("admin:comments_comment_change", args=[story.comments.approved().get().pk]),
    ):
        page.goto(live_server.url + path)
        found[path] = violations(page, axe_source)
        if "/change/" in path and "articles" in path:
            # The body's editor ready, then its image dialog open, as a keyboard opens it.
            page.locator(".field-body .tiptap").wait_for()
            page.locator(".prose-menubar [data-name=storyImage]").press("Enter")
            page.locator("#body-image-dialog").wait_for()
            found[path + " (image dialog)"] = violations(page, axe_source)
            page.keyboard.press("Escape")
    assert {path: v for path, v in found.items() if v} == {}, found
