"""Fixed vocabularies of the publishing app (French labels, stable codes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkshopLevel(models.TextChoices):
    # The national activity record's workshop levels.
    BEGINNER = "debutant", _("Débutant")
    INTERMEDIATE = "intermediaire", _("Intermédiaire")
    ADVANCED = "avance", _("Avancé")


class Licence(models.TextChoices):
    ETALAB = "etalab-2.0", _("Licence Ouverte Etalab 2.0")
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0")
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", _("CC BY-NC-SA 4.0")
    ALL_RIGHTS = "tous-droits", _("Tous droits réservés")
