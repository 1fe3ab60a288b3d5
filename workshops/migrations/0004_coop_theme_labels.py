"""Aligns the national themes' names with La Coop de la médiation numérique's current
labels (`workshops.theme_labels`), by slug: renames those that changed, adds any missing.
Sessions, guides and statistics follow (the slugs and ids do not change)."""

from django.db import migrations

# Frozen copy (a migration must not change when the module does): slug → label.
THEMES = (
    ("diagnostic-numerique", "Diagnostic numérique"),
    ("prendre-en-main-du-materiel", "Prendre en main du matériel"),
    ("maintenance-de-materiel", "Maintenance de matériel"),
    ("gerer-ses-contenus-numeriques", "Gérer ses contenus numériques"),
    ("navigation-sur-internet", "Navigation sur internet"),
    ("e-mail", "E-mail"),
    ("bureautique", "Bureautique"),
    ("reseaux-sociaux", "Réseaux sociaux communication"),
    ("sante", "Santé"),
    ("banque-et-achats-en-ligne", "Banque et achats en ligne"),
    ("accompagner-un-professionnel", "Accompagner un professionnel"),
    ("insertion-professionnelle", "Insertion professionnelle"),
    ("securite-numerique", "Prévention en sécurité numérique"),
    ("parentalite", "Parentalité"),
    ("scolarite-et-numerique", "Scolarité et numérique"),
    ("creer-avec-le-numerique", "Créer avec le numérique"),
    ("culture-numerique", "Culture numérique"),
    ("intelligence-artificielle", "Intelligence artificielle (IA)"),
    ("aide-aux-demarches-administratives", "Aide aux démarches administratives"),
)
PARENT = "aide-aux-demarches-administratives"
SUBTHEMES = (
    ("demarches-papiers", "Papiers - Élections - Citoyenneté"),
    ("demarches-famille", "Famille - Scolarité"),
    ("demarches-social-sante", "Social - Santé"),
    ("demarches-travail", "Travail - Formation - Entreprise"),
    ("demarches-logement", "Logement"),
    ("demarches-transports", "Transports - Mobilité"),
    ("demarches-argent", "Argent - Impôts"),
    ("demarches-justice", "Justice"),
    ("demarches-etrangers", "Étrangers - Europe"),
    ("demarches-loisirs", "Loisirs - Sports - Culture"),
    ("demarches-associations", "Associations"),
)


def align(apps, schema_editor):
    Theme = apps.get_model("workshops", "Theme")
    for order, (slug, name) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "is_national": True, "parent": None}
        )
        Theme.objects.filter(slug=slug, sort_order=0).update(sort_order=order)
    parent = Theme.objects.get(slug=PARENT)
    for order, (slug, name) in enumerate(SUBTHEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "is_national": True, "parent": parent},
            create_defaults={
                "name": name,
                "is_national": True,
                "parent": parent,
                "sort_order": 100 + order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("workshops", "0003_guide_feedback")]

    operations = [migrations.RunPython(align, migrations.RunPython.noop)]
