"""The public URLs an attestation names: its verification page (the credential's `id`),
the issuing structure's profile and its published keys (JWKS, where `kid` points)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def site_base_url() -> str:
    """SITE_URL in production (https); the local address `bin/run` serves on otherwise."""
    return (settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def verification_url(public_id: str) -> str:
    return site_base_url() + reverse("attestation_verify", args=[public_id])


def issuer_url(structure_id: int) -> str:
    return site_base_url() + reverse("attestation_issuer", args=[structure_id])


def jwks_url(structure_id: int) -> str:
    return site_base_url() + reverse("attestation_jwks", args=[structure_id])


def key_id(structure_id: int, thumbprint: str) -> str:
    """The JOSE `kid`: a URI that dereferences to the public JWK (OB 3.0 §8.2.3)."""
    return f"{jwks_url(structure_id)}#{thumbprint}"
