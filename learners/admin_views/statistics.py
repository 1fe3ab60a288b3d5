"""'Statistiques': the network dashboard (coordinator), scoped for a structure manager and
for a counsellor; filters in the query string; CSV and XLSX exports of the same tables
(`?export=csv` / `?export=xlsx` with the same filters). Thin: the figures come from
`learners.statistics.dashboard.statistics_dashboard`."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learners.forms.statistics import StatisticsFilterForm
from learners.roles import can_use_tracking
from learners.selectors.statistics import statistics_scope
from learners.statistics.charts import table_chart
from learners.statistics.dashboard import statistics_dashboard
from learners.statistics.exports import report_csv, report_xlsx
from learners.statistics.suppression import suppressed_label

EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv", report_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        report_xlsx,
    ),
}


class StatisticsMenuItem(MenuItem):
    """Shown to coordinators and counsellors (never to partner editors)."""

    def is_shown(self, request):
        return can_use_tracking(request.user)


class StatisticsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "learners/admin/statistics/index.html"
    page_title = gettext_lazy("Statistiques")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.scope = statistics_scope(user=request.user)  # PermissionDenied → 403
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Statistiques")}]

    def get(self, request, *args, **kwargs):
        form = StatisticsFilterForm(request.GET, scope=self.scope)
        export = request.GET.get("export", "")
        if export and export not in EXPORT_TYPES:
            form.add_error(None, _("Format d'export inconnu : choisissez CSV ou XLSX."))
        if not form.is_valid():
            context = self.get_context_data(form=form, dashboard=None)
            return self.render_to_response(context, status=400)
        dashboard = statistics_dashboard(user=request.user, filters=form.filters())
        if export and dashboard.report is not None:
            return self.export(export, form, dashboard)
        return self.render_to_response(self.get_context_data(form=form, dashboard=dashboard))

    def heading(self, form, dashboard) -> list[str]:
        filters = dashboard.filters
        lines = [
            _("Pas à pas : statistiques de %(scope)s") % {"scope": dashboard.scope.label},
            _("Période : du %(start)s au %(end)s")
            % {
                "start": formats.date_format(filters.start, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(filters.end, "SHORT_DATE_FORMAT"),
            },
        ]
        lines += [f"{label} : {value}" for label, value in form.active_filters()]
        lines.append(
            _("Chiffres calculés le %(when)s. « %(mark)s » : effectif masqué (secret statistique).")
            % {
                "when": formats.date_format(
                    timezone.localtime(dashboard.computed_at), "SHORT_DATETIME_FORMAT"
                ),
                "mark": suppressed_label(dashboard.report.threshold),
            }
        )
        return lines

    def export(self, kind: str, form, dashboard) -> HttpResponse:
        content_type, extension, render = EXPORT_TYPES[kind]
        body = render(dashboard.report, heading=self.heading(form, dashboard))
        filters = dashboard.filters
        name = f"statistiques-{filters.start.isoformat()}-{filters.end.isoformat()}.{extension}"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs["form"]
        dashboard = kwargs["dashboard"]
        context["scope"] = self.scope
        context["active_filters"] = form.active_filters()
        context["reload_url"] = self.request.get_full_path()
        if dashboard is not None and dashboard.report is not None:
            report = dashboard.report
            context["sections"] = [
                {"table": table, "chart": table_chart(table)}
                for table in report.tables
                if table.key != "headline"
            ]
            context["headline"] = report.headline
            context["suppressed_label"] = suppressed_label(report.threshold)
            query = self.request.GET.copy()
            query.pop("export", None)
            for kind in EXPORT_TYPES:
                query["export"] = kind
                context[f"export_{kind}_url"] = "?" + query.urlencode()
        return context


urlpatterns = [path("statistiques/", StatisticsView.as_view(), name="learners_statistics")]
