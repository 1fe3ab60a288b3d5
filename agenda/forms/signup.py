"""Forms of the public agenda: sign-up to a session, appointment request.

They only check shapes and lengths; the services normalise the phone and e-mail and decide
(`learners.services.bookings`, `learners.services.appointments`) and their French refusals
are put back on the fields. `HONEYPOT` is a field no person sees (its block is `hidden`:
not displayed, not in the accessibility tree, not focusable); a robot that fills every
input fills it too, and gets a neutral answer with nothing saved.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from learners.contacts import email_normalize, phone_normalize

HONEYPOT = "site_web"
CHOICE_ONE_DATE = "seance"
CHOICE_CYCLE = "cycle"


class AccessibleForm(forms.Form):
    """Each field described by its hint and, once invalid, its error (ids `<id>-aide`,
    `<id>-erreur`, as the templates write them)."""

    hints: dict[str, bool] = {}

    def describe_fields(self) -> None:
        for name, field in self.fields.items():
            ids = []
            auto_id = self[name].auto_id
            if field.help_text:
                ids.append(f"{auto_id}-aide")
            if name in self.errors:
                ids.append(f"{auto_id}-erreur")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class ContactCleaning:
    """Phone and e-mail checked as the services will (so every error shows at once)."""

    def clean_phone(self) -> str:
        return phone_normalize(self.cleaned_data.get("phone", ""))

    def clean_email(self) -> str:
        return email_normalize(self.cleaned_data.get("email", ""))


class SignupForm(ContactCleaning, AccessibleForm):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        help_text=_("Celui de la personne qui viendra à l'atelier."),
        error_messages={"required": _("Indiquez le prénom de la personne qui viendra.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Téléphone portable (facultatif)"),
        max_length=30,
        required=False,
        help_text=_("Pour recevoir un SMS de confirmation, et de rappel si vous le souhaitez."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Adresse e-mail (facultatif)"),
        max_length=254,
        required=False,
        help_text=_("Si vous n'avez pas de portable. Vous pouvez aussi ne rien indiquer."),
        widget=forms.TextInput(
            attrs={"type": "email", "autocomplete": "email", "spellcheck": "false"}
        ),
    )
    reminder_consent = forms.BooleanField(
        label=_("Je veux recevoir un rappel la veille de l'atelier"),
        required=False,
    )
    site_web = forms.CharField(label=_("Ne pas remplir"), required=False)

    def __init__(self, *args, cycle_choice: bool = False, carnet_offer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle_choice:
            self.fields["scope"] = forms.ChoiceField(
                label=_("Je m'inscris"),
                choices=[
                    (CHOICE_ONE_DATE, _("à cette date seulement")),
                    (CHOICE_CYCLE, _("à toutes les dates à venir du cycle")),
                ],
                initial=CHOICE_ONE_DATE,
                required=False,  # nothing ticked: this date
                widget=forms.RadioSelect,
            )
        if carnet_offer:
            self.fields["add_to_carnet"] = forms.BooleanField(
                label=_("Ajouter cette inscription à mon carnet"),
                required=False,
                help_text=_(
                    "Votre carnet est ouvert sur cet appareil : l'inscription y apparaîtra."
                ),
            )

    def whole_cycle(self) -> bool:
        return self.cleaned_data.get("scope") == CHOICE_CYCLE

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class AppointmentForm(ContactCleaning, AccessibleForm):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        error_messages={"required": _("Indiquez votre prénom.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Téléphone portable"),
        max_length=30,
        required=False,
        help_text=_("Un numéro de portable ou une adresse e-mail, pour qu'on vous réponde."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=_("Adresse e-mail"),
        max_length=254,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "email", "autocomplete": "email", "spellcheck": "false"}
        ),
    )
    availability = forms.CharField(
        label=_("Quand êtes-vous disponible ? (facultatif)"),
        max_length=300,
        required=False,
        help_text=_("Par exemple : le mardi matin, ou après 17 h."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    topic = forms.CharField(
        label=_("Pour quoi ? (facultatif)"),
        max_length=300,
        required=False,
        help_text=_("Par exemple : déclarer mes impôts, régler mon téléphone."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    site_web = forms.CharField(label=_("Ne pas remplir"), required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())
