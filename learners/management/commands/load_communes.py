from django.core.management.base import BaseCommand

from learners.services.communes import COMMUNES_FILE, communes_load


class Command(BaseCommand):
    help = (
        "Charge ou met à jour la liste des communes (codes INSEE) livrée avec le projet. "
        "Sans effet si elle est déjà à jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", default=str(COMMUNES_FILE), help="Fichier CSV (ou .csv.gz) à charger."
        )

    def handle(self, *args, **options):
        result = communes_load(path=options["file"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Communes : {result.created} créées, {result.updated} mises à jour, "
                f"{result.unchanged} inchangées."
            )
        )
