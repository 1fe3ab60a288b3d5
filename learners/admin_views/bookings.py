"""The online sign-ups on the counsellor's side: « Présent » on a sign-up of the sheet
(with the choice of the person when no record matches precisely), the list of the
sign-ups of upcoming sessions, and the appointment requests of the structure's venues.
Reads of these personal data are audited; out of scope is a 404, partner editors 403."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from common.french_text import french_de
from common.params import positive_int
from learners.choices import AuditAction
from learners.models import Booking, Learner
from learners.scoping import learners_visible
from learners.selectors.session_bookings import (
    appointment_requests_open,
    booking_get_for_user,
    booking_learner_match,
    booking_name_candidates,
    bookings_upcoming,
)
from learners.services.appointment_handling import appointment_request_handle
from learners.services.booking_checkin import booking_check_in
from learners.services.booking_unregister import booking_unregister
from learners.services.bookings_audit import (
    appointment_requests_access_log,
    structure_bookings_read_log,
)

from .sessions import TrackingTemplateView, error_messages

PER_PAGE = 50


def _booking_or_404(user, booking_id: int) -> Booking:
    try:
        return booking_get_for_user(user=user, booking_id=booking_id)
    except Booking.DoesNotExist as exc:
        raise Http404(_("Inscription introuvable.")) from exc


def _sheet(booking: Booking, anchor: str = "") -> str:
    url = reverse("learners_attendance_sheet", args=[booking.session_id])
    return f"{url}#{anchor}" if anchor else url


def _check_in(request, booking: Booking, learner: Learner):
    try:
        attendance = booking_check_in(user=request.user, booking=booking, learner=learner)
    except (ValidationError, PermissionDenied) as exc:
        for message in error_messages(exc) if isinstance(exc, ValidationError) else [str(exc)]:
            messages.error(request, message)
        return redirect(_sheet(booking, f"inscription-{booking.pk}"))
    messages.success(
        request, _("Présence notée pour %(name)s.") % {"name": attendance.learner.display_name}
    )
    return redirect(_sheet(booking, f"ligne-{attendance.learner_id}"))


class BookingCheckInView(TrackingTemplateView):
    """POST « Présent »: the record the person linked with their carnet when signing up,
    else the one record that matches precisely, is marked present; otherwise the
    counsellor picks or creates the person (`BookingPickView`)."""

    http_method_names = ["post"]

    def post(self, request, booking_id: int):
        booking = _booking_or_404(request.user, booking_id)
        if booking.learner is not None:
            # Signed up with their carnet: the person said who they are.
            return _check_in(request, booking, booking.learner)
        matches = booking_learner_match(user=request.user, booking=booking)
        if len(matches) == 1:
            return _check_in(request, booking, matches[0])
        return redirect("learners_booking_pick", booking_id=booking.pk)


class BookingUnregisterView(TrackingTemplateView):
    """POST « Désinscrire »: the sign-up is cancelled by the structure, the person told,
    the place offered to the waiting list (`booking_unregister`); back to where it was
    done (the sheet, or the list of sign-ups with `next=liste`)."""

    http_method_names = ["post"]

    def post(self, request, booking_id: int):
        booking = _booking_or_404(request.user, booking_id)
        back = (
            reverse("learners_bookings")
            if request.POST.get("next") == "liste"
            else _sheet(booking, "inscriptions-en-ligne")
        )
        try:
            booking_unregister(user=request.user, booking=booking)
        except (ValidationError, PermissionDenied) as exc:
            for message in error_messages(exc) if isinstance(exc, ValidationError) else [str(exc)]:
                messages.error(request, message)
            return redirect(back)
        messages.success(
            request,
            _("Inscription annulée pour %(name)s : la personne est prévenue, la place est libérée.")
            % {"name": booking.first_name},
        )
        return redirect(back)


class BookingPickView(TrackingTemplateView):
    """Several records or none match the sign-up precisely: the structure's records with
    its first name, to pick, or « nouvelle personne » (the sheet's flow, which shows the
    network's possible matches by the one linking rule before creating)."""

    template_name = "learners/admin/sessions/booking_pick.html"
    page_title = gettext_lazy("Qui est venu ?")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        self.booking_id = kwargs["booking_id"]
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, booking_id: int):
        booking = _booking_or_404(request.user, booking_id)
        candidates = booking_name_candidates(user=request.user, booking=booking)
        new_url = reverse("learners_attendance_new_person", args=[booking.session_id])
        query = urlencode({"first_name": booking.first_name, "inscription": booking.pk})
        return self.render_to_response(
            self.get_context_data(
                booking=booking,
                session=booking.session,
                candidates=candidates,
                new_person_url=f"{new_url}?{query}",
            )
        )

    def post(self, request, booking_id: int):
        booking = _booking_or_404(request.user, booking_id)
        learner_id = positive_int(request.POST.get("learner_id"))
        learner = (
            learners_visible(request.user).filter(pk=learner_id).first()
            if learner_id is not None
            else None
        )
        if learner is None:
            messages.error(request, _("Personne introuvable : choisissez-la à nouveau."))
            return redirect("learners_booking_pick", booking_id=booking.pk)
        return _check_in(request, booking, learner)


class BookingListView(TrackingTemplateView):
    """The sign-ups of today's and upcoming sessions of the structure (all for the
    coordination), by session. Reading them is audited."""

    template_name = "learners/admin/sessions/bookings.html"
    page_title = gettext_lazy("Inscriptions en ligne")
    header_icon = "list-ul"

    def get(self, request, *args, **kwargs):
        page = Paginator(bookings_upcoming(user=request.user), PER_PAGE).get_page(
            request.GET.get("p")
        )
        structure_bookings_read_log(user=request.user, bookings=page.object_list)
        return self.render_to_response(self.get_context_data(page=page))


class AppointmentRequestListView(TrackingTemplateView):
    """The new appointment requests of the structure's venues; « Traitée » on each."""

    template_name = "learners/admin/sessions/appointment_requests.html"
    page_title = gettext_lazy("Demandes de rendez-vous")
    header_icon = "mail"

    def get(self, request, *args, **kwargs):
        page = Paginator(appointment_requests_open(user=request.user), PER_PAGE).get_page(
            request.GET.get("p")
        )
        appointment_requests_access_log(
            user=request.user, action=AuditAction.READ, requests=page.object_list
        )
        return self.render_to_response(self.get_context_data(page=page))

    def post(self, request, *args, **kwargs):
        handled_id = positive_int(request.POST.get("handled"))
        appointment = (
            appointment_requests_open(user=request.user).filter(pk=handled_id).first()
            if handled_id is not None
            else None
        )
        if appointment is None:
            messages.error(request, _("Cette demande n'est plus à traiter."))
            return redirect("learners_appointment_requests")
        try:
            appointment_request_handle(user=request.user, request=appointment)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                _("Demande %(of_name)s marquée traitée.")
                % {"of_name": french_de(appointment.first_name)},
            )
        return redirect("learners_appointment_requests")


urlpatterns = [
    path(
        "inscriptions/<int:booking_id>/present/",
        BookingCheckInView.as_view(),
        name="learners_booking_checkin",
    ),
    path(
        "inscriptions/<int:booking_id>/desinscrire/",
        BookingUnregisterView.as_view(),
        name="learners_booking_unregister",
    ),
    path(
        "inscriptions/<int:booking_id>/qui/",
        BookingPickView.as_view(),
        name="learners_booking_pick",
    ),
    path("inscriptions/", BookingListView.as_view(), name="learners_bookings"),
    path(
        "demandes-de-rendez-vous/",
        AppointmentRequestListView.as_view(),
        name="learners_appointment_requests",
    ),
]
