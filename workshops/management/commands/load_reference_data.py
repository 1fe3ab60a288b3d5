from django.core.management.base import BaseCommand
from django.db import transaction

from workshops import reference_data


class Command(BaseCommand):
    help = "Charge ou met à jour le CRCN, le socle, les thématiques nationales et les publics."

    def handle(self, *args, **options):
        with transaction.atomic():
            reference_data.load()
        self.stdout.write(self.style.SUCCESS("Données de référence à jour."))
