"""The Celery application (Celery's "First steps with Django").

Run a worker with `celery -A celery_app worker`, the scheduler with `celery -A celery_app beat`.
`site/` goes on the path first: see README, "Layout".
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
for path in (str(ROOT / "site"), str(ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from celery import Celery, signals  # noqa: E402

app = Celery("pas_a_pas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Database connections in a worker. Celery's Django fix-up closes them before and after
# every task unless CELERY_DB_REUSE_MAX is set (config/settings/base.py sets it): a new
# PostgreSQL connection per task, i.e. per sign-up notice. Reused instead, they get the
# checks Django gives them around a request: closed when unusable (after a database
# restart) or older than CONN_MAX_AGE. Not for eager tasks (run inside a request or a
# test's transaction, whose connection is not ours to close).
@signals.task_prerun.connect(weak=False)
@signals.task_postrun.connect(weak=False)
def _database_connections_checked(task=None, **kwargs) -> None:
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
