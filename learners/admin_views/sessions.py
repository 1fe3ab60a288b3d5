"""The counsellor's session workflow in the Wagtail admin: "Mes séances", creating and
editing a session (from an atelier curriculum or not), and the attendance sheet with its
"add a person" tools.

Thin: reads go through `learners.selectors` (scoped by role: a session out of scope is a
404, exactly like a missing one), writes through `learners.services`. Every view is
reserved to coordinators and counsellors (`can_use_tracking`): a partner editor gets a 403,
an anonymous visitor is sent to the login page by Wagtail's admin URL decorator.

URL names (registered by `learners.wagtail_hooks` through `register_admin_urls`):
`learners_sessions`, `learners_session_create`, `learners_session_edit`,
`learners_attendance_sheet`, `learners_attendance_new_person`.
"""

from __future__ import annotations

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button

from common.french_text import french_day
from common.params import positive_int
from common.text import fold
from learners.choices import AttendanceStatus
from learners.forms.people_quick import QuickLearnerForm
from learners.forms.sessions import (
    SESSION_ERROR_FIELDS,
    AttendanceSheetForm,
    SessionForm,
    SessionStructureChoiceForm,
    atelier_defaults,
)
from learners.models import Booking, Learner, Session
from learners.roles import can_use_tracking, counsellor_structure
from learners.selectors import (
    learner_get_for_user,
    learner_match_pairs,
    learners_for_user,
    session_attendance_sheet,
    session_get_for_user,
    sessions_for_user,
)
from learners.selectors.places import places_by_session, session_places
from learners.selectors.session_bookings import booking_get_for_user, sheet_bookings
from learners.selectors.session_choices import live_ateliers
from learners.services import (
    attendance_register,
    attendance_remove,
    attendance_sheet_save,
    session_create,
    session_update,
)
from learners.services.booking_checkin import (
    booking_check_in_new_person,
    booking_check_in_with_code,
)
from learners.services.bookings_audit import session_bookings_read_log
from learners.services.intake import (
    RegistrationRefused,
    learner_create_and_register,
    learner_link_with_code_and_register,
)
from workshops.models import AtelierPage

SESSIONS_PER_PAGE = 30
SEARCH_RESULTS = 10
PAST_FROM = datetime.date(2000, 1, 1)


# --- Access and small helpers ------------------------------------------------------------


def tracking_required(view):
    """403 for anyone but coordinators and counsellors (partner editors included)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_use_tracking(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class TrackingMenuItem(MenuItem):
    """A menu item shown to coordinators and counsellors only (never to partner editors)."""

    def is_shown(self, request):
        return can_use_tracking(request.user)


def atelier_session_buttons(page, user):
    """ "Créer une séance à partir de cet atelier" in a live curriculum's admin header."""
    if page.live and can_use_tracking(user) and isinstance(page.specific_deferred, AtelierPage):
        yield Button(
            _("Créer une séance à partir de cet atelier"),
            url=reverse("learners_session_create") + f"?atelier={page.pk}",
            icon_name="date",
            priority=70,
        )
        yield Button(
            _("Créer un cycle de séances à partir de cet atelier"),
            url=reverse("learners_series_create") + f"?atelier={page.pk}",
            icon_name="date",
            priority=71,
        )


class TrackingViewMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_use_tracking(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def person_url(learner_id: int) -> str | None:
    """The person's page (built by another part of the admin), or None while it does not
    exist: templates then show the name as plain text."""
    try:
        return reverse("learners_person_detail", kwargs={"learner_id": learner_id})
    except NoReverseMatch:
        return None


def day_label(day: datetime.date, today: datetime.date) -> str:
    if day == today:
        return _("Aujourd'hui")
    if day == today + datetime.timedelta(days=1):
        return _("Demain")
    if day == today - datetime.timedelta(days=1):
        return _("Hier")
    return french_day(day, with_year=day.year != today.year)


def error_messages(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def apply_service_errors(form, exc: ValidationError, mapping: dict[str, str]) -> None:
    """Attach a service's ValidationError to the form fields it names (or the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = mapping.get(name, name)
            if target not in form.fields:
                target = None
            for error in errors:
                form.add_error(target, error.messages[0] if error.messages else str(error))
    else:
        for message in exc.messages:
            form.add_error(None, message)


def get_sheet_or_404(user, session_id: int):
    try:
        return session_attendance_sheet(user=user, session_id=session_id)
    except Session.DoesNotExist as exc:
        raise Http404(_("Séance introuvable.")) from exc


def get_session_or_404(user, session_id: int) -> Session:
    try:
        return session_get_for_user(user=user, session_id=session_id)
    except Session.DoesNotExist as exc:
        raise Http404(_("Séance introuvable.")) from exc


class TrackingTemplateView(TrackingViewMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learners_sessions"), "label": _("Mes séances")},
        ]


# --- "Mes séances" -----------------------------------------------------------------------


class SessionListView(TrackingTemplateView):
    """Today's and upcoming sessions (or past ones with `?periode=passees`), grouped by
    day, soonest first (past: latest first). `?miennes=1` keeps the sessions the user runs."""

    template_name = "learners/admin/sessions/index.html"
    page_title = gettext_lazy("Mes séances")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Mes séances")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        past = self.request.GET.get("periode") == "passees"
        mine = self.request.GET.get("miennes") == "1"
        today = timezone.localdate()
        if past:
            qs = sessions_for_user(
                user=user, start_from=PAST_FROM, start_before=today, mine_only=mine
            ).order_by("-start", "-id")
        else:
            qs = sessions_for_user(user=user, mine_only=mine)
        page = Paginator(qs, SESSIONS_PER_PAGE).get_page(self.request.GET.get("p"))
        # Places count the online sign-ups too (two queries for the page).
        places = places_by_session(page.object_list)
        days: list[tuple[str, list[Session]]] = []
        for session in page.object_list:
            session.places = places[session.pk]
            label = day_label(timezone.localdate(session.start), today)
            if not days or days[-1][0] != label:
                days.append((label, []))
            days[-1][1].append(session)
        query = {}
        if past:
            query["periode"] = "passees"
        if mine:
            query["miennes"] = "1"
        context.update(
            past=past,
            mine=mine,
            days=days,
            page=page,
            query=query,
            ateliers=list(live_ateliers().prefetch_related(None).only("id", "title")),
        )
        return context


# --- Create and edit ---------------------------------------------------------------------


class SessionFormView(TrackingTemplateView):
    template_name = "learners/admin/sessions/form.html"
    session: Session | None = None
    # Service field names → form field names, for the services' errors.
    error_fields = SESSION_ERROR_FIELDS

    def get_form(self, data=None) -> SessionForm:
        return SessionForm(data, user=self.request.user, session=self.session)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or self.get_form()
        ateliers = form.fields["atelier"].queryset
        context.update(
            form=form,
            session=self.session,
            open_anonymous=self.request.GET.get("participants") == "1"
            or any(form[name].value() for _label, names in form.anonymous_rows for name in names),
            atelier_defaults={str(a.pk): atelier_defaults(a) for a in ateliers}
            if self.session is None
            else {},
        )
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.initial_form()))

    def initial_form(self) -> SessionForm:
        return self.get_form()

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                session = self.save(form)
            except ValidationError as exc:
                apply_service_errors(form, exc, self.error_fields)
            else:
                return self.saved(session)
        messages.error(request, _("La séance n'a pas été enregistrée : corrigez les erreurs."))
        return self.render_to_response(self.get_context_data(form=form))


class SessionCreateView(SessionFormView):
    """A new session; `?atelier=<id>` (a live curriculum) pre-fills the form, `?date=` the
    day. Without JavaScript, choosing a curriculum in the form is enough: what is left
    empty is filled from it by `session_create`.

    A coordinator chooses the structure first, in a GET form above the session form
    (`?structure=<id>`, keeping the pre-filling parameters): the session form then offers
    that structure's venues and counsellors only (see `SessionForm`). Not submitted on
    change by script: a select that reloads the page while one browses its options with
    the keyboard is a change of context (WCAG 3.2.2)."""

    page_title = gettext_lazy("Nouvelle séance")
    header_icon = "plus"
    # Query parameters that pre-fill the form, kept when the structure changes.
    KEPT_PARAMETERS = ("atelier", "date", "participants")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Nouvelle séance")}]

    def get_form(self, data=None) -> SessionForm:
        return SessionForm(
            data, user=self.request.user, structure_param=self.request.GET.get("structure")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form.coordinator:
            context.update(
                structure_choice=SessionStructureChoiceForm(
                    initial={"structure": form.structure_pk}, auto_id="id_choose_%s"
                ),
                structure_kept=[
                    (name, self.request.GET[name])
                    for name in self.KEPT_PARAMETERS
                    if self.request.GET.get(name)
                ],
            )
        return context

    def initial_form(self) -> SessionForm:
        form = self.get_form()
        atelier_id = positive_int(self.request.GET.get("atelier"))
        if atelier_id is not None:
            atelier = live_ateliers().filter(pk=atelier_id).first()
            if atelier is None:
                messages.warning(
                    self.request, _("Cet atelier n'est pas publié : choisissez-en un autre.")
                )
            else:
                form.initial_from_atelier(atelier)
        try:
            day = datetime.date.fromisoformat(self.request.GET.get("date", ""))
        except ValueError:
            day = None
        form.initial.setdefault("date", day or timezone.localdate())
        return form

    def save(self, form: SessionForm) -> Session:
        return session_create(
            user=self.request.user,
            anonymous_counts=form.anonymous_counts(),
            **form.service_kwargs(),
        )

    def saved(self, session: Session):
        messages.success(
            self.request,
            _("Séance créée : %(title)s. Inscrivez maintenant les participants.")
            % {"title": session.display_title},
        )
        return redirect("learners_attendance_sheet", session_id=session.pk)


class SessionEditView(SessionFormView):
    page_title = gettext_lazy("Modifier la séance")
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        if can_use_tracking(request.user):
            self.session = get_session_or_404(request.user, kwargs["session_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("learners_attendance_sheet", args=[self.session.pk]),
                "label": self.session.display_title,
            },
            {"url": "", "label": _("Modifier")},
        ]

    def save(self, form: SessionForm) -> Session:
        return session_update(
            user=self.request.user,
            session=self.session,
            data=form.update_data(),
            anonymous_counts=form.anonymous_counts(),
        )

    def saved(self, session: Session):
        messages.success(self.request, _("Séance enregistrée."))
        return redirect("learners_attendance_sheet", session_id=session.pk)


# --- Attendance sheet --------------------------------------------------------------------


class AttendanceSheetView(TrackingTemplateView):
    """The sheet: mark everyone and record levels, then ONE save
    (`attendance_sheet_save`, one transaction). The same form also searches people
    (`search`, then `?q=` lists them), registers one (`add_learner=<id>`, from the results
    or the autocomplete) and opens the "nouvelle personne" form (`new_person`): in every
    case the marks already made are saved first, so nothing typed is lost."""

    template_name = "learners/admin/sessions/sheet.html"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        self.session_id = kwargs["session_id"]
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Feuille de présence")

    def get_page_subtitle(self):
        return str(self.sheet.session)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": "", "label": self.sheet.session.display_title},
        ]

    def sheet_url(self, anchor: str = "") -> str:
        url = reverse("learners_attendance_sheet", args=[self.session_id])
        return f"{url}#{anchor}" if anchor else url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sheet = self.sheet
        form = kwargs.get("form") or AttendanceSheetForm(sheet=sheet)
        query = self.request.GET.get("q", "").strip()[:100]
        on_sheet = {line.attendance.learner_id for line in sheet.lines}
        results = []
        if len(fold(query)) >= 2:
            results = [
                (learner, learner.pk in on_sheet)
                for learner in learners_for_user(user=self.request.user, search=query)[
                    :SEARCH_RESULTS
                ]
            ]
        for lf in form.line_fields:
            lf.person_url = person_url(lf.learner_id)
        counts = {
            status: sum(1 for line in sheet.lines if line.attendance.status == status)
            for status in AttendanceStatus.values
        }
        context.update(
            sheet=sheet,
            session=sheet.session,
            form=form,
            query=query,
            searched=len(fold(query)) >= 2,
            results=results,
            counts=counts,
            anonymous_total=sum(row.count for row in sheet.anonymous_participants),
            waiting_lines=[lf for lf in form.line_fields if lf.is_waiting],
            main_lines=[lf for lf in form.line_fields if not lf.is_waiting],
            new_person_url=self.new_person_url(query if not results else ""),
            lookup_url=reverse("learners_person_lookup"),
            capacity_refusal=kwargs.get("capacity_refusal"),
            bookings=self.bookings_shown(sheet.session),
            places=session_places(sheet.session),
        )
        return context

    def bookings_shown(self, session):
        """The sheet's sign-ups (names and contacts): reading them is audited per sign-up."""
        bookings = sheet_bookings(user=self.request.user, session=session)
        shown = bookings.seated + [booking for _rank, booking in bookings.waiting]
        if shown:
            session_bookings_read_log(user=self.request.user, bookings=shown)
        return bookings

    def new_person_url(self, query: str) -> str:
        """The "nouvelle personne" form, pre-filled with a name searched in vain."""
        url = reverse("learners_attendance_new_person", args=[self.session_id])
        parts = query.split(None, 1)
        if not parts:
            return url
        params = {"first_name": parts[0], "last_name": parts[1] if len(parts) > 1 else ""}
        return f"{url}?{urlencode({k: v for k, v in params.items() if v})}"

    def get(self, request, *args, **kwargs):
        self.sheet = get_sheet_or_404(request.user, self.session_id)
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.sheet = get_sheet_or_404(request.user, self.session_id)
        form = AttendanceSheetForm(request.POST, sheet=self.sheet)
        if not form.is_valid():
            messages.error(request, _("La feuille n'a pas été enregistrée : corrigez les erreurs."))
            return self.render_to_response(self.get_context_data(form=form))
        remove_id = request.POST.get("remove_learner", "")
        # The line taken off is not saved first: its marks would be deleted with it.
        rows = [row for row in form.rows() if str(row["learner_id"]) != remove_id]
        result = None
        if rows:
            try:
                result = attendance_sheet_save(
                    user=request.user, session=self.sheet.session, rows=rows
                )
            except ValidationError as exc:
                for message in error_messages(exc):
                    messages.error(request, message)
                return self.render_to_response(self.get_context_data(form=form))
        query = request.POST.get("q", "").strip()[:100]
        add_id = request.POST.get("add_learner", "")
        if add_id:
            return self.register(
                add_id, waitlist=request.POST.get("waitlist") == "1", saved=bool(rows)
            )
        if remove_id:
            return self.remove(remove_id, saved=bool(rows))
        if result is not None:
            self.saved_message(rows, result)
        return self.after_save(query, saved=result is not None)

    def saved_message(self, rows: list[dict], result) -> None:
        present = sum(1 for row in rows if row["status"] == AttendanceStatus.PRESENT)
        messages.success(
            self.request,
            # Labels before the counts: no agreement to get wrong whatever the numbers.
            _(
                "Feuille enregistrée. Personnes mises à jour : %(people)d, dont présentes : "
                "%(present)d. Niveaux notés : %(levels)d."
            )
            % {"people": len(rows), "present": present, "levels": result.observations},
        )

    def after_save(self, query: str, *, saved: bool):
        """Where the button pressed leads once the marks are saved: the "nouvelle personne"
        form, the search results, or the sheet again."""
        if self.request.POST.get("new_person"):
            return redirect(self.new_person_url(query))
        if self.request.POST.get("search"):
            if not query:
                return redirect(self.sheet_url("ajouter"))
            return redirect(f"{self.sheet_url()}?{urlencode({'q': query})}#ajouter")
        if not saved:
            messages.info(self.request, _("Aucun changement à enregistrer."))
        return redirect(self.sheet_url())

    def register(self, add_id: str, *, waitlist: bool, saved: bool):
        request = self.request
        try:
            learner = learner_get_for_user(user=request.user, learner_id=int(add_id))
        except (ValueError, Learner.DoesNotExist):
            messages.error(request, _("Personne introuvable : cherchez-la à nouveau."))
            return redirect(self.sheet_url())
        already = any(line.attendance.learner_id == learner.pk for line in self.sheet.lines)
        try:
            attendance = attendance_register(
                user=request.user, session=self.sheet.session, learner=learner, waitlist=waitlist
            )
        except ValidationError as exc:
            # Full: show the refusal and offer the waiting list (the sheet was saved).
            self.sheet = get_sheet_or_404(request.user, self.session_id)
            refusal = {"message": " ".join(error_messages(exc)), "learner": learner}
            return self.render_to_response(self.get_context_data(capacity_refusal=refusal))
        if saved:
            messages.success(request, _("Feuille enregistrée."))
        name = learner.display_name
        if already and attendance.status != AttendanceStatus.WAITING:
            messages.info(request, _("%(name)s est déjà sur la feuille.") % {"name": name})
        elif attendance.status == AttendanceStatus.WAITING:
            messages.warning(request, _("%(name)s est sur la liste d'attente.") % {"name": name})
        else:
            messages.success(
                request, _("%(name)s est maintenant sur la feuille de la séance.") % {"name": name}
            )
        return redirect(self.sheet_url(f"ligne-{learner.pk}"))

    def remove(self, remove_id: str, *, saved: bool):
        """Take a person off the sheet (`attendance_remove`), after the other marks."""
        request = self.request
        line = next(
            (line for line in self.sheet.lines if str(line.attendance.learner_id) == remove_id),
            None,
        )
        if saved:
            messages.success(request, _("Feuille enregistrée."))
        if line is None:
            messages.error(request, _("Cette personne n'est plus sur la feuille."))
            return redirect(self.sheet_url())
        learner = line.attendance.learner
        try:
            attendance_remove(user=request.user, session=self.sheet.session, learner=learner)
        except ValidationError as exc:
            for message in error_messages(exc):
                messages.error(request, message)
            return redirect(self.sheet_url(f"ligne-{learner.pk}"))
        messages.success(
            request,
            _(
                "%(name)s n'est plus sur la feuille de la séance. Pour l'inscrire à nouveau, "
                "cherchez son nom dans « Inscrire une personne »."
            )
            % {"name": learner.display_name},
        )
        return redirect(self.sheet_url())


QUICK_MATCH_SESSION_KEY = "learners_quick_match"


class NewPersonView(TrackingTemplateView):
    """ "Nouvelle personne" from a sheet: first the possible matches by the one linking rule
    (`learner_match_pairs`): the structure's own records, named, to register; another
    structure's record as its birth year alone, with the person's carnet code (link with
    consent, then register) or "créer la fiche et demander le rattachement". Then, if none
    is the person, create the record and register it.
    A full session refuses with its French message and offers the waiting list."""

    template_name = "learners/admin/sessions/new_person.html"
    header_icon = "user"
    page_title = gettext_lazy("Nouvelle personne")

    booking: Booking | None = None

    def dispatch(self, request, *args, **kwargs):
        if can_use_tracking(request.user):
            self.session = get_session_or_404(request.user, kwargs["session_id"])
            self.booking = self._booking(request)
        return super().dispatch(request, *args, **kwargs)

    def _booking(self, request) -> Booking | None:
        """In « Présent » on an online sign-up (`?inscription=<id>`): the sign-up whose
        person is created here, then marked present instead of registered."""
        booking_id = positive_int(request.POST.get("inscription") or request.GET.get("inscription"))
        if booking_id is None:
            return None
        try:
            booking = booking_get_for_user(user=request.user, booking_id=booking_id)
        except Booking.DoesNotExist as exc:
            raise Http404(_("Inscription introuvable.")) from exc
        if booking.session_id != self.session.pk:
            raise Http404(_("Inscription introuvable."))
        return booking

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("learners_attendance_sheet", args=[self.session.pk]),
                "label": self.session.display_title,
            },
            {"url": "", "label": _("Nouvelle personne")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            booking=self.booking,
            booking_pick_url=reverse("learners_booking_pick", args=[self.booking.pk])
            if self.booking
            else "",
            session=self.session,
            sheet_url=reverse("learners_attendance_sheet", args=[self.session.pk]),
            commune_lookup_url=reverse("learners_commune_lookup"),
        )
        return context

    FIELDS = ("first_name", "last_name", "birth_year", "commune_q", "commune", "informed")

    def get(self, request, *args, **kwargs):
        initial = {name: request.GET[name] for name in self.FIELDS if name in request.GET}
        form = QuickLearnerForm(initial=initial)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        if request.POST.get("search_commune"):
            return self._commune_search()
        form = QuickLearnerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        stored = request.session.get(QUICK_MATCH_SESSION_KEY) or {}
        others = stored.get("others") if stored.get("user") == request.user.pk else None
        if request.POST.get("link_code") == "1":
            return self._link_with_code(form, request.POST.get("carnet_code", ""), others)
        request_link = request.POST.get("create_and_request") == "1"
        if request.POST.get("confirm") != "1" and not request_link:
            matches = self._matches(form)
            if matches is not None:
                return matches
        return self._create_and_register(form, others if request_link and others else [])

    def _commune_search(self):
        """No-JavaScript commune search: the same form again, nothing checked or saved,
        with the commune select filtered by what was typed."""
        post = self.request.POST
        initial = {name: post[name] for name in self.FIELDS if name in post}
        initial.pop("commune", None)
        form = QuickLearnerForm(initial=initial)
        return self.render_to_response(self.get_context_data(form=form))

    def _matches(self, form):
        """The page of possible matches, or None when nobody matches."""
        data = form.cleaned_data
        pairs = learner_match_pairs(
            user=self.request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_year=data["birth_year"],
            commune=data["commune"],
        )
        if not pairs:
            return None
        self.request.session[QUICK_MATCH_SESSION_KEY] = {
            "user": self.request.user.pk,
            "others": [pk for c, pk in pairs if c.other_structure],
        }
        return self.render_to_response(
            self.get_context_data(
                form=form,
                candidates=[c for c, _pk in pairs if not c.other_structure],
                others=[c for c, _pk in pairs if c.other_structure],
                can_link=counsellor_structure(self.request.user) is not None,
                step="matches",
            )
        )

    def _create_and_register(self, form, linked_ids: list[int]):
        """Create the record (asking to link it to `linked_ids`) and register it (or mark
        the online sign-up's person present)."""
        data = form.cleaned_data
        if self.booking is not None:
            return self._create_and_check_in(form, linked_ids)
        try:
            registration = learner_create_and_register(
                user=self.request.user,
                session=self.session,
                details={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "birth_year": data["birth_year"],
                    "commune": data["commune"],
                    "information_given_at": timezone.localdate() if data["informed"] else None,
                },
                waitlist=self.request.POST.get("waitlist") == "1",
                linked_ids=linked_ids,
            )
        except RegistrationRefused as refusal:
            return self.render_to_response(
                self.get_context_data(form=form, step="full", capacity_message=refusal.message)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"commune": "commune_q"})
            return self.render_to_response(self.get_context_data(form=form))
        self.request.session.pop(QUICK_MATCH_SESSION_KEY, None)
        self._registered_messages(registration, link_requested=bool(linked_ids))
        url = reverse("learners_attendance_sheet", args=[self.session.pk])
        return redirect(f"{url}#ligne-{registration.learner.pk}")

    def _registered_messages(self, registration, *, link_requested: bool) -> None:
        request = self.request
        name = registration.learner.display_name
        if link_requested:
            messages.info(
                request,
                _(
                    "La coordination est prévenue : elle vérifiera s'il s'agit de la même "
                    "personne et réunira les deux fiches."
                ),
            )
        if registration.attendance.status == AttendanceStatus.WAITING:
            messages.warning(
                request, _("Fiche créée : %(name)s est sur la liste d'attente.") % {"name": name}
            )
        else:
            messages.success(
                request,
                _("Fiche créée : %(name)s est maintenant sur la feuille de la séance.")
                % {"name": name},
            )

    def _create_and_check_in(self, form, linked_ids: list[int]):
        data = form.cleaned_data
        try:
            attendance = booking_check_in_new_person(
                user=self.request.user,
                booking=self.booking,
                details={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "birth_year": data["birth_year"],
                    "commune": data["commune"],
                    "information_given_at": timezone.localdate() if data["informed"] else None,
                },
                linked_ids=linked_ids,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, {"commune": "commune_q"})
            return self.render_to_response(self.get_context_data(form=form))
        self.request.session.pop(QUICK_MATCH_SESSION_KEY, None)
        messages.success(
            self.request,
            _("Fiche créée et présence notée pour %(name)s.")
            % {"name": attendance.learner.display_name},
        )
        url = reverse("learners_attendance_sheet", args=[self.session.pk])
        return redirect(f"{url}#ligne-{attendance.learner_id}")

    def _link_with_code(self, form, code: str, others):
        """The person shows their carnet code: link with consent, then register (or mark
        the online sign-up's person present)."""
        if not others:
            form.add_error(None, _("Cette proposition a expiré : vérifiez à nouveau."))
            return self.render_to_response(self.get_context_data(form=form))
        if self.booking is not None:
            try:
                attendance = booking_check_in_with_code(
                    user=self.request.user, booking=self.booking, code=code, candidate_ids=others
                )
            except (ValidationError, PermissionDenied) as exc:
                message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                form.add_error(None, message)
                return self.render_to_response(self.get_context_data(form=form))
            self.request.session.pop(QUICK_MATCH_SESSION_KEY, None)
            url = reverse("learners_attendance_sheet", args=[self.session.pk])
            return redirect(f"{url}#ligne-{attendance.learner_id}")
        try:
            learner = learner_link_with_code_and_register(
                user=self.request.user, session=self.session, code=code, candidate_ids=others
            )
        except (ValidationError, PermissionDenied) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form))
        self.request.session.pop(QUICK_MATCH_SESSION_KEY, None)
        messages.success(
            self.request,
            _(
                "Avec son code de carnet, la personne a accepté que votre structure voie toute "
                "sa fiche ; elle est inscrite à la séance."
            ),
        )
        url = reverse("learners_attendance_sheet", args=[self.session.pk])
        return redirect(f"{url}#ligne-{learner.pk}")


urlpatterns = [
    path("seances/", SessionListView.as_view(), name="learners_sessions"),
    path("seances/nouvelle/", SessionCreateView.as_view(), name="learners_session_create"),
    path(
        "seances/<int:session_id>/modifier/",
        SessionEditView.as_view(),
        name="learners_session_edit",
    ),
    path(
        "seances/<int:session_id>/presences/",
        AttendanceSheetView.as_view(),
        name="learners_attendance_sheet",
    ),
    path(
        "seances/<int:session_id>/presences/nouvelle-personne/",
        NewPersonView.as_view(),
        name="learners_attendance_new_person",
    ),
]
