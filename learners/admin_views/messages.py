"""Messages envoyés: SMS (and SMS billed) and e-mails sent to people signed up, per
structure and month over the last 12 months; the detail per kind of message for a
structure manager (their structure) and the coordination (the network). Counsellors see
their structure's totals; partner editors get 403 (`learners.selectors.messages`)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learners.selectors.messages import (
    message_counts_by_kind,
    message_counts_by_structure,
    messages_scope,
)

from .people import TrackingAccessMixin


class MessagesSentView(TrackingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "learners/admin/messages/index.html"
    page_title = gettext_lazy("Messages envoyés")
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Messages envoyés")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = messages_scope(user=user)
        rows = message_counts_by_structure(user=user)
        context.update(
            network=scope.structure_id is None,
            rows=rows,
            kind_rows=message_counts_by_kind(user=user),
            totals={
                "sms": sum(row["sms"] for row in rows),
                "segments": sum(row["segments"] for row in rows),
                "emails": sum(row["emails"] for row in rows),
            },
        )
        return context


urlpatterns = [path("messages-envoyes/", MessagesSentView.as_view(), name="learners_messages")]
