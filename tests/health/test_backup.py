"""Backups: a populated PostgreSQL database and its media, backed up with `backup`,
restored with `restore` into a NEW database, hold the same rows in every table and the
same media files (checksums). PostgreSQL only: skipped with a printed reason on SQLite,
unless BACKUP_TEST_REQUIRED=1 (CI's PostgreSQL step), where SQLite is a failure."""

import datetime
import os
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from health.backups import DUMP, MANIFEST, BackupError, Target, media_files, table_counts
from tests.factories.editorial import guide_create
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    counsellor_user,
    observe,
    socle_competences,
)
from tests.factories.workshops import DocumentFactory, ImageFactory

KEY_TABLES = (
    "public.learners_learner",
    "public.learners_session",
    "public.learners_attendance",
    "public.learners_observation",
    "public.wagtailcore_page",
    "public.wagtailimages_image",
    "public.wagtaildocs_document",
)


def test_sqlite_is_refused_with_a_plain_message():
    with pytest.raises(BackupError, match="PostgreSQL uniquement"):
        Target.from_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"})


def _postgres_required() -> None:
    if connection.vendor != "postgresql":
        reason = (
            "sauvegarde et restauration : PostgreSQL uniquement (DATABASE_URL=postgres://…), "
            "test ignoré sur SQLite"
        )
        if os.environ.get("BACKUP_TEST_REQUIRED") == "1":
            pytest.fail(reason)
        print(f"\nSKIP: {reason}")
        pytest.skip(reason)


def _populate() -> None:
    structure = StructureFactory(name="Centre social de Challans")
    counsellor = counsellor_user(structure=structure)
    people = LearnerFactory.create_batch(12, structure=structure)
    competences = socle_competences()[:3]
    for day in range(3):
        session = SessionFactory(structure=structure)
        for person in people[day * 4 : day * 4 + 6]:
            AttendanceFactory(session=session, learner=person)
    for index, person in enumerate(people[:6]):
        observe(
            counsellor, person, competences[index % 3], 1 + index % 2, datetime.date(2026, 3, 2)
        )
    guide_create(title="Envoyer une pièce jointe", steps=2)
    ImageFactory.create_batch(2)
    DocumentFactory(title="Fiche mémo : mots de passe")


@pytest.fixture
def restore_database():
    """A new, empty database next to the test one (dropped afterwards)."""
    _postgres_required()
    source = Target.from_settings(connection.settings_dict)
    name = os.environ.get("BACKUP_TEST_DATABASE") or f"{source.name}_restore"
    admin = Target(**{**source.__dict__, "name": "postgres"})
    with admin.connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    target = Target(**{**source.__dict__, "name": name})
    password = f":{target.password}" if target.password else ""
    url = f"postgres://{target.user or 'postgres'}{password}@{target.host or '127.0.0.1'}"
    url += f":{target.port or 5432}/{name}"
    yield target, url
    with admin.connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_into_a_new_database_gives_the_same_counts(
    tmp_path, capsys, restore_database
):
    _populate()
    with connection.cursor() as cursor:
        source_counts = table_counts(cursor)
    source_media = media_files(Path(settings.MEDIA_ROOT))
    assert all(source_counts[table] > 0 for table in KEY_TABLES), source_counts
    assert len(source_media) >= 3  # two images and a document (renditions aside)

    started = time.monotonic()
    call_command("backup", output=tmp_path / "sauvegardes")
    backup_seconds = time.monotonic() - started
    (folder,) = (tmp_path / "sauvegardes").iterdir()
    assert "Sauvegarde écrite" in capsys.readouterr().out

    target, url = restore_database
    media = tmp_path / "medias-restaurees"
    started = time.monotonic()
    call_command("restore", input=folder, database_url=url, media_root=media)
    restore_seconds = time.monotonic() - started
    assert "Restauration vérifiée" in capsys.readouterr().out
    with target.connect() as conn, conn.cursor() as cursor:
        restored_counts = table_counts(cursor)
    assert restored_counts == source_counts
    assert media_files(media) == source_media

    sizes = {path.name: path.stat().st_size for path in folder.iterdir()}
    print(
        f"\nbackup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s, "
        f"{len(source_counts)} tables, {sum(source_counts.values())} rows, sizes {sizes}"
    )

    # A second restore over the now non-empty database is refused...
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", input=folder, database_url=url, media_root=tmp_path / "m2")
    # ...and a damaged archive is refused before anything is written.
    damaged = tmp_path / "abimee"
    shutil.copytree(folder, damaged)
    with (damaged / DUMP).open("ab") as stream:
        stream.write(b"\0")
    with pytest.raises(CommandError, match="somme de contrôle"):
        call_command("restore", input=damaged, database_url=url, force=True)
    assert (damaged / MANIFEST).exists()
