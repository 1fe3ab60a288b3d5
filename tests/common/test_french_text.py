"""French wording shared by e-mails, SMS, views and templates: « 1er », « 9 h », « 9 h 30 »,
and « de » before a name (elision and contraction)."""

import datetime
import html

import pytest
from django.template import Context, Template
from django.utils import timezone

from common.french_text import (
    french_date,
    french_datetime,
    french_day,
    french_de,
    french_time,
    french_when,
)


def paris(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("La Roche-sur-Yon", "de La Roche-sur-Yon"),
        ("Angers", "d'Angers"),
        ("Yssingeaux", "d'Yssingeaux"),
        ("Herbignac", "d'Herbignac"),
        ("Écouflant", "d'Écouflant"),
        ("Le Mans", "du Mans"),
        ("Les Sables-d'Olonne (85100)", "des Sables-d'Olonne (85100)"),
        ("L'Île-d'Yeu", "de L'Île-d'Yeu"),
        ("Montaigu", "de Montaigu"),
        ("Yaoundé", "de Yaoundé"),
        ("Aurélie", "d'Aurélie"),
        ("Lebrun", "de Lebrun"),
        ("", ""),
    ],
)
def test_french_de(name, expected):
    assert french_de(name) == expected


def test_first_of_the_month_is_1er_and_times_drop_zero_minutes():
    nine = paris(2026, 5, 1, 9, 0)
    assert french_date(nine) == "vendredi 1er mai 2026"
    assert french_day(datetime.date(2026, 5, 2)) == "samedi 2 mai 2026"
    assert french_day(nine, with_year=False) == "vendredi 1er mai"
    assert french_time(nine) == "9 h"
    assert french_time(paris(2026, 5, 1, 9, 30)) == "9 h 30"
    assert french_datetime(nine, with_year=True) == "vendredi 1er mai 2026 à 9 h"
    assert (
        french_when(nine, paris(2026, 5, 1, 11, 30), with_year=False)
        == "vendredi 1er mai de 9 h à 11 h 30"
    )


def test_year_only_when_not_this_one():
    this_year = timezone.localdate().year
    start = paris(this_year, 9, 1, 9, 30)
    assert french_datetime(start).endswith("1er septembre à 9 h 30")
    assert str(this_year) not in french_datetime(start)
    assert str(this_year + 1) in french_datetime(paris(this_year + 1, 9, 1, 9, 30))


def test_template_filters():
    rendered = Template(
        "{% load french %}{{ town|de }}|{{ start|french_datetime:'annee' }}|"
        "{{ start|french_day:'' }}|{{ start|french_day }}|{{ nothing|french_datetime }}"
    ).render(Context({"town": "Angers", "start": paris(2026, 9, 1, 9, 0), "nothing": None}))
    # Escaped like any value in HTML (d&#x27;Angers displays « d'Angers »).
    assert html.unescape(rendered) == (
        "d'Angers|mardi 1er septembre 2026 à 9 h|mardi 1er septembre|mardi 1er septembre 2026|"
    )
