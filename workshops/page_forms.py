"""The editor's form of guides and ateliers: « tous droits réservés » must be confirmed.

A guide under an open licence can be printed, shared and adapted by any structure of the
network; « tous droits réservés » forbids all of it. The editor chooses it only by ticking
a box that says so; the rule is checked here, on the server, whatever the browser sends.
A page already « tous droits réservés » (as last saved, draft included) can be edited
without ticking the box again.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from workshops.choices import Licence

CONFIRM_FIELD = "confirm_all_rights_reserved"


def all_rights_refused_message() -> str:
    return str(
        _(
            "Vous avez choisi « Tous droits réservés » : cochez la case qui le confirme. "
            "Sinon, choisissez une licence libre, comme la Licence Ouverte / Etalab 2.0, "
            "pour que d'autres puissent réutiliser ce contenu."
        )
    )


class LicencedPageForm(WagtailAdminPageForm):
    confirm_all_rights_reserved = forms.BooleanField(
        label=_("Je confirme « Tous droits réservés »"),
        required=False,
        help_text=_(
            "Personne ne pourra plus réutiliser, imprimer pour un atelier ni adapter ce "
            "contenu sans vous demander l'autorisation. Les autres structures du réseau ne "
            "pourront pas en faire leur propre version."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        chose_all_rights = cleaned_data.get("licence") == Licence.ALL_RIGHTS
        # Django fills the instance from the form after `clean`: here it still holds the
        # page as last saved (its latest revision), or the default licence for a new page.
        already_all_rights = self.instance.pk is not None and (
            self.instance.licence == Licence.ALL_RIGHTS
        )
        if chose_all_rights and not already_all_rights and not cleaned_data.get(CONFIRM_FIELD):
            self.add_error(CONFIRM_FIELD, all_rights_refused_message())
        return cleaned_data
