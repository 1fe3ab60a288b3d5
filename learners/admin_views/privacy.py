"""Rights of the people tracked (RGPD) in the admin, and the processing register.

For one person (`personnes/<id>/donnees/…`, `personnes/<id>/effacer/`): a coordinator or a
counsellor of a structure linked to the person may download everything the system holds
on them (JSON), read it as a printable page, and erase them (anonymisation, after a
confirmation page stating what is erased and what statistics keep). A counsellor of
another structure gets 404 (as for a missing record), a partner editor 403, an anonymous
visitor the login page. Every export and erasure is written in the audit log.

"Registre des traitements" (`registre-des-traitements/`): the description of the
processing for the structure's register, from settings, for coordinators and counsellors.
"""

from __future__ import annotations

import json
import re

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from common.french_text import french_de
from learners.choices import AuditAction
from learners.models import Learner
from learners.selectors.privacy import learner_data_export
from learners.services import audit_log_record
from learners.services.bookings_privacy import (
    APPOINTMENT_ERASE_DAYS_AFTER_HANDLED,
    APPOINTMENT_ERASE_MONTHS_UNHANDLED,
)
from learners.services.privacy import (
    REASON_REQUEST,
    learner_anonymize,
    learner_erasure_is_coordinations,
)

from .people import PeopleBreadcrumbsMixin, TrackingAccessMixin, person_or_404


class PersonRightsMixin(TrackingAccessMixin, PeopleBreadcrumbsMixin):
    """Loads the person (404 when out of scope, like a missing record)."""

    learner: Learner | None = None

    def get_learner(self) -> Learner:
        if self.learner is None:
            self.learner = person_or_404(self.request.user, self.kwargs["learner_id"])
        return self.learner

    def person_breadcrumbs(self, label: str) -> list[dict]:
        learner = self.get_learner()
        return self.people_breadcrumbs(
            {
                "url": reverse("learners_person_detail", args=[learner.pk]),
                "label": learner.display_name,
            },
            {"url": "", "label": label},
        )


_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?$"
)


def humanise_dates(value):
    """The export with ISO dates written the French way ("20/12/2024 à 12:00"), for the
    printable page (the JSON keeps ISO 8601)."""
    if isinstance(value, dict):
        return {key: humanise_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [humanise_dates(item) for item in value]
    if isinstance(value, str):
        match = _ISO.match(value)
        if match:
            year, month, day, hour, minute = match.groups()
            text = f"{day}/{month}/{year}"
            return f"{text} à {hour}:{minute}" if hour else text
    return value


def _export(user, learner_id: int) -> dict:
    try:
        return learner_data_export(user=user, learner_id=learner_id)
    except Learner.DoesNotExist as missing:
        raise Http404(_("Fiche introuvable.")) from missing


class PersonDataView(PersonRightsMixin, TemplateView):
    """The printable page (A4) of everything held on the person."""

    template_name = "learners/admin/privacy/data.html"
    page_title = gettext_lazy("Données de la personne")

    def get_breadcrumbs_items(self):
        return self.person_breadcrumbs(_("Données de la personne"))

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Télécharger (JSON)"),
                url=reverse("learners_person_data_json", args=[self.get_learner().pk]),
                icon_name="download",
            )
        ]

    def get_context_data(self, **kwargs):
        learner = self.get_learner()
        data = _export(self.request.user, learner.pk)
        audit_log_record(
            user=self.request.user,
            action=AuditAction.EXPORT,
            learner=learner,
            detail="droit d'accès : page imprimable",
        )
        context = super().get_context_data(**kwargs)
        context.update(learner=learner, data=humanise_dates(data))
        return context


class PersonDataJsonView(PersonRightsMixin, View):
    """The same data as a JSON file to download (portability)."""

    def get(self, request, *args, **kwargs):
        learner = self.get_learner()
        data = _export(request.user, learner.pk)
        audit_log_record(
            user=request.user,
            action=AuditAction.EXPORT,
            learner=learner,
            detail="droit d'accès : fichier JSON",
        )
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="donnees-{learner.network_id}-{stamp}.json"'
        )
        response["Cache-Control"] = "no-store"
        return response


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Je confirme que la personne a demandé l'effacement de ses données, ou que "
            "l'effacement est justifié."
        ),
        error_messages={"required": gettext_lazy("Cochez la case pour confirmer l'effacement.")},
    )


class PersonEraseView(PersonRightsMixin, TemplateView):
    """Confirmation page, then anonymisation at once (irreversible)."""

    template_name = "learners/admin/privacy/erase.html"
    page_title = gettext_lazy("Effacer les données de la personne")

    def get_breadcrumbs_items(self):
        return self.person_breadcrumbs(_("Effacer"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", EraseConfirmForm())
        context.update(
            learner=self.get_learner(),
            coordination_only=learner_erasure_is_coordinations(
                user=self.request.user, learner=self.get_learner()
            ),
            retention_months=settings.RETENTION_MONTHS,
            audit_retention_months=settings.AUDIT_RETENTION_MONTHS,
        )
        return context

    def post(self, request, *args, **kwargs):
        learner = self.get_learner()
        form = EraseConfirmForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        name = learner.display_name
        try:
            learner_anonymize(user=request.user, learner=learner, reason=REASON_REQUEST)
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect("learners_person_detail", learner_id=learner.pk)
        messages.success(
            request,
            _(
                "Les données %(of_name)s ont été effacées. Sa fiche ne contient plus que des "
                "données anonymes, conservées pour les statistiques."
            )
            % {"of_name": french_de(name)},
        )
        return redirect("learners_people")


class ProcessingRegisterView(TrackingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """The processing register ("registre des traitements"), rendered from settings."""

    template_name = "learners/admin/register/index.html"
    page_title = gettext_lazy("Registre des traitements")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Registre des traitements")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            controller=settings.PRIVACY_CONTROLLER,
            dpo_contact=settings.PRIVACY_DPO_CONTACT,
            retention_months=settings.RETENTION_MONTHS,
            audit_retention_months=settings.AUDIT_RETENTION_MONTHS,
            appointment_days=APPOINTMENT_ERASE_DAYS_AFTER_HANDLED,
            appointment_months=APPOINTMENT_ERASE_MONTHS_UNHANDLED,
            updated_on=timezone.localdate(),
        )
        return context


urlpatterns = [
    path(
        "personnes/<int:learner_id>/donnees/",
        PersonDataView.as_view(),
        name="learners_person_data",
    ),
    path(
        "personnes/<int:learner_id>/donnees.json",
        PersonDataJsonView.as_view(),
        name="learners_person_data_json",
    ),
    path(
        "personnes/<int:learner_id>/effacer/",
        PersonEraseView.as_view(),
        name="learners_person_erase",
    ),
    path(
        "registre-des-traitements/",
        ProcessingRegisterView.as_view(),
        name="learners_processing_register",
    ),
]
