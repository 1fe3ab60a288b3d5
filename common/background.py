"""Starting a background job without importing the module that defines it.

Tasks are thin and sit above the services they call (`learners.tasks` imports the
services), so a service that must queue a job cannot import its task: that would be an
import cycle (services → tasks → services). The service asks for the task by the name it
is registered under (`@shared_task(name=...)`) in Celery's own task registry instead, and
keeps queueing it the usual way (`delay_on_commit`, or `delay` inside `on_commit`). Each
app imports its `tasks` module in `AppConfig.ready`, so the registry is filled in every
process (web, worker, management commands, tests), not only where Celery autodiscovers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from celery import current_app

if TYPE_CHECKING:
    from celery.contrib.django.task import DjangoTask


def background_task(name: str) -> DjangoTask[..., Any]:
    """The task registered under `name`, e.g. "learners.import_job_run" (a KeyError names a
    job that no app registered: a typo, or an app whose `ready` does not import its tasks)."""
    # Celery's Django fixup makes every task a DjangoTask (hence `delay_on_commit`); the
    # registry's stub only knows the base Task class.
    return cast("DjangoTask[..., Any]", current_app.tasks[name])
