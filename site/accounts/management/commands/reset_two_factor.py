"""Remove a user's authenticator and recovery codes (lost phone and lost codes)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts import twofactor


class Command(BaseCommand):
    help = (
        "Supprime l'application d'authentification et les codes de secours d'un compte "
        "(téléphone et codes perdus). Un compte de coordination devra en activer une autre "
        "à sa prochaine connexion."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Aucun compte « {username} ».")
        twofactor.two_factor_disable(user=user)
        self.stdout.write(f"Validation en deux étapes supprimée pour « {username} ».")
