"""Fixed vocabularies of the publishing app (French labels, stable codes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopLevel(models.TextChoices):
    # The national activity record's workshop levels.
    BEGINNER = "debutant", _("Débutant")
    INTERMEDIATE = "intermediaire", _("Intermédiaire")
    ADVANCED = "avance", _("Avancé")


class Licence(models.TextChoices):
    """The licence of a guide, an atelier, a picture or a handout. The codes are stable
    (the API and open data publish them); the default for new content is Etalab 2.0."""

    ETALAB = "etalab-2.0", _("Licence Ouverte / Etalab 2.0")
    CC_BY = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", _("CC BY-NC-SA 4.0")
    ALL_RIGHTS = "tous-droits", _("Tous droits réservés")

    @property
    def url(self) -> str:
        """The licence's text (French version where there is one); "" for « tous droits
        réservés », which has no licence text: nothing may be reused without permission."""
        return LICENCE_URLS.get(self.value, "")


LICENCE_URLS = {
    Licence.ETALAB.value: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.CC_BY.value: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    Licence.CC_BY_SA.value: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    Licence.CC_BY_NC_SA.value: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
}
