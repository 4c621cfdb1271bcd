"""The demo's comments, in every state, added when the stories' demo is loaded
(articles.signals.demo_loaded, connected in comments.apps)."""

from articles.models import Article

from .models import Comment
from .services import comment_approve, comment_reject, comment_submit

# (story slug prefix, name, email, text, decision: "approve", "reject" or None for pending)
COMMENTS = [
    (
        "provence-montreal",
        "Martine B.",
        "martine.b@example.org",
        "Enfin une mission qui vient avec des chiffres précis et un objectif mesurable. "
        "On jugera sur les trois implantations promises.",
        "approve",
    ),
    (
        "provence-montreal",
        "Yacine",
        "yacine@example.org",
        "Chef d'entreprise à Vitrolles, j'ai participé à la mission de l'an dernier à Boston.\n"
        "Les rendez-vous étaient bien préparés, mais le suivi après le retour a manqué.",
        "approve",
    ),
    (
        "provence-montreal",
        "Un contribuable",
        "contribuable@example.org",
        "Combien coûte ce voyage de trente personnes ? Ce serait bien de le publier aussi.",
        None,
    ),
    (
        "une-pme-de-la-ciotat",
        "Jean-Luc Marin",
        "jl.marin@example.org",
        "Bravo à toute l'équipe ! Les chantiers de La Ciotat reviennent de loin.",
        "approve",
    ),
    (
        "une-pme-de-la-ciotat",
        "Bonnes affaires",
        "promo@spam.example",
        "Gagnez de l'argent vite : https://spam.example/1 https://spam.example/2 https://spam.example/3",
        None,
    ),
    (
        "aeronautique-un-sous-traitant",
        "Claire",
        "claire@example.org",
        "Le lycée de mon fils propose justement cette formation en alternance. Très bonne nouvelle.",
        None,
    ),
    (
        "french-tech-cinq-start-up",
        "Anonyme",
        "anonyme@example.org",
        "Encore de l'argent public pour des voyages…",
        "reject",
    ),
]


def add_demo_comments(sender, *, users, **kwargs) -> str:
    """Comments in every state, on stories that have none from the same address yet."""
    moderator = users["moderation"]
    decisions = {"approve": comment_approve, "reject": comment_reject}
    created = 0
    for prefix, name, email, body, decision in COMMENTS:
        article = Article.objects.get(slug__startswith=prefix)
        if Comment.objects.filter(article=article, email=email).exists():
            continue
        comment = comment_submit(article=article, name=name, email=email, body=body, ip_address="")
        if decision:
            decisions[decision](comment=comment, moderator=moderator)
        created += 1
    return f"{created} new comments"
