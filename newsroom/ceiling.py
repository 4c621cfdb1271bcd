"""The benchmark's ceiling: the story page as rendered, served again from constants.

bench/run.py renders the real story page of the benchmark database once at start-up and
turns it into a template (template_from_page); with BENCH_CEILING_TEMPLATE set to that
file, /bench/ceiling/ serves it through the same middleware and template engine, with no
query and no cache. It measures what the framework itself costs on this machine for a
page of the story page's size and shape, so that each page's figures can be read as a
fraction of it; and since it is made from the page at every run, it cannot drift.
"""

import functools
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

PARAGRAPH = (
    "Les entreprises de la région multiplient les initiatives pour conquérir de nouveaux "
    "marchés, soutenues par les collectivités et les réseaux d'accompagnement. Les élus "
    "insistent sur la rapidité des procédures, la disponibilité du foncier et la formation "
    "des salariés, trois conditions qu'ils jugent décisives pour convaincre les investisseurs."
)
COMMENT = (
    "Un avis argumenté sur ce sujet. Les chiffres annoncés méritent d'être suivis de près "
    "dans les prochains mois."
)
COMMENTS = 50
_LIST_START = '<ol class="comment-list comment-list--all">'


def body_markdown():
    """A story body of the usual length: paragraphs, intertitles, attributed quotes (every
    benchmark story has this body)."""
    parts = []
    for n in range(4):
        parts += [PARAGRAPH, PARAGRAPH, f"## Intertitre numéro {n + 1}", PARAGRAPH]
        parts.append(
            "> « Nous voulons aller plus vite que nos concurrents européens. »\n"
            "> — Claire Martin, présidente de l'agence de développement"
        )
    return "\n\n".join(parts)


def template_from_page(html: str) -> str:
    """A template source from a rendered story page: the page as it is, except its list of
    comments, which the template engine renders from constants as it renders the page's."""
    start = html.index(_LIST_START) + len(_LIST_START)
    end = html.index("</ol>", start)

    def verbatim(text):
        return "{% verbatim %}" + text + "{% endverbatim %}"

    return (
        verbatim(html[:start])
        + '{% include "comments/list.html" with comments=comments open=True picks=False only %}'
        + verbatim(html[end:])
    )


@functools.cache
def _template():
    source = Path(settings.BENCH_CEILING_TEMPLATE).read_text()
    return engines["django"].from_string(source)


@functools.cache
def _comments():
    when = timezone.localtime(timezone.now() - timedelta(days=1))
    return [
        {
            "pk": n,
            "name": f"Lecteur {n}",
            "iso": when.isoformat(),
            "when": formats.date_format(when, "DATETIME_FORMAT"),
            "text_html": COMMENT,
            # Every name the comment templates look up: a missing one costs the template
            # engine a failed lookup each time, which a real comment never does.
            "erased_at": None,
            "is_newsroom_answer": False,
            "parent_name": "",
            "picked_at": None,
            "answers": (),
        }
        for n in range(COMMENTS)
    ]


@functools.cache
def _page(language):
    """The page rendered once per language, its 50 comments through the real comment
    templates. Rendering them at every request would measure those templates (8 ms since
    comments have replies and answers), which the story page never pays: it keeps its
    comment list rendered."""
    return mark_safe(_template().render({"comments": _comments()}))  # noqa: S308 (our template)


@functools.cache
def _frame():
    return engines["django"].from_string("{{ page }}")


def ceiling(request):
    """Still a template response, through the same engine and middleware."""
    return TemplateResponse(request, _frame(), {"page": _page(get_language())})
