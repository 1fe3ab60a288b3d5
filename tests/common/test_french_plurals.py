"""French plural rule for messages without a catalogue entry: 0 and 1 singular."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from django.utils.translation import ngettext, npgettext

COUNT = (
    "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} inscrit"
    "{% plural %}{{ counter }} inscrits{% endblocktranslate %}"
)


@pytest.mark.parametrize("language", ["fr", "fr-fr"])
def test_zero_and_one_are_singular(language):
    with translation.override(language):
        texts = [ngettext("%(n)d place", "%(n)d places", n) % {"n": n} for n in (0, 1, 2)]
        assert texts == ["0 place", "1 place", "2 places"]
        assert npgettext("agenda", "%(n)d date", "%(n)d dates", 0) % {"n": 0} == "0 date"
        rendered = [Template(COUNT).render(Context({"n": n})) for n in (0, 1, 2)]
        assert rendered == ["0 inscrit", "1 inscrit", "2 inscrits"]


def test_still_french_after_a_settings_change(settings):
    # Django drops its translation objects when LANGUAGES or LOCALE_PATHS change.
    with override_settings(LOCALE_PATHS=[*settings.LOCALE_PATHS]), translation.override("fr"):
        assert ngettext("%(n)d séance", "%(n)d séances", 0) % {"n": 0} == "0 séance"


def test_catalogue_translations_are_untouched():
    with translation.override("fr"):
        # Django's own French catalogue answers its messages (« 2 ans »).
        assert ngettext("%(num)d year", "%(num)d years", 2) % {"num": 2} == "2 ans"
