import base64
import datetime
import json

import pytest
from django.utils import timezone

from tests.factories.learners import LearnerFactory, observe


@pytest.fixture
def odette(counsellor_a, structure_a, socle):
    """Odette Martin: « Acquis » on socle[0], « Autonome » on socle[2], « En cours » (not
    eligible) on socle[1], all observed by structure A."""
    learner = LearnerFactory(
        structure=structure_a, first_name="Odette", last_name="Martin", birth_year=1951
    )
    day = timezone.localdate() - datetime.timedelta(days=3)
    observe(counsellor_a, learner, socle[0], 2, day)
    observe(counsellor_a, learner, socle[1], 1, day)
    observe(counsellor_a, learner, socle[2], 3, day)
    return learner


def jwt_parts(token: str) -> tuple[dict, dict]:
    """(header, payload) of a compact JWS, decoded without checking anything."""

    def decode(part: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

    header, payload, _signature = token.split(".")
    return decode(header), decode(payload)
