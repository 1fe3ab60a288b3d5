from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Ateliers et fiches pratiques"

    def ready(self) -> None:
        from workshops import signals

        signals.connect()

        # Role groups, permissions and the review workflow, after every migrate (idempotent).
        from django.db.models.signals import post_migrate

        from workshops.services.editorial import editorial_setup_after_migrate

        post_migrate.connect(
            editorial_setup_after_migrate, sender=self, dispatch_uid="workshops_editorial_setup"
        )
