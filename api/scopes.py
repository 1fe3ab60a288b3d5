"""What an API client may read. Open data (agenda, venues, guides, ateliers) needs no key."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    ACTIVITIES = "activites", _("Activités (sans nom)")
    STATISTICS = "statistiques", _("Statistiques")
    STRUCTURES = "structures", _("Structures et conseillers")
