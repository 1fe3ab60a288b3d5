"""Carnet codes in the admin: issued once, printed on an A6 card with a local QR code,
revoked and replaced; the plain code is stored nowhere."""

import re

import pytest
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from learners.choices import AuditAction
from learners.codes import CODE_LENGTH, code_format
from learners.models import Carnet
from tests.factories.learners import LearnerFactory
from tests.learners.admin.people_helpers import (
    assert_login_redirect,
    assert_refused,
    audit_rows,
    login,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def helene(structure_a):
    return LearnerFactory(structure=structure_a, first_name="Hélène", last_name="Durand")


def issue_url(learner):
    return reverse("learners_carnet_issue", kwargs={"learner_id": learner.pk})


def card_url(learner):
    return reverse("learners_carnet_card", kwargs={"learner_id": learner.pk})


def page_url(learner):
    return reverse("learners_person_detail", kwargs={"learner_id": learner.pk})


def database_places_holding(needles: list[str]) -> list[str]:
    """Every table (and decoded session) whose text contains one of `needles`."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from Django
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row if value is not None)
                if any(needle in text for needle in needles):
                    found.append(table)
                    break
    for session in Session.objects.all():
        if any(needle in str(session.get_decoded()) for needle in needles):
            found.append("django_session (decoded)")
    return found


def qr_path(svg: str) -> str:
    return re.search(r'<path d="([^"]+)"', svg).group(1)


def test_issue_shows_the_code_once_then_prints_the_card(client, request, helene):
    user = login(client, request, "counsellor_a")
    response = client.post(issue_url(helene))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = response.context["code"]
    assert len(code) == CODE_LENGTH
    groups = code_format(code).split("-")
    assert len(groups) == 4
    spans = "".join(f"<span>{group}</span>" for group in groups)
    content = response.content.decode()
    assert spans in content
    assert "ne sera plus jamais affiché" in content
    # The card form posts the code in the body: never in an admin URL.
    form = re.search(r'<form method="post" action="([^"]+)" target="_blank"', content)
    assert form.group(1) == card_url(helene)
    assert code not in form.group(1)

    card = client.post(card_url(helene), {"code": " ".join(groups).lower()})
    assert card.status_code == 200
    assert "no-store" in card["Cache-Control"]
    html = card.content.decode()
    assert "@page { size: A6" in html
    assert "Hélène" in html and "Durand" not in html
    assert spans in html
    svg = re.search(r"<svg[^>]*class=\"carnet-qr\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "aria-label=" in svg
    # The QR encodes the public carnet URL with the code (checked against an independent
    # rendering of that URL: same modules, same path).
    expected_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("carnet") + f"?code={code}"
    expected = qrcode.make(
        expected_url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    ).to_string(encoding="unicode")
    assert qr_path(svg) == qr_path(expected)
    assert reverse("carnet") in html

    rows = audit_rows(user=user, learner=helene)
    assert [row.action for row in rows] == [AuditAction.CREATE, AuditAction.READ]
    assert all(code not in row.detail for row in rows)

    # The plain code is stored nowhere: no table, no session, no message, no cookie.
    needles = [code, code_format(code), " ".join(groups)]
    assert database_places_holding(needles) == []
    assert "learners_learner" in database_places_holding([helene.network_id])  # the probe works
    assert not any(code in morsel.value for morsel in client.cookies.values())
    # And the person's page does not show it again.
    assert code not in client.get(page_url(helene)).content.decode()


def test_replacing_revokes_the_previous_code(client, request, helene):
    login(client, request, "counsellor_a")
    old = client.post(issue_url(helene)).context["code"]
    new = client.post(issue_url(helene)).context["code"]
    assert old != new
    assert Carnet.objects.filter(learner=helene, revoked_at__isnull=True).count() == 1
    response = client.post(card_url(helene), {"code": old})
    assert response.status_code == 302 and response["Location"] == page_url(helene)
    assert "pas (ou plus)" in client.get(page_url(helene)).content.decode()
    assert client.post(card_url(helene), {"code": new}).status_code == 200


@pytest.mark.parametrize("forged", ["", "ABC", "2222222222", "<script>"])
def test_card_refuses_any_other_code(client, request, helene, forged):
    login(client, request, "counsellor_a")
    client.post(issue_url(helene))
    response = client.post(card_url(helene), {"code": forged})
    assert response.status_code == 302
    assert response["Location"] == page_url(helene)


def test_card_cannot_be_opened_later_with_get(client, request, helene):
    login(client, request, "counsellor_a")
    client.post(issue_url(helene))
    response = client.get(card_url(helene), follow=True)
    assert response.redirect_chain[-1][0] == page_url(helene)
    assert "au moment où le code est remis" in response.content.decode()


def test_revoke(client, request, helene):
    user = login(client, request, "counsellor_a")
    client.post(issue_url(helene))
    response = client.post(reverse("learners_carnet_revoke", args=[helene.pk]))
    assert response.status_code == 302
    assert not Carnet.objects.filter(learner=helene, revoked_at__isnull=True).exists()
    assert audit_rows(user=user, learner=helene, action=AuditAction.UPDATE)[-1].detail == (
        "carnet révoqué"
    )
    assert "Aucun code de carnet actif" in client.get(page_url(helene)).content.decode()


def test_page_shows_carnet_status(client, request, helene):
    login(client, request, "counsellor_a")
    content = client.get(page_url(helene)).content.decode()
    assert "Remettre un carnet" in content
    client.post(issue_url(helene))
    content = client.get(page_url(helene)).content.decode()
    assert "Remplacer le code" in content and "Révoquer le code" in content


def test_other_structure_cannot_issue_nor_print(client, request, helene):
    login(client, request, "counsellor_b")
    assert client.post(issue_url(helene)).status_code == 404
    assert client.post(card_url(helene), {"code": "2222222222"}).status_code == 404
    assert client.post(reverse("learners_carnet_revoke", args=[helene.pk])).status_code == 404
    assert not Carnet.objects.filter(learner=helene).exists()


def test_partner_editor_and_anonymous_are_refused(client, request, helene):
    assert_login_redirect(client.post(issue_url(helene)))
    login(client, request, "partner_editor")
    assert_refused(client.post(issue_url(helene)))
    assert not Carnet.objects.filter(learner=helene).exists()


def test_coordinator_can_issue(client, request, helene):
    login(client, request, "coordinator")
    assert client.post(issue_url(helene)).status_code == 200
    assert Carnet.objects.filter(learner=helene, revoked_at__isnull=True).exists()
