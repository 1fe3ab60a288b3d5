"""'Mon tableau de bord': people who progressed this month, people stuck, people who
stopped coming, upcoming sessions with free places (`counsellor_dashboard`, scoped by
role). Also shown at the top of the Wagtail admin home for coordinators and counsellors
(`DashboardHomePanel`, added by the `construct_homepage_panels` hook)."""

from __future__ import annotations

import datetime

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.components import Component

from learners.roles import can_use_tracking
from learners.selectors import counsellor_dashboard
from learners.selectors.session_bookings import no_shows_visible

from .sessions import TrackingTemplateView, person_url

NO_SHOW_DAYS = 30


def dashboard_context(user) -> dict:
    dashboard = counsellor_dashboard(user=user)
    urls: dict[int, str | None] = {}

    def url_for(learner_id: int) -> str | None:
        if learner_id not in urls:
            urls[learner_id] = person_url(learner_id)
        return urls[learner_id]

    for entry in dashboard.progressed:
        entry.person_url = url_for(entry.learner.pk)
    for item in dashboard.stuck:
        item.person_url = url_for(item.learner.pk)
    for learner in dashboard.stopped:
        learner.person_url = url_for(learner.pk)
    return {
        "dashboard": dashboard,
        # Confirmed online sign-ups of the last 30 days' sessions never marked present.
        "no_shows": no_shows_visible(
            user, since=timezone.localdate() - datetime.timedelta(days=NO_SHOW_DAYS)
        ).count(),
        "no_show_days": NO_SHOW_DAYS,
        "person_pages": reverse_exists(),
        "sessions_url": reverse("learners_sessions"),
    }


def reverse_exists() -> bool:
    return person_url(0) is not None


class DashboardView(TrackingTemplateView):
    template_name = "learners/admin/dashboard/index.html"
    page_title = gettext_lazy("Mon tableau de bord")
    header_icon = "view"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Mon tableau de bord")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dashboard_context(self.request.user))
        return context


class DashboardHomePanel(Component):
    """The dashboard on the admin home page, first, for coordinators and counsellors."""

    name = "learners_dashboard"
    template_name = "learners/admin/dashboard/home_panel.html"
    order = 10

    class Media:
        css = {"all": ("learners/admin/sessions.css",)}

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        context = dashboard_context(self.request.user)
        context["dashboard_url"] = reverse("learners_dashboard")
        return context


def add_home_panel(request, panels) -> None:
    if can_use_tracking(request.user):
        panels.insert(0, DashboardHomePanel(request))


urlpatterns = [
    path("tableau-de-bord/", DashboardView.as_view(), name="learners_dashboard"),
]
