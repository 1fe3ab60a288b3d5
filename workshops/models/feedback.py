"""Anonymous reader feedback on guides ("this helped" / "I am stuck at step N").

No account, no cookie, no personal data: not even the IP address is stored (rate limiting
uses a daily hash kept in the cache only, see `workshops.services.feedback`).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 500


class GuideFeedback(models.Model):
    class Kind(models.TextChoices):
        HELPED = "helped", _("Cette fiche m'a aidé")
        STUCK = "stuck", _("Je bloque à une étape")

    page = models.ForeignKey(
        "workshops.GuidePage",
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("fiche pratique"),
    )
    # The id of the live revision the reader saw (`page.live_revision_id`), so editors read
    # feedback per guide version. A plain integer rather than a foreign key: purging old
    # revisions must neither delete feedback nor merge versions together.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True, db_index=True)
    kind = models.CharField(_("avis"), max_length=10, choices=Kind.choices)
    step = models.PositiveSmallIntegerField(
        _("étape"), null=True, blank=True, help_text=_("Numéro de l'étape (à partir de 1).")
    )
    comment = models.TextField(
        _("commentaire"),
        blank=True,
        max_length=COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)],
    )
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("avis sur une fiche")
        verbose_name_plural = _("avis sur les fiches")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["page", "version", "kind"])]

    def __str__(self) -> str:
        if self.kind == self.Kind.STUCK and self.step:
            return f"{self.page_id} – étape {self.step}"
        return f"{self.page_id} – {self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind == self.Kind.STUCK and not self.step:
            raise ValidationError({"step": _("Indiquez l'étape où vous bloquez.")})
        if self.kind == self.Kind.HELPED:
            self.step = None
