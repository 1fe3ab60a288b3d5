"""Recording anonymous reader feedback on guides, with rate limits.

Nothing personal is stored: the client's IP address is only used to build a keyed hash
that changes every day, and that hash lives in the cache (never in the database) as a
counter key. The per-guide counter caps floods coming from many addresses at once.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from workshops.models import GuideFeedback, GuidePage
from workshops.models.feedback import COMMENT_MAX_LENGTH


@dataclass(frozen=True)
class FeedbackRateLimits:
    per_client_per_day: int = 20
    per_guide_per_hour: int = 300


class FeedbackRateLimited(Exception):
    """Too many feedback posts: from this client today, or on this guide this hour."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def feedback_rate_limits() -> FeedbackRateLimits:
    """Limits, overridable with the `GUIDE_FEEDBACK_RATE_LIMITS` setting (a dict)."""
    return FeedbackRateLimits(**getattr(settings, "GUIDE_FEEDBACK_RATE_LIMITS", {}))


def feedback_client_key(*, ip_address: str, day: str | None = None) -> str:
    """A keyed, daily-rotating hash of the client address: not reversible without the
    secret key, and useless after midnight."""
    day = day or timezone.localdate().isoformat()
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{day}|{ip_address}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def _hit(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def feedback_rate_limit_check(*, page_id: int, ip_address: str) -> None:
    """Counts one attempt; raises FeedbackRateLimited past a limit."""
    limits = feedback_rate_limits()
    client = feedback_client_key(ip_address=ip_address)
    if _hit(f"guide-feedback:client:{client}", 24 * 3600) > limits.per_client_per_day:
        raise FeedbackRateLimited(
            _(
                "Vous avez déjà donné beaucoup d'avis aujourd'hui. Merci ! "
                "Vous pourrez en donner d'autres demain."
            )
        )
    hour = timezone.now().strftime("%Y%m%d%H")
    if _hit(f"guide-feedback:guide:{page_id}:{hour}", 3600) > limits.per_guide_per_hour:
        raise FeedbackRateLimited(
            _("Cette fiche reçoit beaucoup d'avis en ce moment. Merci de réessayer dans une heure.")
        )


def guide_step_count(page: GuidePage) -> int:
    return sum(1 for block in page.steps if block.block_type == "step")


def guide_feedback_record(
    *,
    page: GuidePage,
    kind: str,
    step: int | None = None,
    comment: str = "",
    ip_address: str,
) -> GuideFeedback:
    """Validates and stores one feedback on the guide's live version.

    Raises ValidationError (French messages, per field) for bad input and
    FeedbackRateLimited when the client or the guide is over its limit. Invalid input is
    rejected before it counts against the client's limit.
    """
    comment = (comment or "").strip()
    errors: dict[str, str] = {}
    if kind not in GuideFeedback.Kind.values:
        errors["kind"] = _("Choisissez « Cette fiche m'a aidé » ou « Je bloque à une étape ».")
    if kind == GuideFeedback.Kind.HELPED:
        step = None
    elif kind == GuideFeedback.Kind.STUCK:
        count = guide_step_count(page)
        if step is None:
            errors["step"] = _("Indiquez l'étape où vous bloquez.")
        elif not 1 <= step <= count:
            errors["step"] = _(
                "Cette fiche a %(count)d étapes : choisissez un numéro entre 1 et %(count)d."
            ) % {"count": count}
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = _(
            "Votre commentaire est trop long (%(length)d caractères) : %(max)d au maximum."
        ) % {"length": len(comment), "max": COMMENT_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)

    feedback_rate_limit_check(page_id=page.pk, ip_address=ip_address)

    feedback = GuideFeedback(
        page=page, version=page.live_revision_id, kind=kind, step=step, comment=comment
    )
    feedback.full_clean()
    feedback.save()
    return feedback
