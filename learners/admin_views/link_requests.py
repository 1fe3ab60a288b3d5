"""Demandes de rattachement (coordinators only): a counsellor met a person who seems to
be followed by another structure and could not show their carnet. The coordination
compares the two records (the merge tool) and merges them, or closes the request when
they are different people. Nothing here gives a structure another's history."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from common.params import positive_int
from learners.choices import AuditAction
from learners.models import LinkRequest
from learners.selectors.people import link_requests_open
from learners.services import audit_log_record_many
from learners.services.linking import link_request_close

from .people import TrackingAccessMixin

LIMIT = 100


class LinkRequestsView(TrackingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    coordinator_only = True
    header_icon = "link"
    template_name = "learners/admin/link_requests/index.html"
    page_title = gettext_lazy("Demandes de rattachement")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Demandes de rattachement")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = list(link_requests_open(user=self.request.user)[:LIMIT])
        people = [r.learner for r in requests] + [r.own_record for r in requests if r.own_record]
        if people:
            audit_log_record_many(
                user=self.request.user,
                action=AuditAction.READ,
                learners=people,
                detail="demandes de rattachement",
            )
        context.update(requests=requests, merge_url=reverse("learners_merge_compare"))
        return context

    def post(self, request, *args, **kwargs):
        request_id = positive_int(request.POST.get("request"))
        link_request = (
            LinkRequest.objects.filter(pk=request_id, closed_at__isnull=True).first()
            if request_id is not None
            else None
        )
        if link_request is None:
            raise Http404(_("Demande introuvable."))
        link_request_close(user=request.user, request=link_request, outcome="différentes")
        messages.success(request, _("Demande classée : ce ne sont pas les mêmes personnes."))
        return redirect("learners_link_requests")


urlpatterns = [
    path("rattachements/", LinkRequestsView.as_view(), name="learners_link_requests"),
]
