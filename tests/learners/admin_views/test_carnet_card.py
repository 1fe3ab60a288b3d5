"""Carnet codes in the admin: issued once, printed on an A6 card with a local QR code,
revoked and replaced; the plain code is stored nowhere."""

import re

import pytest
import qrcode
import qrcode.image.svg
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

from learners.choices import AuditAction
from learners.codes import CODE_LENGTH, code_format
from learners.models import Carnet
from tests.factories.learners import LearnerFactory
from tests.learners.admin_views.people_helpers import (
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
    # Without SITE_URL: the address the admin is used on (the test client's host).
    expected_url = "http://testserver" + reverse("carnet") + f"?code={code}"
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


def _card_qr_and_address(client, learner, **extra):
    code = client.post(issue_url(learner), **extra).context["code"]
    html = client.post(card_url(learner), {"code": code}, **extra).content.decode()
    svg = re.search(r"<svg[^>]*class=\"carnet-qr\".*?</svg>", html, re.S).group(0)
    address = re.search(r'<p class="url">([^<]+)</p>', html).group(1)
    return code, qr_path(svg), address


def _qr_of(url):
    return qr_path(
        qrcode.make(
            url,
            image_factory=qrcode.image.svg.SvgPathImage,
            error_correction=qrcode.constants.ERROR_CORRECT_M,
            border=2,
        ).to_string(encoding="unicode")
    )


@pytest.mark.parametrize(
    ("site_url", "host", "expected"),
    [
        # bin/run on another port: the card follows the address the admin is used on.
        ("", "127.0.0.1:8123", "http://127.0.0.1:8123/carnet/"),
        ("", "localhost:8000", "http://localhost:8000/carnet/"),
        # SITE_URL wins when it is set (production behind its public name).
        ("https://pasapas.example.org", "127.0.0.1:8123", "https://pasapas.example.org/carnet/"),
    ],
)
def test_the_card_points_to_a_live_address(
    client, request, helene, settings, site_url, host, expected
):
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    login(client, request, "counsellor_a")
    code, qr, address = _card_qr_and_address(client, helene, HTTP_HOST=host)
    assert address == expected.split("://", 1)[1]
    assert qr == _qr_of(f"{expected}?code={code}")


def test_bin_run_serves_prints_and_links_on_the_same_port():
    """bin/run exports PORT before loading the demo and serving; the settings build the
    links sent without a request from it (SITE_URL unset), load_demo prints it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    script = (root / "bin" / "run").read_text()
    export = script.index('export PORT="${PORT:-8000}"')
    assert export < script.index("manage.py load_demo") < script.index("manage.py runserver")
    assert 'runserver "127.0.0.1:${PORT}"' in script
    assert "http://127.0.0.1:${PORT}/" in script
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env.update(PORT="8123", DJANGO_SETTINGS_MODULE="config.settings.dev")
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'site'); import django; django.setup(); "
            "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL, "
            "repr(settings.SITE_URL))",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert printed == ["http://127.0.0.1:8123", "''"]
