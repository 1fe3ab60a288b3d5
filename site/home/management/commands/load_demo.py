import os

from django.core.management.base import BaseCommand
from django.db import transaction

from home import demo as home_demo
from learners import demo as learners_demo
from learners.codes import code_format
from learners.services.communes import communes_load
from workshops import demo as workshops_demo


class Command(BaseCommand):
    help = "Charge le contenu de démonstration en français (sans effet s'il est déjà chargé)."

    def handle(self, *args, **options):
        logins: list[tuple[str, str, str]] = []
        with transaction.atomic():
            communes_load()  # national commune list, idempotent (a few seconds)
            logins += home_demo.load()
            logins += workshops_demo.load()
            carnet_code = learners_demo.load()  # tracking demo, after its users and pages
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
        self.stdout.write("Comptes de démonstration (administration sur /admin/) :")
        for role, username, password in logins:
            self.stdout.write(
                f"  - {role} : identifiant « {username} », mot de passe « {password} »"
            )
        holder, counsellor = learners_demo.demo_carnet_holder()
        self.stdout.write(
            # bin/run serves on $PORT (8000 by default).
            f"Carnet de démonstration de {holder} (suivie par « {counsellor} ») : ouvrez "
            f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/carnet/ et saisissez le code "
            f"{code_format(carnet_code)}"
        )
