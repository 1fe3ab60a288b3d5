"""`python manage.py restore --input DIR --database-url URL`: see health.backups."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from health.backups import BackupError, restore_run


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (dossier pasapas-…) dans une base PostgreSQL existante et "
        "vide, et les médias dans un dossier vide, puis compare les nombres de lignes et les "
        "sommes de contrôle avec le manifeste."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, help="dossier pasapas-…")
        parser.add_argument(
            "--database-url", required=True, help="base cible, postgres://…/nom (créée avant)"
        )
        parser.add_argument("--media-root", type=Path, help="dossier des médias (MEDIA_ROOT)")
        parser.add_argument(
            "--force", action="store_true", help="écraser une base ou des médias non vides"
        )

    def handle(self, *args, input: Path, database_url: str, media_root, force: bool, **options):
        started = time.monotonic()
        try:
            result = restore_run(
                folder=input, database_url=database_url, media_root=media_root, force=force
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.differences:
            raise CommandError("Restauration incomplète :\n" + "\n".join(result.differences[:50]))
        self.stdout.write(
            f"Restauration vérifiée : {result.tables} tables, {result.rows} lignes, "
            f"{result.media_files} fichiers de médias identiques à la sauvegarde "
            f"({time.monotonic() - started:.1f} s)"
        )
