"""A per-session summary of who took part, kept by the services, read by the API.

The read API's activity record counts the people present at a session by age band and
gender, plus the anonymous participants. Computing those counts at read time joins the
attendance lines and the people: at national scale (10,000,000 attendance lines) a full
sync spent minutes aggregating before its first record. The summary holds the counts, one
row per session with participants, written in the same transaction as the change by
`learners.services.activity_summaries` (called by `learners.services.activity_records`
and by signals on single saves). A session without a row has nobody counted.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .sessions import Session


class SessionActivitySummary(models.Model):
    """The participants of one session's activity record: people present (registered)
    and anonymous participants, each band and gender code present as a key."""

    session = models.OneToOneField(
        Session,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="activity_summary",
        verbose_name=_("séance"),
    )
    registered = models.PositiveIntegerField(_("personnes inscrites présentes"), default=0)
    anonymous = models.PositiveIntegerField(_("participants anonymes"), default=0)
    by_age_band = models.JSONField(_("par tranche d'âge"), default=dict)
    by_gender = models.JSONField(_("par genre"), default=dict)

    class Meta:
        verbose_name = _("résumé d'activité d'une séance")
        verbose_name_plural = _("résumés d'activité des séances")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.registered} + {self.anonymous}"
