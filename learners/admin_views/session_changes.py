"""Cancel or move a session (`learners.services.session_changes`): a form with the
reason, reached from the attendance sheet. A session out of scope is a 404; partner
editors get a 403 (`TrackingViewMixin`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from learners.forms.session_changes import SessionCancelForm, SessionMoveForm
from learners.models import Booking, Session
from learners.roles import can_use_tracking
from learners.services.session_changes import session_cancel, session_move

from .sessions import TrackingTemplateView, apply_service_errors, get_session_or_404


class SessionChangeView(TrackingTemplateView):
    template_name = "learners/admin/sessions/change.html"
    session: Session

    def dispatch(self, request, *args, **kwargs):
        if can_use_tracking(request.user):
            self.session = get_session_or_404(request.user, kwargs["session_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("learners_attendance_sheet", args=[self.session.pk]),
                "label": self.session.display_title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form(self, data=None):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        told: list[Booking] = list(self.session.bookings.live())
        context.update(
            session=self.session,
            form=kwargs.get("form") or self.get_form(),
            told_count=len(told),
            registered_count=self.session.seats_taken + self.session.waiting_count,
            action=self.action,
        )
        return context

    def get(self, request, *args, **kwargs):
        if self.session.is_cancelled:
            messages.info(request, _("Cette séance est déjà annulée."))
            return redirect("learners_attendance_sheet", session_id=self.session.pk)
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                self.change(form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc, {"start": "date"})
            else:
                return redirect("learners_attendance_sheet", session_id=self.session.pk)
        return self.render_to_response(self.get_context_data(form=form))


class SessionCancelView(SessionChangeView):
    page_title = gettext_lazy("Annuler la séance")
    header_icon = "cross"
    action = "cancel"

    def get_form(self, data=None):
        return SessionCancelForm(data)

    def change(self, data) -> None:
        session_cancel(user=self.request.user, session=self.session, reason=data["reason"])
        messages.success(
            self.request,
            _("Séance annulée. Les personnes inscrites sont prévenues par SMS ou par courriel."),
        )


class SessionMoveView(SessionChangeView):
    page_title = gettext_lazy("Déplacer la séance")
    header_icon = "date"
    action = "move"

    def get_form(self, data=None):
        return SessionMoveForm(data, session=self.session)

    def change(self, data) -> None:
        session_move(
            user=self.request.user,
            session=self.session,
            start=data["start"],
            venue=data.get("venue"),
            reason=data["reason"],
        )
        messages.success(
            self.request,
            _("Séance déplacée. Les personnes inscrites sont prévenues par SMS ou par courriel."),
        )


urlpatterns = [
    path(
        "seances/<int:session_id>/annuler/",
        SessionCancelView.as_view(),
        name="learners_session_cancel",
    ),
    path(
        "seances/<int:session_id>/deplacer/",
        SessionMoveView.as_view(),
        name="learners_session_move",
    ),
]
