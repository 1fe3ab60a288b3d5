"""Factories for the tracking app (factory_boy; dates through LazyFunction).

Users in a role: `coordinator_user()`, `counsellor_user(structure=...)`,
`partner_editor_user()`. Reference data (the socle and CRCN frameworks) comes from the
workshops migration: `socle_competences()`, `level(framework_slug, rank)`.
"""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from learners.choices import AttendanceStatus, PlaceType, SessionKind
from learners.models import (
    Attendance,
    Commune,
    Counsellor,
    Learner,
    LearnerStructure,
    Session,
    Structure,
    Venue,
)
from workshops.models import Competence, Level
from workshops.roles import COORDINATORS, COUNSELLORS, PARTNER_EDITORS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")


def _in_group(user, name: str):
    group, _created = Group.objects.get_or_create(name=name)
    user.groups.add(group)
    return user


class CommuneFactory(factory.django.DjangoModelFactory):
    """Fictional communes ("T0001"…) around La Roche-sur-Yon, in département 85."""

    class Meta:
        model = Commune

    insee_code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Commune test {n}")
    department_code = "85"
    region_code = "52"
    postal_codes = "85000"
    latitude = 46.67
    longitude = -1.43
    population = 1000


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = "association"


class CounsellorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counsellor
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)

    @factory.post_generation
    def in_group(self, create, extracted, **kwargs):
        if create and extracted is not False:
            _in_group(self.user, COUNSELLORS)


def counsellor_user(*, structure: Structure | None = None, manager: bool = False):
    kwargs = {"is_structure_manager": manager}
    if structure is not None:
        kwargs["structure"] = structure
    return CounsellorFactory(**kwargs).user


def coordinator_user():
    return _in_group(UserFactory(), COORDINATORS)


def partner_editor_user():
    return _in_group(UserFactory(), PARTNER_EDITORS)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    structure = factory.SubFactory(StructureFactory)
    name = factory.Sequence(lambda n: f"Lieu {n}")
    commune = factory.SubFactory(CommuneFactory)
    address = "1 place de la Mairie"
    postal_code = "85000"


class LearnerFactory(factory.django.DjangoModelFactory):
    """A person, linked to their structure like `learner_create` does."""

    class Meta:
        model = Learner
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    birth_year = factory.Faker("random_int", min=1935, max=2010)
    structure = factory.SubFactory(StructureFactory)
    information_given_at = factory.LazyFunction(timezone.localdate)
    last_activity_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def link(self, create, extracted, **kwargs):
        if create:
            LearnerStructure.objects.get_or_create(learner=self, structure=self.structure)


def _tomorrow_at_ten() -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    kind = SessionKind.DROP_IN
    structure = factory.SubFactory(StructureFactory)
    place_type = PlaceType.VENUE
    venue = factory.SubFactory(VenueFactory, structure=factory.SelfAttribute("..structure"))
    start = factory.LazyFunction(_tomorrow_at_ten)
    duration_minutes = 60

    @factory.post_generation
    def competences(self, create, extracted, **kwargs):
        if create and extracted:
            self.competences.set(extracted)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    learner = factory.SubFactory(
        LearnerFactory, structure=factory.SelfAttribute("..session.structure")
    )
    status = AttendanceStatus.PRESENT


def socle_competences() -> list[Competence]:
    return list(Competence.objects.filter(framework__slug="socle").order_by("sort_order", "code"))


def crcn_competences() -> list[Competence]:
    return list(Competence.objects.filter(framework__slug="crcn").order_by("sort_order", "code"))


def level(framework_slug: str, rank: int) -> Level:
    return Level.objects.get(framework__slug=framework_slug, rank=rank)


def observe(user, learner, competence, rank: int, day: datetime.date):
    """A counsellor's observation of `learner` at level `rank` of the beginner framework
    ("socle") on `day`, through the service (summary and structure links updated)."""
    from learners.services import observation_record

    return observation_record(
        user=user,
        learner=learner,
        competence=competence,
        level=level("socle", rank),
        observed_on=day,
    )


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """An aware datetime on `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
