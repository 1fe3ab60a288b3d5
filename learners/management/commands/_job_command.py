"""Shared by the job commands: the `--today` option and running through the job log."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from learners.services.job_log import error_text, job_run_command


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"Date invalide « {value} » : écrivez-la AAAA-MM-JJ, par exemple 2025-03-14."
        ) from error


class JobCommand(BaseCommand):
    """Runs `run(today)` as the job `job_name`, logged in the admin's "Tâches de fond"."""

    job_name = ""

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=parse_day,
            help="Faire comme si l'on était ce jour-là (AAAA-MM-JJ) ; par défaut aujourd'hui.",
        )

    def run(self, today: datetime.date | None):  # pragma: no cover - abstract
        raise NotImplementedError

    def handle(self, *args, **options):
        try:
            result = job_run_command(name=self.job_name, func=lambda: self.run(options["today"]))
        except Exception as error:
            raise CommandError(f"La tâche a échoué : {error_text(error)}") from error
        self.stdout.write(self.style.SUCCESS(result.summary))
