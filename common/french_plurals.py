"""French plural rule for every `ngettext` and `{% blocktranslate count %}`.

Message ids are written in French and the project ships no catalogue, so Django answers a
plural from the message ids themselves with gettext's English rule: « 0 inscrits ». In
French 0 and 1 take the singular (« 0 inscrit », « 1 inscrit », « 2 inscrits »).
`install()` gives the default language's translation a last fallback that applies the
French rule (`plural=(n > 1)`, as in a French catalogue's header) to any message the
catalogues do not hold; translated messages are untouched. Installed at start-up
(`home.apps`) and again whenever Django drops its translation objects (a settings change
in tests).
"""

from __future__ import annotations

import gettext

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.translation import trans_real


class FrenchPluralFallback(gettext.NullTranslations):
    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return msgid2 if n > 1 else msgid1


def install() -> None:
    # Every other language's translation falls back to the default language's one, so a
    # fallback on that one reaches them all.
    default: gettext.NullTranslations = trans_real.translation(settings.LANGUAGE_CODE)
    fallback: gettext.NullTranslations | None = default
    while fallback is not None:
        if isinstance(fallback, FrenchPluralFallback):
            return
        fallback = getattr(fallback, "_fallback", None)
    default.add_fallback(FrenchPluralFallback())


def _reinstall(*, setting: str, **_kwargs: object) -> None:
    if setting in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "INSTALLED_APPS"}:
        install()


def connect() -> None:
    install()
    setting_changed.connect(_reinstall, dispatch_uid="french_plurals")
