"""Signal receivers of the publishing app, connected in `WorkshopsConfig.ready()`."""

from wagtail.signals import page_published

from workshops.models import GuidePage


def guide_published(sender, instance, **kwargs) -> None:
    """Queues the pre-generation of the guide's image renditions once the publication is
    committed (the worker must see the published content)."""
    from workshops.tasks import guide_renditions_generate

    guide_renditions_generate.delay_on_commit(instance.pk)


def connect() -> None:
    page_published.connect(
        guide_published, sender=GuidePage, dispatch_uid="workshops.guide_renditions"
    )
