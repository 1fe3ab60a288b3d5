"""A counsellor recognises an existing person ("c'est cette personne") instead of creating a
duplicate: the record is attached to their structure, so they may see and follow it.

Structures that may see a person are the `LearnerStructure` rows (the creator, structures
whose sessions the person attended, those of merged records). A counsellor of another
structure only ever saw the safe fields of the match hints (first name, initial, birth
year, commune); attaching is allowed only for a record that the same description matches
(`learner_match_queryset`), with a last name and a birth year typed, and it is written to
the audit log on that person.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from learners.choices import AuditAction
from learners.models import Commune, Learner, LearnerStructure
from learners.roles import counsellor_structure, is_coordinator
from learners.selectors.people import learner_match_queryset

from ._common import refuse
from .activity import structure_links_refresh
from .audit import audit_log_record


def learner_attach_to_structure(
    *,
    user,
    learner: Learner,
    first_name: str,
    last_name: str,
    birth_year: int | None,
    commune: Commune | None = None,
) -> bool:
    """Attach `learner` to the counsellor's structure. `first_name`, `last_name`,
    `birth_year` and `commune` are what the counsellor typed before the match hints were
    shown; the record must match them. Returns True when a link was created (False when
    the structure already followed the person). Coordinators see every record already."""
    structure = counsellor_structure(user)
    if structure is None:
        if is_coordinator(user):
            raise ValidationError(_("La coordination voit déjà toutes les fiches."))
        refuse(_("Vous n'avez pas accès au suivi des personnes."))
    if not last_name.strip() or birth_year is None:
        raise ValidationError(
            _(
                "Pour reconnaître une personne déjà suivie ailleurs, indiquez son nom et son "
                "année de naissance."
            )
        )
    matches = learner_match_queryset(
        first_name=first_name,
        last_name=last_name,
        birth_year=birth_year,
        commune=commune,
    )
    if learner.pk is None or not matches.filter(pk=learner.pk).exists():
        # Same answer whether the record exists or not: nothing is revealed.
        refuse(_("Cette fiche ne correspond pas à la personne décrite."))
    with transaction.atomic():
        if LearnerStructure.objects.filter(learner=learner, structure=structure).exists():
            return False
        LearnerStructure.objects.bulk_create(
            [LearnerStructure(learner=learner, structure=structure)], ignore_conflicts=True
        )
        structure_links_refresh(learner_ids=[learner.pk])
        audit_log_record(
            user=user,
            action=AuditAction.UPDATE,
            learner=learner,
            detail=f"fiche rattachée à la structure {structure.pk} (personne reconnue)",
        )
    return True
