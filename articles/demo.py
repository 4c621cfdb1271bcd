"""Demo content: original stories written for this project, and the pictures that go with them."""

import random
from io import BytesIO

from PIL import Image, ImageDraw

TAGS = [
    (
        "Attractivité",
        "attractivite",
        "Implantations d'entreprises, investissements étrangers et image du territoire.",
    ),
    (
        "Export",
        "export",
        "Les entreprises de la région qui vendent à l'étranger, et celles qui s'y préparent.",
    ),
    (
        "French Tech",
        "french-tech",
        "Le label, ses start-up et les réseaux qui les font grandir.",
    ),
    (
        "International",
        "international",
        "Missions économiques, délégations et partenariats au-delà des frontières.",
    ),
    ("Start-up", "start-up", "Jeunes pousses, levées de fonds et incubateurs."),
    (
        "Aéronautique",
        "aeronautique",
        "L'aéronautique et le spatial, des grands donneurs d'ordre aux sous-traitants.",
    ),
    (
        "Maritime",
        "maritime",
        "Ports, chantiers navals, logistique et économie de la mer.",
    ),
    ("Tourisme", "tourisme", "Tourisme de loisirs et d'affaires, congrès et salons."),
]

JOURNALISTS = [
    ("camille", "Camille", "Arnaud"),
    ("julien", "Julien", "Ferrand"),
    ("sophie", "Sophie", "Lemaire"),
]

FULL_STORY_BODY = """\
Ils étaient une trentaine à embarquer lundi matin : élus de la métropole, dirigeants de PME, responsables de pôles de compétitivité et deux présidents d'université. Destination Montréal, puis Toronto, pour une semaine de rendez-vous serrés avec des fonds d'investissement, des industriels et des laboratoires. L'objectif affiché tient en une phrase : faire de la Provence la porte d'entrée naturelle des entreprises nord-américaines en Europe du Sud.

Le déplacement n'a rien d'improvisé. Depuis dix-huit mois, l'Agence Sud Attractivité tient la liste des entreprises canadiennes qui cherchent un site européen, et en a retenu quarante-deux à rencontrer. Son budget de prospection internationale, **4,2 millions d'euros** cette année, a augmenté de 15 % en deux ans.

## Séduire, puis rassurer

La première partie du voyage consiste à séduire. Le climat, la qualité de vie et les liaisons aériennes font d'ordinaire bonne impression. La seconde, plus technique, consiste à rassurer : délais d'obtention des permis, disponibilité du foncier, coût de l'énergie, recrutement.

> « Un investisseur ne choisit pas un territoire pour son soleil. Il le choisit parce qu'il est certain d'y ouvrir son usine à la date prévue, avec les compétences dont il a besoin. »
> — Mathilde Sauvan, vice-présidente de la métropole déléguée au développement économique

Pour répondre à ces inquiétudes, la délégation emporte un dossier qui recense 180 hectares de terrains immédiatement disponibles et un guichet unique promettant une réponse à toute demande d'implantation en moins de trente jours.

## Exporter le savoir-faire régional

La mission ne se limite pas à attirer des capitaux. Une douzaine d'entreprises profitent du voyage pour présenter leurs produits à des acheteurs québécois, dans la gestion de l'eau, l'éclairage public ou les logiciels de logistique portuaire.

> « Le Québec partage notre langue et beaucoup de nos normes. Pour une PME qui n'a jamais exporté, c'est le premier marché lointain le plus accessible qui soit. »
> — Karim Benali, directeur général d'Hydroflux, fabricant de capteurs installé à Vitrolles

L'entreprise, qui emploie 65 salariés, réalise aujourd'hui 11 % de son chiffre d'affaires hors de France. Elle espère doubler cette part d'ici trois ans.

## La vitesse comme argument

Face à des régions concurrentes en Espagne ou au Portugal, les élus jouent la carte de la rapidité. La préfecture s'est engagée à instruire les dossiers industriels prioritaires en neuf mois, contre dix-sept en moyenne il y a cinq ans.

> « Nous avons appris à travailler ensemble, l'État, la région, la métropole et les communes. Un investisseur n'a plus à frapper à quatre portes. »
> — Pierre-Alain Giraud, président de l'Agence Sud Attractivité

## Le label French Tech en vitrine

Dernier atout mis en avant : l'écosystème des start-up. Le réseau French Tech local revendique 450 jeunes entreprises et a accompagné trente levées de fonds l'an dernier, pour un montant total de **210 millions d'euros**. Cinq de ses membres font partie du voyage et présenteront leurs solutions lors d'une soirée organisée avec l'incubateur d'une grande université montréalaise.

Les résultats de la mission ne se mesureront pas avant plusieurs mois. L'agence se fixe un objectif prudent : trois implantations confirmées d'ici la fin de l'an prochain, représentant environ 300 emplois.
"""

# (title, tags, authors, standfirst, body, palette, days_ago)
STORIES = [
    (
        "Provence – Montréal : une délégation part à la conquête des investisseurs",
        ["attractivite", "international", "french-tech", "export"],
        ["camille", "julien"],
        "Élus, chefs d'entreprise et chercheurs s'envolent pour le Canada avec un objectif : convaincre "
        "des industriels nord-américains de s'implanter dans la région. Au programme, quarante-deux "
        "rendez-vous, un guichet unique et la promesse d'aller vite.",
        FULL_STORY_BODY,
        ((18, 52, 86), (219, 112, 47)),
        1,
    ),
    (
        "Une PME de La Ciotat signe un contrat de 12 millions d'euros en Norvège",
        ["export", "maritime"],
        ["sophie"],
        "Le spécialiste des systèmes d'amarrage automatisés équipera quatre terminaux de ferries "
        "norvégiens. Le plus gros contrat de son histoire.",
        "Fondée il y a quatorze ans dans une ancienne halle du chantier naval, l'entreprise compte "
        "aujourd'hui 48 salariés. Le contrat signé avec un armateur de Bergen porte sur **12 millions "
        "d'euros** sur trois ans.\n\n"
        "> « Les Norvégiens ont testé notre système pendant un hiver entier. Il a fonctionné par "
        "des vents de 90 km/h. »\n> — Élodie Marchetti, présidente de l'entreprise\n\n"
        "## Vingt recrutements prévus\n\n"
        "Pour honorer la commande, la société prévoit d'embaucher vingt techniciens et soudeurs d'ici "
        "l'été, et cherche déjà un second atelier sur la zone d'activités voisine.",
        ((10, 70, 110), (120, 190, 210)),
        2,
    ),
    (
        "Aéronautique : un sous-traitant de Marignane recrute 80 techniciens",
        ["aeronautique", "attractivite"],
        ["julien"],
        "Porté par la reprise des cadences chez les hélicoptéristes, l'usineur de pièces de précision "
        "ouvre une deuxième ligne de production et cherche des profils qualifiés.",
        "La nouvelle ligne, installée dans un bâtiment de 6 000 m², produira des pièces de transmission "
        "en titane. L'investissement atteint **9,5 millions d'euros**, dont 1,2 million d'aide régionale.\n\n"
        "## Une pénurie de compétences\n\n"
        "Le recrutement reste le principal frein. L'entreprise a noué un partenariat avec deux lycées "
        "professionnels pour former ses futurs opérateurs en alternance.\n\n"
        "> « Nous préférons former nous-mêmes des jeunes motivés plutôt que d'attendre des profils "
        "qui n'existent pas sur le marché. »\n> — Nicolas Peyre, directeur du site",
        ((40, 44, 52), (200, 205, 215)),
        3,
    ),
    (
        "French Tech : cinq start-up régionales sélectionnées pour un accélérateur à Singapour",
        ["french-tech", "start-up", "international"],
        ["camille"],
        "Logistique, santé numérique, énergie : les lauréates passeront trois mois en Asie du Sud-Est "
        "pour tester leurs solutions auprès de grands groupes.",
        "Le programme, financé à parts égales par la région et des partenaires privés, prend en charge "
        "le voyage, l'hébergement et un bureau partagé au cœur du quartier d'affaires.\n\n"
        "Parmi les lauréates, une jeune pousse aixoise qui optimise le remplissage des conteneurs "
        "grâce à l'apprentissage automatique, et une start-up marseillaise de télésurveillance "
        "cardiaque déjà présente dans douze hôpitaux français.\n\n"
        "> « Singapour est un laboratoire : si notre solution y fonctionne, elle fonctionnera "
        "partout en Asie. »\n> — Inès Haddad, cofondatrice de Contenia",
        ((30, 20, 70), (235, 80, 90)),
        4,
    ),
    (
        "Tourisme d'affaires : les congrès internationaux font leur retour sur le littoral",
        ["tourisme", "attractivite"],
        ["sophie"],
        "Avec 38 congrès internationaux accueillis cette année, la destination retrouve son niveau "
        "d'avant-crise. Les retombées sont estimées à 65 millions d'euros.",
        "Hôteliers et restaurateurs le constatent : les congressistes dépensent en moyenne trois fois "
        "plus qu'un touriste de loisirs. Le bureau des congrès a ciblé en priorité les rencontres "
        "médicales et scientifiques, qui se tiennent souvent hors saison.\n\n"
        "## Un atout : la desserte\n\n"
        "La nouvelle liaison ferroviaire directe avec plusieurs capitales européennes a pesé dans "
        "le choix de nombreux organisateurs.",
        ((0, 105, 120), (250, 200, 90)),
        6,
    ),
    (
        "Les vignerons du Luberon misent sur le marché japonais",
        ["export", "international"],
        ["julien", "sophie"],
        "Quinze domaines ont présenté leurs cuvées à Tokyo et Osaka. Les premières commandes "
        "portent sur 60 000 bouteilles.",
        "Le Japon reste un marché exigeant, où la régularité de la qualité compte autant que le prix. "
        "Les domaines ont mutualisé le coût d'un importateur commun et d'une campagne de dégustations.\n\n"
        "> « Nos clients japonais veulent connaître le vigneron, la parcelle, le millésime. "
        "C'est une chance pour les petits domaines. »\n> — Anne Roux, présidente du syndicat des vignerons",
        ((90, 20, 50), (230, 170, 120)),
        8,
    ),
    (
        "Attractivité : 1 200 emplois créés par les implantations étrangères l'an dernier",
        ["attractivite", "international"],
        ["camille"],
        "Le bilan annuel de l'agence de développement recense 54 projets d'investissement étranger, "
        "un record. Les États-Unis et l'Allemagne arrivent en tête.",
        "Les projets se concentrent dans l'industrie (41 %), la logistique (22 %) et les services "
        "numériques (19 %). Le montant total investi dépasse **780 millions d'euros**.\n\n"
        "## Le foncier, nerf de la guerre\n\n"
        "Pour poursuivre sur cette lancée, les collectivités doivent réhabiliter d'anciennes friches "
        "industrielles, la loi limitant désormais l'artificialisation de nouveaux terrains.",
        ((20, 90, 60), (170, 220, 140)),
        10,
    ),
    (
        "Hydrogène vert : le port de Fos attire un consortium européen",
        ["maritime", "attractivite", "international"],
        ["julien"],
        "Trois industriels allemands, néerlandais et espagnols étudient la construction d'un "
        "électrolyseur géant sur la zone portuaire. Décision attendue au printemps.",
        "Le projet représenterait un investissement de **1,1 milliard d'euros** et quelque 250 emplois "
        "directs. L'hydrogène produit alimenterait les aciéries et les raffineries voisines.\n\n"
        "> « Nous avons l'espace, l'eau, le raccordement électrique et le port. Peu de sites en "
        "Europe cochent toutes ces cases. »\n> — Laurent Vidal, directeur du développement du port",
        ((15, 60, 90), (140, 230, 200)),
        13,
    ),
]

DRAFT_STORY = (
    "Mission économique au Maroc : premier bilan",
    ["international", "export"],
    ["sophie"],
    "Brouillon en cours d'écriture : retour sur les rendez-vous de la délégation à Casablanca et Tanger.",
    "Paragraphe d'introduction à compléter après l'entretien avec le président de la chambre de commerce.",
    ((120, 80, 40), (240, 210, 160)),
)

SCHEDULED_STORY = (
    "Salon Euromaritime : les entreprises régionales en force",
    ["maritime", "export"],
    ["camille"],
    "Vingt-deux entreprises de la région exposeront sur un pavillon commun lors du grand rendez-vous "
    "européen de l'économie bleue.",
    "Le pavillon régional réunira chantiers navals, bureaux d'études et fabricants d'équipements. "
    "Une première pour plusieurs jeunes entreprises.",
    ((5, 40, 80), (90, 170, 230)),
)


def draw_picture(seed, palette, size=(1600, 900)) -> bytes:
    """An abstract picture: a sky gradient, a sea or skyline, a sun. JPEG bytes."""
    rng = random.Random(seed)
    width, height = size
    top, bottom = palette
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    sun = (rng.randint(200, width - 200), rng.randint(120, height // 2))
    radius = rng.randint(70, 140)
    draw.ellipse(
        [sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius],
        fill=(255, 236, 190),
    )
    x = 0
    while x < width:
        w = rng.randint(60, 180)
        h = rng.randint(height // 8, height // 2)
        shade = rng.randint(10, 50)
        draw.rectangle([x, height - h, x + w, height], fill=(shade, shade + 5, shade + 15))
        for wy in range(height - h + 20, height - 20, 36):
            for wx in range(x + 12, x + w - 12, 28):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 10, wy + 14], fill=(250, 215, 120))
        x += w + rng.randint(0, 20)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


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
        "Jean-Luc <em>Marin</em>",
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
