"""Organisation screens: structures, venues (lieux) and counsellors, as Wagtail
ModelViewSets whose create and edit views call the services (`structure_create`,
`venue_create`, `counsellor_account_create`...).

Who may do what is a permission policy from the roles, not Django model permissions:
coordinators manage everything (nothing is ever deleted: a venue or an account is
deactivated); a counsellor sees their own structure's venues, read only; partner editors
and everyone else, nothing.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from learners.forms.organisations import CounsellorForm, StructureForm, VenueForm
from learners.models import Counsellor, Structure, Venue
from learners.models.fields import VocabularyListField
from learners.roles import user_roles
from learners.selectors.organisations import (
    counsellors_for_user,
    structures_for_user,
    venues_for_user,
)
from learners.services import structure_create, structure_update, venue_create, venue_update
from learners.services.accounts import counsellor_account_create, counsellor_account_update
from workshops.roles import COORDINATORS

# --- Permissions ---------------------------------------------------------------------------


class RolePermissionPolicy(BasePermissionPolicy):
    """Coordinators: add, change, view. Counsellors: `counsellor_actions` on the instances
    of their own structure. Nobody deletes."""

    def __init__(self, model, *, counsellor_actions: frozenset[str] = frozenset()):
        super().__init__(model)
        self.counsellor_actions = counsellor_actions

    def _allowed(self, user, action: str) -> bool:
        if action == "delete":
            return False
        roles = user_roles(user)
        if roles.is_coordinator:
            return True
        return roles.is_counsellor and action in self.counsellor_actions

    def user_has_permission(self, user, action):
        return self._allowed(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self._allowed(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        actions = set(actions) - {"delete"}
        if not actions:
            return get_user_model().objects.none()
        condition = Q(is_superuser=True) | Q(groups__name=COORDINATORS)
        return get_user_model().objects.filter(condition, is_active=True).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        if not self._allowed(user, action):
            return False
        roles = user_roles(user)
        if roles.is_coordinator:
            return True
        return getattr(instance, "structure_id", None) == roles.counsellor.structure_id

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        roles = user_roles(user)
        if roles.is_coordinator:
            return self.model.objects.all()
        return self.model.objects.filter(structure_id=roles.counsellor.structure_id)


register_permission_policy(Structure, RolePermissionPolicy(Structure))
register_permission_policy(
    Venue, RolePermissionPolicy(Venue, counsellor_actions=frozenset({"view"}))
)
register_permission_policy(Counsellor, RolePermissionPolicy(Counsellor))


# --- Views calling the services ---------------------------------------------------------------


class ServiceFormMixin:
    """Create/edit views whose save goes through a service; the service's French
    ValidationErrors come back on the form instead of a 500."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.error_dict.items():
                    target = field if field in form.fields else None
                    if field == "commune" and "commune_q" in form.fields:
                        target = "commune"
                    for message in messages:
                        form.add_error(target, message)
            else:
                for message in error.messages:
                    form.add_error(None, message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class RoleViewSet(ModelViewSet):
    """Access follows the roles (the permission policies above), not model permissions:
    none are offered in the group editing screen, where they would change nothing."""

    add_to_admin_menu = False
    copy_view_enabled = False
    search_backend_name = None
    list_per_page = 50

    def get_permissions_to_register(self):
        return Permission.objects.none()


class ScopedObjectMixin:
    """Single-object views look the object up in the user's scope (404 outside it)."""

    scoped_queryset = None

    def get_queryset(self):
        return self.scoped_queryset(user=self.request.user)

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=unquote(str(self.kwargs["pk"])))


class StructureIndexView(generic.IndexView):
    def get_base_queryset(self):
        return structures_for_user(user=self.request.user)


class StructureCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        return structure_create(user=self.request.user, **self.form.service_data())


class StructureEditView(ScopedObjectMixin, ServiceFormMixin, generic.EditView):
    scoped_queryset = staticmethod(structures_for_user)

    def save_instance(self):
        return structure_update(
            user=self.request.user, structure=self.object, data=self.form.service_data()
        )


class StructureViewSet(RoleViewSet):
    model = Structure
    name = "structures"
    icon = "home"
    menu_label = _("Structures")
    index_view_class = StructureIndexView
    add_view_class = StructureCreateView
    edit_view_class = StructureEditView
    list_display = [
        "name",
        "kind",
        "commune",
        Column("counsellor_count", label=_("Conseillers")),
        Column("venue_count", label=_("Lieux")),
    ]
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        return StructureForm


class VenueIndexView(generic.IndexView):
    def get_base_queryset(self):
        return venues_for_user(user=self.request.user)


class VenueCreateView(ServiceFormMixin, generic.CreateView):
    template_name = "learners/admin/venue_form.html"

    def save_instance(self):
        data = self.form.service_data()
        return venue_create(
            user=self.request.user,
            structure=self.form.cleaned_data["structure"],
            name=data.pop("name"),
            commune=data.pop("commune"),
            **data,
        )


class VenueEditView(ScopedObjectMixin, ServiceFormMixin, generic.EditView):
    scoped_queryset = staticmethod(venues_for_user)
    template_name = "learners/admin/venue_form.html"

    def save_instance(self):
        # The form already set the new values on the instance: start from the stored row.
        venue = Venue.objects.get(pk=self.object.pk)
        return venue_update(user=self.request.user, venue=venue, data=self.form.service_data())


class VenueInspectView(ScopedObjectMixin, generic.InspectView):
    scoped_queryset = staticmethod(venues_for_user)

    def get_field_display_value(self, field_name, field):
        # The standard's lists as their French labels, one after the other.
        if isinstance(field, VocabularyListField):
            labels = dict(field.vocabulary_choices)
            return ", ".join(str(labels.get(v, v)) for v in getattr(self.object, field_name))
        if field_name == "emails":
            return ", ".join(self.object.emails)
        if field_name == "phone":
            return self.object.phone_label
        return super().get_field_display_value(field_name, field)


class VenueViewSet(RoleViewSet):
    model = Venue
    name = "lieux"
    icon = "site"
    menu_label = _("Lieux")
    index_view_class = VenueIndexView
    add_view_class = VenueCreateView
    edit_view_class = VenueEditView
    inspect_view_class = VenueInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "structure",
        "typology",
        "pivot",
        "summary",
        "address",
        "address_complement",
        "postal_code",
        "commune",
        "opening_hours",
        "services",
        "other_services",
        "support_modes",
        "fees",
        "audiences",
        "publics",
        "specific_support",
        "accessibility",
        "access_modes",
        "phone",
        "emails",
        "website",
        "booking_url",
        "national_programmes",
        "training_labels",
        "external_id",
        "is_active",
    ]
    list_display = ["name", "commune", "structure", BooleanColumn("is_active", label=_("Actif"))]
    list_filter = ["structure", "is_active"]
    search_fields = ["name", "address"]

    def get_form_class(self, for_update=False):
        return VenueForm


class CounsellorIndexView(generic.IndexView):
    def get_base_queryset(self):
        return counsellors_for_user(user=self.request.user)


class CounsellorCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        form = self.form
        return counsellor_account_create(
            created_by=self.request.user,
            username=form.cleaned_data["username"],
            password=form.cleaned_data.get("password") or "",
            structure=form.cleaned_data["structure"],
            communes=form.cleaned_data.get("communes_served") or [],
            is_structure_manager=form.cleaned_data.get("is_structure_manager", False),
            **form.account_data(),
        )


class CounsellorEditView(ScopedObjectMixin, ServiceFormMixin, generic.EditView):
    scoped_queryset = staticmethod(counsellors_for_user)

    def save_instance(self):
        form = self.form
        counsellor = Counsellor.objects.select_related("user").get(pk=self.object.pk)
        return counsellor_account_update(
            user=self.request.user,
            counsellor=counsellor,
            data={
                **form.account_data(),
                "structure": form.cleaned_data["structure"],
                "is_structure_manager": form.cleaned_data.get("is_structure_manager", False),
                "communes": form.cleaned_data.get("communes_served") or [],
            },
        )


class CounsellorViewSet(RoleViewSet):
    model = Counsellor
    name = "conseillers"
    icon = "user"
    menu_label = _("Conseillers")
    index_view_class = CounsellorIndexView
    add_view_class = CounsellorCreateView
    edit_view_class = CounsellorEditView
    list_display = [
        "__str__",
        Column("username", label=_("Identifiant"), accessor="user.username"),
        "structure",
        BooleanColumn("is_structure_manager", label=_("Responsable")),
        BooleanColumn("is_active", label=_("Actif"), accessor="user.is_active"),
    ]
    list_filter = ["structure", "is_structure_manager"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]

    def get_form_class(self, for_update=False):
        return CounsellorForm


class OrganisationViewSetGroup(ModelViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "home"
    menu_order = 320
    items = (StructureViewSet, VenueViewSet, CounsellorViewSet)
