"""SMS billed for a text: GSM 7-bit (160, then 153 per part) or UCS-2 (70, then 67)."""

import pytest

from common.sms.segments import gsm7_fold, is_gsm7, sms_segments


@pytest.mark.parametrize("char", list("éèùàìòÉÇü"))
def test_french_accents_in_the_gsm_alphabet(char):
    assert is_gsm7(f"Séance {char}")


@pytest.mark.parametrize("char", list("êëâôîïûçœÀÈÊ«»’…") + ["\u202f", "😀"])
def test_characters_outside_it_switch_to_ucs2(char):
    assert not is_gsm7(f"Séance {char}")
    # 100 characters: one SMS in GSM-7, two once this one character forces UCS-2.
    assert sms_segments("a" * 100) == 1
    assert sms_segments("a" * 99 + char) == 2


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("é" * 160, 1),  # é is 7-bit: no penalty
        ("€" * 80, 1),  # extension: two septets each
        ("€" * 81, 2),
        ("ê" * 70, 1),
        ("ê" * 71, 2),
        ("ê" * 134, 2),
        ("ê" * 135, 3),
        ("a" * 159 + "ê", 3),  # one ê makes 160 characters UCS-2: 67 + 67 + 26
    ],
)
def test_segments(text, segments):
    assert sms_segments(text) == segments


def test_an_escaped_character_is_never_split_between_parts():
    # 152 plain characters then "€" (2 septets): the € goes to the second part.
    assert sms_segments("a" * 152 + "€" + "a" * 152) == 3
    assert sms_segments("a" * 151 + "€" + "a" * 153) == 2


def test_an_emoji_counts_two_ucs2_units_and_is_not_split():
    assert sms_segments("😀" * 35) == 1
    assert sms_segments("😀" * 36) == 2
    assert sms_segments("a" * 66 + "😀" + "a" * 66) == 3


def test_fold_keeps_gsm_accents_and_replaces_the_others():
    text = "Françoise, votre séance « Être à l’aise » a lieu à Noirmoutier‑en‑l’Île…"
    folded = gsm7_fold(text)
    assert is_gsm7(folded)
    assert folded == "Francoise, votre séance \" Etre à l'aise \" a lieu à Noirmoutier-en-l'Ile..."


def test_fold_turns_a_french_sms_from_two_parts_into_one():
    text = "Bonjour Hélène, votre place à l’atelier « Créer son adresse e-mail » est confirmée."
    assert sms_segments(text) == 2
    assert sms_segments(gsm7_fold(text)) == 1
