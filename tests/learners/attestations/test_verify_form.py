"""The public verification form against hostile input: always a French answer, never a
500, nothing stored."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learners.choices import AttestationName
from learners.services.attestations import attestation_issue

pytestmark = pytest.mark.django_db

URL = "/attestations/verifier/"


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.fixture
def token(counsellor_a, odette, socle):
    return attestation_issue(
        user=counsellor_a,
        learner=odette,
        competence_ids=[socle[0].pk],
        name_shown=AttestationName.FIRST_NAME_INITIAL,
    ).credential_jws


def test_form_page(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Vérifier" in response.content.decode()


def test_pasted_valid_token(client, token):
    response = client.post(URL, {"jeton": "  " + token + "\n"})
    assert response.status_code == 200
    assert "Attestation valable" in response.content.decode()


def test_uploaded_valid_file(client, token):
    upload = SimpleUploadedFile("attestation.jwt", token.encode(), content_type="text/plain")
    response = client.post(URL, {"fichier": upload})
    assert response.status_code == 200
    assert "Attestation valable" in response.content.decode()


@pytest.mark.parametrize(
    ("jeton", "expected"),
    [
        ("", "Collez le contenu"),
        ("bonjour", "pas une attestation signée"),
        ("a.b.c", "pas une attestation signée"),
        ("....", "pas une attestation signée"),
        ("é.é.é", "pas une attestation signée"),
        ("x" * 70_000, "trop long"),
        ('{"@context": []}', "pas une attestation signée"),
        ("\x00\x01.\x02.\x03", "pas une attestation signée"),
    ],
)
def test_garbage_pasted(client, jeton, expected):
    response = client.post(URL, {"jeton": jeton})
    assert response.status_code == 400
    assert expected in response.content.decode().replace("&#x27;", "'")


def test_alg_none_is_refused(client, token):
    _header, payload, _sig = token.split(".")
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}."
    response = client.post(URL, {"jeton": forged})
    assert response.status_code == 400
    assert "Attestation valable" not in response.content.decode()


def test_hs256_with_the_public_key_is_refused(client, token):
    """The classic confusion attack: HS256 keyed with the public key."""
    header, payload, _sig = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(header + "=="))
    decoded["alg"] = "HS256"
    forged = f"{_b64(decoded)}.{payload}.{_sig}"
    response = client.post(URL, {"jeton": forged})
    assert response.status_code == 400
    assert "méthode de signature" in response.content.decode()


def test_foreign_key_is_not_fetched(client, token):
    header, payload, sig = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(header + "=="))
    decoded["kid"] = "https://ailleurs.example/cles.json#abc"
    response = client.post(URL, {"jeton": f"{_b64(decoded)}.{payload}.{sig}"})
    assert response.status_code == 400
    assert "pas été signée par une structure de ce site" in response.content.decode()


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00binary", b"x" * 70_000, b""],
)
def test_garbage_uploaded(client, content):
    upload = SimpleUploadedFile("photo.jwt", content, content_type="application/octet-stream")
    response = client.post(URL, {"fichier": upload})
    assert response.status_code == 400
    assert "attestation" in response.content.decode()


def test_unknown_id_is_404(client):
    assert client.get("/attestations/AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    assert client.get("/attestations/emetteurs/999999/cles.json").status_code == 404


def test_issuer_profile(client, token, structure_a):
    profile = client.get(f"/attestations/emetteurs/{structure_a.pk}/").json()
    assert profile["type"] == ["Profile"]
    assert profile["name"] == structure_a.name
