"""Public pages of the attestations (no login): the verification page of one credential
(/attestations/<opaque id>/, the credential's own `id`), a form to verify a credential
pasted or uploaded, the issuing structure's profile and its public keys (JWKS).

They show no more than the credential holds. A pasted or uploaded text is bounded
(`UPLOAD_MAX_BYTES`), decoded strictly and checked by `attestation_verify_token`: garbage
gets a French message, never a 500.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from learners.attestations.documents import OB_CONTEXT, VC_CONTEXT, credential_summary
from learners.attestations.jwt import TOKEN_MAX_CHARS
from learners.attestations.urls import issuer_url, jwks_url
from learners.selectors.attestations import (
    VerificationResult,
    attestation_verify_public,
    attestation_verify_token,
    structure_for_profile,
    structure_public_keys,
)

UPLOAD_MAX_BYTES = TOKEN_MAX_CHARS


def failure_message(reason: str) -> str:
    messages = {
        "erased": _(
            "Cette attestation a été retirée : les données de la personne à qui elle a été "
            "délivrée ont été effacées."
        ),
        "format": _(
            "Ce texte n'est pas une attestation signée. Collez le contenu du fichier "
            "« .jwt » téléchargé depuis le carnet, en entier (trois parties séparées par "
            "des points)."
        ),
        "algorithm": _("Cette attestation utilise une méthode de signature que nous refusons."),
        "unknown_key": _(
            "Cette attestation n'a pas été signée par une structure de ce site : nous ne "
            "pouvons pas la vérifier ici."
        ),
        "signature": _(
            "La signature ne correspond pas au contenu : l'attestation a été modifiée "
            "après sa délivrance. Elle n'est pas valable."
        ),
        "claims": _("Le contenu de l'attestation est incohérent : elle n'est pas valable."),
    }
    return messages.get(reason, messages["format"])


def _page(request, result: VerificationResult | None, *, error: str = "", status: int = 200):
    summary = credential_summary(result.credential) if result and result.credential else None
    return render(
        request,
        "learners/attestations/verify.html",
        {
            "page_title": _("Vérifier une attestation de compétences"),
            "result": result,
            "summary": summary,
            "failure": failure_message(result.reason) if result and result.reason else "",
            "error": error,
            "token_max": TOKEN_MAX_CHARS,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def attestation_verify(request: HttpRequest, public_id: str) -> HttpResponse:
    result = attestation_verify_public(public_id=public_id)
    if result is None:
        raise Http404(_("Aucune attestation ne porte ce numéro."))
    response = _page(request, result)
    response["Cache-Control"] = "no-store"  # a revocation shows at once
    return response


def _submitted_token(request: HttpRequest) -> tuple[str, str]:
    """(token, error message)."""
    upload = request.FILES.get("fichier")
    if upload is not None:
        if upload.size is None or upload.size > UPLOAD_MAX_BYTES:
            return "", _("Ce fichier est trop gros pour être une attestation (64 Ko au plus).")
        raw = upload.read(UPLOAD_MAX_BYTES + 1)
        try:
            return raw.decode("utf-8").strip(), ""
        except UnicodeDecodeError:
            return "", _("Ce fichier n'est pas un fichier texte : déposez le fichier « .jwt ».")
    pasted = request.POST.get("jeton", "")
    if len(pasted) > UPLOAD_MAX_BYTES:
        return "", _("Ce texte est trop long pour être une attestation (64 Ko au plus).")
    pasted = pasted.strip()
    if not pasted:
        return "", _("Collez le contenu de l'attestation ou choisissez son fichier.")
    return pasted, ""


@require_http_methods(["GET", "HEAD", "POST"])
def attestation_check(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, None)
    token, error = _submitted_token(request)
    if error:
        return _page(request, None, error=error, status=400)
    result = attestation_verify_token(token=token)
    return _page(request, result, status=200 if result.valid_signature else 400)


@cache_control(max_age=300, public=True)
@require_http_methods(["GET", "HEAD"])
def attestation_jwks(request: HttpRequest, structure_id: int) -> JsonResponse:
    keys = structure_public_keys(structure_id=structure_id)
    if keys is None:
        raise Http404
    return JsonResponse({"keys": keys})


@cache_control(max_age=300, public=True)
@require_http_methods(["GET", "HEAD"])
def attestation_issuer(request: HttpRequest, structure_id: int) -> JsonResponse:
    """The issuer's Profile (the credential's `issuer.id` dereferences here)."""
    structure = structure_for_profile(structure_id=structure_id)
    if structure is None:
        raise Http404
    return JsonResponse(
        {
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": issuer_url(structure.pk),
            "type": ["Profile"],
            "name": structure.name,
            "publicKeys": jwks_url(structure.pk),
        },
        json_dumps_params={"ensure_ascii": False},
    )
