"""VC-JWT (Open Badges 3.0 §8.2, JSON Web Token proof format): sign and verify.

JOSE header: `alg` RS256, `kid` (a URI to the public JWK in the issuer's JWKS), `typ` JWT;
nothing else (the spec allows no other header). Payload: the credential, plus the claims
`iss` (issuer.id), `jti` (id), `nbf` (validFrom) and `sub` (credentialSubject.id).
jwcrypto does the JWS; an unknown `alg` (including "none") is refused before any key is
looked up.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass

from jwcrypto import jwk, jws
from jwcrypto.common import JWException

ALGORITHM = "RS256"
# A credential is a few kilobytes; anything far beyond is not one of ours.
TOKEN_MAX_CHARS = 64 * 1024


class VerificationFailed(Exception):
    """`reason`: "format", "algorithm", "unknown_key", "signature" or "claims"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Verified:
    kid: str
    credential: dict


def _numeric_date(iso: str) -> int:
    return int(datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def credential_sign(document: dict, *, key: jwk.JWK, kid: str) -> str:
    payload = dict(document)
    payload.update(
        iss=document["issuer"]["id"],
        jti=document["id"],
        nbf=_numeric_date(document["validFrom"]),
        sub=document["credentialSubject"]["id"],
    )
    token = jws.JWS(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    token.add_signature(
        key, alg=ALGORITHM, protected=json.dumps({"alg": ALGORITHM, "kid": kid, "typ": "JWT"})
    )
    return token.serialize(compact=True)


def _parse(token: str) -> jws.JWS:
    if not token or len(token) > TOKEN_MAX_CHARS or token.count(".") != 2:
        raise VerificationFailed("format")
    parsed = jws.JWS()
    try:
        parsed.deserialize(token)
        header = parsed.jose_header
    except (JWException, ValueError, TypeError, UnicodeDecodeError) as error:
        raise VerificationFailed("format") from error
    if not isinstance(header, dict):
        raise VerificationFailed("format")
    return parsed


def credential_verify(token: str, *, key_for: Callable[[str], jwk.JWK | None]) -> Verified:
    """Check the signature with the key `key_for(kid)` returns (None: not one of ours) and
    the claims against the credential. Raises `VerificationFailed`."""
    parsed = _parse(token.strip())
    header = parsed.jose_header
    if header.get("alg") != ALGORITHM:
        raise VerificationFailed("algorithm")
    kid = header.get("kid")
    key = key_for(kid) if isinstance(kid, str) else None
    if key is None:
        raise VerificationFailed("unknown_key")
    try:
        parsed.verify(key, alg=ALGORITHM)
        payload = json.loads(parsed.payload)
    except (JWException, ValueError, TypeError) as error:
        raise VerificationFailed("signature") from error
    _check_claims(payload)
    return Verified(kid=kid, credential=payload)


def _check_claims(payload: object) -> None:
    try:
        consistent = (
            isinstance(payload, dict)
            and payload["iss"] == payload["issuer"]["id"]
            and payload["jti"] == payload["id"]
            and payload["sub"] == payload["credentialSubject"]["id"]
        )
    except (KeyError, TypeError):
        consistent = False
    if not consistent:
        raise VerificationFailed("claims")
