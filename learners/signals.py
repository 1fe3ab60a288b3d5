"""Reactions of the tracking app to changes made elsewhere (workshops may not import
learners, so learners listens)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from learners.services.activity import structure_links_refresh_soon
from workshops.models import Level


@receiver(post_save, sender=Level, dispatch_uid="learners_level_saved")
@receiver(post_delete, sender=Level, dispatch_uid="learners_level_deleted")
def framework_levels_changed(sender, instance, raw=False, **kwargs):
    """A level added, re-ranked or removed can change its framework's top level, hence
    who counts as stuck: the dashboard's copies on structure links are recomputed after
    the commit, in the background (about 30 s for the whole network at national scale)."""
    if not raw:  # not while loading fixtures
        structure_links_refresh_soon()
