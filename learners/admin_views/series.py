"""Creating a cycle of sessions (`learners.services.series`), from « Mes séances » or an
atelier page's buttons (`?atelier=<id>` pre-fills, as for one session)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from learners.forms.series import SeriesForm
from learners.forms.sessions import SESSION_ERROR_FIELDS
from learners.models import SessionSeries
from learners.services.series import series_create, series_starts

from .sessions import SessionCreateView

SERIES_ERROR_FIELDS = {**SESSION_ERROR_FIELDS, "starts": "dates", "title": "series_title"}


class SeriesCreateView(SessionCreateView):
    page_title = gettext_lazy("Nouveau cycle de séances")
    error_fields = SERIES_ERROR_FIELDS

    def get_breadcrumbs_items(self):
        return [
            *super(SessionCreateView, self).get_breadcrumbs_items(),
            {"url": "", "label": _("Nouveau cycle")},
        ]

    def get_form(self, data=None) -> SeriesForm:
        return SeriesForm(
            data, user=self.request.user, structure_param=self.request.GET.get("structure")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["series"] = True
        return context

    def save(self, form: SeriesForm) -> SessionSeries:  # type: ignore[override]
        data = form.cleaned_data
        starts = form.starts()
        if starts is None:
            starts = series_starts(
                first_day=data["date"],
                time=data["time"],
                every_weeks=int(data["rhythm"]),
                count=data["count"],
            )
        values = form.session_values()
        counsellors = values.pop("counsellors", None)
        return series_create(
            user=self.request.user,
            title=data.get("series_title") or "",
            starts=starts,
            signup_scope=data["signup_scope"],
            session_values=values,
            counsellors=counsellors,
        )

    def saved(self, series: SessionSeries):  # type: ignore[override]
        first = series.sessions.order_by("start").first()
        messages.success(
            self.request,
            _("Cycle créé : %(title)s, %(count)d séances.")
            % {"title": series.title, "count": series.sessions.count()},
        )
        if first is None:
            return redirect("learners_sessions")
        return redirect("learners_attendance_sheet", session_id=first.pk)


urlpatterns = [
    path("seances/cycle/nouveau/", SeriesCreateView.as_view(), name="learners_series_create"),
]
