"""The benchmark's ceiling: a page as large as a story page, from constants, with no query.

Mounted only when BENCH_CEILING_VIEW is set; it measures what the framework itself costs
on this machine (middleware, template engine, response), so that each page's figures can
be read as a fraction of it.
"""

from django.template.response import TemplateResponse

PARAGRAPH = (
    "Les entreprises de la région multiplient les initiatives pour conquérir de nouveaux "
    "marchés, soutenues par les collectivités et les réseaux d'accompagnement."
)
CONTEXT = {
    "title": "Une page de la taille d'un article, faite de constantes",
    "paragraphs": [PARAGRAPH] * 36,
    "comments": [
        {
            "id": n,
            "name": f"Lecteur {n}",
            "iso": "2026-11-27T10:15:06.667037+01:00",
            "when": "27 novembre 2026 10:15",
            "body": "Un avis argumenté sur ce sujet. Les chiffres annoncés méritent d'être "
            "suivis de près dans les prochains mois, entreprise par entreprise.",
        }
        for n in range(50)
    ],
    "links": [f"/articles/histoire-{n}/" for n in range(20)],
}


def ceiling(request):
    return TemplateResponse(request, "bench/ceiling.html", CONTEXT)
