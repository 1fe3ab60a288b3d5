from django.core.management.base import BaseCommand

from api.services.tombstones import api_tombstones_purge, retention_days


class Command(BaseCommand):
    help = (
        "Supprime les retraits (suppressions, dépublications) publiés par l'API depuis plus "
        "de API_TOMBSTONE_RETENTION_DAYS jours (90 par défaut)."
    )

    def handle(self, *args, **options):
        deleted = api_tombstones_purge()
        self.stdout.write(
            self.style.SUCCESS(f"{deleted} retraits de plus de {retention_days()} jours supprimés.")
        )
