"""What the public carnet page shows (the view has opened the carnet with
`carnet_open_attempt`, or reads it back from the session with `carnet_openable_get`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from learners.choices import AttendanceStatus, SessionKind
from learners.models import Carnet, GuideRead
from workshops.models import GuidePage

from .progress import CompetenceProgress, competence_progress_list, summaries_with_levels

if TYPE_CHECKING:
    from learners.models import SharingConsent


def carnet_openable_get(*, carnet_id: int) -> Carnet | None:
    """The carnet a signed cookie names, with its `learner`, while it still opens (not
    revoked, its person not anonymised); None otherwise. Re-read on every request, so a
    revoked code closes the carnet whatever the cookie says."""
    return Carnet.objects.openable().select_related("learner").filter(pk=carnet_id).first()


@dataclass(frozen=True)
class AtelierAttended:
    title: str
    date: datetime.date
    atelier_id: int | None


@dataclass
class CarnetOverview:
    """First name only, ateliers attended, competences with levels, "je sais faire"
    statements, and the next guides to read."""

    first_name: str
    ateliers: list[AtelierAttended]
    competences: list[CompetenceProgress]
    next_guides: list[GuidePage]

    @property
    def can_do(self) -> list[str]:
        return [c.competence.can_do for c in self.competences if c.can_do and c.competence.can_do]


def carnet_overview(*, carnet: Carnet, guide_limit: int = 6) -> CarnetOverview:
    """The carnet's content in a constant number of queries. Next guides: live, public
    guides linked to a competence the person has not completed, that they have not marked
    as read, most recently published first."""
    learner = carnet.learner
    attendances = (
        learner.attendances.filter(
            status=AttendanceStatus.PRESENT, session__kind=SessionKind.WORKSHOP
        )
        .select_related("session__atelier")
        .order_by("-session__start")
    )
    ateliers = [
        AtelierAttended(
            title=(
                a.session.atelier.title
                if a.session.atelier is not None
                else a.session.display_title
            ),
            date=a.session.local_date,
            atelier_id=a.session.atelier_id,
        )
        for a in attendances
    ]
    competences = competence_progress_list(
        summaries_with_levels(learner.competence_summaries.all())
    )
    in_progress = [c.competence.pk for c in competences if not c.is_complete]
    next_guides = []
    if in_progress:
        read = GuideRead.objects.filter(learner_id=learner.pk).values("guide_id")
        next_guides = list(
            GuidePage.objects.live()
            .public()
            .filter(competences__in=in_progress)
            .exclude(pk__in=read)
            .distinct()
            .order_by("-first_published_at", "pk")[:guide_limit]
        )
    return CarnetOverview(
        first_name=learner.first_name,
        ateliers=ateliers,
        competences=competences,
        next_guides=next_guides,
    )


@dataclass(frozen=True)
class StructureFollowing:
    """A structure that follows the carnet's person, and whether the person lets it see
    their whole record (`consent_id`: the active consent to withdraw, else None)."""

    name: str
    consent_id: int | None
    consent_given_at: datetime.datetime | None


def carnet_structures(*, carnet: Carnet) -> list[StructureFollowing]:
    """The structures following the person, with their sharing consents (two queries)."""
    from learners.models import LearnerStructure, SharingConsent

    consents = {
        consent.structure_id: consent
        for consent in SharingConsent.objects.filter(
            learner_id=carnet.learner_id, revoked_at__isnull=True
        )
    }
    rows = []
    for link in (
        LearnerStructure.objects.filter(learner_id=carnet.learner_id)
        .select_related("structure")
        .order_by("structure__name")
    ):
        consent = consents.get(link.structure_id)
        rows.append(
            StructureFollowing(
                name=link.structure.name,
                consent_id=consent.pk if consent else None,
                consent_given_at=consent.given_at if consent else None,
            )
        )
    return rows


def carnet_consent_active(*, carnet: Carnet, consent_id: int) -> SharingConsent | None:
    """An active sharing consent of the carnet's holder, or None (another person's id, or
    one already withdrawn: the same answer)."""
    from learners.models import SharingConsent

    return SharingConsent.objects.filter(
        pk=consent_id, learner_id=carnet.learner_id, revoked_at__isnull=True
    ).first()
