"""Tombstones for the incremental sync: what leaves an API list without leaving a row
the list could find (`api.services.tombstones`)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_unpublished

from api.services.tombstones import api_tombstone_record
from learners.models import Counsellor, Session, Structure, Venue
from workshops.models import AtelierPage, GuidePage

PAGE_TYPES = {GuidePage: "fiche", AtelierPage: "atelier"}


@receiver(post_delete, sender=Session, dispatch_uid="api_session_deleted")
def session_deleted(sender, instance, **kwargs):
    api_tombstone_record(
        resource_type="session", object_id=instance.pk, structure_id=instance.structure_id
    )


@receiver(post_delete, sender=Venue, dispatch_uid="api_venue_deleted")
def venue_deleted(sender, instance, **kwargs):
    api_tombstone_record(
        resource_type="lieu", object_id=instance.pk, structure_id=instance.structure_id
    )


@receiver(post_delete, sender=Structure, dispatch_uid="api_structure_deleted")
def structure_deleted(sender, instance, **kwargs):
    api_tombstone_record(resource_type="structure", object_id=instance.pk, structure_id=instance.pk)


@receiver(post_delete, sender=Counsellor, dispatch_uid="api_counsellor_deleted")
def counsellor_deleted(sender, instance, **kwargs):
    api_tombstone_record(
        resource_type="conseiller", object_id=instance.pk, structure_id=instance.structure_id
    )


@receiver(pre_save, sender=Counsellor, dispatch_uid="api_counsellor_moved")
def counsellor_moved(sender, instance, raw=False, **kwargs):
    """A counsellor moved to another structure left the list of the old one's keys."""
    if raw or instance.pk is None:
        return
    before = Counsellor.objects.filter(pk=instance.pk).values_list("structure_id", flat=True)
    old = before.first()
    if old is not None and old != instance.structure_id:
        api_tombstone_record(resource_type="conseiller", object_id=instance.pk, structure_id=old)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="api_counsellor_account_saving")
def counsellor_account_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Notes whether the account was active before this save (for the handler below)."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    before = sender.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    instance._api_was_active = before


@receiver(post_save, sender=get_user_model(), dispatch_uid="api_counsellor_account_saved")
def counsellor_account_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A deactivated account: the counsellor left (the list shows active accounts). A
    re-activated one comes back: its profile's modification moves, so an incremental
    sync sends it again (the tombstone is no longer reported: it is listed)."""
    if created:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    was_active = getattr(instance, "_api_was_active", None)
    if instance.is_active:
        if was_active is False:
            Counsellor.objects.filter(user_id=instance.pk).update(updated_at=timezone.now())
        return
    profile = Counsellor.objects.filter(user_id=instance.pk).only("pk", "structure_id").first()
    if profile is not None:
        api_tombstone_record(
            resource_type="conseiller", object_id=profile.pk, structure_id=profile.structure_id
        )


def _page_gone(instance) -> None:
    resource_type = PAGE_TYPES.get(type(instance))
    if resource_type is not None:
        api_tombstone_record(resource_type=resource_type, object_id=instance.pk)


@receiver(page_unpublished, dispatch_uid="api_page_unpublished")
def page_was_unpublished(sender, instance, **kwargs):
    _page_gone(instance.specific)


@receiver(post_delete, sender=GuidePage, dispatch_uid="api_guide_deleted")
@receiver(post_delete, sender=AtelierPage, dispatch_uid="api_atelier_deleted")
def page_deleted(sender, instance, **kwargs):
    _page_gone(instance)
