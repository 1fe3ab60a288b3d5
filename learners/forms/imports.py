"""Upload form of the spreadsheet imports (the file is checked by the service)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.spreadsheets import upload_read
from learners.imports import MAX_IMPORT_BYTES
from learners.models import Structure
from learners.roles import is_coordinator
from learners.scoping import structures_choosable

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
        # The coordination chooses a default structure; a counsellor's is their own.
        if is_coordinator(user):
            self.fields["structure"].queryset = structures_choosable(user)
        else:
            del self.fields["structure"]

    def clean_file(self):
        """Only reads the file (at most MAX_IMPORT_BYTES + 1 bytes): its size, format and
        content are checked in one place, `import_job_create` (`upload_check`)."""
        upload = self.cleaned_data["file"]
        self.cleaned_data["content"] = upload_read(upload, max_bytes=MAX_IMPORT_BYTES)
        return upload
