"""Reference data shipped with the product: the CRCN, the beginner framework ("socle"),
the national themes and the audiences. Loaded by a data migration and by
`manage.py load_reference_data`; loading twice changes nothing.

`load(apps)` takes an app registry so a migration can pass its historical models.
"""

from workshops import theme_labels

CRCN = {
    "slug": "crcn",
    "name": "CRCN – Cadre de référence des compétences numériques",
    "description": (
        "Le référentiel national utilisé par Pix : 5 domaines, 16 compétences, 8 niveaux."
    ),
    "source": "Décret n° 2019-919 du 30 août 2019 ; référentiel public de Pix",
    "levels": [
        (1, "Niveau 1", "Novice"),
        (2, "Niveau 2", "Novice"),
        (3, "Niveau 3", "Indépendant"),
        (4, "Niveau 4", "Indépendant"),
        (5, "Niveau 5", "Avancé"),
        (6, "Niveau 6", "Avancé"),
        (7, "Niveau 7", "Expert"),
        (8, "Niveau 8", "Expert"),
    ],
    "domains": [
        (
            "1",
            "Information et données",
            [
                (
                    "1.1",
                    "Mener une recherche et une veille d'information",
                    "Je sais chercher une information sur internet et vérifier d'où elle vient.",
                ),
                ("1.2", "Gérer des données", "Je sais ranger et retrouver mes fichiers."),
                (
                    "1.3",
                    "Traiter des données",
                    "Je sais utiliser un tableau pour calculer ou trier.",
                ),
            ],
        ),
        (
            "2",
            "Communication et collaboration",
            [
                ("2.1", "Interagir", "Je sais échanger par messagerie, e-mail ou visio."),
                ("2.2", "Partager et publier", "Je sais partager une photo ou un document."),
                ("2.3", "Collaborer", "Je sais travailler à plusieurs sur un même document."),
                (
                    "2.4",
                    "S'insérer dans le monde numérique",
                    "Je sais gérer mon identité en ligne et faire mes démarches.",
                ),
            ],
        ),
        (
            "3",
            "Création de contenu",
            [
                (
                    "3.1",
                    "Développer des documents textuels",
                    "Je sais écrire et mettre en forme un texte.",
                ),
                (
                    "3.2",
                    "Développer des documents multimédia",
                    "Je sais modifier une photo ou une vidéo.",
                ),
                (
                    "3.3",
                    "Adapter les documents à leur finalité",
                    "Je sais enregistrer un document dans le bon format pour l'envoyer.",
                ),
                ("3.4", "Programmer", "Je sais écrire une suite d'instructions simples."),
            ],
        ),
        (
            "4",
            "Protection et sécurité",
            [
                (
                    "4.1",
                    "Sécuriser l'environnement numérique",
                    "Je sais protéger mes appareils avec des mots de passe et des mises à jour.",
                ),
                (
                    "4.2",
                    "Protéger les données personnelles et la vie privée",
                    "Je sais ce que je partage sur moi et je reconnais une arnaque.",
                ),
                (
                    "4.3",
                    "Protéger la santé, le bien-être et l'environnement",
                    "Je sais faire des pauses et limiter mon temps d'écran.",
                ),
            ],
        ),
        (
            "5",
            "Environnement numérique",
            [
                (
                    "5.1",
                    "Résoudre des problèmes techniques",
                    "Je sais redémarrer un appareil et chercher de l'aide quand ça bloque.",
                ),
                (
                    "5.2",
                    "Construire un environnement numérique",
                    "Je sais installer et choisir les applications dont j'ai besoin.",
                ),
            ],
        ),
    ],
}

SOCLE = {
    "slug": "socle",
    "name": "Socle – premiers pas numériques",
    "description": (
        "Pour les personnes qui débutent, avant le niveau 1 du CRCN : utiliser le matériel, "
        "communiquer, faire une démarche en ligne, se protéger."
    ),
    "source": "Pas à pas, d'après les pratiques des conseillers numériques",
    "levels": [
        (0, "Non acquis", "", "Je n'ai pas encore essayé ou je n'y arrive pas."),
        (1, "En cours", "", "J'y arrive avec de l'aide."),
        (2, "Acquis", "", "J'y arrive seul en suivant une fiche."),
        (3, "Autonome", "", "J'y arrive seul, sans aide, et je peux le montrer."),
    ],
    "domains": [
        (
            "S1",
            "Prendre en main le matériel",
            [
                (
                    "S1.1",
                    "Utiliser la souris et le clavier",
                    "Je sais cliquer, faire défiler et écrire avec le clavier.",
                ),
                (
                    "S1.2",
                    "Utiliser les gestes du smartphone",
                    "Je sais toucher, faire glisser et agrandir sur un écran tactile.",
                ),
                (
                    "S1.3",
                    "Allumer, éteindre et recharger ses appareils",
                    "Je sais allumer, éteindre et recharger mon téléphone ou mon ordinateur.",
                ),
                (
                    "S1.4",
                    "Installer et ouvrir une application",
                    "Je sais trouver, installer et ouvrir une application.",
                ),
            ],
        ),
        (
            "S2",
            "Communiquer",
            [
                (
                    "S2.1",
                    "Créer une adresse e-mail",
                    "J'ai une adresse e-mail et je sais m'y connecter.",
                ),
                (
                    "S2.2",
                    "Envoyer et lire des e-mails",
                    "Je sais lire, écrire et envoyer un e-mail, avec une pièce jointe.",
                ),
                ("S2.3", "Passer un appel vidéo", "Je sais appeler mes proches en visio."),
                (
                    "S2.4",
                    "Envoyer des photos et des messages",
                    "Je sais envoyer un message et une photo depuis mon téléphone.",
                ),
            ],
        ),
        (
            "S3",
            "Naviguer et faire ses démarches",
            [
                (
                    "S3.1",
                    "Naviguer sur internet",
                    "Je sais ouvrir un site, faire une recherche et revenir en arrière.",
                ),
                (
                    "S3.2",
                    "Créer un compte et gérer ses mots de passe",
                    "Je sais créer un compte en ligne et retrouver mon mot de passe.",
                ),
                (
                    "S3.3",
                    "Faire une démarche administrative en ligne",
                    "Je sais faire une démarche en ligne (impôts, CAF, Ameli) avec FranceConnect.",
                ),
                (
                    "S3.4",
                    "Prendre un rendez-vous en ligne",
                    "Je sais prendre un rendez-vous chez le médecin sur internet.",
                ),
            ],
        ),
        (
            "S4",
            "Se protéger",
            [
                (
                    "S4.1",
                    "Reconnaître une arnaque",
                    "Je reconnais un SMS ou un e-mail frauduleux et je ne clique pas.",
                ),
                (
                    "S4.2",
                    "Protéger ses appareils et ses comptes",
                    "Je sais verrouiller mon téléphone et choisir un bon mot de passe.",
                ),
            ],
        ),
    ],
}

# The national themes (slugs and La Coop's current labels): `workshops.theme_labels`.
THEMES = theme_labels.THEMES
ADMIN_SUBTHEMES = theme_labels.ADMIN_SUBTHEMES

AUDIENCES = [
    ("seniors", "Seniors"),
    ("adultes", "Adultes"),
    ("jeunes", "Jeunes adultes"),
    ("adolescents", "Adolescents"),
    ("parents", "Parents"),
    ("demandeurs-emploi", "Demandeurs d'emploi"),
    ("handicap", "Personnes en situation de handicap"),
    ("allophones", "Personnes allophones"),
]


def _get_models(apps):
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    return {
        name: apps.get_model("workshops", name)
        for name in ("Framework", "Domain", "Competence", "Level", "Theme", "Audience")
    }


def load_framework(data: dict, apps=None) -> None:
    m = _get_models(apps)
    framework, _ = m["Framework"].objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "description": data["description"],
            "source": data["source"],
        },
    )
    for level in data["levels"]:
        rank, name, group, *rest = level
        m["Level"].objects.update_or_create(
            framework=framework,
            rank=rank,
            defaults={"name": name, "group": group, "description": rest[0] if rest else ""},
        )
    for d_order, (d_code, d_name, competences) in enumerate(data["domains"]):
        domain, _ = m["Domain"].objects.update_or_create(
            framework=framework, code=d_code, defaults={"name": d_name, "sort_order": d_order}
        )
        for c_order, (c_code, c_name, can_do) in enumerate(competences):
            m["Competence"].objects.update_or_create(
                framework=framework,
                code=c_code,
                defaults={
                    "domain": domain,
                    "name": c_name,
                    "can_do": can_do,
                    "sort_order": d_order * 100 + c_order,
                },
            )


def load_themes(apps=None) -> None:
    m = _get_models(apps)
    Theme = m["Theme"]
    for order, (slug, _key, name) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "is_national": True, "sort_order": order, "parent": None},
        )
    parent = Theme.objects.get(slug=theme_labels.ADMIN_PARENT_SLUG)
    for order, (slug, _key, name) in enumerate(ADMIN_SUBTHEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "is_national": True,
                "sort_order": 100 + order,
                "parent": parent,
            },
        )


def load_audiences(apps=None) -> None:
    Audience = _get_models(apps)["Audience"]
    for order, (slug, name) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


def load(apps=None) -> None:
    load_framework(CRCN, apps)
    load_framework(SOCLE, apps)
    load_themes(apps)
    load_audiences(apps)
