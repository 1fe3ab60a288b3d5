"""Opening hours of the national venues dataset told in plain French; what cannot be told
is shown as typed, never an error."""

import pytest

from agenda.opening_hours import opening_hours_text


@pytest.mark.parametrize(
    ("raw", "lines"),
    [
        ("Tu 09:00-12:00", ["le mardi de 9 h à 12 h"]),
        (
            "Mo-Fr 09:00-12:00,14:00-17:30",
            ["du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h 30"],
        ),
        ("Mo-Fr 09:00-12:00,14:00-17:00", ["du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h"]),
        ("Tu,Th 14:00-18:00", ["le mardi et le jeudi de 14 h à 18 h"]),
        (
            "Mo 09:00-12:00; We 14:00-17:00; PH off",
            ["le lundi de 9 h à 12 h", "le mercredi de 14 h à 17 h", "fermé les jours fériés"],
        ),
        ("24/7", ["tous les jours, 24 h sur 24"]),
        ("Mo-Su 09:00-12:00", ["tous les jours de 9 h à 12 h"]),
        ("Mo,We,Fr 08:30-12:15", ["le lundi, le mercredi et le vendredi de 8 h 30 à 12 h 15"]),
        # A later rule overrides the days it names (normalised by the parser).
        (
            "Mo-Fr 09:00-12:00; We off",
            ["le lundi, le mardi, le jeudi et le vendredi de 9 h à 12 h"],
        ),
        (
            'Mo-Fr 09:00-17:00 "sur rendez-vous"',
            ["du lundi au vendredi de 9 h à 17 h (sur rendez-vous)"],
        ),
        (
            "Tu-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00",
            ["du mardi au vendredi de 9 h à 12 h et de 14 h à 17 h 30", "le samedi de 9 h à 12 h"],
        ),
    ],
)
def test_in_plain_french(raw, lines):
    told = opening_hours_text(raw)
    assert told.lines == lines
    assert told.raw == ""


@pytest.mark.parametrize(
    "raw",
    [
        "sur rendez-vous",
        "Mo,We,Fr 9h-12h",
        "Mo[1] 14:00-16:00",  # first Monday of the month: not told, shown as typed
        "Mo-Fr 09:00-12:00; Jul-Aug off",
        "Lundi 9h-12h",
    ],
)
def test_what_cannot_be_told_is_shown_as_typed(raw):
    told = opening_hours_text(raw)
    assert told.lines == [] and told.raw == raw


def test_nothing():
    assert opening_hours_text("") == opening_hours_text("   ")
    assert opening_hours_text("").lines == [] and opening_hours_text("").raw == ""
