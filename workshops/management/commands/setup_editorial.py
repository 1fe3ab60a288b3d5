"""Creates or completes the editorial groups, permissions and review workflow."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from workshops.services.editorial import editorial_setup


class Command(BaseCommand):
    help = _(
        "Crée ou complète les groupes Conseillers, Coordinateurs et Éditeurs partenaires, "
        "leurs droits et le circuit de relecture (sans effet si tout existe déjà)."
    )

    def handle(self, *args, **options) -> None:
        editorial_setup(using=options.get("database") or "default")
        self.stdout.write(self.style.SUCCESS(_("Groupes, droits et relecture à jour.")))
