"""Clés d'API (coordinators only): list with last use, create (the secret shown once, on
the answer to the form, never stored), revoke."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from api.forms import ApiClientForm
from api.models import ApiClient
from api.selectors.clients import api_clients_list
from api.services.clients import api_client_create, api_client_revoke
from learners.roles import is_coordinator


class CoordinatorOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class KeysMixin(CoordinatorOnlyMixin, WagtailAdminTemplateMixin):
    header_icon = "key"

    def keys_breadcrumbs(self, *items) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("api_keys"), "label": _("Clés d'API")},
            *items,
        ]


class KeyListView(KeysMixin, TemplateView):
    template_name = "api/admin/index.html"
    page_title = gettext_lazy("Clés d'API")

    def get_breadcrumbs_items(self):
        return self.keys_breadcrumbs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(clients=list(api_clients_list()), **kwargs)


class KeyCreateView(KeysMixin, TemplateView):
    template_name = "api/admin/create.html"
    page_title = gettext_lazy("Nouvelle clé d'API")

    def get_breadcrumbs_items(self):
        return self.keys_breadcrumbs({"url": "", "label": _("Nouvelle clé")})

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ApiClientForm()))

    def post(self, request, *args, **kwargs):
        form = ApiClientForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            client, secret = api_client_create(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                structure=form.cleaned_data["structure"],
                expires_at=form.expires_at(),
                requests_per_minute=form.cleaned_data["requests_per_minute"],
                created_by=request.user,
            )
        except (IntegrityError, ValidationError):  # a double submit, or the same name at once
            form.add_error("name", _("Un client porte déjà ce nom."))
            return self.render_to_response(self.get_context_data(form=form))
        # The one time the secret exists outside the client's hands: this answer, uncached.
        response = TemplateResponse(
            request,
            "api/admin/created.html",
            self.get_context_data(client=client, token=f"{client.client_id}:{secret}"),
        )
        response["Cache-Control"] = "no-store"
        return response


class KeyRevokeView(KeysMixin, TemplateView):
    template_name = "api/admin/revoke.html"
    page_title = gettext_lazy("Révoquer une clé d'API")

    def get_breadcrumbs_items(self):
        return self.keys_breadcrumbs({"url": "", "label": _("Révoquer")})

    def get_context_data(self, **kwargs):
        client = get_object_or_404(ApiClient, pk=self.kwargs["client_id"])
        return super().get_context_data(client=client, **kwargs)

    def post(self, request, *args, **kwargs):
        client = get_object_or_404(ApiClient, pk=kwargs["client_id"])
        api_client_revoke(client=client, revoked_by=request.user)
        messages.success(request, _("La clé « %(name)s » est révoquée.") % {"name": client.name})
        return redirect("api_keys")


urlpatterns = [
    path("cles-api/", KeyListView.as_view(), name="api_keys"),
    path("cles-api/nouvelle/", KeyCreateView.as_view(), name="api_key_create"),
    path("cles-api/<int:client_id>/revoquer/", KeyRevokeView.as_view(), name="api_key_revoke"),
]
