"""Everything the system holds on one person (right of access, RGPD art. 15 and 20).

`learner_data_export(user=..., learner_id=...)` returns a JSON-serialisable dict, the same
for the JSON download and the printable page. Keys are stable French identifiers (a
format the person or another service can read); values are what the admin shows (French
labels, dates in the site's time zone, ISO 8601).

Scope: the person must be visible to the user (coordinator: everyone; counsellor: people
linked to their structure; `Learner.DoesNotExist` otherwise, so the view answers 404).
A counsellor's export covers what their structure holds (`learners.scoping`): the
sessions it held, the observations it recorded and the levels computed from them, the
audit entries of its own staff, and the contact details, notes and carnet only when it
holds the record (creating structure, or the person's consent). With the person's
consent it also gives the other structures' sessions and observations. The complete
export (every structure's data) is the coordination's: `perimetre` says which one this
is. The carnet code is never included (only its HMAC is stored).
Audit entries say when, what, and which structure (or "la coordination du réseau") read
or changed the record, not the staff member's login (CJEU C-579/21: the dates and
purposes of consultations are due, the employees' identities are not).

A constant number of queries (about sixteen) whatever the amount of data. Sign-ups
made with the person's phone or e-mail but never linked to them are found by the export
by contact (`learners.selectors.bookings_privacy.contact_data_export`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone

from common.french_text import french_de
from common.types import AnyUser
from learners.attestations.urls import verification_url
from learners.choices import AttendanceStatus, AuditAction
from learners.models import (
    Attendance,
    Attestation,
    AuditLog,
    Carnet,
    CompetenceSummary,
    GuideRead,
    Learner,
    LearnerStructure,
    Observation,
    ReminderSent,
    SharingConsent,
)
from learners.scoping import (
    attendances_of_learner,
    has_consent,
    holds_record,
    observations_of_learner,
    scope_structure_id,
)
from workshops.models import Theme

from .bookings_privacy import booking_items_of_learner
from .people import _summaries_from, learner_get_for_user

EXPORT_FORMAT_VERSION = 1

_M = TypeVar("_M", bound=Model)


def _dt(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def _d(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _label(instance: Attendance, field: str) -> str:
    value = getattr(instance, field)
    if not value:
        return ""
    return str(getattr(instance, f"get_{field}_display")())


def _actor(entry: AuditLog) -> str:
    if entry.user_id is None:
        if entry.action == AuditAction.READ and entry.detail.startswith("carnet"):
            return "vous-même (carnet de progression)"
        return "traitement automatique" if not entry.username else "compte supprimé"
    counsellor = getattr(entry.user, "counsellor", None)
    if counsellor is not None:
        return f"conseiller ou conseillère numérique {french_de(counsellor.structure.name)}"
    return "la coordination du réseau"


@dataclass(frozen=True)
class _Reader:
    """Who reads the record and what of it they may see."""

    user: AnyUser
    learner: Learner
    scope: int | bool  # `scope_structure_id`: True for the coordination
    consent: bool  # the person agreed to share with the reader's structure
    holds: bool  # the reader's structure holds the record

    @property
    def complete(self) -> bool:
        return self.scope is True

    def scoped(self, queryset: QuerySet[_M]) -> QuerySet[_M]:
        """`queryset` limited to the reader's structure, unless the export is complete."""
        return queryset if self.complete else queryset.filter(structure_id=self.scope)


def _structures(reader: _Reader) -> list[dict]:
    links = reader.scoped(LearnerStructure.objects.filter(learner=reader.learner))
    return [
        {
            "nom": link.structure.name,
            "type": link.structure.get_kind_display(),
            "depuis": _dt(link.created_at),
        }
        for link in links.select_related("structure").order_by("created_at", "id")
    ]


def _attendance_item(
    attendance: Attendance, reminder_sent_at: datetime.datetime | None
) -> dict[str, Any]:
    session = attendance.session
    venue = session.venue
    return {
        "date": _dt(session.start),
        "seance": session.display_title,
        "type_seance": session.get_kind_display(),
        "duree_minutes": session.duration_minutes,
        "type_lieu": session.get_place_type_display(),
        "lieu": venue.name if venue else "",
        "commune_du_lieu": venue.commune.name if venue else "",
        "structure": session.structure.name,
        "thematiques": [theme.name for theme in session.themes.all()],
        "presence": attendance.get_status_display(),
        "materiel": _label(attendance, "equipment"),
        "autonomie": _label(attendance, "autonomy"),
        "orientee_vers": attendance.referred_to,
        "rappel_envoye_le": _dt(reminder_sent_at),
    }


def _attendances(reader: _Reader) -> list[dict]:
    learner = reader.learner
    reminders = dict(
        ReminderSent.objects.filter(attendance__learner=learner, sent_at__isnull=False).values_list(
            "attendance_id", "sent_at"
        )
    )
    return [
        _attendance_item(attendance, reminders.get(attendance.pk))
        for attendance in (
            attendances_of_learner(reader.user, learner, consent=reader.consent)
            .select_related("session__venue__commune", "session__structure", "session__atelier")
            .prefetch_related(Prefetch("session__themes", queryset=Theme.objects.order_by("name")))
            .order_by("session__start", "id")
        )
    ]


def _observation_item(o: Observation) -> dict[str, Any]:
    return {
        "date": _d(o.observed_on),
        "referentiel": o.competence.framework.name,
        "competence": f"{o.competence.code} {o.competence.name}",
        "niveau": o.level.name,
        "source": o.get_source_display(),
        "seance_du": _dt(o.session.start) if o.session is not None else None,
    }


def _summary_item(s: CompetenceSummary) -> dict[str, Any]:
    return {
        "referentiel": s.competence.framework.name,
        "competence": f"{s.competence.code} {s.competence.name}",
        "premier_niveau": s.first_level.name,
        "niveau_actuel": s.current_level.name,
        "meilleur_niveau": s.best_level.name,
        "nombre_observations": s.observation_count,
        "premiere_observation": _d(s.first_observed_on),
        "derniere_observation": _d(s.last_observed_on),
    }


def _progress(reader: _Reader) -> tuple[list[dict], list[dict]]:
    """(observations, summaries per competence): with consent, the stored summaries (every
    structure's observations); otherwise summaries of the observations the reader sees."""
    readable = list(
        observations_of_learner(reader.user, reader.learner, consent=reader.consent)
        .select_related("competence__framework", "competence__domain", "level", "session")
        .order_by("observed_on", "id")
    )
    stored: Iterable[CompetenceSummary]
    if reader.consent:
        stored = (
            CompetenceSummary.objects.filter(learner=reader.learner)
            .select_related("competence__framework", "first_level", "current_level", "best_level")
            .order_by("competence__framework__name", "competence__sort_order", "competence__code")
        )
    else:
        stored = _summaries_from(readable)
    return [_observation_item(o) for o in readable], [_summary_item(s) for s in stored]


def _carnets(reader: _Reader) -> list[dict]:
    # The query runs even when the reader does not hold the record: a constant count.
    carnets = [
        {
            "remis_le": _dt(c.created_at),
            "actif": c.is_active,
            "revoque_le": _dt(c.revoked_at),
            "derniere_ouverture": _dt(c.last_opened_at),
            "nombre_ouvertures": c.open_count,
        }
        for c in Carnet.objects.filter(learner=reader.learner).order_by("created_at", "id")
    ]
    return carnets if reader.holds else []


def _attestations(reader: _Reader) -> list[dict]:
    """Attestations issued by the reader's structure (all of them for the coordination)."""
    return [
        {
            "delivree_le": _dt(a.issued_at),
            "par": a.structure.name,
            "competences": [f"{c.code} {c.name}" for c in a.competences.all()],
            "nom_affiche": a.get_name_shown_display(),
            "revoquee_le": _dt(a.revoked_at or a.key.revoked_at),
            "verification": verification_url(a.public_id),
        }
        for a in reader.scoped(Attestation.objects.filter(learner=reader.learner))
        .select_related("structure", "key")
        .prefetch_related("competences")
        .order_by("issued_at", "id")
    ]


def _guides(reader: _Reader) -> list[dict]:
    guides = [
        {"titre": read.guide.title, "adresse": read.guide.url or "", "lue_le": _dt(read.read_at)}
        for read in GuideRead.objects.filter(learner=reader.learner)
        .select_related("guide")
        .order_by("read_at", "id")
    ]
    return guides if reader.holds else []


def _audit(reader: _Reader) -> list[dict]:
    entries = reader.scoped(AuditLog.objects.filter(learner=reader.learner))
    return [
        {
            "date": _dt(entry.created_at),
            "action": entry.get_action_display(),
            "detail": entry.detail,
            "par": _actor(entry),
        }
        for entry in entries.select_related("user__counsellor__structure").order_by(
            "created_at", "id"
        )
    ]


def _sharing_consents(reader: _Reader) -> list[dict]:
    return [
        {
            "structure": c.structure.name,
            "donne_le": _dt(c.given_at),
            "comment": c.get_method_display(),
            "retire_le": _dt(c.revoked_at),
        }
        for c in reader.scoped(SharingConsent.objects.filter(learner=reader.learner))
        .select_related("structure")
        .order_by("given_at", "id")
    ]


def _perimeter_text(*, complete: bool, consent: bool) -> str:
    """What the export covers, in French."""
    if complete:
        return "toutes les données du réseau"
    return (
        "données enregistrées par la structure qui a produit cet export"
        + (" et, avec votre accord, celles des autres structures" if consent else "")
        + " ; la coordination du réseau peut fournir l'export complet"
    )


def _identity(reader: _Reader, *, last_seen: str | None) -> dict:
    learner, holds = reader.learner, reader.holds
    commune = learner.commune
    return {
        "prenom": learner.first_name,
        "nom": learner.last_name,
        "annee_de_naissance": learner.birth_year,
        "commune_de_residence": (
            f"{commune.name} ({commune.insee_code})" if commune is not None else ""
        ),
        "genre": learner.get_gender_display(),
        "statut": learner.get_social_status_display(),
        "remarques": learner.notes if holds else "",
        "identifiant_reseau": learner.network_id,
        "identifiant_externe": learner.external_id if holds else "",
        "structure_d_accueil": learner.structure.name if holds else "",
        "fiche_creee_le": _dt(learner.created_at),
        "fiche_modifiee_le": _dt(learner.updated_at),
        "derniere_activite": _dt(learner.last_activity_at),
        "derniere_presence": _d(learner.last_attended_on) if reader.consent else last_seen,
    }


def _information(reader: _Reader) -> dict:
    learner, holds = reader.learner, reader.holds
    return {
        "base_legale": learner.get_legal_basis_display(),
        "personne_informee_le": _d(learner.information_given_at),
        "accepte_d_etre_contactee": learner.contact_consent if holds else None,
        "accord_recueilli_le": _dt(learner.contact_consent_at) if holds else None,
        "telephone": learner.phone if holds else "",
        "courriel": learner.email if holds else "",
    }


def _reader(*, user: AnyUser, learner_id: int) -> _Reader:
    learner = learner_get_for_user(user=user, learner_id=learner_id)
    learner = type(learner).objects.select_related("commune", "structure").get(pk=learner.pk)
    scope = scope_structure_id(user)
    assert scope is not None  # learner_get_for_user refused a user without a scope
    consent = has_consent(user, learner)
    holds = holds_record(user, learner, consent=consent)
    return _Reader(user=user, learner=learner, scope=scope, consent=consent, holds=holds)


def learner_data_export(*, user: AnyUser, learner_id: int) -> dict[str, Any]:
    """See the module docstring. Raises `Learner.DoesNotExist` when out of scope."""
    reader = _reader(user=user, learner_id=learner_id)
    learner = reader.learner
    structures = _structures(reader)
    attendances = _attendances(reader)
    observations, summaries = _progress(reader)
    present = [a["date"] for a in attendances if a["presence"] == _present_label()]
    carnets, guides, audit = _carnets(reader), _guides(reader), _audit(reader)
    return {
        "document": "Données personnelles enregistrées dans Pas à pas",
        "format": EXPORT_FORMAT_VERSION,
        "genere_le": _dt(timezone.now()),
        "perimetre": _perimeter_text(complete=reader.complete, consent=reader.consent),
        "identite": _identity(reader, last_seen=present[-1][:10] if present else None),
        "information_et_consentement": _information(reader),
        "accords_de_partage": _sharing_consents(reader),
        "conservation": {
            "duree_sans_activite_en_mois": settings.RETENTION_MONTHS,
            "anonymisation_prevue_a_partir_du": _d(_retention_day(learner.last_activity_at)),
        },
        "structures_qui_accompagnent": structures,
        "presences": attendances,
        # Sign-ups made on the public agenda and linked to the person (those at the
        # reader's structure's sessions; all of them for the coordination or with consent).
        "inscriptions_en_ligne": booking_items_of_learner(
            user=reader.user, learner=learner, complete=reader.complete or reader.consent
        ),
        "observations": observations,
        "syntheses_par_competence": summaries,
        "carnets_de_progression": carnets,
        "attestations_de_competences": _attestations(reader),
        "fiches_lues": guides,
        "journal_des_acces": audit,
    }


def _present_label() -> str:
    return str(AttendanceStatus.PRESENT.label)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (the last day of a shorter month)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate_day in range(day.day, 0, -1):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 1 always exists


def _retention_day(last_activity: datetime.datetime) -> datetime.date:
    """The first day the retention job anonymises the person (if nothing happens before)."""
    day = timezone.localdate(last_activity) + datetime.timedelta(days=1)
    # months_before with a negative count moves forward.
    return months_before(day, -settings.RETENTION_MONTHS)
