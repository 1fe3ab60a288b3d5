"""A small network for the open data tests: real communes around La Roche-sur-Yon, two
structures, venues (one taking appointments), counsellors with their communes, atelier
curricula with upcoming public sessions, and the sessions that must never be published."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from learners.choices import SessionKind
from learners.models import Venue
from tests.agenda.conftest import at, communes, public_session  # noqa: F401
from tests.factories.learners import (
    CounsellorFactory,
    LearnerFactory,
    StructureFactory,
    UserFactory,
    VenueFactory,
)
from tests.factories.workshops import AtelierPageFactory, audience, theme

COUNSELLOR = {"first_name": "Odette", "last_name": "Brisebois", "email": "odette@exemple.fr"}
LEARNER = {"first_name": "Yvette", "last_name": "Pétillon"}


@pytest.fixture
def opendata_network(communes):  # noqa: F811
    yon = StructureFactory(name="Ville de La Roche-sur-Yon", kind="commune", siret="21850191700011")
    yon.commune = communes["85191"]
    yon.save()
    bourg = VenueFactory(
        structure=yon,
        name="Espace numérique du Bourg",
        commune=communes["85191"],
        postal_code="85000",
        address="10 rue du Bourg",
        latitude=46.67,
        longitude=-1.426,
        opening_hours="Tu-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off",
        phone="02 51 00 00 01",
        email="bourg@mairie-exemple.fr",
        website="https://www.mairie-exemple.fr",
        takes_appointments=True,
    )
    mairie = VenueFactory(
        structure=yon,
        name="Médiathèque Benjamin-Rabier",
        commune=communes["85155"],
        postal_code="",
        opening_hours="n'importe quand",  # not opening_hours syntax: never published
    )
    user = UserFactory(**COUNSELLOR)
    counsellor = CounsellorFactory(structure=yon, user=user)
    counsellor.communes.set([communes["85191"], communes["85118"]])
    LearnerFactory(structure=yon, **LEARNER)

    email = AtelierPageFactory(
        title="Créer son adresse e-mail",
        themes=[theme("e-mail"), theme("demarches-logement")],
        audiences=[audience("seniors"), audience("parents")],
    )
    scams = AtelierPageFactory(title="Se protéger des arnaques", themes=[])
    public_session(bourg, days=2, atelier=email, title=email.title)
    public_session(bourg, days=9, atelier=email, title=email.title)
    public_session(mairie, days=4, atelier=scams, title=scams.title)
    public_session(bourg, days=6, atelier=scams, title=scams.title)
    public_session(bourg, days=3, title="Permanence", kind=SessionKind.DROP_IN)

    # A second structure: a venue, no appointments, only an unpublished session.
    quiet = StructureFactory(name="Association Landeronde Numérique")
    quiet_venue = VenueFactory(structure=quiet, name="Salle des fêtes", commune=communes["85118"])
    return {
        "yon": yon,
        "bourg": bourg,
        "mairie": mairie,
        "quiet": quiet,
        "quiet_venue": quiet_venue,
        "email": email,
        "scams": scams,
        "counsellor": counsellor,
    }


def hidden_sessions(*, venue: Venue, atelier, inactive_venue: Venue) -> None:
    """Sessions of `atelier` that no public file may show."""
    public_session(venue, days=5, atelier=atelier, is_published=False)
    public_session(venue, days=7, atelier=atelier, cancelled_at=timezone.now())
    public_session(venue, days=-2, atelier=atelier)  # already held
    public_session(venue, days=8, atelier=atelier, kind=SessionKind.INDIVIDUAL)
    public_session(inactive_venue, days=3, atelier=atelier)


def yesterday() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=1)
