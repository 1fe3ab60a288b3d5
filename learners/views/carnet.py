"""The public carnet de progression: /carnet/ (no account, a code printed on a card).

Thin: opening a carnet (code, first name when asked, rate limits) is one service,
`learners.services.carnet_opening.carnet_open_attempt` (its docstring states the odds);
progress and read guides come from `learners.selectors`.

**During a flood of wrong codes** the service asks for the holder's first name as well as the
code: the form then shows a « Mon prénom » field. A code that came in the QR link while the
first name is asked is kept in a second signed cookie (``carnet_attente``, path
``/carnet/``, 15 minutes) and the browser is redirected to ``/carnet/?prenom=1`` without
it; the form is filled with it, so the holder only types their first name.

**Where the opened carnet is kept.** After a code opens a carnet, the browser is redirected
(303, POST-redirect-GET) to ``/carnet/`` without the code, and holds a signed cookie naming
the carnet (``carnet``; Django's `set_signed_cookie`, HMAC with SECRET_KEY and a salt, with
a timestamp). So the code never stays in the address bar, the history, server logs or a
Referer header, not even when it came in the QR code's ``?code=`` link. A cookie rather than
Django's session, on purpose:

- it is sent to ``/carnet/`` only (``path``), never to the guide pages, which therefore stay
  served from the anonymous page cache (a session cookie would disable that cache for the
  visitor on every page) and create no database row per visitor;
- it is a browser-session cookie (no expiry date: closing the browser forgets it), HttpOnly,
  SameSite=Lax, Secure in production, and its signature expires after
  ``CARNET_IDLE_SECONDS`` (30 minutes) without a visit to the carnet (each visit renews it),
  for shared computers in libraries;
- "Fermer mon carnet" deletes it; a revoked code or an anonymised person closes the carnet
  at the next request whatever the cookie says (the carnet is re-read every time).

It is a functional cookie, not a tracking one. Every response of these views carries
``Cache-Control: no-store`` (never cached by the browser, a proxy or the page cache, which
only caches Wagtail pages and the search) and ``X-Robots-Tag: noindex``. The site-wide
``Referrer-Policy: same-origin`` applies (no Referer to other sites; "no-referrer" would
make Chromium send ``Origin: null`` with the forms, which CSRF protection rightly refuses).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.clients import client_ip
from learners.codes import CODE_ALPHABET, CODE_LENGTH, LEGACY_CODE_LENGTH, code_normalize
from learners.models import CancelledBy, Carnet
from learners.selectors import carnet_overview
from learners.selectors.attestations import attestations_for_carnet
from learners.selectors.bookings import bookings_for_carnet
from learners.selectors.carnet_reads import carnet_guide_for_reading, carnet_read_guides
from learners.selectors.carnets import (
    carnet_consent_active,
    carnet_openable_get,
    carnet_structures,
)
from learners.services import carnet_mark_guide_read
from learners.services.bookings import BookingRefused, booking_cancel
from learners.services.carnet_opening import (
    FIRST_NAME_INPUT_MAX,
    CarnetOpening,
    Outcome,
    carnet_open_attempt,
    carnet_opening_form_state,
)
from learners.services.linking import sharing_consent_revoke

COOKIE_NAME = "carnet"
COOKIE_SALT = "learners.carnet.opened"
CARNET_IDLE_SECONDS = 30 * 60
# The same, for the agenda's sign-up form (« Ajouter à mon carnet »): see `agenda_carnet`.
AGENDA_COOKIE = "carnet_agenda"
AGENDA_SALT = "learners.carnet.agenda"
# The sessions' sign-up pages only: the agenda's lists and venue pages stay public (cached).
AGENDA_PATH = "/pres-de-chez-vous/seances/"
# Where carnet_agenda was set before it was narrowed: browsers may still hold one there
# (sent to the whole agenda, so it would keep the carnet « open » on the sign-up form).
AGENDA_OLD_PATH = "/pres-de-chez-vous/"
CODE_INPUT_MAX = 40
# The QR link's code kept while the holder types their first name (flood mode).
PENDING_COOKIE = "carnet_attente"
PENDING_SALT = "learners.carnet.pending"
PENDING_SECONDS = 15 * 60
FIRST_NAME_FIELDS = ("prenom", "first_name")

# Messages shown on the code form after a redirect (?erreur=… / ?ferme=1): the code itself
# is never put back into a URL.
ERROR_WRONG = "code"
ERROR_LIMIT = "limite"
ERROR_EXPIRED = "expire"
ASK_FIRST_NAME = "prenom"


def _wrong_code_message() -> str:
    # The same words whether the code never existed, was revoked or belongs to an
    # anonymised record: nothing to learn from the answer.
    return _(
        "Ce code n'ouvre aucun carnet. Vérifiez chaque caractère sur votre carte et "
        "réessayez. Si cela ne marche toujours pas, demandez un nouveau code à votre "
        "conseiller ou conseillère numérique."
    )


def _wrong_code_and_name_message() -> str:
    return _(
        "Ce code n'ouvre aucun carnet. Vérifiez chaque caractère de votre carte, et écrivez "
        "votre prénom comme votre conseiller ou conseillère l'a noté. Si cela ne marche "
        "toujours pas, demandez-lui de l'aide ou un nouveau code."
    )


def _first_name_needed_message() -> str:
    return _("Indiquez aussi votre prénom pour ouvrir votre carnet.")


def _malformed_message(raw: str) -> str:
    symbols = [c for c in raw.upper() if c.isalnum()]
    if not symbols:
        return _("Saisissez le code inscrit sur votre carte.")
    if any(c not in CODE_ALPHABET for c in symbols):
        return _(
            "Ce code contient un caractère qui n'existe pas dans les codes de carnet : ils "
            "n'utilisent jamais les chiffres 0 et 1 ni les lettres O, I, L et U. "
            "Vérifiez votre carte."
        )
    return _(
        "Le code compte %(expected)d caractères (lettres et chiffres), %(legacy)d sur les "
        "cartes plus anciennes ; vous en avez saisi %(typed)d. Vérifiez votre carte."
    ) % {"expected": CODE_LENGTH, "legacy": LEGACY_CODE_LENGTH, "typed": len(symbols)}


def carnet_headers(view):
    """no-store (via never_cache) and noindex on every response of the view."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapped)


def _carnet_url() -> str:
    return reverse("carnet")


def _redirect(query: str = "", fragment: str = "") -> HttpResponseRedirect:
    url = _carnet_url() + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
    response = HttpResponseRedirect(url)
    response.status_code = 303  # See Other: the next request is a GET
    return response


def _set_cookie(request: HttpRequest, response: HttpResponse, carnet: Carnet) -> None:
    for name, salt, path in (
        (COOKIE_NAME, COOKIE_SALT, _carnet_url()),
        (AGENDA_COOKIE, AGENDA_SALT, AGENDA_PATH),
    ):
        response.set_signed_cookie(
            name,
            str(carnet.pk),
            salt=salt,
            path=path,
            secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _forget_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE_NAME, path=_carnet_url(), samesite="Lax")
    response.delete_cookie(AGENDA_COOKIE, path=AGENDA_PATH, samesite="Lax")
    _delete_also_at(response, AGENDA_COOKIE, AGENDA_OLD_PATH)


def _delete_also_at(response: HttpResponse, name: str, path: str) -> None:
    """A second Set-Cookie deleting `name` at another path: response.cookies holds one
    morsel per name, so the copy is kept under its own key (the header says `name`)."""
    morsel = response.cookies[name].copy()
    morsel["path"] = path
    response.cookies[f"{name} {path}"] = morsel


def agenda_carnet(request: HttpRequest) -> Carnet | None:
    """The carnet open in this browser, as the agenda's sign-up form sees it (the carnet's
    own cookie is sent to /carnet/ only; this second one, same value and idle delay, to the
    sessions' sign-up pages only, so the guides and the agenda's lists stay cached). None
    when none is open."""
    if not request.COOKIES.get(AGENDA_COOKIE):
        return None
    try:
        carnet_id = int(
            request.get_signed_cookie(AGENDA_COOKIE, salt=AGENDA_SALT, max_age=CARNET_IDLE_SECONDS)
        )
    except (signing.BadSignature, ValueError):
        return None
    return carnet_openable_get(carnet_id=carnet_id)


def _set_pending(request: HttpRequest, response: HttpResponse, code: str) -> None:
    response.set_signed_cookie(
        PENDING_COOKIE,
        code,
        salt=PENDING_SALT,
        max_age=PENDING_SECONDS,
        path=_carnet_url(),
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _pending_code(request: HttpRequest) -> str:
    if not request.COOKIES.get(PENDING_COOKIE):
        return ""
    try:
        value = request.get_signed_cookie(
            PENDING_COOKIE, salt=PENDING_SALT, max_age=PENDING_SECONDS
        )
    except signing.BadSignature:
        return ""
    return code_normalize(value) or ""


def _forget_pending(response: HttpResponse) -> None:
    response.delete_cookie(PENDING_COOKIE, path=_carnet_url(), samesite="Lax")


def _opened(request: HttpRequest, carnet: Carnet) -> HttpResponse:
    response = _redirect()
    _set_cookie(request, response, carnet)
    if request.COOKIES.get(PENDING_COOKIE):
        _forget_pending(response)
    return response


def _cookie_state(request: HttpRequest) -> tuple[Carnet | None, bool]:
    """(the open carnet or None, True when a cookie was there but no longer opens one)."""
    if not request.COOKIES.get(COOKIE_NAME):
        return None, False
    try:
        value = request.get_signed_cookie(
            COOKIE_NAME, salt=COOKIE_SALT, max_age=CARNET_IDLE_SECONDS
        )
        carnet_id = int(value)
    except (signing.BadSignature, ValueError):
        return None, True
    carnet = carnet_openable_get(carnet_id=carnet_id)
    return carnet, carnet is None


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"learners/carnet/{template}", context, status=status)


def _form(
    request,
    *,
    error: str = "",
    typed: str = "",
    notice: str = "",
    ask_first_name: bool = False,
    typed_first_name: str = "",
    first_name_error: str = "",
    status: int = 200,
):
    return _render(
        request,
        "code_form.html",
        {
            "page_title": _("Code non reconnu") if error else _("Ouvrir mon carnet de progression"),
            "error": error,
            "typed": typed,
            "notice": notice,
            "ask_first_name": ask_first_name,
            "typed_first_name": typed_first_name,
            "first_name_error": first_name_error,
            "code_input_max": CODE_INPUT_MAX,
            "first_name_input_max": FIRST_NAME_INPUT_MAX,
        },
        status=status,
    )


def _rate_limited(request, *, message: str, retry_after: int) -> HttpResponse:
    response = _render(
        request,
        "rate_limited.html",
        {"page_title": _("Trop d'essais"), "message": message},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _typed_first_name(data) -> str:
    for field in FIRST_NAME_FIELDS:
        if data.get(field):
            return data.get(field, "")[:FIRST_NAME_INPUT_MAX]
    return ""


def _after_post(request: HttpRequest, raw: str, first_name: str, result: CarnetOpening):
    if result.outcome is Outcome.OPENED:
        return _opened(request, result.carnet)
    if result.outcome is Outcome.LIMITED:
        return _rate_limited(
            request, message=result.limited.message, retry_after=result.limited.retry_after
        )
    if result.outcome is Outcome.FIRST_NAME_NEEDED:
        return _form(
            request,
            typed=raw,
            ask_first_name=True,
            first_name_error=_first_name_needed_message(),
            status=400,
        )
    if result.outcome is Outcome.MALFORMED:
        error = _malformed_message(raw)
    elif first_name:
        error = _wrong_code_and_name_message()
    else:
        error = _wrong_code_message()
    return _form(
        request,
        error=error,
        typed=raw,
        ask_first_name=result.first_name_required,
        typed_first_name=first_name,
        status=400,
    )


@carnet_headers
@require_http_methods(["GET", "HEAD", "POST"])
def carnet(request: HttpRequest) -> HttpResponse:
    """The code form, or the open carnet. A code comes typed (POST) or in the card's QR
    code link (GET ?code=); either way the answer is a redirect to /carnet/ without it."""
    if request.method == "POST":
        return _code_typed(request)
    if "code" in request.GET:
        return _code_from_link(request)
    opened, stale = _cookie_state(request)
    if opened is not None:
        response = _carnet_page(request, opened)
        _set_cookie(request, response, opened)  # renews the idle delay
        return response
    return _code_form_page(request, stale=stale)


def _code_typed(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("code", "")[:CODE_INPUT_MAX]
    first_name = _typed_first_name(request.POST)
    result = carnet_open_attempt(code=raw, first_name=first_name, client_address=client_ip(request))
    return _after_post(request, raw, first_name, result)


def _code_from_link(request: HttpRequest) -> HttpResponse:
    """The QR code's ?code= link: opened, or back to the form (asking the first name, with
    the code kept aside, during a flood)."""
    raw = request.GET.get("code", "")[:CODE_INPUT_MAX]
    result = carnet_open_attempt(code=raw, client_address=client_ip(request))
    if result.outcome is Outcome.OPENED:
        return _opened(request, result.carnet)
    if result.outcome is Outcome.FIRST_NAME_NEEDED:
        response = _redirect(ASK_FIRST_NAME + "=1")
        _set_pending(request, response, code_normalize(raw))
        return response
    return _redirect(f"erreur={ERROR_LIMIT if result.outcome is Outcome.LIMITED else ERROR_WRONG}")


def _form_notice(request: HttpRequest, *, stale: bool, error: str) -> str:
    if request.GET.get("ferme"):
        return _("Votre carnet est fermé. À bientôt !")
    if stale or error == ERROR_EXPIRED:
        return _(
            "Votre carnet s'est fermé après un moment sans activité. Saisissez à nouveau "
            "votre code pour le rouvrir."
        )
    return ""


def _code_form_page(request: HttpRequest, *, stale: bool) -> HttpResponse:
    """The empty code form, with the message a redirect asked for (?erreur=, ?ferme=)."""
    error = request.GET.get("erreur", "")
    state = carnet_opening_form_state(client_address=client_ip(request))
    if error == ERROR_LIMIT:
        if state.limited is not None:
            return _rate_limited(
                request, message=state.limited.message, retry_after=state.limited.retry_after
            )
        error = ""
    pending = _pending_code(request) if request.GET.get(ASK_FIRST_NAME) else ""
    response = _form(
        request,
        error=_wrong_code_message() if error == ERROR_WRONG else "",
        notice=_form_notice(request, stale=stale, error=error),
        typed=pending,
        ask_first_name=state.first_name_required or bool(pending),
    )
    if stale:
        _forget_cookie(response)
    return response


def _level_text(progress) -> str:
    """« Niveau : Acquis (3 sur 4) »; for numbered levels « Niveau 3 sur 8 (Indépendant) »."""
    level = progress.current_level
    position, total = progress.position + 1, progress.steps + 1
    if str(level.rank) in level.name:  # "Niveau 3": the name is already a number
        text = _("%(level)s sur %(total)d") % {"level": level.name, "total": total}
        return f"{text} ({level.group})" if level.group else text
    return _("Niveau : %(level)s (%(position)d sur %(total)d)") % {
        "level": level.name,
        "position": position,
        "total": total,
    }


def _carnet_page(request: HttpRequest, carnet: Carnet) -> HttpResponse:
    overview = carnet_overview(carnet=carnet)
    competences = [
        {
            "progress": progress,
            "value": progress.position + 1,
            "max": progress.steps + 1,
            "level_text": _level_text(progress),
        }
        for progress in overview.competences
    ]
    frameworks: dict[str, list] = {}
    for item in competences:
        frameworks.setdefault(item["progress"].competence.framework.name, []).append(item)
    read_id = request.GET.get("lue", "")
    read_guides = carnet_read_guides(carnet=carnet)
    just_read = next((g for g in read_guides if str(g.pk) == read_id), None)
    return _render(
        request,
        "carnet.html",
        {
            "page_title": _("Mon carnet de progression"),
            "overview": overview,
            "frameworks": frameworks,
            "can_do": overview.can_do,
            "next_guides": overview.next_guides,
            "read_guides": read_guides,
            "just_read": just_read,
            "today": timezone.localdate(),
            "structures": carnet_structures(carnet=carnet),
            "consent_withdrawn": request.GET.get("accord") == "retire",
            "bookings": list(bookings_for_carnet(carnet.learner)),
            "booking_cancelled": request.GET.get("inscription") == "annulee",
            "attestations": attestations_for_carnet(carnet=carnet),
        },
    )


@carnet_headers
@require_POST
def carnet_guide_read(request: HttpRequest, guide_id: int) -> HttpResponse:
    """« J'ai lu cette fiche » (lue=1), or back to the guides to read (lue=0)."""
    opened, _stale = _cookie_state(request)
    if opened is None:
        response = _redirect(f"erreur={ERROR_EXPIRED}")
        _forget_cookie(response)
        return response
    guide = carnet_guide_for_reading(guide_id=guide_id)
    if guide is None:
        return _render(
            request,
            "error.html",
            {
                "page_title": _("Fiche introuvable"),
                "message": _("Cette fiche n'est plus en ligne."),
            },
            status=404,
        )
    read = request.POST.get("lue", "1") != "0"
    carnet_mark_guide_read(carnet=opened, guide=guide, read=read)
    if read:
        return _redirect(f"lue={guide.pk}", fragment="fiches-lues")
    return _redirect(fragment="fiches-a-lire")


@carnet_headers
@require_POST
def carnet_consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    """« Retirer mon accord »: the person stops a structure seeing their whole record."""
    opened, _stale = _cookie_state(request)
    if opened is None:
        response = _redirect(f"erreur={ERROR_EXPIRED}")
        _forget_cookie(response)
        return response
    consent = carnet_consent_active(carnet=opened, consent_id=consent_id)
    if consent is not None:
        sharing_consent_revoke(consent=consent, carnet=opened)
    return _redirect("accord=retire", fragment="qui-m-accompagne")


@carnet_headers
@require_POST
def carnet_booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """« Annuler » on one of the carnet holder's own upcoming sign-ups (anyone else's id, or
    one already cancelled, changes nothing)."""
    opened, _stale = _cookie_state(request)
    if opened is None:
        response = _redirect(f"erreur={ERROR_EXPIRED}")
        _forget_cookie(response)
        return response
    booking = bookings_for_carnet(opened.learner).filter(pk=booking_id).first()
    if booking is not None:
        try:
            booking_cancel(booking=booking, by=CancelledBy.PERSON)
        except BookingRefused:
            return _redirect(fragment="mes-inscriptions")
    return _redirect("inscription=annulee", fragment="mes-inscriptions")


@carnet_headers
@require_POST
def carnet_close(request: HttpRequest) -> HttpResponse:
    """« Fermer mon carnet »: forget the cookie; the code is needed again."""
    response = _redirect("ferme=1")
    _forget_cookie(response)
    _forget_pending(response)
    return response
