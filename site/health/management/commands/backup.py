"""`python manage.py backup --output DIR`: see health.backups and the README, "Backups"."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from health.backups import DUMP, MEDIA, BackupError, backup_create, manifest_read


class Command(BaseCommand):
    help = (
        "Sauvegarde la base PostgreSQL (pg_dump, format custom) et les médias (tar.gz) dans "
        "un dossier daté, avec un manifeste (nombre de lignes de chaque table, sommes SHA-256)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="dossier des sauvegardes")
        parser.add_argument("--media-root", type=Path, help="médias à sauvegarder (MEDIA_ROOT)")

    def handle(self, *args, output: Path, media_root: Path | None, **options):
        started = time.monotonic()
        try:
            folder = backup_create(output=output, media_root=media_root)
            manifest = manifest_read(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum((folder / name).stat().st_size for name in (DUMP, MEDIA))
        self.stdout.write(
            f"Sauvegarde écrite : {folder} ({len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} lignes, {len(manifest['media'])} fichiers "
            f"de médias, {size / 1e6:.1f} Mo, {time.monotonic() - started:.1f} s)"
        )
