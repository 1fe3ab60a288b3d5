"""API clients: a warehouse or a funder's tool that reads Pas à pas with a key."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.scopes import Scope


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiClient(models.Model):
    """One key: `client_id` is public, the secret is shown once and only its SHA-256 is
    kept (a 256-bit random secret needs no slow hash; a slow one would cost every call)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    client_id = models.CharField(_("identifiant du client"), max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("droits"), default=list, blank=True)
    # Empty: the whole network; set: that structure's data only.
    structure = models.ForeignKey(
        "learners.Structure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("structure"),
    )
    requests_per_minute = models.PositiveIntegerField(_("appels par minute"), default=120)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernier appel"), null=True, blank=True)

    class Meta:
        verbose_name = _("client de l'API")
        verbose_name_plural = _("clients de l'API")
        ordering = ["name"]
        # The form refuses a name differing only by case; this closes the race of two
        # submits (the loser's IntegrityError becomes the same form error).
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="api_client_name_ci_unique",
                violation_error_message=_("Un client porte déjà ce nom."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now

    def scope_labels(self) -> list[str]:
        return [str(Scope(scope).label) for scope in self.scopes if scope in Scope.values]

    def has_scope(self, scope: Scope | str) -> bool:
        return str(scope) in self.scopes


class ApiTombstone(models.Model):
    """A record deleted, unpublished or gone from a list (a deleted venue or session, an
    unpublished guide, a departed counsellor), kept so that an incremental sync
    (`filter[modification][depuis]`) reports it with `statut: "supprime"`: a deleted row
    leaves nothing else behind. Kept `API_TOMBSTONE_RETENTION_DAYS` days
    (`manage.py purge_api_tombstones`); a warehouse syncing less often resyncs in full."""

    resource_type = models.CharField(_("type"), max_length=20)
    object_id = models.BigIntegerField(_("identifiant"))
    # For a key bound to a structure: it is told only of its own structure's records.
    structure_id = models.BigIntegerField(_("structure"), null=True, blank=True)
    removed_at = models.DateTimeField(_("retiré le"), default=timezone.now)

    class Meta:
        verbose_name = _("retrait publié par l'API")
        verbose_name_plural = _("retraits publiés par l'API")
        constraints = [
            models.UniqueConstraint(
                fields=["resource_type", "object_id"], name="api_tombstone_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["resource_type", "removed_at", "object_id"], name="api_tombstone_sync_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.object_id}"
