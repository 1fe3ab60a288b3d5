"""Admin screens "Personnes": the list, creating a person after the match hints, editing a
record, and the person's page (identity, sessions attended, competence levels over time
as an SVG chart with its table equivalent, carnet). Thin: reads are the selectors', writes
the services'.

Access: counsellors and coordinators (`TrackingAccessMixin`); partner editors get 403,
anonymous users are sent to the login page by Wagtail's admin URL wrapper. A record out
of the user's scope is a 404, exactly like a missing one. Every list page, page view and
change of a person writes the audit log (the services log the changes).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from common.french_text import french_de
from learners.charts import line_chart
from learners.choices import AuditAction
from learners.forms.people import PersonForm, structures_choice
from learners.models import Attendance, Learner, Observation, Session
from learners.roles import can_use_tracking, counsellor_structure, is_coordinator
from learners.scoping import can_access_learner, holds_record
from learners.selectors.admin_people import (
    carnet_active_for_learner,
    levels_by_framework,
    people_search,
)
from learners.selectors.attestations import attestations_for_page
from learners.selectors.people import (
    learner_get_for_user,
    learner_match_pairs,
    progress_for_learner,
    sharing_consent_own,
    sharing_consents_for_page,
)
from learners.services import audit_log_record, audit_log_record_many
from learners.services.intake import learner_create_with_link_request
from learners.services.linking import (
    IN_PERSON_CONSENT_MAX_DAYS,
    learner_link_with_carnet_code,
    sharing_consent_record,
    sharing_consent_revoke,
)
from learners.services.people import learner_update

PER_PAGE = 25
MATCH_SESSION_KEY = "learners_person_match"
MATCH_LIMIT = 10
# The no-JavaScript "Chercher la commune" button of the shared commune widget.
COMMUNE_SEARCH = "search_commune"


class TrackingAccessMixin:
    """Counsellors and coordinators only; `coordinator_only` narrows to coordinators."""

    coordinator_only = False

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        allowed = is_coordinator(user) if self.coordinator_only else can_use_tracking(user)
        if not allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PeopleBreadcrumbsMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def people_breadcrumbs(self, *items) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learners_people"), "label": _("Personnes")},
            *items,
        ]


def person_or_404(user, learner_id: int) -> Learner:
    try:
        return learner_get_for_user(user=user, learner_id=learner_id)
    except Learner.DoesNotExist as missing:
        raise Http404(_("Fiche introuvable.")) from missing


# --- List --------------------------------------------------------------------------------


class PeopleIndexView(TrackingAccessMixin, PeopleBreadcrumbsMixin, TemplateView):
    template_name = "learners/admin/people/index.html"
    page_title = gettext_lazy("Personnes accompagnées")

    def get_breadcrumbs_items(self):
        return self.people_breadcrumbs()

    def get_header_buttons(self):
        return [
            HeaderButton(
                _("Nouvelle personne"), url=reverse("learners_person_create"), icon_name="plus"
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        paginator = Paginator(people_search(user=self.request.user, query=query), PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        people = list(page.object_list)
        if people:
            audit_log_record_many(
                user=self.request.user,
                action=AuditAction.READ,
                learners=people,
                detail="liste des personnes",
            )
        context.update(
            query=query,
            page=page,
            people=people,
            show_structure=is_coordinator(self.request.user),
        )
        return context


# --- Create, with the match hints first ------------------------------------------------------


class PersonCreateView(TrackingAccessMixin, PeopleBreadcrumbsMixin, TemplateView):
    """Step 1: the form. On submit, the match hints of the one linking rule
    (`learners.services.linking`): records the structure already follows, named ("c'est
    cette personne : ouvrir sa fiche"); another structure's record only as « une personne
    née en 1953 est déjà suivie par une autre structure du réseau », with two ways on:
    the person's carnet code (links the record and records their consent) or "créer la
    fiche et demander le rattachement" (the coordination checks and merges).

    The records' keys stay in the session (never in the page): the buttons send the
    candidate's position in the list, the carnet code is checked against the other
    structures' records found."""

    template_name = "learners/admin/people/create.html"
    page_title = gettext_lazy("Nouvelle personne")

    def get_breadcrumbs_items(self):
        return self.people_breadcrumbs({"url": "", "label": _("Nouvelle personne")})

    def _structures(self):
        if counsellor_structure(self.request.user) is None and is_coordinator(self.request.user):
            return structures_choice()
        return None

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return PersonForm(data, structures=self._structures())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.get_form())
        context["commune_lookup_url"] = reverse("learners_commune_lookup")
        return context

    def _stored(self) -> dict:
        stored = self.request.session.get(MATCH_SESSION_KEY) or {}
        if stored.get("user") != self.request.user.pk:
            return {}
        return stored

    def post(self, request, *args, **kwargs):
        if COMMUNE_SEARCH in request.POST:
            form = PersonForm(initial=request.POST.dict(), structures=self._structures())
            return self.render_to_response(self.get_context_data(form=form))
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if "match" in request.POST:
            return self._open(form, request.POST["match"])
        if "link_code" in request.POST:
            return self._link_with_code(form, request.POST.get("carnet_code", ""))
        if "create_and_request" in request.POST:
            return self._create(form, request_link=True)
        if "create_anyway" not in request.POST:
            pairs = learner_match_pairs(user=request.user, limit=MATCH_LIMIT, **form.identity())
            if pairs:
                return self._show_matches(form, pairs)
        return self._create(form)

    def _show_matches(self, form, pairs):
        own = [(candidate, pk) for candidate, pk in pairs if not candidate.other_structure]
        others = [(candidate, pk) for candidate, pk in pairs if candidate.other_structure]
        self.request.session[MATCH_SESSION_KEY] = {
            "user": self.request.user.pk,
            "ids": [pk for _candidate, pk in own],
            "others": [pk for _candidate, pk in others],
        }
        return self.render_to_response(
            self.get_context_data(
                form=form,
                candidates=[candidate for candidate, _pk in own],
                others=[candidate for candidate, _pk in others],
                can_link=counsellor_structure(self.request.user) is not None,
                matched=True,
            )
        )

    def _create(self, form, *, request_link: bool = False):
        data = form.service_data()
        structure = form.cleaned_data.get("structure")
        others = self._stored().get("others") or [] if request_link else []
        try:
            learner = learner_create_with_link_request(
                user=self.request.user, details=data, structure=structure, linked_ids=others
            )
        except ValidationError as error:
            _add_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        self.request.session.pop(MATCH_SESSION_KEY, None)
        messages.success(
            self.request,
            _("Fiche %(of_name)s créée.") % {"of_name": french_de(learner.display_name)},
        )
        if others:
            messages.info(
                self.request,
                _(
                    "La coordination est prévenue : elle vérifiera s'il s'agit de la même "
                    "personne et réunira les deux fiches. Vous ne verrez que ce que votre "
                    "structure enregistre."
                ),
            )
        return redirect("learners_person_detail", learner_id=learner.pk)

    def _open(self, form, raw_index: str):
        ids = self._stored().get("ids")
        try:
            learner_id = ids[int(raw_index)]
        except (TypeError, ValueError, IndexError):
            messages.error(self.request, _("Cette proposition a expiré : vérifiez à nouveau."))
            return self.render_to_response(self.get_context_data(form=form))
        learner = Learner.objects.filter(pk=learner_id, anonymized_at__isnull=True).first()
        if learner is None or not can_access_learner(self.request.user, learner):
            messages.error(self.request, _("Cette proposition a expiré : vérifiez à nouveau."))
            return self.render_to_response(self.get_context_data(form=form))
        self.request.session.pop(MATCH_SESSION_KEY, None)
        return redirect("learners_person_detail", learner_id=learner.pk)

    def _link_with_code(self, form, code: str):
        others = self._stored().get("others")
        if not others:
            messages.error(self.request, _("Cette proposition a expiré : vérifiez à nouveau."))
            return self.render_to_response(self.get_context_data(form=form))
        try:
            learner = learner_link_with_carnet_code(
                user=self.request.user, code=code, candidate_ids=others
            )
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(form=form))
        except PermissionDenied as refusal:
            messages.error(self.request, str(refusal))
            return self.render_to_response(self.get_context_data(form=form))
        self.request.session.pop(MATCH_SESSION_KEY, None)
        messages.success(
            self.request,
            _(
                "Avec son code de carnet, la personne a accepté que votre structure voie "
                "toute sa fiche. Elle peut retirer cet accord depuis son carnet."
            ),
        )
        return redirect("learners_person_detail", learner_id=learner.pk)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field == "contact_consent_at":
                target = "contact_consent"
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# --- Edit ---------------------------------------------------------------------------------


class PersonEditView(TrackingAccessMixin, PeopleBreadcrumbsMixin, TemplateView):
    template_name = "learners/admin/people/edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["commune_lookup_url"] = reverse("learners_commune_lookup")
        return context

    def dispatch(self, request, *args, **kwargs):
        if not can_use_tracking(request.user):
            raise PermissionDenied
        self.learner = person_or_404(request.user, kwargs["learner_id"])
        self.holds = holds_record(request.user, self.learner)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Modifier la fiche")

    def get_page_subtitle(self):
        return self.learner.display_name

    def get_breadcrumbs_items(self):
        return self.people_breadcrumbs(
            {
                "url": reverse("learners_person_detail", args=[self.learner.pk]),
                "label": self.learner.display_name,
            },
            {"url": "", "label": _("Modifier")},
        )

    def get(self, request, *args, **kwargs):
        audit_log_record(
            user=request.user,
            action=AuditAction.READ,
            learner=self.learner,
            detail="formulaire de modification",
        )
        initial = PersonForm.initial_from(self.learner)
        if not self.holds:
            for name in PersonForm.PRIVATE_FIELDS:
                initial.pop(name)
        form = PersonForm(initial=initial, private=self.holds)
        return self.render_to_response(self.get_context_data(form=form, learner=self.learner))

    def post(self, request, *args, **kwargs):
        if COMMUNE_SEARCH in request.POST:
            form = PersonForm(initial=request.POST.dict(), private=self.holds)
            return self.render_to_response(self.get_context_data(form=form, learner=self.learner))
        form = PersonForm(request.POST, private=self.holds)
        if form.is_valid():
            try:
                learner_update(user=request.user, learner=self.learner, data=form.service_data())
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as refusal:
                messages.error(request, str(refusal) or _("Modification refusée."))
                return redirect("learners_person_detail", learner_id=self.learner.pk)
            else:
                messages.success(request, _("Fiche enregistrée."))
                return redirect("learners_person_detail", learner_id=self.learner.pk)
        # Show the record as stored (a failed update may have touched the instance).
        self.learner.refresh_from_db()
        return self.render_to_response(self.get_context_data(form=form, learner=self.learner))


# --- The person's page ----------------------------------------------------------------------


def choice_labels(model, field_name: str) -> dict:
    """{value: label} of a model field's choices, translated once: what
    `get_<field>_display()` shows (which hashes, and so translates, every label of the
    field on each call: thousands of translations on a page of 100 sessions)."""
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}


@dataclass(frozen=True)
class SessionRow:
    """A line of the person's sessions table, its labels computed once per page."""

    start: str  # as the template filter `date:"d/m/Y H:i"` writes it
    title: str
    kind: str
    place: str
    status: str


def session_rows(attendances) -> list[SessionRow]:
    kinds = choice_labels(Session, "kind")
    places = choice_labels(Session, "place_type")
    statuses = choice_labels(Attendance, "status")
    rows = []
    for attendance in attendances:
        session = attendance.session
        start = template_localtime(session.start)
        venue = session.venue
        rows.append(
            SessionRow(
                start=f"{start.day:02d}/{start.month:02d}/{start.year:04d} "
                f"{start.hour:02d}:{start.minute:02d}",
                # `Session.display_title`, with the kind's label translated once
                title=session.title or kinds[session.kind],
                kind=kinds.get(session.kind, session.kind),
                place=f"{venue.name} ({venue.commune.name})"
                if venue
                else places.get(session.place_type, session.place_type),
                status=statuses.get(attendance.status, attendance.status),
            )
        )
    return rows


def competence_histories(progress) -> list[dict]:
    """One entry per competence of the person: its progress row, a step chart of the
    levels observed over time and the same observations as table rows."""
    levels = levels_by_framework({c.competence.framework_id for c in progress.competences})
    sources = choice_labels(Observation, "source")
    by_competence = defaultdict(list)
    for observation in progress.observations:
        by_competence[observation.competence_id].append(observation)
    histories = []
    for item in progress.competences:
        competence = item.competence
        observations = by_competence.get(competence.pk, [])
        points = [(f"{o.observed_on:%d/%m/%y}", o.level.rank) for o in observations]
        ticks = [(level.rank, level.name) for level in levels.get(competence.framework_id, [])]
        description = ngettext(
            "Niveau initial : %(first)s, niveau actuel : %(current)s, meilleur niveau : "
            "%(best)s, en %(count)d observation.",
            "Niveau initial : %(first)s, niveau actuel : %(current)s, meilleur niveau : "
            "%(best)s, en %(count)d observations.",
            item.observation_count,
        ) % {
            "first": item.first_level.name,
            "current": item.current_level.name,
            "best": item.best_level.name,
            "count": item.observation_count,
        }
        chart = line_chart(
            points,
            title=_("Évolution du niveau : %(code)s %(name)s")
            % {"code": competence.code, "name": competence.name},
            description=description,
            step=True,
            y_ticks=ticks or None,
            width=340,
            height=max(150, 22 * len(ticks) + 40),
            chart_id=f"competence-{competence.pk}",
        )
        histories.append(
            {
                "progress": item,
                "competence": competence,
                "chart": chart,
                "observations": [(o, sources.get(o.source, o.source)) for o in observations],
                "caption": _("Niveaux observés : %(code)s %(name)s")
                % {"code": competence.code, "name": competence.name},
            }
        )
    return histories


class PersonDetailView(TrackingAccessMixin, PeopleBreadcrumbsMixin, TemplateView):
    template_name = "learners/admin/people/detail.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_tracking(request.user):
            raise PermissionDenied
        try:
            self.progress = progress_for_learner(user=request.user, learner_id=kwargs["learner_id"])
        except Learner.DoesNotExist as missing:
            raise Http404(_("Fiche introuvable.")) from missing
        self.learner = self.progress.learner
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.learner.display_name

    def get_breadcrumbs_items(self):
        return self.people_breadcrumbs({"url": "", "label": self.learner.display_name})

    def get_header_buttons(self):
        buttons = [
            HeaderButton(
                _("Modifier"),
                url=reverse("learners_person_edit", args=[self.learner.pk]),
                icon_name="edit",
            )
        ]
        if is_coordinator(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Fusionner avec une autre fiche"),
                    url=reverse("learners_merge") + f"?a={self.learner.pk}",
                    icon_name="resubmit",
                )
            )
            buttons.append(
                HeaderButton(
                    _("Journal d'accès de la fiche"),
                    url=reverse("learners_audit") + f"?personne={self.learner.network_id}",
                    icon_name="history",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        audit_log_record(
            user=user, action=AuditAction.READ, learner=self.learner, detail="fiche consultée"
        )
        context.update(
            learner=self.learner,
            progress=self.progress,
            session_rows=session_rows(self.progress.attendances),
            histories=competence_histories(self.progress),
            carnet=carnet_active_for_learner(user=user, learner_id=self.learner.pk)
            if self.progress.holds_record
            else None,
            is_coordinator=is_coordinator(user),
            consent_errors=self.request.session.pop(CONSENT_ERRORS_KEY, {}),
            consent_min_date=timezone.localdate()
            - datetime.timedelta(days=IN_PERSON_CONSENT_MAX_DAYS),
            consent_max_date=timezone.localdate(),
            **sharing_consents_for_page(user=user, learner=self.learner),
            **attestations_for_page(user=user, learner=self.learner),
        )
        return context


CONSENT_ERRORS_KEY = "learners_consent_errors"
CONSENT_FIELDS = ("given_on", "carnet_code")
CONSENT_CODE_INPUT_MAX = 40


class PersonConsentView(TrackingAccessMixin, TemplateView):
    """POST only: record (`action` "record") or withdraw ("revoke") the person's consent to
    share their whole record with the counsellor's structure."""

    action = "record"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        learner = person_or_404(request.user, kwargs["learner_id"])
        try:
            if self.action == "record":
                raw = request.POST.get("given_on", "")
                try:
                    given_on = datetime.date.fromisoformat(raw) if raw else None
                except ValueError:
                    raise ValidationError(
                        _("Indiquez la date de l'accord."), code="given_on"
                    ) from None
                if given_on is None:
                    raise ValidationError(_("Indiquez la date de l'accord."), code="given_on")
                code = request.POST.get("carnet_code", "")[:CONSENT_CODE_INPUT_MAX]
                sharing_consent_record(
                    user=request.user, learner=learner, given_on=given_on, code=code
                )
                messages.success(
                    request,
                    _("Accord enregistré : votre structure voit maintenant toute la fiche."),
                )
            else:
                consent = sharing_consent_own(user=request.user, learner=learner)
                if consent is not None:
                    sharing_consent_revoke(consent=consent, user=request.user)
                messages.success(request, _("Accord retiré."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            if self.action == "record":
                # Shown again next to the field it concerns, once, on the person's page.
                field = error.code if error.code in CONSENT_FIELDS else "given_on"
                request.session[CONSENT_ERRORS_KEY] = {field: " ".join(error.messages)}
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
        return back_to_person(learner.pk)


def back_to_person(learner_id: int) -> HttpResponseRedirect:
    return redirect("learners_person_detail", learner_id=learner_id)


class PeopleMenuItem(MenuItem):
    """Shown to counsellors and coordinators (never to partner editors)."""

    def is_shown(self, request):
        return can_use_tracking(request.user)


urlpatterns = [
    path("personnes/", PeopleIndexView.as_view(), name="learners_people"),
    path("personnes/nouvelle/", PersonCreateView.as_view(), name="learners_person_create"),
    path("personnes/<int:learner_id>/", PersonDetailView.as_view(), name="learners_person_detail"),
    path(
        "personnes/<int:learner_id>/accord/",
        PersonConsentView.as_view(action="record"),
        name="learners_person_consent_record",
    ),
    path(
        "personnes/<int:learner_id>/accord/retirer/",
        PersonConsentView.as_view(action="revoke"),
        name="learners_person_consent_revoke",
    ),
    path(
        "personnes/<int:learner_id>/modifier/",
        PersonEditView.as_view(),
        name="learners_person_edit",
    ),
]
