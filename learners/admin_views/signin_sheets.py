"""The printable sign-in sheet (« feuille d'émargement »): one A4 page per session, for a
session or a whole cycle. A plain page (no admin chrome) meant for the printer; reading
it is audited (names of the people)."""

from __future__ import annotations

from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from learners.choices import AuditAction
from learners.models import Learner, Session
from learners.selectors.signin_sheets import series_sessions, signin_sheet_pages
from learners.services.audit import audit_log_record_many
from learners.services.bookings_audit import session_bookings_read_log

from .sessions import tracking_required


def _render(request, pages, title: str):
    if not pages:
        raise Http404(_("Séance introuvable."))
    learner_ids = {row.learner_id for page in pages for row in page.rows if row.learner_id}
    if learner_ids:
        audit_log_record_many(
            user=request.user,
            action=AuditAction.READ,
            learners=list(Learner.objects.filter(pk__in=learner_ids)),
            detail="feuille d'émargement imprimée (séances "
            + ", ".join(str(page.session.pk) for page in pages)
            + ")",
        )
    bookings = [row.booking for page in pages for row in page.rows if row.booking]
    if bookings:
        session_bookings_read_log(user=request.user, bookings=bookings, sheet=True)
    return TemplateResponse(
        request,
        "learners/admin/sessions/signin_sheet.html",
        {"pages": pages, "title": title},
    )


@tracking_required
def signin_sheet(request, session_id: int):
    pages = signin_sheet_pages(user=request.user, sessions=Session.objects.filter(pk=session_id))
    return _render(request, pages, _("Feuille d'émargement"))


@tracking_required
def series_signin_sheet(request, series_id: int):
    pages = signin_sheet_pages(
        user=request.user, sessions=series_sessions(user=request.user, series_id=series_id)
    )
    return _render(request, pages, _("Feuilles d'émargement du cycle"))


urlpatterns = [
    path(
        "seances/<int:session_id>/emargement/",
        signin_sheet,
        name="learners_signin_sheet",
    ),
    path(
        "seances/cycle/<int:series_id>/emargement/",
        series_signin_sheet,
        name="learners_series_signin_sheet",
    ),
]
