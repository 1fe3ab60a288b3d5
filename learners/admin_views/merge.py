"""Fusion de doublons (coordinators only): find two records, compare them side by side,
choose the one to keep, confirm, and see what moved (`learner_merge` does the work and
writes the audit log)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learners.choices import AuditAction
from learners.forms.people import MergeConfirmForm
from learners.models import Learner
from learners.roles import is_coordinator
from learners.selectors.admin_people import (
    merge_shared_session_count,
    merge_sides,
    people_search,
)
from learners.services import audit_log_record_many, learner_merge

from .people import TrackingAccessMixin

PER_PAGE = 20
RESULT_SESSION_KEY = "learners_merge_result"


def _int_param(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


class MergeBase(TrackingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    coordinator_only = True
    header_icon = "resubmit"

    def merge_breadcrumbs(self, *items):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learners_merge"), "label": _("Fusion de doublons")},
            *items,
        ]


class MergeSearchView(MergeBase):
    """Pick the first record (`a`), then the second: both found with the people search."""

    template_name = "learners/admin/merge/search.html"
    page_title = gettext_lazy("Fusion de doublons")

    def get_breadcrumbs_items(self):
        return self.merge_breadcrumbs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.get("q", "").strip()[:100]
        first = None
        first_id = _int_param(self.request.GET.get("a"))
        if first_id is not None:
            first = people_search(user=user).filter(pk=first_id).first()
        results, page = [], None
        if query:
            qs = people_search(user=user, query=query)
            if first is not None:
                qs = qs.exclude(pk=first.pk)
            page = Paginator(qs, PER_PAGE).get_page(self.request.GET.get("p"))
            results = list(page.object_list)
        shown = [*results, *([first] if first is not None else [])]
        if shown:
            audit_log_record_many(
                user=user,
                action=AuditAction.READ,
                learners=shown,
                detail="recherche de doublons",
            )
        context.update(query=query, first=first, results=results, page=page)
        return context


class MergeCompareView(MergeBase):
    """GET: the two records side by side and the confirmation form. POST: merge."""

    template_name = "learners/admin/merge/compare.html"
    page_title = gettext_lazy("Comparer deux fiches")

    def dispatch(self, request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        source = request.POST if request.method == "POST" else request.GET
        ids = [_int_param(source.get("a")), _int_param(source.get("b"))]
        if None in ids or ids[0] == ids[1]:
            messages.error(request, _("Choisissez deux fiches différentes."))
            return redirect("learners_merge")
        try:
            self.sides = merge_sides(user=request.user, learner_ids=ids)
        except Learner.DoesNotExist as missing:
            raise Http404(_("Fiche introuvable.")) from missing
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.merge_breadcrumbs({"url": "", "label": _("Comparer")})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first, second = self.sides
        context.update(
            sides=self.sides,
            first=first,
            second=second,
            shared_sessions=merge_shared_session_count(
                user=self.request.user,
                first_id=first.learner.pk,
                second_id=second.learner.pk,
            ),
            form=kwargs.get("form") or MergeConfirmForm(sides=self.sides),
        )
        return context

    def get(self, request, *args, **kwargs):
        audit_log_record_many(
            user=request.user,
            action=AuditAction.READ,
            learners=[side.learner for side in self.sides],
            detail="comparaison avant fusion",
        )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = MergeConfirmForm(request.POST, sides=self.sides)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        by_id = {str(side.learner.pk): side for side in self.sides}
        keep = by_id[form.cleaned_data["keep"]]
        remove = next(side for side in self.sides if side is not keep)
        shared = merge_shared_session_count(
            user=request.user, first_id=keep.learner.pk, second_id=remove.learner.pk
        )
        kept_structures = {structure.pk for structure in keep.structures}
        try:
            learner_merge(user=request.user, keep=keep.learner, remove=remove.learner)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("learners_merge_compare") + _pair_query(self.sides))
        request.session[RESULT_SESSION_KEY] = {
            "user": request.user.pk,
            "keep": keep.learner.pk,
            "removed_network_id": remove.learner.network_id,
            "attendance_moved": remove.attendance_count - shared,
            "attendance_combined": shared,
            "observations_moved": remove.observation_count,
            "carnets_moved": remove.carnet_count,
            "guide_reads": remove.guide_read_count,
            "structures_added": [
                structure.name
                for structure in remove.structures
                if structure.pk not in kept_structures
            ],
        }
        return redirect("learners_merge_result")


def _pair_query(sides) -> str:
    return f"?a={sides[0].learner.pk}&b={sides[1].learner.pk}"


class MergeResultView(MergeBase):
    template_name = "learners/admin/merge/result.html"
    page_title = gettext_lazy("Fusion effectuée")

    def get_breadcrumbs_items(self):
        return self.merge_breadcrumbs({"url": "", "label": _("Résultat")})

    def get(self, request, *args, **kwargs):
        result = request.session.get(RESULT_SESSION_KEY)
        if not result or result.get("user") != request.user.pk:
            return redirect("learners_merge")
        try:
            kept = merge_sides(user=request.user, learner_ids=[result["keep"]])[0]
        except Learner.DoesNotExist:
            kept = None
        return self.render_to_response(self.get_context_data(result=result, kept=kept))


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user)


urlpatterns = [
    path("fusion/", MergeSearchView.as_view(), name="learners_merge"),
    path("fusion/comparer/", MergeCompareView.as_view(), name="learners_merge_compare"),
    path("fusion/resultat/", MergeResultView.as_view(), name="learners_merge_result"),
]
