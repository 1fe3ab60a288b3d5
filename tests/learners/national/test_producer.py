"""The open data producer: the setting, its identifier, and a fallback when either is empty."""

from __future__ import annotations

from django.test import override_settings

from learners.national.producer import producer, producer_slug


@override_settings(OPEN_DATA_PRODUCER="Réseau numérique de Vendée")
def test_the_setting_names_the_producer():
    assert producer() == "Réseau numérique de Vendée"
    assert producer_slug() == "reseau-numerique-de-vendee"


@override_settings(OPEN_DATA_PRODUCER="")
def test_an_empty_setting_falls_back_to_the_platform():
    assert (producer(), producer_slug()) == ("Pas à pas", "pas-a-pas")


@override_settings(OPEN_DATA_PRODUCER="***")
def test_a_name_without_letters_keeps_an_identifier():
    assert producer() == "***"
    assert producer_slug() == "pas-a-pas"
