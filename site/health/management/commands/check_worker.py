import sys

from django.core.management.base import BaseCommand

from health.tasks import worker_probe


class Command(BaseCommand):
    help = "Envoie la sonde de santé à un worker Celery et affiche sa réponse."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args, timeout: float, **options):
        try:
            result = worker_probe.delay().get(timeout=timeout)
        except Exception as exc:
            self.stderr.write(f"Aucun worker n'a répondu ({type(exc).__name__}).")
            sys.exit(1)
        self.stdout.write(" ".join(f"{name}={state}" for name, state in result.items()))
        if any(state != "ok" for state in result.values()):
            sys.exit(1)
