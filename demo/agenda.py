"""Demo content of the public agenda (« Près de chez vous »), after the tracking demo (its
venues, structures and counsellors): how to reach each venue, which take appointments, and
published upcoming sessions relative to today:

- ateliers following the demo curricula (« Créer et utiliser son adresse e-mail »…) at
  several venues, one of them a 6-week cycle (every Tuesday, sign-up to the whole cycle);
- a monthly « café numérique » (temps d'échange) at Mouilleron-le-Captif;
- the weekly permanence of each venue for the next four weeks;
- one full atelier with a waiting list: sign-ups with demo first names and no contact
  details (nobody real is ever messaged);
- one cancelled atelier, with its reason.

**Idempotent.** The sessions carry an `external_id` « demo-agenda-… »; they are created
only when no such session is still to come, so a second run (the same day or while the
demo dates are ahead) changes nothing, and a run weeks later plans a new set from that day.
Venue details are filled only where empty. Sign-ups are written as rows (the sign-up
service sends messages; the demo must not), with their seat rules respected.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from caching import versions
from learners.choices import SessionKind
from learners.models import Booking, BookingStatus, Counsellor, Session, SessionSeries, Venue
from learners.models.bookings import SignupScope
from workshops.models import AtelierPage

MARK = "demo-agenda-"

# Venue external_id → (access details, takes appointments, phone as the standard writes it).
VENUE_DETAILS = {
    "demo-lieu-la-roche-sur-yon": (
        "Bus Impulsyon ligne 2, arrêt « Bourg-sous-la-Roche ». Parking gratuit devant le "
        "bâtiment. Entrée par la porte vitrée, salle au rez-de-chaussée.",
        True,
        "+33251000001",
    ),
    "demo-lieu-landeronde": (
        "Dans la mairie, place de l'église. Parking sur la place. Salle du conseil au "
        "rez-de-chaussée.",
        False,
        "+33251000002",
    ),
    "demo-lieu-mouilleron-le-captif": (
        "Derrière la salle de sport, parking des associations. Bus ligne 5, arrêt « Sports ».",
        False,
        "+33251000003",
    ),
    "demo-lieu-dompierre-sur-yon": (
        "Au centre-bourg, à côté de la poste. Sonnez à l'accueil, une personne vient vous "
        "chercher.",
        True,
        "+33251000004",
    ),
}
# Demo first names of the full atelier's sign-ups (no contact details).
FULL_NAMES = ("Odette", "Gérard", "Martine", "Yvette", "Alain", "Colette")
WAITING_NAMES = ("Raymond", "Simone")


def load(*, today: datetime.date | None = None) -> int:
    """Creates what is missing (module docstring); returns the number of sessions made."""
    today = today or timezone.localdate()
    with transaction.atomic():
        venues = {v.external_id: v for v in Venue.objects.filter(external_id__in=VENUE_DETAILS)}
        for external_id, venue in venues.items():
            _venue_details_ensure(venue, *VENUE_DETAILS[external_id])
        if len(venues) < len(VENUE_DETAILS):
            return 0
        if Session.objects.filter(external_id__startswith=MARK, start__gt=timezone.now()).exists():
            return 0
        made = _sessions_plan(today, venues)
        versions.bump_now_and_on_commit(versions.AGENDA)
    return made


def _venue_details_ensure(venue: Venue, access: str, appointments: bool, phone: str) -> None:
    changed = []
    if not venue.access_details:
        venue.access_details, changed = access, [*changed, "access_details"]
    if not venue.phone:
        venue.phone, changed = phone, [*changed, "phone"]
    if appointments and not venue.takes_appointments:
        venue.takes_appointments, changed = True, [*changed, "takes_appointments"]
    if changed:
        venue.save(update_fields=[*changed, "updated_at"])


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _next_weekday(today: datetime.date, weekday: int, *, after_days: int = 1) -> datetime.date:
    day = today + datetime.timedelta(days=after_days)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


class _Planner:
    def __init__(self, today: datetime.date, venues: dict[str, Venue]) -> None:
        self.today = today
        self.venues = venues
        self.made = 0
        self.ateliers = {a.slug: a for a in AtelierPage.objects.live().public()}
        self.counsellors = {
            c.structure_id: c
            for c in Counsellor.objects.filter(
                structure__in=[v.structure_id for v in venues.values()]
            ).order_by("pk")
        }
        self.author = get_user_model().objects.filter(username="camille.martin").first()

    def atelier(self, slug_part: str) -> AtelierPage | None:
        return next((a for slug, a in sorted(self.ateliers.items()) if slug_part in slug), None)

    def session(self, key: str, venue: str, start: datetime.datetime, **fields) -> Session:
        place = self.venues[venue]
        atelier = fields.pop("atelier", None)
        if atelier is not None:
            fields.setdefault("title", atelier.title)
            fields.setdefault("duration_minutes", atelier.duration_minutes or 120)
            fields.setdefault("capacity", atelier.group_size_max or 8)
            fields.setdefault("level", atelier.level)
        session = Session(
            kind=fields.pop("kind", SessionKind.WORKSHOP),
            structure_id=place.structure_id,
            venue=place,
            start=start,
            atelier=atelier,
            is_published=True,
            external_id=f"{MARK}{key}-{start:%Y%m%d}",
            created_by=self.author,
            **fields,
        )
        session.full_clean()
        session.save()
        if atelier is not None:
            session.themes.set(atelier.themes.all())
            session.audiences.set(atelier.audiences.all())
        counsellor = self.counsellors.get(place.structure_id)
        if counsellor is not None:
            session.counsellors.set([counsellor])
        self.made += 1
        return session


def _sessions_plan(today: datetime.date, venues: dict[str, Venue]) -> int:
    plan = _Planner(today, venues)
    roche, landeronde = "demo-lieu-la-roche-sur-yon", "demo-lieu-landeronde"
    mouilleron, dompierre = "demo-lieu-mouilleron-le-captif", "demo-lieu-dompierre-sur-yon"
    _cycle(plan, roche)
    _ateliers(plan, landeronde, mouilleron, dompierre)
    _full_with_waiting_list(plan, dompierre)
    _cancelled(plan, landeronde)
    for n, day in enumerate(
        (_next_weekday(today, 4, after_days=6), today + datetime.timedelta(36))
    ):
        plan.session(
            f"cafe-{n}",
            mouilleron,
            _at(day, 10),
            kind=SessionKind.DISCUSSION,
            title="Café numérique : vos questions, nos astuces",
            duration_minutes=90,
            capacity=15,
            what_to_bring="Vos questions, votre téléphone ou votre tablette si vous en avez un.",
        )
    for venue, (weekday, hour, minute) in {
        roche: (1, 9, 30),
        landeronde: (3, 14, 0),
        mouilleron: (2, 14, 0),
        dompierre: (4, 9, 0),
    }.items():
        for week in range(4):
            day = _next_weekday(today, weekday) + datetime.timedelta(weeks=week)
            plan.session(
                f"permanence-{venue}-{week}",
                venue,
                _at(day, hour, minute),
                kind=SessionKind.DROP_IN,
                title="Permanence numérique",
                duration_minutes=120,
                capacity=None,
                what_to_bring="Vos identifiants et les papiers de votre démarche.",
            )
    return plan.made


def _cycle(plan: _Planner, venue: str) -> None:
    """Every Tuesday afternoon for six weeks, one sign-up for the whole cycle."""
    atelier = plan.atelier("adresse-e-mail")
    first = _next_weekday(plan.today, 1, after_days=5)
    series = SessionSeries.objects.create(
        structure_id=plan.venues[venue].structure_id,
        title="Créer et utiliser son adresse e-mail (6 séances)",
        signup_scope=SignupScope.WHOLE_CYCLE,
        created_by=plan.author,
    )
    for week in range(6):
        plan.session(
            f"cycle-{week}",
            venue,
            _at(first + datetime.timedelta(weeks=week), 14),
            atelier=atelier,
            title=f"Créer et utiliser son adresse e-mail ({week + 1}/6)",
            series=series,
            what_to_bring="Votre téléphone chargé, ou votre tablette.",
            accessibility_note="Salle de plain-pied, boucle magnétique.",
        )


def _ateliers(plan: _Planner, *venues: str) -> None:
    for n, (slug, venue, days, hour) in enumerate(
        (
            ("smartphone", venues[0], 4, 10),
            ("arnaques", venues[1], 9, 14),
            ("franceconnect", venues[2], 12, 14),
            ("visio", venues[1], 18, 10),
            ("sante", venues[2], 25, 14),
            ("intelligence-artificielle", venues[0], 30, 14),
        )
    ):
        atelier = plan.atelier(slug)
        if atelier is None:
            continue
        plan.session(
            f"atelier-{n}",
            venue,
            _at(plan.today + datetime.timedelta(days=days), hour),
            atelier=atelier,
            what_to_bring="Votre téléphone chargé.",
        )


def _full_with_waiting_list(plan: _Planner, venue: str) -> None:
    atelier = plan.atelier("arnaques") or plan.atelier("")
    session = plan.session(
        "complet",
        venue,
        _at(plan.today + datetime.timedelta(days=6), 14),
        atelier=atelier,
        capacity=len(FULL_NAMES),
        waitlist_capacity=4,
        what_to_bring="Votre téléphone chargé.",
    )
    rows = [(name, BookingStatus.CONFIRMED) for name in FULL_NAMES]
    rows += [(name, BookingStatus.WAITING) for name in WAITING_NAMES]
    Booking.objects.bulk_create(
        [
            Booking(
                session=session,
                first_name=name,
                status=status,
                token=secrets.token_urlsafe(32),
            )
            for name, status in rows
        ]
    )


def _cancelled(plan: _Planner, venue: str) -> None:
    plan.session(
        "annule",
        venue,
        _at(plan.today + datetime.timedelta(days=8), 14),
        atelier=plan.atelier("smartphone"),
        cancelled_at=timezone.now(),
        cancellation_reason="Le conseiller est absent cette semaine. L'atelier est reporté "
        "au mois prochain : nous vous prévenons dès que la date est fixée.",
    )
