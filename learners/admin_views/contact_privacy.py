"""Rights of a person who only signed up online (no record): « Demande d'une personne
inscrite en ligne » (`donnees-par-coordonnees/`).

A coordinator or a counsellor types the phone number or e-mail address the person signed
up with, and gets what the system holds made with it and linked to no person (sign-ups,
appointment requests, who read them): as a printable page or a JSON file, and may erase
it after a confirmation. Scope as every read of sign-ups: the counsellor's structure, the
whole network for the coordination. The contact travels in POST bodies only (never in an
address, which servers log). Every search, download and erasure is in the audit log.
"""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from learners.choices import AuditAction
from learners.contacts import email_normalize, phone_normalize
from learners.selectors.bookings_privacy import (
    Contact,
    appointment_requests_of_contact,
    bookings_of_contact,
    contact_data_export,
    contact_missing_message,
)
from learners.services.bookings_audit import (
    agenda_erasure_log,
    appointment_requests_access_log,
    bookings_access_log,
)
from learners.services.bookings_privacy import contact_erase

from .people import TrackingAccessMixin
from .privacy import humanise_dates

PURPOSE_RIGHTS = "droit d'accès par coordonnées"


class ContactForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Numéro de téléphone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=gettext_lazy("Adresse e-mail"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "email"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Je confirme que la personne a demandé l'effacement de ces inscriptions et "
            "demandes de rendez-vous."
        ),
        required=False,
    )

    def clean_phone(self) -> str:
        return phone_normalize(self.cleaned_data.get("phone", ""), mobile_only=False)

    def clean_email(self) -> str:
        return email_normalize(self.cleaned_data.get("email", ""))

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.contact = Contact(phone=cleaned["phone"], email=cleaned["email"])
            if self.contact.is_empty:
                raise ValidationError(contact_missing_message())
        return cleaned


class ContactRightsView(TrackingAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "learners/admin/privacy/contact.html"
    page_title = gettext_lazy("Demande d'une personne inscrite en ligne")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("learners_processing_register"),
                "label": _("Registre des traitements"),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ContactForm())
        return context

    def post(self, request, *args, **kwargs):
        form = ContactForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        action = request.POST.get("action", "search")
        if action == "erase":
            return self._erase(form)
        data = self._export(form.contact)
        if action == "json":
            return _json_response(data)
        return self.render_to_response(
            self.get_context_data(form=form, data=humanise_dates(data), searched=True)
        )

    def _export(self, contact: Contact) -> dict:
        user = self.request.user
        data = contact_data_export(user=user, contact=contact)
        bookings_access_log(
            user=user,
            action=AuditAction.EXPORT,
            bookings=bookings_of_contact(user=user, contact=contact).only(
                "pk", "learner_id", "session_id"
            ),
            purpose=PURPOSE_RIGHTS,
        )
        appointment_requests_access_log(
            user=user,
            action=AuditAction.EXPORT,
            requests=appointment_requests_of_contact(user=user, contact=contact).only(
                "pk", "venue_id"
            ),
            purpose=PURPOSE_RIGHTS,
        )
        return data

    def _erase(self, form: ContactForm):
        if not form.cleaned_data.get("confirm"):
            form.add_error("confirm", _("Cochez la case pour confirmer l'effacement."))
            return self.render_to_response(self.get_context_data(form=form))
        user, contact = self.request.user, form.contact
        agenda_erasure_log(
            user=user,
            bookings=list(bookings_of_contact(user=user, contact=contact)),
            requests=list(appointment_requests_of_contact(user=user, contact=contact)),
        )
        result = contact_erase(user=user, contact=contact)
        messages.success(self.request, result.summary)
        return redirect("learners_contact_rights")


def _json_response(data: dict) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path(
        "donnees-par-coordonnees/",
        ContactRightsView.as_view(),
        name="learners_contact_rights",
    ),
]
