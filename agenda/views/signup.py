"""Public sign-up: the session page and its form, the person's booking page (cancel, accept
or decline an offered place), and the appointment request of a venue.

Thin: the services decide (`learners.services.bookings`, `.appointments`), the selectors
read (`learners.selectors.bookings`, `.places`). Abuse: every POST is counted per client
address and per phone or e-mail (`agenda.limits`, 429 page past the rate, nothing saved);
a filled honeypot gets a neutral page and nothing is saved.

**The booking page is personal**: its URL holds the secret token of the person's links.
Its responses carry `Cache-Control: private, no-store` (never kept by the browser, a proxy
or `caching/pages.py`, which caches only Wagtail pages and the search, and never a page
marked private or no-store) and `X-Robots-Tag: noindex`; the site's
`Referrer-Policy: same-origin` sends no Referer (so no token) to other sites, and the page
links to no other site.

**Carnet.** When a carnet is open in this browser (`learners.views.carnet.agenda_carnet`,
a cookie for this path set when the carnet opens), the form offers « Ajouter cette
inscription à mon carnet »; ticked, the booking is linked to the carnet's person. The form
is never filled with the person's stored contact details.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_POST

from caching import fragments, memo
from caching.versions import AGENDA_DETAILS, PUBLICATION, versions_of
from learners.models import (
    BOOKING_ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    CancelledBy,
    Session,
    SignupScope,
    Venue,
)
from learners.selectors.bookings import (
    booking_by_token,
    booking_group,
    cycle_sessions,
    session_for_booking,
    session_for_signup,
    session_is_public,
    venue_taking_requests,
    waitlist_rank,
)
from learners.selectors.places import Places, places_of
from learners.services.appointments import appointment_request_create
from learners.services.bookings import (
    BookingRefused,
    booking_cancel,
    booking_create,
    offer_accept,
    offer_decline,
)
from learners.services.bookings_privacy import (
    ANONYMIZED_FIRST_NAME,
    booking_contacts_erase_by_person,
)
from learners.views.carnet import agenda_carnet

from ..forms import AppointmentForm, SignupForm
from ..limits import post_counted
from ..wording import places_text, session_when

SIGNUP_GROUP = "agenda.signup"
APPOINTMENT_GROUP = "agenda.appointment"


def personal(view):
    """no-store, private and noindex on every response of a personal page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return cache_control(private=True)(never_cache(wrapped))


# --- Words ------------------------------------------------------------------------------------


def when_text(session: Session) -> str:
    """« mardi 12 janvier 2027 de 14 h à 16 h » (always with the year on these pages)."""
    return session_when(session, with_year=True)


def _rank_text(rank: int) -> str:
    """« Vous êtes 2e sur la liste d'attente. » (the first: « la première personne »)."""
    if rank == 1:
        return _("Vous êtes la première personne sur la liste d'attente.")
    return _("Vous êtes %(rank)de sur la liste d'attente.") % {"rank": rank}


# --- Pages ------------------------------------------------------------------------------------


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "agenda/rate_limited.html",
        {"page_title": _("Trop de demandes")},
        status=429,
    )
    response["Retry-After"] = "3600"
    return response


def _cancelled(request: HttpRequest, session: Session) -> HttpResponse:
    """A published session that was cancelled: its page says so, and why."""
    return render(
        request,
        "agenda/session_cancelled.html",
        {"page_title": session.display_title, "session": session, "when": when_text(session)},
    )


PUBLIC, HIDDEN, CANCELLED = "public", "hidden", "cancelled"
SHEET_SCOPES = (PUBLICATION, AGENDA_DETAILS)


@dataclass(frozen=True)
class SessionSheet:
    """What the session page shows of a session, the same for every visitor: its state,
    the rendered facts (place, atelier, cycle dates) and what the places and the form
    need. Kept per process under the versions of the published content and of the
    agenda's details (every session change bumps it; a sign-up, a cancellation or an offer
    does not: they change places only, and the places are counted per request)."""

    session_id: int
    state: str
    kind: str
    page_title: str
    article: SafeString
    start: datetime.datetime
    capacity: int | None
    waitlist_capacity: int
    structure_name: str
    cycle_choice: bool

    def places(self) -> Places:
        """The session's places now (one query)."""
        return places_of(
            self.session_id, capacity=self.capacity, waitlist_capacity=self.waitlist_capacity
        )


def _article_context(session: Session) -> dict:
    atelier = session.atelier if session.atelier is not None and session.atelier.live else None
    return {
        "session": session,
        "atelier": atelier,
        "cycle": [{"session": s, "when": when_text(s)} for s in cycle_sessions(session)],
        "whole_cycle": session.series is not None
        and session.series.signup_scope == SignupScope.WHOLE_CYCLE,
        "when": when_text(session),
    }


def _sheet_build(session: Session) -> SessionSheet:
    if not session_is_public(session):
        state = HIDDEN
    else:
        state = CANCELLED if session.is_cancelled else PUBLIC
    article = ""
    if state == PUBLIC:
        article = render_to_string("agenda/_session_article.html", _article_context(session))
    return SessionSheet(
        session_id=session.pk,
        state=state,
        kind=session.get_kind_display(),
        page_title=session.display_title,
        article=SafeString(article),
        start=session.start,
        capacity=session.capacity,
        waitlist_capacity=session.waitlist_capacity,
        structure_name=session.structure.name if session.structure_id else "",
        cycle_choice=session.series is not None
        and session.series.signup_scope == SignupScope.PER_DATE,
    )


def session_sheet(request: HttpRequest, session_id: int) -> SessionSheet | None:
    """The session's sheet, from this process's render cache when the versions match (no
    query), else built (the session and its cycle read, the article rendered) and kept.
    None for an unknown session (not kept: a session created later must show)."""
    key = ("agenda.session_sheet", session_id, get_language())
    cached = fragments.render_seconds() > 0
    if cached:
        hit = memo.recall(key, request=request, scopes=SHEET_SCOPES)
        if hit is not None:
            return hit
    # Read before building: a bump during the build must not label old data as new.
    versions = versions_of(SHEET_SCOPES, request=request)
    session = session_for_signup(session_id)
    if session is None:
        return None
    sheet = _sheet_build(session)
    if cached:
        memo.remember(key, sheet, request=request, scopes=SHEET_SCOPES, versions=versions)
    return sheet


def _page_context(sheet: SessionSheet, form: SignupForm | None) -> dict:
    places = sheet.places()
    return {
        "page_title": sheet.page_title,
        "sheet": sheet,
        "places": places,
        "places_text": places_text(places),
        "form": form,
        "open": sheet.start > timezone.now() and not places_closed(places),
    }


def places_closed(places: Places) -> bool:
    return places.is_full and not places.waitlist_open


def _not_signable(request: HttpRequest, session_id: int, state: str) -> HttpResponse:
    # Not public (unpublished, individual): a plain 404 that tells nothing of the session.
    if state == HIDDEN:
        raise Http404
    session = session_for_signup(session_id)
    if session is None:
        raise Http404
    return _cancelled(request, session)


@require_http_methods(["GET", "HEAD", "POST"])
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    """/pres-de-chez-vous/seances/<id>/: the session and its sign-up form. The part the
    same for everyone comes from the render cache; the form (CSRF token, errors, the
    carnet's offer) is rendered per request."""
    if request.method == "POST":
        return _signup_post(request, session_id)
    sheet = session_sheet(request, session_id)
    if sheet is None:
        raise Http404
    if sheet.state != PUBLIC:
        return _not_signable(request, session_id, sheet.state)
    form = SignupForm(
        cycle_choice=sheet.cycle_choice, carnet_offer=agenda_carnet(request) is not None
    )
    form.describe_fields()
    return render(request, "agenda/session.html", _page_context(sheet, form))


def _refused_page(request: HttpRequest, session_id: int, form: SignupForm) -> HttpResponse:
    sheet = session_sheet(request, session_id)
    if sheet is None:
        raise Http404
    form.describe_fields()
    return render(request, "agenda/session.html", _page_context(sheet, form), status=400)


def _signup_post(request: HttpRequest, session_id: int) -> HttpResponse:
    """The form sent: only the session row and its cycle are read before the service (the
    page around the form is needed only when the form comes back with an error)."""
    session = session_for_booking(session_id)
    if session is None:
        raise Http404
    if not session_is_public(session):
        return _not_signable(request, session_id, HIDDEN)
    if session.is_cancelled:
        return _not_signable(request, session_id, CANCELLED)
    if post_counted(request, group=SIGNUP_GROUP).over:
        return _too_many(request)
    carnet = agenda_carnet(request)
    form = SignupForm(
        request.POST,
        cycle_choice=session.series is not None
        and session.series.signup_scope == SignupScope.PER_DATE,
        carnet_offer=carnet is not None,
    )
    if form.is_robot():
        return render(request, "agenda/received.html", {"page_title": _("Demande reçue")})
    if form.is_valid():
        data = form.cleaned_data
        try:
            bookings = booking_create(
                session=session,
                first_name=data["first_name"],
                phone=data["phone"],
                email=data["email"],
                reminder_consent=data["reminder_consent"],
                whole_cycle=form.whole_cycle(),
                learner=carnet.learner if carnet and data.get("add_to_carnet") else None,
            )
        except BookingRefused as refused:
            form.add_service_errors(refused)
        else:
            response = redirect("agenda:booking", token=bookings[0].token)
            response.status_code = 303
            return response
    return _refused_page(request, session_id, form)


def _booking_or_404(token: str) -> Booking:
    booking = booking_by_token(token)
    if booking is None:
        raise Http404
    return booking


def _erasable(booking: Booking, group: list[Booking]) -> bool:
    """Something of the person is left to erase, and no date of the form is live."""
    left = booking.phone or booking.email
    left = left or (booking.learner_id is None and booking.first_name != ANONYMIZED_FIRST_NAME)
    return bool(left) and all(b.status not in BOOKING_ACTIVE_STATUSES for b in group)


def _booking_context(booking: Booking, **extra) -> dict:
    group = booking_group(booking)
    return {
        "page_title": _("Mon inscription"),
        "booking": booking,
        "session": booking.session,
        "when": when_text(booking.session),
        "group": [
            {
                "booking": b,
                "when": when_text(b.session),
                "live": b.status != BookingStatus.CANCELLED,
            }
            for b in group
        ],
        "rank_text": _rank_text(rank) if (rank := waitlist_rank(booking)) else "",
        "offered_until": booking.offered_until,
        "live": any(b.status in BOOKING_ACTIVE_STATUSES for b in group),
        "upcoming": booking.session.start > timezone.now(),
        "erasable": _erasable(booking, group),
        **extra,
    }


@personal
@require_http_methods(["GET", "HEAD"])
def booking_page(request: HttpRequest, token: str) -> HttpResponse:
    """/pres-de-chez-vous/inscription/<token>/: the person's sign-up."""
    booking = _booking_or_404(token)
    notice = {
        "annulee": _("Votre inscription est annulée. Merci de nous avoir prévenus !"),
        "acceptee": _("C'est noté : la place est à vous."),
        "refusee": _("C'est noté : la place est proposée à la personne suivante."),
        "effacee": _("Vos coordonnées sont effacées."),
    }.get(request.GET.get("fait", ""), "")
    return render(request, "agenda/booking.html", _booking_context(booking, notice=notice))


@personal
@require_http_methods(["GET", "HEAD", "POST"])
def booking_cancel_page(request: HttpRequest, token: str) -> HttpResponse:
    """A confirmation step (GET), then the cancellation (POST)."""
    booking = _booking_or_404(token)
    if request.method != "POST":
        return render(request, "agenda/booking_cancel.html", _booking_context(booking))
    try:
        booking_cancel(
            booking=booking, by=CancelledBy.PERSON, whole_group=request.POST.get("tout") == "1"
        )
    except BookingRefused as refused:
        context = _booking_context(booking, error=refused.messages[0])
        return render(request, "agenda/booking.html", context, status=400)
    return _back_to_booking(booking, "annulee")


@personal
@require_POST
def booking_erase(request: HttpRequest, token: str) -> HttpResponse:
    """« Supprimer mes coordonnées » once the sign-up is over (cancelled or expired)."""
    booking = _booking_or_404(token)
    try:
        booking_contacts_erase_by_person(booking=booking)
    except PermissionDenied as refused:
        context = _booking_context(booking, error=str(refused))
        return render(request, "agenda/booking.html", context, status=400)
    return _back_to_booking(booking, "effacee")


def _back_to_booking(booking: Booking, done: str) -> HttpResponse:
    url = reverse("agenda:booking", kwargs={"token": booking.token})
    response = redirect(f"{url}?fait={done}")
    response.status_code = 303
    return response


@personal
@require_POST
def booking_offer(request: HttpRequest, token: str) -> HttpResponse:
    """Accept (reponse=oui) or decline (reponse=non) an offered place."""
    booking = _booking_or_404(token)
    accept = request.POST.get("reponse") == "oui"
    try:
        if accept:
            offer_accept(booking=booking)
        else:
            offer_decline(booking=booking)
    except BookingRefused as refused:
        booking.refresh_from_db()
        context = _booking_context(booking, error=refused.messages[0])
        return render(request, "agenda/booking.html", context, status=400)
    return _back_to_booking(booking, "acceptee" if accept else "refusee")


# --- Appointment requests ---------------------------------------------------------------------


def _venue_or_404(venue_id: int) -> Venue:
    venue = venue_taking_requests(venue_id)
    if venue is None:
        raise Http404
    return venue


@require_http_methods(["GET", "HEAD", "POST"])
def appointment_request(request: HttpRequest, venue_id: int) -> HttpResponse:
    """/pres-de-chez-vous/lieux/<id>/rendez-vous/: ask a venue for an appointment."""
    venue = _venue_or_404(venue_id)
    context = {"page_title": _("Demander un rendez-vous"), "venue": venue}
    if request.GET.get("envoyee"):
        return render(request, "agenda/appointment_done.html", context)
    if request.method != "POST":
        form = AppointmentForm()
        form.describe_fields()
        return render(request, "agenda/appointment_form.html", {**context, "form": form})
    if post_counted(request, group=APPOINTMENT_GROUP).over:
        return _too_many(request)
    form = AppointmentForm(request.POST)
    if form.is_robot():
        return render(request, "agenda/received.html", {"page_title": _("Demande reçue")})
    if form.is_valid():
        data = form.cleaned_data
        try:
            appointment_request_create(
                venue=venue,
                first_name=data["first_name"],
                phone=data["phone"],
                email=data["email"],
                availability=data["availability"],
                topic=data["topic"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            response = redirect(f"{request.path}?envoyee=1")
            response.status_code = 303
            return response
    form.describe_fields()
    return render(request, "agenda/appointment_form.html", {**context, "form": form}, status=400)
