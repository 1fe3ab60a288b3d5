"""Upload form of the spreadsheet imports: size, extension AND content are checked."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learners.imports import MAX_IMPORT_BYTES
from learners.models import Structure
from learners.roles import is_coordinator
from workshops.spreadsheets import SpreadsheetError, format_sniff

MAX_MB = MAX_IMPORT_BYTES // (1024 * 1024)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fichier à importer"))
    structure = forms.ModelChoiceField(
        label=gettext_lazy("Structure par défaut"),
        queryset=Structure.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Pour les lignes sans colonne « Structure » (ou quand elle est vide)."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Un fichier CSV (séparateur point-virgule ou virgule, UTF-8 ou Windows-1252) ou "
            "un classeur Excel (.xlsx), %(max)d Mo au maximum. La première ligne contient les "
            "titres des colonnes."
        ) % {"max": MAX_MB}
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        if is_coordinator(user):
            self.fields["structure"].queryset = Structure.objects.order_by("name")
        else:
            del self.fields["structure"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("Le fichier est trop lourd (%(max)d Mo au maximum).") % {"max": MAX_MB}
            )
        content = upload.read()
        try:
            self.cleaned_data["format"] = format_sniff(content, filename=upload.name)
        except SpreadsheetError as exc:
            raise forms.ValidationError(exc.message) from exc
        self.cleaned_data["content"] = content
        return upload
