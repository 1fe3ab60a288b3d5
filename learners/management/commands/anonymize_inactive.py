from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learners.services.privacy import retention_candidates_count, retention_run

from ._job_command import JobCommand


class Command(JobCommand):
    help = (
        "Anonymise les personnes sans activité depuis RETENTION_MONTHS mois et supprime les "
        "lignes du journal d'accès plus anciennes que AUDIT_RETENTION_MONTHS mois."
    )
    job_name = "retention"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter les personnes concernées sans rien modifier.",
        )

    def handle(self, *args, **options):
        if options["dry_run"]:
            count = retention_candidates_count(today=options["today"])
            self.stdout.write(
                (
                    _("Aucune personne sans activité depuis %(months)d mois à anonymiser.")
                    if not count
                    else ngettext(
                        "%(n)d personne sans activité depuis %(months)d mois serait "
                        "anonymisée (rien n'a été modifié).",
                        "%(n)d personnes sans activité depuis %(months)d mois seraient "
                        "anonymisées (rien n'a été modifié).",
                        count,
                    )
                )
                % {"n": count, "months": settings.RETENTION_MONTHS}
            )
            return
        super().handle(*args, **options)

    def run(self, today):
        return retention_run(today=today)
