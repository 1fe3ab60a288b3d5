"""The national themes: our stable slugs, La Coop de la médiation numérique's current labels
(and its enum keys), and the labels we used before, still read by imports.

The labels are the Coop's data, spelt exactly as its `cra/fields/thematique.ts` does
(commit in `learners.national.coop_source`); the slugs never change, so a renamed theme
keeps its sessions, guides and statistics. `workshops/migrations/0004_coop_theme_labels.py`
brings an existing database to these labels.
"""

from __future__ import annotations

# (slug, Coop key, Coop label), in the Coop's order.
THEMES = (
    ("diagnostic-numerique", "DiagnosticNumerique", "Diagnostic numérique"),
    ("prendre-en-main-du-materiel", "PrendreEnMainDuMateriel", "Prendre en main du matériel"),
    ("maintenance-de-materiel", "MaintenanceDeMateriel", "Maintenance de matériel"),
    ("gerer-ses-contenus-numeriques", "GereSesContenusNumeriques", "Gérer ses contenus numériques"),
    ("navigation-sur-internet", "NavigationSurInternet", "Navigation sur internet"),
    ("e-mail", "Email", "E-mail"),
    ("bureautique", "Bureautique", "Bureautique"),
    ("reseaux-sociaux", "ReseauxSociaux", "Réseaux sociaux communication"),
    ("sante", "Sante", "Santé"),
    ("banque-et-achats-en-ligne", "BanqueEtAchatsEnLigne", "Banque et achats en ligne"),
    ("accompagner-un-professionnel", "Entrepreneuriat", "Accompagner un professionnel"),
    ("insertion-professionnelle", "InsertionProfessionnelle", "Insertion professionnelle"),
    ("securite-numerique", "SecuriteNumerique", "Prévention en sécurité numérique"),
    ("parentalite", "Parentalite", "Parentalité"),
    ("scolarite-et-numerique", "ScolariteEtNumerique", "Scolarité et numérique"),
    ("creer-avec-le-numerique", "CreerAvecLeNumerique", "Créer avec le numérique"),
    ("culture-numerique", "CultureNumerique", "Culture numérique"),
    ("intelligence-artificielle", "IntelligenceArtificielle", "Intelligence artificielle (IA)"),
    (
        "aide-aux-demarches-administratives",
        "AideAuxDemarchesAdministratives",
        "Aide aux démarches administratives",
    ),
)
ADMIN_PARENT_SLUG = "aide-aux-demarches-administratives"
# The administrative sub-themes (children of ADMIN_PARENT_SLUG).
ADMIN_SUBTHEMES = (
    ("demarches-papiers", "PapiersElectionsCitoyennete", "Papiers - Élections - Citoyenneté"),
    ("demarches-famille", "FamilleScolarite", "Famille - Scolarité"),
    ("demarches-social-sante", "SocialSante", "Social - Santé"),
    ("demarches-travail", "TravailFormation", "Travail - Formation - Entreprise"),
    ("demarches-logement", "Logement", "Logement"),
    ("demarches-transports", "TransportsMobilite", "Transports - Mobilité"),
    ("demarches-argent", "ArgentImpots", "Argent - Impôts"),
    ("demarches-justice", "Justice", "Justice"),
    ("demarches-etrangers", "EtrangersEurope", "Étrangers - Europe"),
    ("demarches-loisirs", "LoisirsSportsCulture", "Loisirs - Sports - Culture"),
    ("demarches-associations", "Associations", "Associations"),
)

# Labels used before the alignment (the Coop's earlier ones, our short ones): old label →
# slug. Imports still read them; exports always write the current label.
OLD_LABELS = {
    "Réseaux sociaux": "reseaux-sociaux",
    "Sécurité numérique": "securite-numerique",
    "Intelligence artificielle": "intelligence-artificielle",
    "Entrepreneuriat": "accompagner-un-professionnel",
    "Papiers": "demarches-papiers",
    "Papiers - Élections - Citoyenneté": "demarches-papiers",
    "Famille": "demarches-famille",
    "Social-Santé": "demarches-social-sante",
    "Travail": "demarches-travail",
    "Travail - Formation": "demarches-travail",
    "Transports": "demarches-transports",
    "Argent": "demarches-argent",
    "Étrangers": "demarches-etrangers",
    "Loisirs": "demarches-loisirs",
}

CURRENT_LABELS = {slug: label for slug, _key, label in THEMES + ADMIN_SUBTHEMES}
