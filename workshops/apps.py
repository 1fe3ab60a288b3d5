from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = "Ateliers et fiches pratiques"

    def ready(self) -> None:
        from workshops import signals

        signals.connect()

        # The pages' context builders live above the models (see PAGE_CONTEXTS).
        from workshops.models.pages import PAGE_CONTEXTS
        from workshops.selectors import atelier_detail, guide_detail
        from workshops.views.public import atelier_index_context, guide_index_context

        PAGE_CONTEXTS.update(
            guide_index=guide_index_context,
            atelier_index=atelier_index_context,
            guide_detail=guide_detail,
            atelier_detail=atelier_detail,
        )

        # Pillow's decompression-bomb guard at the upload limit, for every image it opens
        # (renditions included): a warning above it, an error above twice it.
        from django.conf import settings
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS

        # Role groups, permissions and the review workflow, after every migrate (idempotent).
        from django.db.models.signals import post_migrate

        from workshops.services.editorial import editorial_setup_after_migrate

        post_migrate.connect(
            editorial_setup_after_migrate, sender=self, dispatch_uid="workshops_editorial_setup"
        )
