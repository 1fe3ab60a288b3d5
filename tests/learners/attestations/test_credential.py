"""An issued attestation: the Open Badges 3.0 document (validated against 1EdTech's JSON
schema, offline), its VC-JWT signature checked with the key the JWKS publishes, tampering,
and the personal data it holds (first name and initial, or nothing)."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.test import override_settings
from jwcrypto import jwk, jws

import learners
from learners.attestations.jwt import VerificationFailed, credential_verify
from learners.attestations.keys import KeyUnreadable, private_decrypt
from learners.choices import AttestationName
from learners.models import AttestationKey, AuditLog
from learners.services.attestations import attestation_issue
from tests.learners.attestations.conftest import jwt_parts

pytestmark = pytest.mark.django_db

SCHEMA = (
    Path(learners.__file__).parent
    / "attestations"
    / "schemas"
    / "ob_v3p0_achievementcredential_schema.json"
)


def _issue(user, learner, competences, name=AttestationName.FIRST_NAME_INITIAL):
    return attestation_issue(
        user=user, learner=learner, competence_ids=[c.pk for c in competences], name_shown=name
    )


def _schema_validator():
    schema = json.loads(SCHEMA.read_text())
    # Every $ref of the schema is internal: nothing can be fetched.
    assert all(ref.startswith("#") for ref in _refs(schema)), (
        "the vendored schema must stay self-contained"
    )
    return jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _jwks_key(client, token) -> jwk.JWK:
    header, _payload = jwt_parts(token)
    kid = header["kid"]
    path = kid.split("://", 1)[1].split("/", 1)[1].split("#")[0]
    keys = client.get("/" + path).json()["keys"]
    match = [k for k in keys if k["kid"] == kid]
    assert len(match) == 1
    assert "d" not in match[0] and "p" not in match[0]
    return jwk.JWK(**match[0])


def test_issued_credential_validates_against_the_open_badges_schema(counsellor_a, odette, socle):
    attestation = _issue(counsellor_a, odette, [socle[0], socle[2]])
    _header, payload = jwt_parts(attestation.credential_jws)
    errors = list(_schema_validator().iter_errors(payload))
    assert errors == []
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    achievement = payload["credentialSubject"]["achievement"]
    assert [a["targetCode"] for a in achievement["alignment"]] == [socle[0].code, socle[2].code]
    levels = {
        r["resultDescription"]: r["achievedLevel"] for r in payload["credentialSubject"]["result"]
    }
    assert len(levels) == 2


def test_the_schema_rejects_a_credential_without_valid_from(counsellor_a, odette, socle):
    """The schema check can fail: the same document without `validFrom` does."""
    attestation = _issue(counsellor_a, odette, [socle[0]])
    _header, payload = jwt_parts(attestation.credential_jws)
    del payload["validFrom"]
    assert list(_schema_validator().iter_errors(payload))


def test_vc_jwt_header_and_claims(counsellor_a, odette, socle, structure_a):
    attestation = _issue(counsellor_a, odette, [socle[0]])
    header, payload = jwt_parts(attestation.credential_jws)
    assert set(header) == {"alg", "kid", "typ"}
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"].endswith(
        f"/attestations/emetteurs/{structure_a.pk}/cles.json#{attestation.key.thumbprint}"
    )
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"]
    assert payload["id"].endswith(f"/attestations/{attestation.public_id}/")
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["sub"].startswith("urn:uuid:")
    assert payload["issuer"]["name"] == structure_a.name


def test_signature_verifies_with_the_published_public_key(client, counsellor_a, odette, socle):
    attestation = _issue(counsellor_a, odette, [socle[0]])
    key = _jwks_key(client, attestation.credential_jws)
    verified = credential_verify(attestation.credential_jws, key_for=lambda kid: key)
    assert (
        verified.credential["credentialSubject"]["achievement"]["alignment"][0]["targetCode"]
        == socle[0].code
    )
    # And with jwcrypto directly, as any verifier would.
    token = jws.JWS()
    token.deserialize(attestation.credential_jws)
    token.verify(key, alg="RS256")


@pytest.mark.parametrize("part", [0, 1, 2])
def test_one_character_changed_fails(client, counsellor_a, odette, socle, part):
    attestation = _issue(counsellor_a, odette, [socle[0]])
    key = _jwks_key(client, attestation.credential_jws)
    pieces = attestation.credential_jws.split(".")
    middle = len(pieces[part]) // 2
    swapped = "A" if pieces[part][middle] != "A" else "B"
    pieces[part] = pieces[part][:middle] + swapped + pieces[part][middle + 1 :]
    with pytest.raises(VerificationFailed):
        credential_verify(".".join(pieces), key_for=lambda kid: key)
    response = client.post("/attestations/verifier/", {"jeton": ".".join(pieces)})
    assert response.status_code == 400
    assert "Attestation valable" not in response.content.decode()


def test_holds_first_name_and_initial_only(counsellor_a, odette, socle):
    attestation = _issue(counsellor_a, odette, [socle[0]])
    _header, payload = jwt_parts(attestation.credential_jws)
    text = json.dumps(payload, ensure_ascii=False)
    assert payload["credentialSubject"]["identifier"] == [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": "Odette M.",
        }
    ]
    assert "Martin" not in text
    assert "1951" not in text
    assert odette.network_id not in text


def test_no_name_when_the_person_chooses_so(counsellor_a, odette, socle):
    attestation = _issue(counsellor_a, odette, [socle[0]], name=AttestationName.NONE)
    _header, payload = jwt_parts(attestation.credential_jws)
    assert "identifier" not in payload["credentialSubject"]
    assert "Odette" not in json.dumps(payload, ensure_ascii=False)


def test_key_made_on_first_issue_and_private_half_encrypted(counsellor_a, odette, socle):
    assert not AttestationKey.objects.exists()
    first = _issue(counsellor_a, odette, [socle[0]])
    second = _issue(counsellor_a, odette, [socle[2]])
    assert first.key_id == second.key_id
    key = AttestationKey.objects.get()
    assert '"d"' not in key.private_jwk_encrypted
    assert "d" not in key.public_jwk
    with pytest.raises(ValueError):
        json.loads(key.private_jwk_encrypted)
    assert private_decrypt(key.private_jwk_encrypted).thumbprint() == key.thumbprint
    with override_settings(ATTESTATION_KEYS_SECRET="another secret"):
        with pytest.raises(KeyUnreadable):
            private_decrypt(key.private_jwk_encrypted)


def test_issue_is_audited(counsellor_a, odette, socle):
    attestation = _issue(counsellor_a, odette, [socle[0]])
    row = AuditLog.objects.filter(learner=odette, detail__startswith="attestation délivrée").get()
    assert attestation.public_id in row.detail
    assert row.user == counsellor_a
