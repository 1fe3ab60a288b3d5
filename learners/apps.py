from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = _("Suivi des personnes accompagnées")

    def ready(self) -> None:
        # The tasks register in Celery's registry, where the services look them up by name
        # (common.background: the services sit below the tasks and never import them).
        from . import checks, signals, tasks  # noqa: F401
