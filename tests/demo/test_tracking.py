"""The tracking demo (`manage.py load_demo` → `demo.tracking.load`): idempotent, plausible,
and the printed carnet code opens a rich carnet.

The whole demo is loaded twice once for the module (inside a transaction rolled back at the
end), as in tests/demo/test_publishing.py; every test reads the result.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import re
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from demo import tracking as learners_demo
from demo.accounts import DEMO_COORDINATOR, DEMO_COUNSELLORS
from learners.choices import Gender, PlaceType, SessionKind, SocialStatus
from learners.codes import code_format, code_normalize
from learners.models import (
    AnonymousParticipants,
    Carnet,
    CompetenceSummary,
    Learner,
    Session,
    Structure,
    Venue,
)
from learners.progress import SUMMARY_FIELDS
from learners.roles import is_coordinator, is_counsellor
from learners.selectors import carnet_overview, counsellor_dashboard, learner_get_for_user
from learners.selectors.carnet_reads import carnet_read_guides
from learners.selectors.sessions import sessions_with_free_places
from learners.services import carnet_open, carnet_revoke, summary_rebuild

CODE_LINE = re.compile(
    r"Carnet de démonstration de (.+?) \(suivie par « ([a-z.]+) »\) : ouvrez "
    r"http://127\.0\.0\.1:\d+/carnet/ et saisissez le "
    r"code ([2-9A-Z]{4}(?:-[2-9A-Z]{4}){3})"
)


def _counts() -> dict[str, int]:
    """Rows of every model of the tracking app."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("learners").get_models()
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            first_output = io.StringIO()
            call_command("load_demo", stdout=first_output)
            first = _counts()
            second_output = io.StringIO()
            # bin/run's PORT goes into the printed carnet address.
            with mock.patch.dict(os.environ, {"PORT": "8011"}):
                call_command("load_demo", stdout=second_output)
            yield {
                "first": first,
                "second": _counts(),
                "outputs": [first_output.getvalue(), second_output.getvalue()],
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db

User = get_user_model()


def _code(output: str) -> str:
    match = CODE_LINE.search(output)
    assert match, output
    return match.group(3)


def test_loading_twice_changes_nothing(demo):
    assert demo["first"] == demo["second"]
    assert "http://127.0.0.1:8011/carnet/" in demo["outputs"][1]
    assert demo["first"]["Learner"] == 60
    assert demo["first"]["Carnet"] == 1


def test_the_printed_code_opens_a_rich_carnet(demo):
    first, second = (_code(output) for output in demo["outputs"])
    assert first == second
    assert code_normalize(first) == learners_demo.demo_carnet_code()
    carnet = carnet_open(code=first.lower().replace("-", " "))
    assert carnet is not None
    overview = carnet_overview(carnet=carnet)
    assert overview.first_name == "Monique"
    assert len(overview.ateliers) >= 3
    assert len(overview.competences) >= 8
    assert len(overview.can_do) >= 4
    assert overview.next_guides
    assert any(c.levels_gained >= 2 for c in overview.competences)
    read = carnet_read_guides(carnet=carnet)
    assert len(read) == 1
    assert read[0].pk not in {g.pk for g in overview.next_guides}
    # The printed line names her as the admin shows her, and a counsellor who sees her.
    holder, username = CODE_LINE.search(demo["outputs"][0]).group(1, 2)
    assert holder == carnet.learner.display_name
    counsellor = User.objects.get(username=username)
    assert learner_get_for_user(user=counsellor, learner_id=carnet.learner_id) == carnet.learner


def test_a_revoked_demo_code_works_again_after_a_run(demo):
    code = learners_demo.demo_carnet_code()
    carnet = Carnet.objects.get(revoked_at__isnull=True)
    carnet_revoke(user=User.objects.get(username=DEMO_COORDINATOR), carnet=carnet)
    assert carnet_open(code=code) is None
    assert learners_demo.load() == code
    assert carnet_open(code=code) is not None
    assert Carnet.objects.count() == 1


def test_the_demo_code_depends_on_the_installation(settings):
    first = learners_demo.demo_carnet_code()
    settings.CARNET_CODE_KEY = "another installation"
    other = learners_demo.demo_carnet_code()
    assert first != other
    assert code_normalize(code_format(other)) == other


def test_structures_venues_and_counsellors(demo):
    structures = Structure.objects.filter(learners__isnull=False).distinct()
    assert sorted(structures.values_list("kind", flat=True)) == [
        "association",
        "commune",
        "france_services",
    ]
    venues = Venue.objects.filter(external_id__startswith="demo-")
    assert sorted(venues.values_list("commune__insee_code", flat=True)) == [
        "85081",  # Dompierre-sur-Yon
        "85118",  # Landeronde
        "85155",  # Mouilleron-le-Captif
        "85191",  # La Roche-sur-Yon
    ]
    assert {v.commune.name for v in venues} == {
        "Dompierre-sur-Yon",
        "Landeronde",
        "Mouilleron-le-Captif",
        "La Roche-sur-Yon",
    }
    served = set()
    for username in DEMO_COUNSELLORS:
        user = User.objects.get(username=username)
        assert is_counsellor(user)
        assert user.counsellor.structure in structures
        served |= set(user.counsellor.communes.values_list("name", flat=True))
    assert "Venansault" in served
    # Counsellors spread over the three structures.
    assert {User.objects.get(username=u).counsellor.structure_id for u in DEMO_COUNSELLORS} == {
        s.pk for s in structures
    }
    assert is_coordinator(User.objects.get(username=DEMO_COORDINATOR))


def test_people_of_all_ages_and_situations(demo):
    people = list(Learner.objects.select_related("commune"))
    year = timezone.localdate().year
    ages = [year - p.birth_year for p in people if p.birth_year]
    assert min(ages) <= 15 and max(ages) >= 85
    assert sum(1 for age in ages if age >= 80) >= 5
    assert sum(1 for age in ages if age < 18) >= 3
    assert any(p.birth_year is None for p in people)
    assert sum(1 for p in people if not p.last_name) >= 3
    assert {p.gender for p in people} == set(Gender.values)
    assert {p.social_status for p in people} == set(SocialStatus.values)
    with_consent = [p for p in people if p.contact_consent]
    assert 5 <= len(with_consent) <= 30
    assert all(p.email.endswith("@example.org") for p in with_consent if p.email)
    assert all(not p.email and not p.phone for p in people if not p.contact_consent)
    assert all(p.commune.department_code == "85" for p in people)
    assert len({p.commune_id for p in people}) >= 8
    assert len({(p.first_name, p.last_name) for p in people}) == 60


def test_six_months_of_sessions(demo):
    today = timezone.localdate()
    sessions = Session.objects.all()
    earliest = timezone.localdate(sessions.order_by("start").first().start)
    assert 170 <= (today - earliest).days <= 190
    assert set(sessions.values_list("kind", flat=True)) == set(SessionKind.values)
    past = sessions.filter(start__lt=timezone.now())
    assert (today - timezone.localdate(past.order_by("-start").first().start)).days <= 7
    assert sessions.filter(kind=SessionKind.WORKSHOP, atelier__isnull=False).count() >= 10
    assert sessions.filter(kind=SessionKind.DROP_IN).count() >= 4 * 25
    assert sessions.filter(place_type=PlaceType.HOME).exists()
    assert AnonymousParticipants.objects.filter(session__kind=SessionKind.DISCUSSION).exists()
    # Every counsellor has an upcoming session with free places in the next two weeks.
    horizon = timezone.now() + datetime.timedelta(days=14)
    for username in DEMO_COUNSELLORS:
        counsellor = User.objects.get(username=username).counsellor
        upcoming = sessions_with_free_places(
            sessions.filter(counsellors=counsellor, start__gt=timezone.now(), start__lt=horizon)
        )
        assert upcoming.exists(), username
        assert upcoming.first().attendances.exists()


def test_dashboards_show_every_situation(demo):
    coordinator = counsellor_dashboard(user=User.objects.get(username=DEMO_COORDINATOR))
    assert coordinator.progressed_count >= 5
    assert coordinator.stuck_count >= 5
    assert coordinator.stopped_count >= 5
    assert len(coordinator.upcoming_with_places) >= 4
    for username in DEMO_COUNSELLORS:
        dashboard = counsellor_dashboard(user=User.objects.get(username=username))
        assert dashboard.progressed_count >= 1, username
        assert dashboard.stuck_count >= 1, username
        assert dashboard.stopped_count >= 1, username
        assert dashboard.upcoming_with_places, username


def test_summaries_equal_a_rebuild(demo):
    def snapshot():
        return {
            (s.learner_id, s.competence_id): tuple(
                getattr(s, f"{f}_id" if f.endswith("_level") else f) for f in SUMMARY_FIELDS
            )
            for s in CompetenceSummary.objects.all()
        }

    before = snapshot()
    assert len(before) > 100
    summary_rebuild()
    assert snapshot() == before


def test_dashboard_copies_on_structure_links_are_in_step(demo):
    from learners.services.activity import structure_links_out_of_date

    assert structure_links_out_of_date() == []


def test_people_are_reproducible():
    today = datetime.date(2026, 3, 15)
    first = learners_demo._people(random.Random(learners_demo.SEED), today)
    second = learners_demo._people(random.Random(learners_demo.SEED), today)
    assert [(p.first_name, p.last_name, p.birth_year) for p in first] == [
        (p.first_name, p.last_name, p.birth_year) for p in second
    ]


# The public agenda's demo (demo/agenda.py), loaded by the same `load_demo` runs ---------


def test_agenda_demo_has_published_upcoming_sessions_in_several_communes(demo, client):
    from learners.models import Booking, SessionSeries
    from learners.selectors.places import session_places

    upcoming = Session.objects.filter(
        external_id__startswith="demo-agenda-", is_published=True, start__gt=timezone.now()
    )
    assert upcoming.filter(cancelled_at__isnull=True).count() >= 20
    assert upcoming.values("venue__commune").distinct().count() >= 4
    kinds = set(upcoming.values_list("kind", flat=True))
    assert {SessionKind.WORKSHOP, SessionKind.DISCUSSION, SessionKind.DROP_IN} <= kinds
    assert upcoming.filter(atelier__title__icontains="adresse e-mail").exists()
    (cycle,) = SessionSeries.objects.filter(sessions__in=upcoming).distinct()
    assert cycle.sessions.count() == 6
    cancelled = upcoming.get(cancelled_at__isnull=False)
    assert cancelled.cancellation_reason
    full = upcoming.get(external_id__startswith="demo-agenda-complet-")
    places = session_places(full)
    assert places.is_full and places.waiting == 2 and places.waitlist_open
    bookings = Booking.objects.filter(session=full)
    assert not bookings.exclude(phone="", email="").exists()  # no contact, nobody messaged
    venues = Venue.objects.filter(external_id__startswith="demo-lieu-")
    assert all(v.access_details for v in venues)
    assert venues.filter(takes_appointments=True).exists()
    page = client.get("/pres-de-chez-vous/", {"commune": "la roche sur yon"}).content.decode()
    assert "Créer et utiliser son adresse e-mail" in page
    page = client.get("/pres-de-chez-vous/", {"commune": "dompierre sur yon"}).content.decode()
    assert "Complet : liste d&#x27;attente" in page or "Complet : liste d'attente" in page


def test_the_demo_carnet_holds_a_valid_attestation(demo, client):
    """Issue 16's target: the demo's credential validates against 1EdTech's schema, verifies
    with its structure's published key, and its page says so; one character changed fails."""
    import base64
    import json
    from pathlib import Path

    import jsonschema
    from jwcrypto import jwk, jws

    import learners
    from learners.models import Attestation

    carnet = Carnet.objects.get(revoked_at__isnull=True)
    attestation = Attestation.objects.get(learner=carnet.learner)
    token = attestation.credential_jws
    header_part, payload_part, _sig = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_part + "=" * (-len(header_part) % 4)))
    payload = json.loads(base64.urlsafe_b64decode(payload_part + "=" * (-len(payload_part) % 4)))
    schema_path = (
        Path(learners.__file__).parent
        / "attestations/schemas/ob_v3p0_achievementcredential_schema.json"
    )
    validator = jsonschema.Draft201909Validator(json.loads(schema_path.read_text()))
    assert list(validator.iter_errors(payload)) == []
    jwks_path = "/" + header["kid"].split("://", 1)[1].split("/", 1)[1].split("#")[0]
    keys = client.get(jwks_path).json()["keys"]
    key = jwk.JWK(**next(k for k in keys if k["kid"] == header["kid"]))
    parsed = jws.JWS()
    parsed.deserialize(token)
    parsed.verify(key, alg="RS256")
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    broken = jws.JWS()
    broken.deserialize(tampered)
    with pytest.raises(jws.InvalidJWSSignature):
        broken.verify(key, alg="RS256")
    page = client.get(f"/attestations/{attestation.public_id}/").content.decode()
    assert "Attestation valable" in page
    assert carnet.learner.last_name not in page
