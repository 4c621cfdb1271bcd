"""Bodies move from Markdown to the editor's HTML (migration articles 0020) without loss:
every demo story, and bodies with what Markdown allowed (quotations with their attribution
either way, lists, links, code, a figure), stored as Markdown and rendered as the site did
before the editor, migrate to HTML that renders to the very same page. Autosaves and the
history's revisions move too. The editor's own ways of writing an attribution are marked."""

import json
from types import SimpleNamespace

import markdown
import pytest
from django.utils import timezone

from articles import demo
from articles.rendering import NewsroomExtension, for_readers, is_html, render_body
from tests.test_migrations import latest, migrate

FIGURE = SimpleNamespace(
    renditions=[(480, 270, "renditions/quai-480.webp"), (960, 540, "renditions/quai-960.webp")],
    alt="Un quai au petit matin",
    caption="Le nouveau quai",
    credit_line=lambda language: "Photo : Léa Martin",
)
IMAGES = {7: FIGURE}

EDGES = [
    "> Une citation.\n> — Marie Curie, physicienne",
    "> Une citation sur\n> deux lignes.\n>\n> -- Jean *Dupont*, maire",
    "> Sans auteur.",
    '# Un titre de niveau un\n\n#### Un de niveau quatre\n\nDu `code`, [un lien](https://example.org "titre").',
    "1. un\n2. deux\n\n- a\n- b\n\n---\n\n    un bloc\n    de code",
    "Avant.\n\n[[image 7]]\n\nAprès, 12 000 € l'an ; « vraiment » ?",
    "Une ligne  \ncassée, & un <span style='color:red'>style</span> <script>x()</script>.",
]


def before_the_editor(source, french):
    """The page as the Markdown body made it before the editor: Markdown's own tree (with
    the attribution marked by the extension of then), then the readers' steps."""
    html = markdown.markdown(source, extensions=[NewsroomExtension(), "sane_lists"])
    return for_readers(html, french, IMAGES)


@pytest.mark.django_db(transaction=True)
def test_every_body_renders_the_same_page_after_the_move_to_html():
    bodies = [story[4] for story in demo.STORIES]
    bodies += [demo.DRAFT_STORY[4], demo.SCHEDULED_STORY[4], *EDGES]
    head = latest()
    try:
        old = migrate(
            [
                ("articles", "0019_autosave"),
                ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
                ("contenttypes", "0002_remove_content_type_name"),
                ("auth", "0012_alter_user_first_name_max_length"),
            ]
        )
        Article = old.get_model("articles", "Article")
        now = timezone.now()
        rows = []
        for n, body in enumerate(bodies):
            language = "en" if n == len(bodies) - 1 else "fr"
            page = before_the_editor(body, language == "fr")
            story = Article.objects.create(
                title=f"Article {n}",
                slug=f"article-{n}",
                standfirst="Chapô.",
                body=body,
                body_html=page,
                language=language,
                status="published",
                published_at=now,
            )
            rows.append((story.pk, language, page))
        user = old.get_model("auth", "User").objects.create(username="camille")
        old.get_model("articles", "Autosave").objects.create(
            article_id=rows[0][0], user=user, body="Un *brouillon*.\n\n## Suite"
        )
        story_type = old.get_model("contenttypes", "ContentType").objects.get(
            app_label="articles", model="article"
        )
        revision = old.get_model("reversion", "Revision").objects.create(date_created=now)
        old.get_model("reversion", "Version").objects.create(
            revision=revision,
            object_id=str(rows[0][0]),
            content_type=story_type,
            db="default",
            format="json",
            serialized_data=json.dumps(
                [{"model": "articles.article", "pk": rows[0][0], "fields": {"body": "**Gras**"}}]
            ),
            object_repr="Article 0",
        )

        new = migrate([*head, ("reversion", "0002_add_index_on_version_for_content_type_and_db")])
        Article = new.get_model("articles", "Article")
        for pk, language, page in rows:
            story = Article.objects.get(pk=pk)
            assert is_html(story.body), story.body
            assert story.body_html == page  # what readers get was not touched
            rendered = render_body(story.body, french_typography=language == "fr", images=IMAGES)
            assert rendered == page, story.body
        assert "<footer>Marie Curie, physicienne</footer>" in Article.objects.get(
            slug=f"article-{len(bodies) - len(EDGES)}"
        ).body_html.replace("\u202f", " ")
        assert "<script" not in "".join(Article.objects.values_list("body", flat=True))
        autosave = new.get_model("articles", "Autosave").objects.get()
        assert autosave.body == "<p>Un <em>brouillon</em>.</p>\n<h2>Suite</h2>"
        version = new.get_model("reversion", "Version").objects.get()
        assert json.loads(version.serialized_data)[0]["fields"]["body"] == (
            "<p><strong>Gras</strong></p>"
        )
    finally:
        migrate(head)


@pytest.mark.parametrize(
    "typed",
    [
        "<blockquote><p>On ira vite.</p><p>— Léa Martin, maire</p></blockquote>",
        "<blockquote><p>On ira vite.<br>— Léa Martin, maire</p></blockquote>",
        "<blockquote><p>On ira vite.</p><p>-- Léa Martin, maire</p></blockquote>",
    ],
)
def test_an_attribution_typed_in_the_editor_is_the_quotations_footer(typed):
    assert render_body(typed) == (
        "<blockquote><p>On ira vite.</p><footer>Léa Martin, maire</footer></blockquote>"
    )


def test_a_dash_inside_a_quotation_is_not_an_attribution():
    typed = "<blockquote><p>— Non, dit-il.</p></blockquote>"
    assert render_body(typed) == typed


def test_an_image_line_without_a_number_is_text_not_an_error():
    assert render_body("<p>[[image  ]]</p>", images={}) == "<p>[[image  ]]</p>"


HOSTILE = (
    '<p onclick="steal()" style="color:red" class="x">Texte <a href="javascript:alert(1)">ici</a>'
    ' et <a href="https://example.org" target="_blank" onmouseover="x()">là</a></p>'
    '<script>alert(1)</script><img src=x onerror="alert(1)"><figure data-image="9" '
    'onload="x()"><img src="https://evil.example/x.png"></figure><iframe src="//x"></iframe>'
)


@pytest.mark.django_db
def test_the_stored_body_keeps_no_script_handler_style_or_javascript_link(client):
    """A hand-built POST (the editor never sends this): the allow-list stores the text."""
    from articles.models import Article
    from tests.articles.test_newsdesk import change_url, form_data
    from tests.factories import make_article, make_user

    journalist = make_user("camille", group="Journalists")
    client.force_login(journalist)
    story = make_article(authors=[journalist], body="Avant.")
    response = client.post(change_url(story), form_data(client, story, body=HOSTILE))
    assert response.status_code == 200  # figure 9 is not this story's: said in the form
    assert "image" in response.context["adminform"].form.errors["body"][0]
    response = client.post(
        change_url(story), form_data(client, story, body=HOSTILE.replace(' data-image="9"', ""))
    )
    assert response.status_code == 302
    story = Article.objects.get(pk=story.pk)
    assert story.body == (
        '<p>Texte <a>ici</a> et <a href="https://example.org">là</a></p><figure></figure>'
    )
    assert (
        story.body_html
        == '<p>Texte <a rel="noopener noreferrer">ici</a> et <a href="https://example.org" rel="noopener noreferrer">là</a></p>'
    )
    page = client.get(story.get_absolute_url()).content.decode()
    for absent in ("steal()", "alert(1)", "onmouseover", "evil.example", "<iframe", "color:red"):
        assert absent not in page, absent
