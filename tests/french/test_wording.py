"""Correct French on every public page type and the main admin pages (issue 16, item 8).

One world whose inserted names start with a vowel or a mute h (« Odette », « Yves »,
« Hélène », « Atelier Internet », « Espace Jean-Moulin », « Association Ages et Vie »,
« Angers ») and whose counts are 0, 1 and 2 (sign-ups, places left, people, sessions,
observations), with a session on the first of January; every page is rendered with the
test client and read for the errors in `tests/french/wording.py`. A failure lists each
page and the snippet."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from demo import legal as demo_legal
from learners.choices import SessionKind
from learners.models import Commune, MessageKind
from learners.roles import roles_cache_clear
from learners.services import carnet_issue, observation_record
from learners.services.notice_texts import Notice
from learners.services.reminders import reminder_message
from tests.factories.bookings import BookingFactory
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    StructureFactory,
    VenueFactory,
    coordinator_user,
    counsellor_user,
    level,
    socle_competences,
)
from tests.factories.workshops import AtelierPageFactory, GuidePageFactory, guide_steps, theme

from .wording import wording_errors

pytestmark = pytest.mark.django_db

NAMES = (
    "Odette",
    "Yves",
    "Hélène",
    "Atelier Internet",
    "Envoyer un e-mail",
    "Espace Jean-Moulin",
    "Association Ages et Vie",
    "Angers",
)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _first_of_january() -> datetime.datetime:
    year = timezone.localdate().year + 1
    return timezone.make_aware(datetime.datetime(year, 1, 1, 14))


def _wednesday(weeks: int) -> datetime.datetime:
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(2 - today.weekday()) % 7 + 7 * weeks)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))


@pytest.fixture
def world(db):
    angers = Commune.objects.create(
        insee_code="49007",
        name="Angers",
        department_code="49",
        postal_codes="49000 49100",
        latitude=47.4784,
        longitude=-0.5632,
        population=155850,
    )
    structure = StructureFactory(name="Association Ages et Vie", commune=angers)
    counsellor = counsellor_user(structure=structure, manager=True)
    counsellor.first_name, counsellor.last_name = "Yves", "Ollivier"
    counsellor.save()
    venue = VenueFactory(
        structure=structure, name="Espace Jean-Moulin", commune=angers, postal_code="49000"
    )
    guide = GuidePageFactory(
        title="Envoyer un e-mail", steps=guide_steps(2), themes=[theme("e-mail")]
    )
    socle = socle_competences()
    atelier = AtelierPageFactory(
        title="Atelier Internet", competences=socle[:2], related_guides=[guide]
    )
    odette = LearnerFactory(structure=structure, first_name="Odette", last_name="Aubert")
    yves = LearnerFactory(structure=structure, first_name="Yves", last_name="Imbert")
    LearnerFactory(structure=structure, first_name="Hélène", last_name="Hervé")
    # Sign-ups 0, 1 and 2 for places left 2, 1 and 0; one on the first of January.
    sessions = []
    for count, start in enumerate((_wednesday(1), _first_of_january(), _wednesday(2))):
        session = SessionFactory(
            structure=structure,
            venue=venue,
            kind=SessionKind.WORKSHOP,
            atelier=atelier,
            title="Atelier Internet",
            start=start,
            capacity=2,
            is_published=True,
        )
        session.counsellors.set([counsellor.counsellor])
        for first_name in ("Odette", "Yves")[:count]:
            BookingFactory(session=session, first_name=first_name)
        sessions.append(session)
    past = SessionFactory(
        structure=structure,
        venue=venue,
        start=timezone.now() - datetime.timedelta(days=9),
        duration_minutes=50,
    )
    past.counsellors.set([counsellor.counsellor])
    AttendanceFactory(session=past, learner=odette)
    observation_record(
        user=counsellor, learner=odette, competence=socle[0], level=level("socle", 1)
    )
    code = carnet_issue(user=counsellor, learner=odette)
    demo_legal.load()
    return {
        "counsellor": counsellor,
        "sessions": sessions,
        "past": past,
        "venue": venue,
        "guide": guide,
        "atelier": atelier,
        "odette": odette,
        "yves": yves,
        "code": code,
        "booking": sessions[1].bookings.get(),
    }


def _public_pages(world) -> dict[str, str]:
    sessions = world["sessions"]
    return {
        "accueil": "/",
        "liste des fiches": "/fiches/",
        "fiche": world["guide"].url,
        "liste des ateliers": "/ateliers/",
        "atelier": world["atelier"].url,
        "agenda": reverse("agenda:index"),
        "agenda autour d'Angers": reverse("agenda:index") + "?commune=49007",
        "lieu": reverse("agenda:venue", args=[world["venue"].pk]),
        **{
            f"séance (inscriptions : {n})": reverse("agenda:session", args=[s.pk])
            for n, s in enumerate(sessions)
        },
        "inscription": reverse("agenda:booking", args=[world["booking"].token]),
        "recherche avec résultats": "/recherche/?q=e-mail",
        "recherche sans résultat": "/recherche/?q=xylophone",
        "mentions légales": "/mentions-legales/",
        "accessibilité": "/accessibilite/",
        "confidentialité": "/politique-de-confidentialite/",
        "données ouvertes": "/donnees/",
        "page introuvable": "/cette-page-n-existe-pas/",
    }


def _admin_pages(world) -> dict[str, str]:
    sessions, odette, yves = world["sessions"], world["odette"], world["yves"]
    person = "learners_person_detail"
    return {
        "tableau de bord Wagtail": reverse("wagtailadmin_home"),
        "tableau de bord du suivi": reverse("learners_dashboard"),
        "personnes": reverse("learners_people"),
        "personnes : une trouvée": reverse("learners_people") + "?q=Odette",
        "personnes : aucune trouvée": reverse("learners_people") + "?q=Zoé",
        "fiche d'Odette": reverse(person, kwargs={"learner_id": odette.pk}),
        "fiche d'Yves": reverse(person, kwargs={"learner_id": yves.pk}),
        "séances": reverse("learners_sessions"),
        **{
            f"feuille de la séance (inscriptions : {n})": reverse(
                "learners_attendance_sheet", args=[s.pk]
            )
            for n, s in enumerate(sessions)
        },
        "feuille de la séance passée": reverse(
            "learners_attendance_sheet", args=[world["past"].pk]
        ),
        "inscriptions en ligne": reverse("learners_bookings"),
        "messages envoyés": reverse("learners_messages"),
        "imports": reverse("learners_imports"),
        "registre des traitements": reverse("learners_processing_register"),
    }


def _coordinator_pages() -> dict[str, str]:
    year = timezone.localdate().year
    statistics = reverse("learners_statistics")
    return {
        "statistiques du réseau": statistics,
        "statistiques de l'an prochain": f"{statistics}?du={year + 1}-01-01&au={year + 1}-12-31",
        "tableau de bord de la coordination": reverse("learners_dashboard"),
        "journal d'accès (coordination)": reverse("learners_audit"),
    }


def _check(client, pages: dict[str, str]) -> list[str]:
    errors = []
    for name, url in pages.items():
        response = client.get(url)
        if response.status_code != (404 if name == "page introuvable" else 200):
            errors.append(f"{name} ({url}) : statut {response.status_code}")
            continue
        errors += wording_errors(f"{name} ({url})", response.content.decode(), names=NAMES)
    return errors


def _report(errors: list[str]) -> str:
    return "Français à corriger :\n" + "\n".join(errors)


def test_public_pages_and_the_carnet(client, world):
    errors = _check(client, _public_pages(world))
    opened = client.post(reverse("carnet"), {"code": world["code"]})
    assert opened.status_code == 303
    errors += _check(client, {"carnet d'Odette": reverse("carnet")})
    assert not errors, _report(errors)


def test_admin_pages_as_a_counsellor(client, world):
    roles_cache_clear(world["counsellor"])
    client.force_login(world["counsellor"])
    errors = _check(client, _admin_pages(world))
    assert not errors, _report(errors)


def test_admin_pages_as_the_coordination(client, world):
    coordinator = coordinator_user()
    coordinator.first_name = "Émilie"
    coordinator.save()
    client.force_login(coordinator)
    errors = _check(client, _coordinator_pages())
    assert not errors, _report(errors)


def test_messages_to_people(world):
    """Every SMS and e-mail a sign-up can receive, for Odette's place on the first of
    January at the Espace Jean-Moulin."""
    booking = world["booking"]
    booking.email = "odette@example.org"
    booking.save()
    errors = []
    for kind in MessageKind.values:
        notice = Notice(booking=booking, kind=kind, given_reason="Salle indisponible")
        message = notice.email_message()
        texts = {
            "SMS": notice.sms_text(),
            "objet du courriel": message.subject,
            "courriel": message.body,
        }
        for part, text in texts.items():
            errors += wording_errors(f"{part} « {kind} »", html.escape(text), names=NAMES)
    # The day-before reminder of a session a counsellor put Odette on.
    attendance = AttendanceFactory(session=booking.session, learner=world["odette"])
    message = reminder_message(attendance)
    for part, text in {"objet du rappel": message.subject, "rappel": message.body}.items():
        errors += wording_errors(part, html.escape(text), names=NAMES)
    assert not errors, _report(errors)
