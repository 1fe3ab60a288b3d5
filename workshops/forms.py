"""Forms: the public guide feedback form and the admin framework import form.

Forms only parse input; rules live in `workshops.services`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from workshops.models import GuideFeedback
from workshops.models.feedback import COMMENT_MAX_LENGTH


class GuideFeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Cette fiche vous a-t-elle aidé ?"),
        choices=GuideFeedback.Kind.choices,
        error_messages={
            "required": _("Choisissez « Cette fiche m'a aidé » ou « Je bloque à une étape »."),
            "invalid_choice": _(
                "Choisissez « Cette fiche m'a aidé » ou « Je bloque à une étape »."
            ),
        },
    )
    step = forms.IntegerField(
        label=_("À quelle étape bloquez-vous ?"),
        required=False,
        min_value=1,
        max_value=999,
        error_messages={
            "invalid": _("Choisissez un numéro d'étape dans la liste."),
            "min_value": _("Choisissez un numéro d'étape dans la liste."),
            "max_value": _("Choisissez un numéro d'étape dans la liste."),
        },
    )
    comment = forms.CharField(
        label=_("Un commentaire ? (facultatif)"),
        required=False,
        strip=True,
        max_length=COMMENT_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Votre commentaire est trop long (%(show_value)d caractères) : "
                "%(limit_value)d au maximum."
            )
        },
    )
