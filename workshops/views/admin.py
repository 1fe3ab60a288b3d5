"""Wagtail admin views: framework export/import (with preview) and the guide feedback report.

Thin: reading and importing files is `workshops.services.frameworks`, counting feedback is
`workshops.feedback_selectors`. Registered through the viewsets of `workshops.viewsets`.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from common.spreadsheets import upload_read
from workshops.feedback_selectors import guide_feedback_by_version, guide_feedback_totals
from workshops.models import Framework, GuidePage
from workshops.services.frameworks import (
    FORMATS,
    KINDS,
    MAX_IMPORT_BYTES,
    FrameworkFileError,
    framework_export,
    framework_import,
    framework_upload_check,
)

PREVIEW_TIMEOUT = 3600
EXPORT_PERMISSIONS = {
    "competences": ("workshops.view_competence",),
    "levels": ("workshops.view_level",),
}
IMPORT_PERMISSIONS = (
    "workshops.add_competence",
    "workshops.change_competence",
    "workshops.add_level",
    "workshops.change_level",
)
FEEDBACK_PERMISSION = "workshops.view_guidefeedback"


def user_can_import_frameworks(user) -> bool:
    return user.has_perms(IMPORT_PERMISSIONS)


def user_can_read_feedback(user) -> bool:
    return user.has_perm(FEEDBACK_PERMISSION)


# --- Framework export and import -----------------------------------------------------


def framework_export_view(request, pk: int, kind: str, fmt: str, url_namespace: str = ""):
    if kind not in KINDS or fmt not in FORMATS:
        raise PermissionDenied
    if not request.user.has_perms(EXPORT_PERMISSIONS[kind]):
        raise PermissionDenied
    framework = get_object_or_404(Framework, pk=pk)
    content, content_type = framework_export(framework=framework, kind=kind, format=fmt)
    name = _("competences") if kind == "competences" else _("niveaux")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{framework.slug}-{name}.{fmt}"'
    return response


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier à importer"),
        help_text=gettext_lazy(
            "Un fichier CSV (séparateur point-virgule ou virgule, UTF-8 ou Windows-1252) "
            "ou un classeur Excel (.xlsx), 5 Mo au maximum."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = upload_read(upload, max_bytes=MAX_IMPORT_BYTES)
        try:
            self.cleaned_data["format"] = framework_upload_check(
                content=content, filename=upload.name
            )
        except FrameworkFileError as exc:
            raise forms.ValidationError(exc.message) from exc
        self.cleaned_data["content"] = content
        return upload


class FrameworkImportView(WagtailAdminTemplateMixin, TemplateView):
    """Step 1: upload and preview (a dry run, nothing written). Step 2: confirm.

    Between the two steps the file is kept in the cache (shared by every web process),
    under a random token bound to the user; it expires after an hour.
    """

    template_name = "workshops/admin/framework_import.html"
    header_icon = "upload"
    url_namespace = ""

    def dispatch(self, request, *args, **kwargs):
        if not user_can_import_frameworks(request.user):
            raise PermissionDenied
        self.framework = get_object_or_404(Framework, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Importer dans le référentiel")

    def get_page_subtitle(self):
        return str(self.framework)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{self.url_namespace}:index"), "label": _("Référentiels")},
            {
                "url": reverse(f"{self.url_namespace}:edit", args=[self.framework.pk]),
                "label": str(self.framework),
            },
            {"url": "", "label": _("Importer dans « %(name)s »") % {"name": self.framework}},
        ]

    def _cache_key(self, token: str) -> str:
        return f"framework-import:{self.request.user.pk}:{self.framework.pk}:{token}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["framework"] = self.framework
        context["form"] = kwargs.get("form") or FrameworkImportForm()
        context["export_links"] = [
            (
                label,
                reverse(
                    f"{self.url_namespace}:export",
                    kwargs={"pk": self.framework.pk, "kind": kind, "fmt": fmt},
                ),
            )
            for kind, fmt, label in export_link_labels()
        ]
        return context

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self._confirm(request.POST["token"])
        form = FrameworkImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        content = form.cleaned_data["content"]
        fmt = form.cleaned_data["format"]
        result = framework_import(
            user=request.user, framework=self.framework, content=content, format=fmt, dry_run=True
        )
        token = ""
        if result.ok and result.has_changes:
            token = secrets.token_urlsafe(16)
            cache.set(
                self._cache_key(token),
                {"content": content, "format": fmt, "name": upload.name},
                PREVIEW_TIMEOUT,
            )
        return self.render_to_response(
            self.get_context_data(result=result, token=token, file_name=upload.name)
        )

    def _confirm(self, token: str):
        valid = re.fullmatch(r"[A-Za-z0-9_-]{10,64}", token)
        stored = cache.get(self._cache_key(token)) if valid else None
        if stored is None:
            messages.error(
                self.request,
                _("La prévisualisation a expiré : déposez à nouveau le fichier."),
            )
            return redirect(f"{self.url_namespace}:import", pk=self.framework.pk)
        result = framework_import(
            user=self.request.user,
            framework=self.framework,
            content=stored["content"],
            format=stored["format"],
            dry_run=False,
        )
        if not result.ok:
            return self.render_to_response(
                self.get_context_data(result=result, token="", file_name=stored["name"])
            )
        cache.delete(self._cache_key(token))
        messages.success(
            self.request,
            _(
                "Import terminé. Créations : %(created)d, modifications : %(updated)d, "
                "sans changement : %(unchanged)d."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        return redirect(f"{self.url_namespace}:edit", self.framework.pk)


def export_link_labels() -> list[tuple[str, str, str]]:
    return [
        ("competences", "csv", _("Compétences (CSV)")),
        ("competences", "xlsx", _("Compétences (Excel)")),
        ("levels", "csv", _("Niveaux (CSV)")),
        ("levels", "xlsx", _("Niveaux (Excel)")),
    ]


# --- Guide feedback report -------------------------------------------------------------


class FeedbackPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not user_can_read_feedback(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class GuideFeedbackReportView(FeedbackPermissionMixin, ReportView):
    page_title = gettext_lazy("Avis des lecteurs sur les fiches")
    header_icon = "comment"
    index_url_name = "guide_feedback_report:index"
    index_results_url_name = "guide_feedback_report:results"
    model = GuidePage
    list_export = ["title", "helped_count", "stuck_count", "last_feedback_at"]
    export_headings = {
        "title": gettext_lazy("Fiche"),
        "helped_count": gettext_lazy("J'ai été aidé"),
        "stuck_count": gettext_lazy("Je bloque"),
        "last_feedback_at": gettext_lazy("Dernier avis"),
    }
    export_filename = "avis-fiches"

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Fiche"),
                url_name="guide_feedback_report:detail",
            ),
            Column("helped_count", label=_("« J'ai été aidé »")),
            Column("stuck_count", label=_("« Je bloque »")),
            DateColumn("last_feedback_at", label=_("Dernier avis")),
        ]

    def get_queryset(self):
        return guide_feedback_totals()

    def filter_queryset(self, queryset):
        return queryset


class GuideFeedbackDetailView(FeedbackPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "workshops/admin/guide_feedback_detail.html"
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        self.guide = get_object_or_404(GuidePage, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Avis des lecteurs")

    def get_page_subtitle(self):
        return self.guide.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("guide_feedback_report:index"),
                "label": _("Avis des lecteurs sur les fiches"),
            },
            {"url": "", "label": self.guide.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guide"] = self.guide
        context["versions"] = guide_feedback_by_version(guide=self.guide)
        context["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.guide.pk])
        return context
