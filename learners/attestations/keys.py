"""RSA signing keys, and their private half encrypted at rest.

jwcrypto makes the keys (RSA 2048, RS256 being the algorithm every Open Badges 3.0 verifier
must support) and exports them as JWK; `cryptography`'s HKDF derives a Fernet key (AES-128
in CBC mode with an HMAC-SHA256, authenticated) from ``settings.ATTESTATION_KEYS_SECRET``,
else SECRET_KEY. No cryptography is written here, only wired.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from jwcrypto import jwk

KEY_SIZE = 2048
HKDF_INFO = b"pas-a-pas/attestations/signing-keys/v1"


class KeyUnreadable(Exception):
    """The stored private key cannot be decrypted (the secret changed)."""


def _fernet() -> Fernet:
    secret = getattr(settings, "ATTESTATION_KEYS_SECRET", "") or settings.SECRET_KEY
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def key_generate() -> jwk.JWK:
    return jwk.JWK.generate(kty="RSA", size=KEY_SIZE)


def key_thumbprint(key: jwk.JWK) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url): the same for the private and public half."""
    return key.thumbprint()


def public_jwk(key: jwk.JWK, *, kid: str) -> dict:
    """The public half as a JWK dict (never "d" nor the other private members)."""
    data = key.export_public(as_dict=True)
    data.update(kid=kid, use="sig", alg="RS256")
    return data


def private_encrypt(key: jwk.JWK) -> str:
    return _fernet().encrypt(key.export_private().encode()).decode()


def private_decrypt(token: str) -> jwk.JWK:
    try:
        return jwk.JWK.from_json(_fernet().decrypt(token.encode()).decode())
    except InvalidToken as error:
        raise KeyUnreadable from error


def public_key(data: dict) -> jwk.JWK:
    return jwk.JWK(**data)
