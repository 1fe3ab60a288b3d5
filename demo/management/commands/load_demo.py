import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.twofactor import two_factor_required
from demo import agenda, publishing, site, tracking
from learners.codes import code_format
from learners.services.communes import communes_load


class Command(BaseCommand):
    help = "Charge le contenu de démonstration en français (sans effet s'il est déjà chargé)."

    def handle(self, *args, **options):
        logins: list[tuple[str, str, str]] = []
        with transaction.atomic():
            communes_load()  # national commune list, idempotent (a few seconds)
            logins += site.load()
            logins += publishing.load()
            carnet_code = tracking.load()  # tracking demo, after its users and pages
            agenda.load()  # the public agenda, on the tracking demo's venues
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
        self.stdout.write("Comptes de démonstration (administration sur /admin/) :")
        for role, username, password in logins:
            self.stdout.write(
                f"  - {role} : identifiant « {username} », mot de passe « {password} »"
            )
        notice = two_factor_notice([username for _role, username, _password in logins])
        if notice:
            self.stdout.write(notice)
        holder, counsellor = tracking.demo_carnet_holder()
        self.stdout.write(
            # bin/run serves on $PORT (8000 by default).
            f"Carnet de démonstration de {holder} (suivie par « {counsellor} ») : ouvrez "
            f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/carnet/ et saisissez le code "
            f"{code_format(carnet_code)}"
        )


def two_factor_notice(usernames: list[str]) -> str:
    """One line telling a newcomer which demo logins must enrol an authenticator app at
    their first login (coordinators, when `ADMIN_2FA_REQUIRED_FOR_COORDINATORS` is on), so
    the enrolment page that follows the password is expected; empty when none must."""
    users = get_user_model().objects.filter(username__in=usernames)
    required = sorted(user.username for user in users if two_factor_required(user))
    if not required:
        return ""
    quoted = [f"« {name} »" for name in required]
    names = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " et " + quoted[-1]
    verb, their = ("doit", "son") if len(quoted) == 1 else ("doivent", "leur")
    return (
        "Validation en deux étapes obligatoire pour la coordination : à la première "
        f"connexion, {names} {verb} installer une application d'authentification sur "
        f"{their} téléphone (FreeOTP, Aegis, Google Authenticator…), scanner le QR code "
        f"affiché et noter {'ses' if len(quoted) == 1 else 'leurs'} codes de secours."
    )
