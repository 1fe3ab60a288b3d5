"""The API keys screen: coordinators only; the secret shown once, then only its hash kept;
revocation; the list with the last use."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiClient, secret_hash
from api.services.clients import api_client_create
from tests.factories.learners import (
    StructureFactory,
    coordinator_user,
    counsellor_user,
    partner_editor_user,
)

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "name": "Entrepôt du département",
        "scopes": ["structures", "statistiques"],
        "structure": "",
        "expires_on": "",
        "requests_per_minute": "60",
    }
    data.update(overrides)
    return data


def _assert_refused(response):
    """Wagtail turns our PermissionDenied into a redirect to the admin home."""
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


@pytest.mark.parametrize("role", [counsellor_user, partner_editor_user])
def test_counsellors_and_partner_editors_are_refused(client, role):
    client.force_login(role())
    created, _ = api_client_create(name="Existant", scopes=["structures"], created_by=None)
    for url in (
        reverse("api_keys"),
        reverse("api_key_create"),
        reverse("api_key_revoke", args=[created.pk]),
    ):
        _assert_refused(client.get(url))
    _assert_refused(client.post(reverse("api_key_create"), _form()))
    _assert_refused(client.post(reverse("api_key_revoke", args=[created.pk])))
    assert ApiClient.objects.count() == 1
    assert ApiClient.objects.get().revoked_at is None


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("api_keys"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_coordinator_creates_a_key_whose_secret_is_shown_once(client):
    coordinator = coordinator_user()
    client.force_login(coordinator)
    structure = StructureFactory(name="Médiathèque de Luçon")
    expiry = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("api_key_create"),
        _form(structure=structure.pk, expires_on=expiry.isoformat()),
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    created = ApiClient.objects.get()
    token = response.context["token"]
    client_id, secret = token.split(":")
    assert client_id == created.client_id and len(secret) >= 40
    assert "ne sera plus jamais affichée" in response.content.decode()
    assert created.secret_hash == secret_hash(secret) and secret not in created.secret_hash
    assert (created.scopes, created.structure, created.requests_per_minute) == (
        ["statistiques", "structures"],
        structure,
        60,
    )
    assert timezone.localtime(created.expires_at).date() == expiry
    assert created.created_by == coordinator
    # The key works, and the list shows it without its secret.
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/structures", **headers).status_code == 200
    listing = client.get(reverse("api_keys")).content.decode()
    assert "Entrepôt du département" in listing and created.client_id in listing
    assert secret not in listing
    assert "Médiathèque de Luçon" in listing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Champ requis."),
        ({"scopes": []}, "Champ requis."),
        ({"scopes": ["tout"]}, "Sélectionnez un choix valide."),
        ({"expires_on": "2020-01-01"}, "Choisissez une date après aujourd&#x27;hui."),
        ({"requests_per_minute": "0"}, "supérieure ou égale à 1"),
        ({"name": "existant"}, "Un client porte déjà ce nom."),
    ],
)
def test_bad_input_is_refused_in_french_and_creates_nothing(client, overrides, message):
    api_client_create(name="Existant", scopes=["structures"], created_by=None)
    client.force_login(coordinator_user())
    response = client.post(reverse("api_key_create"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ApiClient.objects.count() == 1


def test_a_coordinator_revokes_a_key_for_good(client):
    created, secret = api_client_create(name="Tableau", scopes=["structures"], created_by=None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {created.client_id}:{secret}"}
    client.force_login(coordinator_user())
    confirm = client.get(reverse("api_key_revoke", args=[created.pk]))
    assert "Révoquer la clé « Tableau »" in confirm.content.decode()
    response = client.post(reverse("api_key_revoke", args=[created.pk]))
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.revoked_at is not None
    assert client.get("/api/v1/structures", **headers).status_code == 401
    listing = client.get(reverse("api_keys")).content.decode()
    assert "révoquée le" in listing


def test_the_list_shows_the_last_use(client):
    created, _ = api_client_create(name="Tableau", scopes=["structures"], created_by=None)
    ApiClient.objects.filter(pk=created.pk).update(
        last_used_at=timezone.make_aware(datetime.datetime(2026, 11, 3, 14, 5))
    )
    client.force_login(coordinator_user())
    assert "03/11/2026 14:05" in client.get(reverse("api_keys")).content.decode()


def test_expiry_dates_are_written_in_french(client):
    """« 1er décembre », not « 1 décembre »."""
    first_of_december = timezone.make_aware(datetime.datetime(2099, 12, 1, 12))
    api_client_create(
        name="Tableau", scopes=["structures"], created_by=None, expires_at=first_of_december
    )
    client.force_login(coordinator_user())
    assert "expire le mardi 1er décembre 2099" in client.get(reverse("api_keys")).content.decode()


def test_creating_and_revoking_a_key_are_audited(client):
    from learners.choices import AuditAction
    from learners.models import AuditLog

    coordinator = coordinator_user()
    client.force_login(coordinator)
    client.post(reverse("api_key_create"), _form())
    created = ApiClient.objects.get()
    client.post(reverse("api_key_revoke", args=[created.pk]))
    rows = list(AuditLog.objects.order_by("pk").values_list("user_id", "action", "detail"))
    assert [row[:2] for row in rows] == [
        (coordinator.pk, AuditAction.CREATE),
        (coordinator.pk, AuditAction.UPDATE),
    ]
    assert created.client_id in rows[0][2] and rows[1][2].endswith("revoked")
    assert secret_hash("x") not in rows[0][2]


def test_a_name_taken_in_a_race_is_a_form_error_not_a_500(client, monkeypatch):
    """The form's check passed, then another submit took the name (in another case)."""
    from api.forms import ApiClientForm

    client.force_login(coordinator_user())
    # The race: the form's check ran before the other submit saved.
    monkeypatch.setattr(ApiClientForm, "clean_name", lambda form: form.cleaned_data["name"])
    api_client_create(name="entrepôt du département", scopes=["structures"], created_by=None)
    response = client.post(reverse("api_key_create"), _form())
    assert response.status_code == 200
    assert "Un client porte déjà ce nom." in response.content.decode()
    assert ApiClient.objects.count() == 1
