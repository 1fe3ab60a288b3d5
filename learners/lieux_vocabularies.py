"""The vocabularies of the "lieux de médiation numérique" standard, v1.0.2: (value, label).

Values are the schema's own strings (the patterns of `schemas/lieux-de-mediation-
numerique-1.0.2.json`), stored as they are in a venue's list fields and written as they are
in the files; the labels people read are the same French words. `typologie` is the one
coded list: the schema points to data·inclusion's structure typologies (their last
published list, `docs/referentiels/typologies_de_structures.md` in
gip-inclusion/data-inclusion-schema, August 2025): codes in the file, labels on screen.
"""

from django.utils.translation import gettext_lazy as _

# itinerance
MOBILITY = (
    ("Itinérant", _("Itinérant")),
    ("Fixe", _("Fixe")),
)

# typologie: data·inclusion codes and their labels
TYPOLOGY = (
    ("ACI", _("Structures porteuses d’ateliers et chantiers d’insertion (ACI)")),
    ("ACIPHC", _("SIAE — Atelier chantier d’insertion premières heures en chantier")),
    ("AFPA", _("Agence nationale pour la formation professionnelle des adultes (AFPA)")),
    ("AI", _("Associations intermédiaires (AI)")),
    ("ASE", _("Aide sociale à l’enfance (ASE)")),
    ("ASSO", _("Associations")),
    ("ASSO_CHOMEUR", _("Associations de chômeurs")),
    ("AVIP", _("Crèche À Vocation d’Insertion Professionnelle (AVIP)")),
    ("Autre", _("Autre")),
    ("BIB", _("Bibliothèque / Médiathèque")),
    (
        "CAARUD",
        _(
            "CAARUD - Centre d’accueil et d’accompagnement à la réduction de risques "
            "pour usagers de drogues"
        ),
    ),
    ("CADA", _("Centres d’accueil de demandeurs d’asile (CADA)")),
    ("CAF", _("Caisses d’allocation familiale (CAF)")),
    ("CAP_EMPLOI", _("Cap Emploi")),
    ("CAVA", _("Centres d’adaptation à la vie active (CAVA)")),
    ("CC", _("Communautés de Commune")),
    ("CCAS", _("Centres communaux d’action sociale (CCAS)")),
    ("CCONS", _("Chambres consulaires (CCI, CMA, CA)")),
    ("CD", _("Conseils Départementaux (CD)")),
    ("CDAS", _("Centre Départementale d’Action Sociale (CDAS)")),
    ("CFP", _("Centre des Finances Publiques (CFP)")),
    ("CHRS", _("Centres d’hébergement et de réinsertion sociale (CHRS)")),
    ("CHU", _("Centres d’hébergement d’urgence (CHU)")),
    ("CIAS", _("Centres intercommunaux d’action sociale (CIAS)")),
    ("CIDFF", _("Centres d’information sur les droits des femmes et des familles (CIDFF)")),
    ("CITMET", _("Cité des métiers")),
    ("CMP", _("Centre Médico-Psychologique (CMP)")),
    ("CMS", _("Centre Médico-Social (CMS)")),
    ("CPAM", _("Caisse Primaire d’Assurance Maladie (CPAM)")),
    ("CPH", _("Centres provisoires d’hébergement (CPH)")),
    ("CS", _("Centre social")),
    ("CSAPA", _("CSAPA - Centre de soins, d’accompagnement et de prévention en addictologie")),
    ("CSC", _("Centre Socio-Culturel (CSC)")),
    ("DEETS", _("Directions de l’Economie, de l’Emploi, du Travail et des Solidarités (DEETS)")),
    ("DEPT", _("Services sociaux du Conseil départemental")),
    ("DIPLP", _("Délégation interministérielles à la prévention et à la lutte contre la pauvreté")),
    ("E2C", _("E2C - École de la 2e chance")),
    ("EA", _("Entreprise adaptée (EA)")),
    ("EATT", _("Entreprise Adaptée (EATT)")),
    ("EI", _("Entreprises d’insertion (EI)")),
    ("EITI", _("Entreprises d’insertion par le travail indépendant (EITI)")),
    ("ENM", _("Espace Numérique Mobile (ENM)")),
    ("EPCI", _("Intercommunalité (EPCI)")),
    ("EPI", _("Espace Public Internet (EPI)")),
    ("EPIDE", _("EPIDE - Établissement pour l’insertion dans l’emploi")),
    ("EPN", _("Espace Public Numérique (EPN)")),
    ("ES", _("Épicerie Solidaire")),
    ("ESS", _("Entreprise de l’Économie Sociale et Solidaire")),
    ("ETABL_PRI", _("Établissement privé")),
    ("ETABL_PUB", _("Établissement public")),
    ("ETAT", _("Service de l’État")),
    ("ETTI", _("Entreprises de travail temporaire d’insertion (ETTI)")),
    ("EVS", _("Espace de Vie Sociale (EVS)")),
    ("FABLAB", _("Fablab / Atelier partagé")),
    ("FAIS", _("Fédérations d’acteurs de l’insertion et de la solidarité")),
    ("FT", _("France Travail")),
    ("GEIQ", _("Groupements d’employeurs pour l’insertion et la qualification (GEIQ)")),
    ("HUDA", _("HUDA - Hébergement d’urgence pour demandeurs d’asile")),
    ("LA_POSTE", _("Bureau de poste / Agence postale")),
    ("MDE", _("Maison de l’emploi")),
    ("MDEF", _("Maison de l’emploi et de la formation")),
    ("MDPH", _("Maison Départementale des Personnes Handicapées")),
    ("MDS", _("Maison Départementale des Solidarités")),
    ("MJC", _("Maison des jeunes et de la culture")),
    ("ML", _("Mission Locale")),
    ("MQ", _("Maison de quartier")),
    ("MSA", _("Mutualité Sociale Agricole")),
    ("MSAP", _("Maison de Services Au Public (MSAP)")),
    ("MUNI", _("Municipalités")),
    (
        "OACAS",
        _("Structures agréées Organisme d’accueil communautaire et d’activité solidaire (OACAS)"),
    ),
    ("ODC", _("Organisation délégataire d’un CD")),
    ("OF", _("Organisme de formations")),
    ("OIL", _("Opérateur d’intermédiation locative")),
    ("OPCS", _("Organisation porteuse de la clause sociale")),
    ("PAD", _("Point d’Accès au Droit")),
    ("PENSION", _("Pension de famille / résidence accueil")),
    ("PI", _("Point Information (PI)")),
    ("PIJ_BIJ", _("Points et bureaux information jeunesse (PIJ/BIJ)")),
    ("PIMMS", _("Point Information Médiation Multi Services (PIMMS)")),
    ("PJJ", _("Protection judiciaire de la jeunesse (PJJ)")),
    ("PLIE", _("Plans locaux pour l’insertion et l’emploi (PLIE)")),
    ("PREF", _("Préfecture, Sous-Préfecture")),
    ("PREVENTION", _("Service ou club de prévention")),
    ("REG", _("Région")),
    ("RESSOURCERIE", _("Ressourcerie")),
    ("RFS", _("Réseau France Services")),
    ("RS_FJT", _("Résidence sociale / FJT - Foyer de Jeunes Travailleurs")),
    ("SCP", _("Services et clubs de prévention")),
    ("SPIP", _("Services pénitentiaires d’insertion et de probation (SPIP)")),
    ("TIERS_LIEUX", _("Tiers lieu & coworking")),
    ("UDAF", _("Union Départementale d’Aide aux Familles (UDAF)")),
)

# services
SERVICES = (
    ("Aide aux démarches administratives", _("Aide aux démarches administratives")),
    (
        "Maîtrise des outils numériques du quotidien",
        _("Maîtrise des outils numériques du quotidien"),
    ),
    ("Insertion professionnelle via le numérique", _("Insertion professionnelle via le numérique")),
    ("Utilisation sécurisée du numérique", _("Utilisation sécurisée du numérique")),
    ("Parentalité et éducation avec le numérique", _("Parentalité et éducation avec le numérique")),
    ("Loisirs et créations numériques", _("Loisirs et créations numériques")),
    ("Compréhension du monde numérique", _("Compréhension du monde numérique")),
    ("Accès internet et matériel informatique", _("Accès internet et matériel informatique")),
    (
        "Acquisition de matériel informatique à prix solidaire",
        _("Acquisition de matériel informatique à prix solidaire"),
    ),
)

# publics_specifiquement_adresses
AUDIENCES = (
    ("Jeunes", _("Jeunes")),
    ("Étudiants", _("Étudiants")),
    ("Familles et/ou enfants", _("Familles et/ou enfants")),
    ("Seniors", _("Seniors")),
    ("Femmes", _("Femmes")),
)

# prise_en_charge_specifique
SPECIFIC_SUPPORT = (
    ("Surdité", _("Surdité")),
    ("Handicaps moteurs", _("Handicaps moteurs")),
    ("Handicaps mentaux", _("Handicaps mentaux")),
    ("Illettrisme", _("Illettrisme")),
    ("Langues étrangères (anglais)", _("Langues étrangères (anglais)")),
    ("Langues étrangères (autres)", _("Langues étrangères (autres)")),
    ("Déficience visuelle", _("Déficience visuelle")),
)

# frais_a_charge
FEES = (
    ("Gratuit", _("Gratuit")),
    ("Gratuit sous condition", _("Gratuit sous condition")),
    ("Payant", _("Payant")),
)

# dispositif_programmes_nationaux
NATIONAL_PROGRAMMES = (
    ("Aidants Connect", _("Aidants Connect")),
    ("Bibliothèques numérique de référence", _("Bibliothèques numérique de référence")),
    ("Certification PIX", _("Certification PIX")),
    ("Conseillers numériques", _("Conseillers numériques")),
    ("Emmaüs Connect", _("Emmaüs Connect")),
    ("France Services", _("France Services")),
    ("Grande école du numérique", _("Grande école du numérique")),
    ("La Croix Rouge", _("La Croix Rouge")),
    ("Point d'accès numérique CAF", _("Point d'accès numérique CAF")),
    ("Promeneurs du net", _("Promeneurs du net")),
    ("Relais numérique (Emmaüs Connect)", _("Relais numérique (Emmaüs Connect)")),
)

# formations_labels
TRAINING_LABELS = (
    ("Formé à « Mon Espace Santé »", _("Formé à « Mon Espace Santé »")),
    ("Formé à « DUPLEX » (illettrisme)", _("Formé à « DUPLEX » (illettrisme)")),
    ("Arnia/MedNum BFC (Bourgogne-Franche-Comté)", _("Arnia/MedNum BFC (Bourgogne-Franche-Comté)")),
    (
        "Collectif ressources et acteurs réemploi (Normandie)",
        _("Collectif ressources et acteurs réemploi (Normandie)"),
    ),
    ("Étapes numériques(La Poste)", _("Étapes numériques(La Poste)")),
    ("Fabriques de Territoire", _("Fabriques de Territoire")),
    ("Les Éclaireurs du numérique (Drôme)", _("Les Éclaireurs du numérique (Drôme)")),
    ("Mes Papiers (Métropole de Lyon)", _("Mes Papiers (Métropole de Lyon)")),
    ("ORDI 3.0", _("ORDI 3.0")),
    ("SUD LABS (PACA)", _("SUD LABS (PACA)")),
)

# modalites_acces
ACCESS_MODES = (
    ("Se présenter", _("Se présenter")),
    ("Téléphoner", _("Téléphoner")),
    ("Contacter par mail", _("Contacter par mail")),
    ("Prendre un RDV en ligne", _("Prendre un RDV en ligne")),
    ("Ce lieu n'accueille pas de public", _("Ce lieu n'accueille pas de public")),
    (
        "Envoyer un mail avec une fiche de prescription",
        _("Envoyer un mail avec une fiche de prescription"),
    ),
)

# modalites_accompagnement
SUPPORT_MODES = (
    ("En autonomie", _("En autonomie")),
    ("Accompagnement individuel", _("Accompagnement individuel")),
    ("Dans un atelier collectif", _("Dans un atelier collectif")),
    ("À distance", _("À distance")),
)
