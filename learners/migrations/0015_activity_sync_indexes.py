"""Indexes for the read API's activity records (cursor on modification, id).

Built with CREATE INDEX CONCURRENTLY on PostgreSQL: `learners_session` holds millions of
rows at national scale and a plain CREATE INDEX would block every write to it (sessions,
attendance sheets) while it builds. Other databases (SQLite in development) build them
plainly. Hence `atomic = False`.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """CONCURRENTLY on PostgreSQL, a plain CREATE INDEX elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(
                self, app_label, schema_editor, from_state, to_state
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state
            )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("learners", "0014_audit_api_action"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="session",
            index=models.Index(fields=["updated_at", "id"], name="session_sync_idx"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="session",
            index=models.Index(
                fields=["structure", "updated_at", "id"], name="session_structure_sync_idx"
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="learner",
            index=models.Index(
                fields=["id"], include=("birth_year", "gender"), name="learner_sync_counts_idx"
            ),
        ),
    ]
