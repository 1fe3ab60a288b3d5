"""Backups of the PostgreSQL database and of MEDIA_ROOT, and their restoration.

A backup is a folder `pasapas-<AAAAMMJJ-HHMMSS>/` holding:

- `database.dump`: `pg_dump --format=custom` (compressed; restored with `pg_restore`,
  table by table, into a database of any owner: `--no-owner --no-privileges`);
- `media.tar.gz`: every file under MEDIA_ROOT (uploaded images and documents);
- `manifest.json`: date, database server version, the row count of every table of the
  database at the time of the dump (read in the dump's own snapshot: `pg_dump` runs with
  `--snapshot` of the transaction that counts), the media files with their SHA-256, and the
  SHA-256 of the two archives, so a restore checks what it got before writing anything,
  and the restored database is compared with the counts after.

`restore` refuses a target database that already has tables, or a non-empty media folder,
unless `--force` (then the database is cleaned by `pg_restore --clean` and media files
with the same names are replaced). PostgreSQL only: the embedded SQLite default is one
file, copy it while the site is stopped.

The commands are `python manage.py backup --output DIR` and `python manage.py restore
--input DIR/pasapas-… --database-url postgres://…`; see the README, "Backups".
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
FORMAT_VERSION = 1
IGNORED_MEDIA = {".gitkeep"}


class BackupError(Exception):
    """A backup or restore that cannot go on: a plain French message for the operator."""


@dataclass
class Target:
    """Connection parameters of a PostgreSQL database (from settings or a URL)."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, params: dict) -> Target:
        if "postgresql" not in params["ENGINE"]:
            raise BackupError(
                "Sauvegarde et restauration : PostgreSQL uniquement. La base SQLite par "
                "défaut est un seul fichier : copiez-le, site arrêté."
            )
        return cls(
            name=params["NAME"],
            host=params.get("HOST") or "",
            port=str(params.get("PORT") or ""),
            user=params.get("USER") or "",
            password=params.get("PASSWORD") or "",
        )

    @classmethod
    def from_url(cls, url: str) -> Target:
        return cls.from_settings(dj_database_url.parse(url))

    def args(self) -> list[str]:
        """Connection options of pg_dump / pg_restore (the password goes in PGPASSWORD)."""
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def env(self) -> dict:
        env = {**os.environ}
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(
            dbname=self.name,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
            autocommit=True,
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


TABLES_SQL = """
    SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)
    FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 1
"""


def table_counts(cursor) -> dict[str, int]:
    """Exact row count of every table (schema-qualified names), in the cursor's snapshot."""
    cursor.execute(TABLES_SQL)
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - names from pg_tables
        counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path) -> dict[str, str]:
    """{relative path: SHA-256} of every file under `root`."""
    files = {}
    if not root.exists():
        return files
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name not in IGNORED_MEDIA:
            files[path.relative_to(root).as_posix()] = sha256_of(path)
    return files


def _run(command: list[str], *, env: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(
            f"{command[0]} est introuvable : installez les outils clients PostgreSQL "
            "(paquet postgresql-client, de la même version majeure que le serveur ou plus)."
        )
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from the operator
        [tool, *command[1:]], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} a échoué ({done.returncode}) :\n{done.stderr.strip()}")


def backup_create(*, output: Path, media_root: Path | None = None) -> Path:
    """Write a backup folder under `output`; returns its path."""
    source = Target.from_settings(connection.settings_dict)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(output) / f"pasapas-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    started = timezone.now()
    # Count in a REPEATABLE READ transaction and dump in the same snapshot: the counts in
    # the manifest are exactly what the dump holds, even while the site is in use.
    with source.connect() as conn:
        conn.autocommit = False
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            counts = table_counts(cursor)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(folder / DUMP),
                    *source.args(),
                    source.name,
                ],
                env=source.env(),
            )
        conn.rollback()
    files = media_files(media_root)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        for name in files:
            archive.add(media_root / name, arcname=name, recursive=False)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": started.isoformat(),
        "finished_at": timezone.now().isoformat(),
        "database": {"name": source.name, "server_version": server_version},
        "tables": counts,
        "media": files,
        "checksums": {DUMP: sha256_of(folder / DUMP), MEDIA: sha256_of(folder / MEDIA)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return folder


def manifest_read(folder: Path) -> dict:
    """The manifest, after checking the archives' checksums (BackupError otherwise)."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"Pas de {MANIFEST} dans {folder} : ce n'est pas une sauvegarde.")
    manifest = json.loads(path.read_text())
    for name, expected in manifest["checksums"].items():
        file = Path(folder) / name
        if not file.exists() or sha256_of(file) != expected:
            raise BackupError(
                f"{name} est absent ou abîmé (somme de contrôle différente) : "
                "rien n'a été restauré."
            )
    return manifest


@dataclass
class RestoreResult:
    tables: int
    rows: int
    media_files: int
    differences: list[str]


def restore_run(
    *, folder: Path, database_url: str, media_root: Path | None = None, force: bool = False
) -> RestoreResult:
    """Restore a backup folder into the database at `database_url` (which must exist) and
    its media into `media_root` (default MEDIA_ROOT), then compare the restored row counts
    and media checksums with the manifest. Refuses a non-empty target unless `force`."""
    manifest = manifest_read(folder)
    target = Target.from_url(database_url)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with target.connect() as conn, conn.cursor() as cursor:
        cursor.execute(TABLES_SQL)
        existing = len(cursor.fetchall())
    if existing and not force:
        raise BackupError(
            f"La base « {target.name} » n'est pas vide ({existing} tables) : restauration "
            "refusée. Restaurez dans une base neuve (createdb), ou ajoutez --force pour "
            "l'écraser."
        )
    present = media_files(media_root)
    if present and not force:
        raise BackupError(
            f"Le dossier des médias {media_root} n'est pas vide ({len(present)} fichiers) : "
            "restauration refusée. Indiquez un dossier vide (--media-root) ou --force."
        )
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    if existing:
        command += ["--clean", "--if-exists"]
    _run(
        [*command, *target.args(), "--dbname", target.name, str(Path(folder) / DUMP)],
        env=target.env(),
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(Path(folder) / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    with target.connect() as conn, conn.cursor() as cursor:
        counts = table_counts(cursor)
    differences = [
        f"{table} : {expected} lignes sauvegardées, {counts.get(table)} restaurées"
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    ]
    restored_media = media_files(media_root)
    differences += [
        f"média {name} : absent ou différent"
        for name, digest in manifest["media"].items()
        if restored_media.get(name) != digest
    ]
    return RestoreResult(
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=len(manifest["media"]),
        differences=differences,
    )
