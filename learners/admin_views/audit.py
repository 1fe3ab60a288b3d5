"""Journal d'accès (coordinators only): who read or changed which person's record, when,
filterable by person, by user and by dates, paginated (a constant number of queries)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learners.forms.people import AuditFilterForm
from learners.selectors.admin_people import audit_log_search

from .people import TrackingAccessMixin

PER_PAGE = 50


class AuditLogView(TrackingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    coordinator_only = True
    template_name = "learners/admin/audit/index.html"
    page_title = gettext_lazy("Journal d'accès aux fiches")
    header_icon = "history"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Journal d'accès")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        entries = audit_log_search(
            user=self.request.user,
            person=filters.get("personne", ""),
            username=filters.get("utilisateur", ""),
            date_from=filters.get("du"),
            date_to=filters.get("au"),
        )
        page = None
        if not form.is_bound or form.is_valid():
            page = Paginator(entries, PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(
            form=form,
            page=page,
            entries=list(page.object_list) if page is not None else [],
            filtered=any(filters.values()),
        )
        return context


urlpatterns = [path("journal-acces/", AuditLogView.as_view(), name="learners_audit")]
