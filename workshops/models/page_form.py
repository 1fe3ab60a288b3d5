"""The admin form of guides and ateliers (the licence confirmation of `LicencedPageForm`,
plus the slug message below) (Wagtail reads it from the model's
`base_form_class`, so it sits with the models, and imports no model of ours).

Wagtail reports a slug already taken under the same parent on the slug field, which is
on the « Promotion » tab: the writer, on the « Contenu » tab, sees only that the page was
not saved. The same explanation is repeated under the title, where the clash comes from.
"""

from django.utils.translation import gettext_lazy as _

from workshops.page_forms import LicencedPageForm


class ContentPageForm(LicencedPageForm):
    def clean(self):
        cleaned_data = super().clean()
        if "slug" in self.errors and "title" not in self.errors:
            self.add_error(
                "title",
                _(
                    "Une autre page porte déjà l'adresse « %(slug)s » à cet endroit. "
                    "Changez le titre, ou l'adresse dans l'onglet « Promotion » "
                    "(champ « Slug »)."
                )
                % {"slug": self.data.get("slug", "")},
            )
        return cleaned_data
