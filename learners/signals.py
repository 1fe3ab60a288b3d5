"""Reactions of the tracking app to changes made elsewhere (workshops may not import
learners, so learners listens)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from learners.models import AnonymousParticipants, Attendance, Learner, Session
from learners.services.activity import structure_links_refresh_soon
from learners.services.activity_summaries import (
    activity_summaries_refresh,
    activity_summaries_refresh_for_people,
)
from workshops.models import Level


@receiver(post_save, sender=Level, dispatch_uid="learners_level_saved")
@receiver(post_delete, sender=Level, dispatch_uid="learners_level_deleted")
def framework_levels_changed(sender, instance, raw=False, **kwargs):
    """A level added, re-ranked or removed can change its framework's top level, hence
    who counts as stuck: the dashboard's copies on structure links are recomputed after
    the commit, in the background (about 30 s for the whole network at national scale)."""
    if not raw:  # not while loading fixtures
        structure_links_refresh_soon()


@receiver(post_save, sender=Attendance, dispatch_uid="learners_attendance_summary_saved")
@receiver(post_delete, sender=Attendance, dispatch_uid="learners_attendance_summary_deleted")
@receiver(post_save, sender=AnonymousParticipants, dispatch_uid="learners_anonymous_summary_saved")
@receiver(
    post_delete, sender=AnonymousParticipants, dispatch_uid="learners_anonymous_summary_deleted"
)
def session_participants_changed(sender, instance, raw=False, origin=None, **kwargs):
    """A single attendance line or anonymous count saved or deleted outside the services
    (admin, shell, fixtures): its session's participant summary follows. Bulk writes are
    covered by the services (`learners.services.activity_records`). Skipped when the
    session itself is being deleted (its summary goes with it)."""
    if raw or isinstance(origin, Session) or getattr(origin, "model", None) is Session:
        return
    activity_summaries_refresh(session_ids=[instance.session_id])


@receiver(post_save, sender=Learner, dispatch_uid="learners_learner_summary_saved")
def learner_counts_changed(sender, instance, created=False, raw=False, update_fields=None, **kw):
    """A person's birth year or gender may have changed: the summaries of the sessions
    where they are present follow (nothing to do for a new person or a save of other
    fields)."""
    if raw or created:
        return
    if update_fields is not None and not {"birth_year", "gender"} & set(update_fields):
        return
    activity_summaries_refresh_for_people(learner_ids=[instance.pk])
