"""Admin screens for attestations: issue one from a person's page, revoke one, and the
coordinators' page of the structures' signing keys (rotate, revoke).

Access: the person's page rules (`TrackingAccessMixin`, a person out of scope is a 404);
revoking, the issuing structure's counsellors or a coordinator (else 404); keys,
coordinators only (403). Thin: reads from `learners.selectors.attestations`, writes through
`learners.services.attestations` (which audits them).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learners.admin_views.people import (
    PeopleBreadcrumbsMixin,
    TrackingAccessMixin,
    back_to_person,
    person_or_404,
)
from learners.choices import AttestationName
from learners.models import AttestationKey, Structure
from learners.selectors.attestations import (
    attestation_eligible_competences,
    attestation_for_revoking,
    issuing_structure,
    structure_keys,
)
from learners.services.attestations import (
    REASON_MAX,
    attestation_issue,
    attestation_key_revoke,
    attestation_key_rotate,
    attestation_revoke,
)


class AttestationIssueView(TrackingAccessMixin, PeopleBreadcrumbsMixin, TemplateView):
    template_name = "learners/admin/attestations/issue.html"
    page_title = gettext_lazy("Délivrer une attestation de compétences")

    def get_breadcrumbs_items(self):
        return self.people_breadcrumbs(
            {
                "url": reverse("learners_person_detail", args=[self.learner.pk]),
                "label": self.learner.display_name,
            },
            {"url": "", "label": _("Attestation")},
        )

    def setup_person(self):
        self.learner = person_or_404(self.request.user, self.kwargs["learner_id"])
        self.structure = issuing_structure(user=self.request.user, learner=self.learner)
        if self.structure is None:
            raise Http404(_("Fiche introuvable."))

    def get(self, request, *args, **kwargs):
        self.setup_person()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            learner=self.learner,
            structure=self.structure,
            eligible=attestation_eligible_competences(user=self.request.user, learner=self.learner),
            name_choices=AttestationName.choices,
            chosen_name=kwargs.get("chosen_name", AttestationName.FIRST_NAME_INITIAL),
            chosen=kwargs.get("chosen", set()),
            error=kwargs.get("error", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.setup_person()
        ids = {int(v) for v in request.POST.getlist("competences") if v.isdigit()}
        name_shown = request.POST.get("nom", "")
        try:
            attestation_issue(
                user=request.user, learner=self.learner, competence_ids=ids, name_shown=name_shown
            )
        except ValidationError as error:
            context = self.get_context_data(
                error=" ".join(error.messages), chosen=ids, chosen_name=name_shown
            )
            return self.render_to_response(context, status=400)
        messages.success(
            request,
            _(
                "Attestation délivrée : la personne la retrouve dans son carnet, avec sa "
                "page de vérification."
            ),
        )
        return back_to_person(self.learner.pk)


class AttestationRevokeView(TrackingAccessMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        attestation = attestation_for_revoking(
            user=request.user, attestation_id=kwargs["attestation_id"]
        )
        if attestation is None or attestation.learner_id is None:
            raise Http404(_("Attestation introuvable."))
        try:
            attestation_revoke(
                user=request.user, attestation=attestation, reason=request.POST.get("motif", "")
            )
            messages.success(
                request, _("Attestation révoquée : sa page de vérification le dit désormais.")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return back_to_person(attestation.learner_id)


class AttestationKeysView(TrackingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """Coordinators: each structure's signing keys, never their private half."""

    coordinator_only = True
    template_name = "learners/admin/attestations/keys.html"
    page_title = gettext_lazy("Clés de signature des attestations")
    header_icon = "key"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        structures = Structure.objects.filter(attestation_keys__isnull=False).distinct()
        context["structures"] = [(s, structure_keys(structure=s)) for s in structures]
        context["reason_max"] = REASON_MAX
        return context

    def post(self, request, *args, **kwargs):
        if "rotate" in request.POST:
            structure = Structure.objects.filter(pk=request.POST.get("rotate", "")).first()
            if structure is None:
                raise Http404
            attestation_key_rotate(structure=structure)
            messages.success(
                request,
                _(
                    "Nouvelle clé créée. L'ancienne ne signe plus, mais vérifie toujours les "
                    "attestations déjà délivrées."
                ),
            )
        else:
            key = AttestationKey.objects.filter(pk=request.POST.get("revoke", "")).first()
            if key is None:
                raise Http404
            try:
                attestation_key_revoke(
                    user=request.user, key=key, reason=request.POST.get("motif", "")
                )
                messages.success(
                    request,
                    _("Clé révoquée : toutes les attestations qu'elle a signées sont révoquées."),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect("learners_attestation_keys")


urlpatterns = [
    path(
        "personnes/<int:learner_id>/attestation/",
        AttestationIssueView.as_view(),
        name="learners_attestation_issue",
    ),
    path(
        "attestations/<int:attestation_id>/revoquer/",
        AttestationRevokeView.as_view(),
        name="learners_attestation_revoke",
    ),
    path("attestations/cles/", AttestationKeysView.as_view(), name="learners_attestation_keys"),
]
