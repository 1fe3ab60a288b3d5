from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from api.services.tombstones import api_tombstones_purge, retention_days


class Command(BaseCommand):
    help = (
        "Supprime les retraits (suppressions, dépublications) publiés par l'API depuis plus "
        "de API_TOMBSTONE_RETENTION_DAYS jours (90 par défaut)."
    )

    def handle(self, *args, **options):
        deleted = api_tombstones_purge()
        message = ngettext(
            "%(count)d retrait de plus de %(days)d jours supprimé.",
            "%(count)d retraits de plus de %(days)d jours supprimés.",
            deleted,
        ) % {"count": deleted, "days": retention_days()}
        self.stdout.write(self.style.SUCCESS(message))
