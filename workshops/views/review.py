"""Admin page views of guides and ateliers that tell the reviewer what their decision did.

Wagtail's workflow action (the « Approuver » and « Demander des modifications » buttons of
the dashboard and of the page's menu) redirects without a word; the coordinator could not
tell whether the page went out. These subclasses add the confirmation, nothing else.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import Page


def review_message(request, *, page: Page, action: str) -> None:
    """Adds the French confirmation of a workflow `action` just taken on `page`."""
    page = Page.objects.get(pk=page.pk)  # as the action left it
    title = page.get_admin_display_title()
    if action == "approve":
        if page.workflow_in_progress:
            text = _("Relecture validée pour « %(title)s » : elle passe à l'étape suivante.")
        elif page.live and not page.has_unpublished_changes:
            text = _("Relecture validée : « %(title)s » est publiée sur le site.")
        else:
            text = _("Relecture validée pour « %(title)s ».")
    elif action == "reject":
        text = _(
            "Modifications demandées pour « %(title)s » : son auteur ou autrice est prévenu "
            "et peut la corriger puis la soumettre à nouveau."
        )
    else:
        return
    messages.success(request, text % {"title": title})


class ReviewWorkflowActionView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db(fields=["status"])
        if self.task_state.status != self.task_state.STATUS_IN_PROGRESS:  # not a form error
            review_message(request, page=self.object, action=self.action_name)
        return response


class ReviewEditView(EditView):
    def perform_workflow_action(self):
        response = super().perform_workflow_action()
        review_message(self.request, page=self.page, action=self.workflow_action)
        return response
