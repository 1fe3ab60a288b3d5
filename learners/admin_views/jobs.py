"""Tâches de fond (coordinators only): each job's last run and last success, then the log
of runs (newest first, paginated), failures highlighted in words and colour; a filter
shows failures only. Counsellors and partner editors get 403. The admin home shows a
panel to coordinators when a job failed in the last week."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learners.selectors.jobs import (
    JOB_LABELS,
    job_failures_recent_count,
    job_label,
    job_overview,
    job_run_is_stale,
    job_runs_for_user,
)

from .people import TrackingAccessMixin

PER_PAGE = 50


class JobRunsView(TrackingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    coordinator_only = True
    template_name = "learners/admin/jobs/index.html"
    page_title = gettext_lazy("Tâches de fond")
    header_icon = "cogs"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Tâches de fond")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        failed_only = self.request.GET.get("echecs") == "1"
        name = self.request.GET.get("tache", "")
        if name not in JOB_LABELS:
            name = ""
        page = Paginator(
            job_runs_for_user(user=user, name=name, failed_only=failed_only), PER_PAGE
        ).get_page(self.request.GET.get("p"))
        now = timezone.now()
        runs = [
            {
                "run": run,
                "label": job_label(run.name),
                "stale": job_run_is_stale(run, now=now),
            }
            for run in page.object_list
        ]
        context.update(
            overview=job_overview(user=user, now=now),
            page=page,
            runs=runs,
            failed_only=failed_only,
            name=name,
            job_choices=[(key, str(label)) for key, label in JOB_LABELS.items()],
        )
        return context


class JobFailuresPanel(Component):
    """Admin home panel: "N échecs de tâches de fond cette semaine" (coordinators)."""

    name = "learners_job_failures"
    order = 5  # above the counsellor's dashboard panel (10)

    def __init__(self, count: int):
        self.count = count

    def render_html(self, parent_context=None):
        return render_to_string(
            "learners/admin/jobs/home_panel.html",
            {"count": self.count, "url": reverse("learners_jobs") + "?echecs=1"},
        )


def add_home_panel(request, panels) -> None:
    count = job_failures_recent_count(user=request.user)
    if count:
        panels.append(JobFailuresPanel(count))


urlpatterns = [path("taches-de-fond/", JobRunsView.as_view(), name="learners_jobs")]
