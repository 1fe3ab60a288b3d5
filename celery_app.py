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

from celery import Celery  # noqa: E402

app = Celery("pas_a_pas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
