"""Imports and exports in the admin (thin: `learners.imports` does the work).

- `learners_imports` ("Imports et exports"): export links, import buttons and "Mes
  imports" (a coordinator may show everyone's with `?tous=1`);
- `learners_import_upload` (kind: people, attendance, venues): upload → preview;
- `learners_import_job` (job id): the preview with "Confirmer l'import" / "Annuler", the
  progress of a running job (the page refreshes itself, no JavaScript needed), the result.

Only the person who uploaded a file sees its preview and confirms it; coordinators see
every job's status and errors (never the file).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learners.forms.imports import ImportUploadForm
from learners.imports import (
    ASYNC_THRESHOLD,
    can_import,
    import_columns,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_progress,
)
from learners.models import ImportKind, ImportStatus
from learners.roles import can_use_tracking, is_coordinator
from learners.selectors.imports import import_job_get_for_user, import_jobs_for_user
from learners.services.exports import KIND_LABELS

ENTITY_LABELS = {
    "person": gettext_lazy("Personnes"),
    "session": gettext_lazy("Séances"),
    "attendance": gettext_lazy("Présences"),
    "venue": gettext_lazy("Lieux"),
    "anonymous": gettext_lazy("Participants anonymes"),
    "observation": gettext_lazy("Niveaux de compétence"),
}
ACTION_LABELS = {
    "create": gettext_lazy("Création"),
    "update": gettext_lazy("Modification"),
    "unchanged": gettext_lazy("Sans changement"),
    "skip": gettext_lazy("Ignorée"),
}
IMPORT_HELP = {
    ImportKind.PEOPLE: gettext_lazy(
        "Une ligne par personne. Les personnes déjà suivies sont reconnues par leur "
        "identifiant réseau ou leur identifiant externe ; une personne au même nom et à la "
        "même année de naissance qu'une fiche existante y est rattachée, sans doublon. Seules "
        "les colonnes présentes dans le fichier sont modifiées."
    ),
    ImportKind.ATTENDANCE: gettext_lazy(
        "Une ligne par personne et par séance (les colonnes de la séance se répètent). Les "
        "séances sont reconnues par leur identifiant, ou par leur date, heure, type et "
        "intitulé ; les personnes par leur identifiant réseau, leur identifiant personne, ou "
        "leur nom et année de naissance, et créées si elles sont nouvelles. Sans heure, la "
        "séance est placée à 9 h. Un fichier sans colonnes de personnes importe seulement "
        "les séances. Niveaux de compétence : une colonne par compétence, titrée par son "
        "code ou son nom (« S2.2 » ou « Envoyer et lire des e-mails »), avec dans chaque "
        "case le niveau observé ce jour-là (« non acquis », « en cours », « acquis », "
        "« autonome »), daté du jour de la séance."
    ),
    ImportKind.VENUES: gettext_lazy(
        "Une ligne par lieu (format de nos exports ou du standard national des lieux de "
        "médiation numérique). Les lieux sont reconnus par leur identifiant, ou par leur nom "
        "et leur commune dans la structure."
    ),
    ImportKind.COOP_ACTIVITY: gettext_lazy(
        "Le fichier « Exporter mes activités » de La Coop de la médiation numérique (.xlsx, "
        "ou .csv du seul tableau), tel quel. Chaque activité devient une séance de votre "
        "structure, reconnue par son « ID CRA » : importer deux fois le même fichier ne crée "
        "rien de plus. Le lieu est retrouvé par son nom et sa commune parmi les lieux de la "
        "structure, sinon la séance est placée dans un autre lieu de cette commune. Les "
        "bénéficiaires nommés sont retrouvés comme dans l'import des personnes (nom, sans "
        "doublon) ou créés ; les bénéficiaires anonymes sont comptés comme participants "
        "anonymes."
    ),
}
JOBS_SHOWN = 50
ISSUES_SHOWN = 100  # failing or suspect cells listed on the preview; the rest are counted


def _issues_shown(issues: list[dict], total_lines: int) -> tuple[list[dict], int]:
    """(the first ISSUES_SHOWN issues, the lines with issues left unlisted)."""
    shown = issues[:ISSUES_SHOWN]
    listed = {issue.get("line") for issue in shown}
    return shown, max(0, total_lines - len(listed))


class TrackingImportMixin(WagtailAdminTemplateMixin):
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_tracking(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        items.append({"url": reverse("learners_imports"), "label": _("Imports et exports")})
        extra = self.extra_breadcrumb()
        if extra:
            items.append({"url": "", "label": extra})
        return items

    def extra_breadcrumb(self) -> str:
        return ""


def _export_links(kind: str) -> list[tuple[str, str]]:
    url = reverse("learners_export", args=[kind])
    return [(_("CSV"), f"{url}?format=csv"), (_("Excel (.xlsx)"), f"{url}?format=xlsx")]


class ImportsIndexView(TrackingImportMixin, TemplateView):
    template_name = "learners/admin/imports/index.html"
    page_title = gettext_lazy("Imports et exports")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Imports et exports")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        show_all = is_coordinator(user) and self.request.GET.get("tous") == "1"
        jobs = import_jobs_for_user(user=user, show_all=show_all)
        context.update(
            exports=[
                (kind, label, _export_links(kind))
                for kind, label in KIND_LABELS.items()
                if kind not in ("activity", "coop_activity", "coop_people")
            ],
            activity_url=reverse("learners_export", args=["activity"]),
            coop_activity_url=reverse("learners_export", args=["coop_activity"]),
            coop_people_url=reverse("learners_export", args=["coop_people"]) + "?format=xlsx",
            imports=[
                (kind, label, reverse("learners_import_upload", args=[kind]))
                for kind, label in ImportKind.choices
                if can_import(user, kind)
            ],
            jobs=list(jobs[:JOBS_SHOWN]),
            show_all=show_all,
            is_coordinator=is_coordinator(user),
        )
        return context


class ImportUploadView(TrackingImportMixin, TemplateView):
    template_name = "learners/admin/imports/upload.html"

    def dispatch(self, request, *args, **kwargs):
        self.kind = kwargs["kind"]
        if self.kind not in ImportKind.values:
            raise Http404
        if not can_import(request.user, self.kind):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Importer : %(what)s") % {"what": ImportKind(self.kind).label}

    def extra_breadcrumb(self) -> str:
        return str(ImportKind(self.kind).label)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=kwargs.get("form") or ImportUploadForm(user=self.request.user),
            kind=self.kind,
            help=IMPORT_HELP[self.kind],
            columns=import_columns(self.kind),
            export_links=_export_links(
                {
                    "people": "people",
                    "attendance": "attendance",
                    "venues": "venues",
                    "coop_activity": "coop_activity",
                }[self.kind]
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            job = import_job_create(
                user=request.user,
                kind=self.kind,
                filename=form.cleaned_data["file"].name,
                content=form.cleaned_data["content"],
                structure=form.cleaned_data.get("structure"),
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.render_to_response(self.get_context_data(form=form))
        return redirect("learners_import_job", job_id=job.pk)


class ImportJobView(TrackingImportMixin, TemplateView):
    template_name = "learners/admin/imports/job.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_tracking(request.user):
            raise PermissionDenied
        self.job = import_job_get_for_user(user=request.user, job_id=kwargs["job_id"])
        if self.job is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Import : %(what)s") % {"what": self.job.get_kind_display()}

    def get_page_subtitle(self):
        return self.job.original_name

    def extra_breadcrumb(self) -> str:
        return self.job.original_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        summary = job.summary or {}
        entities = [
            {
                "label": ENTITY_LABELS.get(entity, entity),
                **counts,
            }
            for entity, counts in summary.get("entities", {}).items()
        ]
        preview = job.preview or {}
        lines = [
            {
                **line,
                "entity_label": ENTITY_LABELS.get(line["entity"], line["entity"]),
                "action_label": ACTION_LABELS.get(line["action"], line["action"]),
            }
            for line in preview.get("lines", [])
        ]
        processed = import_job_progress(job)
        errors, hidden_error_lines = _issues_shown(
            job.errors, summary.get("error_lines", len({e.get("line") for e in job.errors}))
        )
        all_warnings = preview.get("warnings", [])
        warnings, hidden_warning_lines = _issues_shown(
            all_warnings, summary.get("warning_lines", len({w.get("line") for w in all_warnings}))
        )
        context.update(
            job=job,
            statuses=ImportStatus,
            entities=entities,
            lines=lines,
            flagged=preview.get("flagged", []),
            notices=summary.get("notices", []),
            errors=errors,
            hidden_error_lines=hidden_error_lines,
            warnings=warnings,
            hidden_warning_lines=hidden_warning_lines,
            is_owner=job.created_by_id == self.request.user.pk,
            processed=processed,
            percent=min(100, round(100 * processed / job.total_rows)) if job.total_rows else 0,
            background=job.total_rows > ASYNC_THRESHOLD,
            threshold=ASYNC_THRESHOLD,
            refresh=job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
            upload_url=reverse("learners_import_upload", args=[job.kind]),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "confirm":
                job = import_job_confirm(user=request.user, job=self.job)
                if job.status == ImportStatus.DONE:
                    messages.success(request, _("Import terminé."))
                elif job.status == ImportStatus.QUEUED:
                    messages.success(
                        request,
                        _(
                            "Import lancé en arrière-plan : vous pouvez quitter cette page et "
                            "revenir dans « Imports et exports »."
                        ),
                    )
                else:
                    messages.error(request, _("L'import a échoué : rien n'a été importé."))
            elif action == "cancel":
                import_job_cancel(user=request.user, job=self.job)
                messages.success(request, _("Import annulé : rien n'a été importé."))
                return redirect("learners_imports")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("learners_import_job", job_id=self.job.pk)


urlpatterns = [
    path("suivi/imports/", ImportsIndexView.as_view(), name="learners_imports"),
    path(
        "suivi/imports/nouveau/<str:kind>/",
        ImportUploadView.as_view(),
        name="learners_import_upload",
    ),
    path("suivi/imports/<uuid:job_id>/", ImportJobView.as_view(), name="learners_import_job"),
]
