from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API de lecture"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401 - connects the tombstones' receivers
