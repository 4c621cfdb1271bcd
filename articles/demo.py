"""Demo content: original stories written for this project, and the pictures that go with them."""

import math
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


# Each story's illustration (by the start of its slug): what is drawn, and its description.
PICTURES = {
    "provence-montreal": (
        "skyline",
        "Illustration : des tours éclairées au coucher du soleil, évoquant le centre de Montréal.",
    ),
    "une-pme-de-la-ciotat": (
        "port",
        "Illustration : un navire à quai, deux grues et des conteneurs colorés empilés.",
    ),
    "aeronautique": (
        "aircraft",
        "Illustration : un avion de ligne entre les nuages, au-dessus d'une piste.",
    ),
    "french-tech": (
        "network",
        "Illustration : un réseau de points reliés entre eux, sur fond violet et rouge.",
    ),
    "tourisme-daffaires": (
        "congress",
        "Illustration : une salle de congrès, un grand écran, un pupitre et des rangées de sièges.",
    ),
    "les-vignerons": (
        "vines",
        "Illustration : des rangs de vigne sur une colline, un mas au loin, sous le soleil.",
    ),
    "attractivite": (
        "chart",
        "Illustration : un graphique en barres dont la courbe monte d'année en année.",
    ),
    "hydrogene-vert": (
        "hydrogen",
        "Illustration : des éoliennes et les réservoirs d'un électrolyseur, au soleil.",
    ),
    "mission-economique": (
        "skyline",
        "Illustration : une ville au soleil couchant, ses immeubles aux fenêtres éclairées.",
    ),
    "salon-euromaritime": (
        "port",
        "Illustration : un port de commerce, ses grues et ses conteneurs, au bord de l'eau.",
    ),
}
PICTURE_CREDIT = "Illustration : Newsroom"
# Images inside a story's text, after its first paragraph: kind of drawing, description,
# caption, credit.
BODY_PICTURES = {
    "une-pme-de-la-ciotat": (
        "chart",
        "Infographie : des barres de plus en plus hautes, de gauche à droite.",
        "La part de l'export dans le chiffre d'affaires de l'entreprise, année après année.",
        "Infographie : Newsroom",
    ),
}


def body_picture_for(slug):
    """The image a demo story shows inside its text, if any."""
    for prefix, picture in BODY_PICTURES.items():
        if slug.startswith(prefix):
            return picture
    return None


def picture_for(slug):
    """The kind of drawing and the description of a demo story's illustration."""
    for prefix, picture in PICTURES.items():
        if slug.startswith(prefix):
            return picture
    return "skyline", "Illustration : une ville au soleil couchant."


def draw_picture(seed, palette, kind="skyline", size=(1600, 900)) -> bytes:
    """An illustration for a demo story: a sky gradient, then a scene drawn for its topic
    (skyline, port, aircraft, vines, chart, network, congress hall, wind and hydrogen).
    JPEG bytes."""
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
    SCENES[kind](draw, rng, width, height)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _sun(draw, rng, width, height, colour=(255, 236, 190)):
    x, y, r = rng.randint(200, width - 200), rng.randint(110, height // 3), rng.randint(60, 110)
    draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)


def _skyline(draw, rng, width, height):
    _sun(draw, rng, width, height)
    x = 0
    while x < width:
        w, h = rng.randint(60, 180), rng.randint(height // 8, height // 2)
        shade = rng.randint(10, 50)
        draw.rectangle([x, height - h, x + w, height], fill=(shade, shade + 5, shade + 15))
        for wy in range(height - h + 20, height - 20, 36):
            for wx in range(x + 12, x + w - 12, 28):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 10, wy + 14], fill=(250, 215, 120))
        x += w + rng.randint(0, 20)


def _port(draw, rng, width, height):
    _sun(draw, rng, width, height)
    sea = int(height * 0.68)
    draw.rectangle([0, sea, width, height], fill=(14, 52, 84))
    for y in range(sea + 12, height, 22):  # the swell
        for x in range(rng.randint(0, 60), width, 140):
            draw.line([(x, y), (x + 60, y)], fill=(60, 110, 150), width=3)
    quay = int(width * 0.55)
    draw.rectangle([quay, sea - 30, width, sea + 10], fill=(70, 70, 78))
    colours = [(196, 70, 50), (40, 110, 160), (230, 170, 40), (60, 140, 90), (150, 60, 120)]
    for row in range(3):  # containers stacked on the quay
        for n in range((width - quay - 40) // 95):
            x, y = quay + 20 + n * 95, sea - 30 - (row + 1) * 42
            if rng.random() < 0.8 - row * 0.2:
                draw.rectangle(
                    [x, y, x + 88, y + 38], fill=rng.choice(colours), outline=(30, 30, 30)
                )
    for cx in (quay + 80, quay + 380):  # two gantry cranes
        draw.rectangle([cx, sea - 330, cx + 14, sea - 30], fill=(210, 80, 40))
        draw.rectangle([cx + 150, sea - 330, cx + 164, sea - 30], fill=(210, 80, 40))
        draw.rectangle([cx - 120, sea - 345, cx + 300, sea - 320], fill=(210, 80, 40))
    # A ship alongside, its hull and bridge.
    draw.polygon(
        [(60, sea - 10), (quay - 40, sea - 10), (quay - 90, sea + 45), (110, sea + 45)],
        fill=(25, 25, 30),
    )
    draw.rectangle([110, sea - 80, 220, sea - 10], fill=(235, 235, 235))


def _aircraft(draw, rng, width, height):
    for _ in range(6):  # clouds
        x, y = rng.randint(0, width), rng.randint(60, height // 2)
        for dx in (0, 60, 120):
            draw.ellipse([x + dx, y, x + dx + 140, y + 60], fill=(245, 245, 250))
    cx, cy = width // 2, height // 2
    body = (235, 238, 242)
    draw.polygon(
        [
            (cx - 420, cy + 10),
            (cx + 380, cy - 30),
            (cx + 440, cy),
            (cx + 380, cy + 30),
            (cx - 400, cy + 50),
        ],
        fill=body,
    )
    draw.polygon(
        [(cx - 40, cy + 5), (cx + 120, cy + 5), (cx - 180, cy + 260), (cx - 260, cy + 260)],
        fill=(200, 205, 212),
    )
    draw.polygon(
        [(cx - 40, cy - 5), (cx + 80, cy - 5), (cx - 200, cy - 210), (cx - 260, cy - 210)],
        fill=(215, 220, 226),
    )
    draw.polygon(
        [(cx - 400, cy + 10), (cx - 330, cy + 10), (cx - 420, cy - 150), (cx - 460, cy - 150)],
        fill=(180, 40, 40),
    )
    for n in range(14):  # windows
        x = cx - 280 + n * 44
        draw.ellipse([x, cy - 6, x + 14, cy + 8], fill=(60, 80, 110))
    # The hangar and runway below.
    draw.rectangle([0, height - 90, width, height], fill=(70, 75, 80))
    for x in range(0, width, 120):
        draw.rectangle([x, height - 48, x + 60, height - 40], fill=(240, 240, 240))


def _vines(draw, rng, width, height):
    _sun(draw, rng, width, height, (255, 220, 150))
    draw.polygon(
        [
            (0, height * 0.45),
            (width * 0.35, height * 0.3),
            (width * 0.7, height * 0.42),
            (width, height * 0.33),
            (width, height),
            (0, height),
        ],
        fill=(96, 120, 60),
    )
    for row in range(12):  # rows of vines running to the horizon
        y = int(height * 0.48 + row * row * 3.2 + row * 8)
        for x in range(-40, width, 36 + row * 6):
            r = 8 + row * 2
            draw.ellipse([x, y - r, x + 2 * r, y + r], fill=(46 + row * 4, 90 + row * 3, 40))
    draw.rectangle(
        [int(width * 0.72), int(height * 0.3), int(width * 0.82), int(height * 0.4)],
        fill=(230, 210, 170),
    )
    draw.polygon(
        [
            (int(width * 0.71), int(height * 0.3)),
            (int(width * 0.77), int(height * 0.24)),
            (int(width * 0.83), int(height * 0.3)),
        ],
        fill=(170, 70, 50),
    )


def _chart(draw, rng, width, height):
    left, base = 160, height - 120
    draw.line([(left, 100), (left, base), (width - 100, base)], fill=(255, 255, 255), width=6)
    value = previous = rng.randint(120, 200)
    for n in range(9):
        value = max(80, value + rng.randint(-30, 80))
        x = left + 60 + n * 140
        draw.rectangle([x, base - value, x + 90, base], fill=(255, 255, 255))
        if n:
            line = [(x - 95, base - previous - 40), (x + 45, base - value - 40)]
            draw.line(line, fill=(250, 200, 60), width=8)
        previous = value
    for y in range(base - 100, 100, -100):
        draw.line([(left, y), (width - 100, y)], fill=(255, 255, 255, 80), width=1)


def _network(draw, rng, width, height):
    points = [(rng.randint(80, width - 80), rng.randint(80, height - 80)) for _ in range(26)]
    for a in points:
        for b in sorted(points, key=lambda p: (p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2)[1:4]:
            draw.line([a, b], fill=(255, 255, 255), width=3)
    for x, y in points:
        r = rng.randint(10, 26)
        draw.ellipse(
            [x - r, y - r, x + r, y + r], fill=(255, 255, 255), outline=(250, 200, 60), width=5
        )


def _congress(draw, rng, width, height):
    draw.rectangle([width * 0.2, 80, width * 0.8, height * 0.45], fill=(240, 240, 245))  # screen
    draw.rectangle(
        [width * 0.45, height * 0.5, width * 0.55, height * 0.6], fill=(60, 40, 30)
    )  # lectern
    for row in range(6):  # seats, row after row
        y = int(height * 0.64 + row * 52)
        for x in range(40 + (row % 2) * 30, width - 40, 64):
            draw.ellipse([x, y, x + 46, y + 40], fill=(30 + row * 6, 40 + row * 8, 70 + row * 6))


def _hydrogen(draw, rng, width, height):
    _sun(draw, rng, width, height)
    ground = int(height * 0.78)
    draw.rectangle([0, ground, width, height], fill=(60, 90, 80))
    for x in (220, 560, 900, 1240):  # wind turbines
        draw.rectangle([x - 6, ground - 420, x + 6, ground], fill=(245, 245, 245))
        for angle in (0, 120, 240):
            a = math.radians(angle + x)
            draw.line(
                [(x, ground - 420), (x + 170 * math.cos(a), ground - 420 + 170 * math.sin(a))],
                fill=(245, 245, 245),
                width=10,
            )
    for n in range(3):  # the electrolyser's tanks
        x = 350 + n * 300
        draw.rounded_rectangle([x, ground - 120, x + 220, ground], radius=50, fill=(200, 215, 225))


SCENES = {
    "skyline": _skyline,
    "port": _port,
    "aircraft": _aircraft,
    "vines": _vines,
    "chart": _chart,
    "network": _network,
    "congress": _congress,
    "hydrogen": _hydrogen,
}
