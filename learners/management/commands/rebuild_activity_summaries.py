from django.core.management.base import BaseCommand

from learners.services.activity_summaries import activity_summaries_rebuild


class Command(BaseCommand):
    help = (
        "Recalcule le résumé des participants de chaque séance (lu par l'API) à partir des "
        "présences et des participants anonymes, après un chargement en masse ou pour réparer."
    )

    def handle(self, *args, **options):
        written = activity_summaries_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{written} résumés de séance recalculés."))
