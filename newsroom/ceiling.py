"""The benchmark's ceiling: the story page's own templates, rendered from constants.

Mounted only when BENCH_CEILING_VIEW is set. It renders templates/bench/ceiling.html,
which extends the real story template and fills the blocks that would read the database
or the cache (tag menu, related stories, comments, sidebar) with the same partial
templates fed constants. It measures what the framework itself costs on this machine for
a page of the story page's size and shape (middleware, template engine, response), with
no query and no cache, so that each page's figures can be read as a fraction of it; and
it cannot drift from the story page, since it is that page.
"""

import functools
from datetime import timedelta

from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone

PARAGRAPH = (
    "Les entreprises de la région multiplient les initiatives pour conquérir de nouveaux "
    "marchés, soutenues par les collectivités et les réseaux d'accompagnement. Les élus "
    "insistent sur la rapidité des procédures, la disponibilité du foncier et la formation "
    "des salariés, trois conditions qu'ils jugent décisives pour convaincre les investisseurs."
)
COMMENTS = 50
TAGS = ["Aéronautique", "Attractivité", "Export", "French Tech", "International", "Maritime"]


def body_markdown():
    """A story body of the usual length: paragraphs, intertitles, attributed quotes (the
    benchmark's stories have this body too)."""
    parts = []
    for n in range(4):
        parts += [PARAGRAPH, PARAGRAPH, f"## Intertitre numéro {n + 1}", PARAGRAPH]
        parts.append(
            "> « Nous voulons aller plus vite que nos concurrents européens. »\n"
            "> — Claire Martin, présidente de l'agence de développement"
        )
    return "\n\n".join(parts)


@functools.cache
def _constants():
    from articles.models import Article
    from articles.rendering import render_body
    from comments.forms import CommentForm

    published = timezone.now() - timedelta(minutes=10)
    article = Article(
        pk=1,
        title="L'hydrogène vert : Marseille avance, épisode 1",
        slug="bench-story",
        standfirst="À Marseille, l'hydrogène vert mobilise élus et entreprises : chiffres, "
        "acteurs et calendrier du projet.",
        body_html=render_body(body_markdown()),
        image="articles/bench.jpg",
        image_alt="Illustration",
        image_credit="Newsroom",
        image_renditions=[
            [480, 270, "renditions/bench-480.webp"],
            [960, 540, "renditions/bench-960.webp"],
            [1600, 900, "renditions/bench-1600.webp"],
        ],
        status=Article.Status.PUBLISHED,
        published_at=published,
        updated_at=published,
    )
    article.tag_data = [[1, "French Tech", "french-tech"], [2, "International", "international"]]
    article.byline_data = [[1, "Camille", "Roux", "camille"]]
    stories = [
        {"title": f"Une autre histoire, épisode {n}", "url": f"/articles/histoire-{n}/"}
        for n in range(2, 7)
    ]
    comments = [
        {
            "pk": n,
            "name": f"Lecteur {n}",
            "iso": published.isoformat(),
            "when": "27 novembre 2026 10:15",
            "text_html": "Un avis argumenté sur ce sujet, numéro 1. Les chiffres annoncés "
            "méritent d'être suivis de près dans les prochains mois.",
        }
        for n in range(COMMENTS)
    ]
    return {
        "article": article,
        "object": article,
        "menu": [{"name": name, "url": f"/tags/{n}/"} for n, name in enumerate(TAGS)],
        "related": [{**s, "published_at": published} for s in stories[:3]],
        "most_read": [{**s, "count": 1000 - n} for n, s in enumerate(stories)],
        "most_commented": [{**s, "count": 100 - n} for n, s in enumerate(stories)],
        "comments": comments,
        "form": CommentForm(article=article, with_tokens=False),
    }


def ceiling(request):
    from articles.metadata import news_article_jsonld, share_image

    constants = _constants()
    article = constants["article"]
    context = {
        **constants,
        "canonical_url": request.build_absolute_uri(article.get_absolute_url()),
        "share_image": share_image(article, request),
        "jsonld": news_article_jsonld(article, request),
        "comments_html": render_to_string(
            "comments/list.html", {"comments": constants["comments"]}
        ),
    }
    return TemplateResponse(request, "bench/ceiling.html", context)
