"""Attestations of competences: Open Badges 3.0 credentials signed with a structure's key.

`AttestationKey`: one RSA key pair of a structure. The public half is published (JWKS); the
private half is stored encrypted (`learners.attestations.keys`) and never shown. A rotated
key (`retired_at`) signs nothing new but still verifies what it signed; a revoked key
(`revoked_at`) makes every credential it signed show as revoked.

`Attestation`: one issued credential. `credential_jws` is the signed VC-JWT exactly as
issued (the verification page checks it again on every view); the learner link is kept for
the carnet and the person's page only, the credential itself holds no more than a first
name and an initial, or no name at all.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learners.choices import AttestationName


def attestation_public_id() -> str:
    """The opaque id in the verification URL: 128 random bits, nothing to guess or count."""
    return secrets.token_urlsafe(16)


class AttestationKey(models.Model):
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.PROTECT,
        related_name="attestation_keys",
        verbose_name=_("structure"),
    )
    # RFC 7638 thumbprint of the public key: the JWKS `kid`, unique across the site.
    thumbprint = models.CharField(_("empreinte"), max_length=64, unique=True)
    public_jwk = models.JSONField(_("clé publique"))
    private_jwk_encrypted = models.TextField(_("clé privée chiffrée"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    retired_at = models.DateTimeField(_("remplacée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_reason = models.CharField(_("motif de la révocation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("clé de signature")
        verbose_name_plural = _("clés de signature")
        ordering = ["structure", "-created_at", "-id"]
        constraints = [
            # One key in use (neither rotated nor revoked) per structure at most.
            models.UniqueConstraint(
                fields=["structure"],
                condition=models.Q(retired_at__isnull=True, revoked_at__isnull=True),
                name="attestation_key_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.structure_id} · {self.thumbprint[:12]}"


class Attestation(models.Model):
    public_id = models.CharField(
        _("identifiant public"), max_length=32, unique=True, default=attestation_public_id
    )
    learner = models.ForeignKey(
        "learners.Learner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attestations",
        verbose_name=_("personne"),
    )
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.PROTECT,
        related_name="attestations",
        verbose_name=_("structure qui l'a délivrée"),
    )
    key = models.ForeignKey(
        AttestationKey,
        on_delete=models.PROTECT,
        related_name="attestations",
        verbose_name=_("clé de signature"),
    )
    competences = models.ManyToManyField(
        "workshops.Competence", related_name="+", verbose_name=_("compétences")
    )
    name_shown = models.CharField(
        _("nom affiché"),
        max_length=20,
        choices=AttestationName.choices,
        default=AttestationName.FIRST_NAME_INITIAL,
    )
    credential_jws = models.TextField(_("attestation signée (VC-JWT)"))
    issued_at = models.DateTimeField(_("délivrée le"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("délivrée par"),
    )
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    revoked_reason = models.CharField(_("motif de la révocation"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("révoquée par"),
    )

    class Meta:
        verbose_name = _("attestation de compétences")
        verbose_name_plural = _("attestations de compétences")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["learner", "issued_at"], name="attestation_learner_idx")]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_revoked(self) -> bool:
        """Revoked on its own, or through its key (`key` selected by the caller)."""
        return self.revoked_at is not None or self.key.revoked_at is not None
