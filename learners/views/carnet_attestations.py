"""The carnet holder's attestations: download the signed credential, print the A4 page.

Only the carnet open in this browser (the carnet's cookie, `carnet._cookie_state`) reads
its own attestations; any other id is a 404, like a missing one.

Download: the VC-JWT (Compact JWS, `.jwt`, text/plain as Open Badges 3.0 §5.4 asks), the
only form that carries its proof: a wallet or a verifier checks it with the structure's
public key. The bare JSON document is not offered: without the signature it proves
nothing, and a reader would take it for the credential.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learners.admin_views.carnet_cards import qr_svg
from learners.attestations.documents import credential_summary
from learners.attestations.urls import verification_url
from learners.selectors.attestations import attestation_for_carnet, attestation_verify_token
from learners.views.carnet import (
    ERROR_EXPIRED,
    _cookie_state,
    _forget_cookie,
    _redirect,
    carnet_headers,
)


def _own(request: HttpRequest, public_id: str):
    opened, _stale = _cookie_state(request)
    if opened is None:
        return None, None
    attestation = attestation_for_carnet(carnet=opened, public_id=public_id)
    if attestation is None:
        raise Http404(_("Attestation introuvable."))
    return opened, attestation


def _closed() -> HttpResponse:
    response = _redirect(f"erreur={ERROR_EXPIRED}")
    _forget_cookie(response)
    return response


@carnet_headers
@require_http_methods(["GET", "HEAD"])
def carnet_attestation_download(request: HttpRequest, public_id: str) -> HttpResponse:
    opened, attestation = _own(request, public_id)
    if opened is None:
        return _closed()
    response = HttpResponse(attestation.credential_jws, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attestation-{public_id}.jwt"'
    return response


@carnet_headers
@require_http_methods(["GET", "HEAD"])
def carnet_attestation_print(request: HttpRequest, public_id: str) -> HttpResponse:
    """The printable A4 attestation: what the signed credential says, and a QR code to its
    public verification page."""
    opened, attestation = _own(request, public_id)
    if opened is None:
        return _closed()
    result = attestation_verify_token(token=attestation.credential_jws)
    url = verification_url(attestation.public_id)
    return render(
        request,
        "learners/attestations/print.html",
        {
            "page_title": _("Attestation de compétences numériques"),
            "attestation": attestation,
            "summary": credential_summary(result.credential or {}),
            "valid": result.valid,
            "verify_url": url,
            "qr": qr_svg(url, label=_("Code QR vers la page de vérification de l'attestation")),
        },
    )
