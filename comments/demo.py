"""The demo's comments, in every state, added when the stories' demo is loaded
(articles.signals.demo_loaded, connected in comments.apps); with `load_demo --comments N`,
a story with N published comments, to try a long comment section."""

import itertools
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from newsroom.cache import story_changed

from .models import Comment
from .services import comment_approve, comment_pick, comment_reject, comment_submit
from .services.rules import _body_hash

# The story that gets the long comment section, and the readers' address domain there.
LONG_STORY = "provence-montreal"
LONG_DOMAIN = "lecteurs.example"

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


# The newsroom's picks among them: (story slug prefix, author's address).
PICKS = [("provence-montreal", "yacine@example.org")]


def add_demo_comments(sender, *, users, comments=0, **kwargs) -> str:
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
            if (prefix, email) in PICKS:
                comment_pick(comment=comment, person=users["redaction"])
        created += 1
    said = f"{created} new comments"
    if comments:
        added = add_long_section(Article.objects.get(slug__startswith=LONG_STORY), comments, users)
        said += f", {added} more on one story (asked: {comments} there)"
    return said


# A long comment section's texts: each comment joins an opening, a point and an ending,
# so that two neighbours rarely read the same.
OPENINGS = [
    "Je vis à Marseille depuis vingt ans.",
    "Chef d'entreprise dans le Var, je suis ce dossier de près.",
    "Intéressant, mais une question reste ouverte.",
    "Merci pour cet article détaillé.",
    "Je ne partage pas l'optimisme ambiant.",
    "Salariée d'une PME exportatrice, je confirme en partie.",
    "On en parle beaucoup au conseil de quartier.",
    "Ancien élu municipal, je nuancerais.",
]
POINTS = [
    "Les annonces sont nombreuses, les emplois promis arrivent plus lentement.",
    "Le vrai sujet reste le logement des salariés près des zones d'activité.",
    "Sans liaison ferroviaire digne de ce nom, les entreprises hésiteront.",
    "Les petites entreprises ont besoin d'interlocuteurs stables, pas de slogans.",
    "La formation en alternance fait la différence sur le terrain.",
    "Les chiffres de l'an dernier méritaient d'être rappelés.",
    "Il faudrait publier le coût total pour les collectivités.",
    "Le port a des atouts que d'autres régions nous envient.",
    "Les jeunes diplômés partent encore trop souvent à Lyon ou à Paris.",
    "La coopération avec les universités avance, lentement mais sûrement.",
]
ENDINGS = [
    "On en reparlera dans un an.",
    "À suivre de près.",
    "Espérons que le suivi sera au rendez-vous.",
    "Bravo à ceux qui s'y engagent.",
    "",
    "Qu'en pensent les syndicats ?",
]
FIRST_NAMES = ["Amandine", "Bruno", "Chloé", "Driss", "Élodie", "Fabrice", "Gaëlle", "Hugo"]
REPLY_EVERY = 6
LONG_PICKS = 6


def add_long_section(article, wanted: int, users) -> int:
    """Make `article` have `wanted` published comments from demo readers (threads, every
    REPLY_EVERY-th a reply, a few picks), spread over the hours before now; adds only
    what is missing. Written in bulk: a demo, not readers' forms."""
    mine = article.comments.filter(email__endswith="@" + LONG_DOMAIN)
    missing = wanted - mine.count()
    if missing <= 0:
        return 0
    moderator = users["moderation"]
    now = timezone.now()
    texts = itertools.cycle(itertools.product(OPENINGS, POINTS, ENDINGS))
    start = max(article.published_at, now - timedelta(days=2))
    step = (now - start) / (missing + 1)
    rows = []
    for n in range(missing):
        body = " ".join(part for part in next(texts) if part)
        name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {chr(65 + n % 26)}."
        rows.append(
            Comment(
                article=article,
                name=name,
                email=f"lecteur{n}@{LONG_DOMAIN}",
                body=body,
                body_hash=_body_hash(body),
                status=Comment.Status.APPROVED,
                moderated_by=moderator,
                moderated_at=now,
            )
        )
    with transaction.atomic():
        made = Comment.objects.bulk_create(rows, batch_size=500)
        threads = []
        for n, comment in enumerate(made):
            comment.created_at = start + step * (n + 1)
            if n % REPLY_EVERY == REPLY_EVERY - 1 and threads:
                comment.parent = threads[-(n % 7) % len(threads) - 1]
            else:
                threads.append(comment)
        # auto_now_add set every row's time to now: each gets its own again.
        Comment.objects.bulk_update(made, ["created_at", "parent"], batch_size=500)
        step_picks = max(1, len(made) // LONG_PICKS)
        for comment in made[::step_picks][:LONG_PICKS]:
            comment_pick(comment=comment, person=users["redaction"])
        story_changed(article.pk)
    return len(made)
