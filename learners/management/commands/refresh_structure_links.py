from django.core.management.base import BaseCommand, CommandError

from learners.services.activity import structure_links_check
from learners.services.job_log import error_text, job_run_command


class Command(BaseCommand):
    help = (
        "Remet en accord, sur chaque lien personne–structure, les dates copiées pour les "
        "tableaux de bord des conseillers (dernière présence, dernier progrès, blocage). "
        "Seuls les liens décalés sont modifiés."
    )

    def handle(self, *args, **options):
        try:
            result = job_run_command(name="structure_links_refresh", func=structure_links_check)
        except Exception as error:
            raise CommandError(f"La tâche a échoué : {error_text(error)}") from error
        self.stdout.write(self.style.SUCCESS(result["summary"]))
