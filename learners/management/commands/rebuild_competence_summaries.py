from django.core.management.base import BaseCommand, CommandError

from learners.models import Learner
from learners.services.progress import summary_rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les synthèses par compétence à partir des seules observations "
        "(pour tout le monde, ou pour une personne avec --learner)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learner", type=int, help="Identifiant de la personne.")

    def handle(self, *args, **options):
        learner = None
        if options["learner"] is not None:
            learner = Learner.objects.filter(pk=options["learner"]).first()
            if learner is None:
                raise CommandError("Personne introuvable.")
        written = summary_rebuild(learner=learner)
        self.stdout.write(self.style.SUCCESS(f"{written} synthèses recalculées."))
