"""Real communes (coordinates and postal codes from the shipped national list) and public
sessions around La Roche-sur-Yon, for the agenda's tests; and the sign-up fixtures
(published sessions, the notices' task spied) shared with tests/learners/bookings/."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from learners.choices import SessionKind
from learners.models import Commune
from tests.factories.learners import SessionFactory, StructureFactory, VenueFactory
from tests.learners.bookings.conftest import in_days, make_session, notices, structure  # noqa: F401

# insee: (name, postal codes, latitude, longitude, population, delegated names)
COMMUNES = {
    "85191": ("La Roche-sur-Yon", "85000", 46.66594, -1.4162, 54952, ""),
    "85155": ("Mouilleron-le-Captif", "85000", 46.7102, -1.4594, 5200, ""),
    "85118": ("Landeronde", "85150", 46.6563, -1.5694, 2400, ""),
    "85194": ("Les Sables-d'Olonne", "85100 85180 85340", 46.52647, -1.76117, 48402, ""),
    "85222": ("Saint-Gilles-Croix-de-Vie", "85800", 46.68802, -1.92073, 7974, ""),
    "30258": ("Saint-Gilles", "30800", 43.66059, 4.41284, 14264, ""),
    "85146": ("Montaigu-Vendée", "85600", 46.97407, -1.29233, 20605, "Montaigu"),
    "02498": ("Montaigu", "02820", 49.55504, 3.84472, 764, ""),
    "85081": ("Dompierre-sur-Yon", "85170", 46.7394, -1.3864, 4300, ""),
}


@pytest.fixture
def communes(db) -> dict[str, Commune]:
    made = {}
    for code, (name, postal, lat, lng, population, delegated) in COMMUNES.items():
        made[code] = Commune.objects.create(
            insee_code=code,
            name=name,
            department_code=code[:2],
            postal_codes=postal,
            latitude=lat,
            longitude=lng,
            population=population,
            delegated_names=delegated,
        )
    return made


def at(days: int, hour: int = 14, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def public_session(venue, *, days: int = 3, hour: int = 14, **kwargs):
    kwargs.setdefault("kind", SessionKind.WORKSHOP)
    kwargs.setdefault("capacity", 8)
    kwargs.setdefault("is_published", True)
    return SessionFactory(
        structure=venue.structure,
        venue=venue,
        start=at(days, hour),
        duration_minutes=kwargs.pop("duration_minutes", 120),
        **kwargs,
    )


@pytest.fixture
def network(communes):
    """Three venues: La Roche (centre), Mouilleron (about 6 km), Les Sables (about 40 km);
    one inactive venue at La Roche."""
    yon = StructureFactory(name="Espace numérique de l'Yon")
    venues = {
        "roche": VenueFactory(
            structure=yon,
            name="Espace numérique du Bourg",
            commune=communes["85191"],
            postal_code="85000",
            latitude=46.6700,
            longitude=-1.4260,
        ),
        "mouilleron": VenueFactory(
            structure=yon,
            name="Maison des associations",
            commune=communes["85155"],
            postal_code="85000",
        ),
        "sables": VenueFactory(
            structure=yon,
            name="Médiathèque des Sables",
            commune=communes["85194"],
            postal_code="85100",
        ),
        "closed": VenueFactory(
            structure=yon,
            name="Ancien local",
            commune=communes["85191"],
            is_active=False,
        ),
    }
    return {"structure": yon, "venues": venues, "communes": communes}
