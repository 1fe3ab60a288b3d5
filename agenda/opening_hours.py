"""Opening hours in OpenStreetMap's `opening_hours` syntax (the national venues standard),
told in plain French: « du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h 30 »,
« fermé les jours fériés ».

The expression is checked and normalised by `opening-hours-py` (a maintained parser of the
full syntax; normalising resolves overriding rules, « Mo-Fr 9-12; We off » becomes
« Mo-Tu,Th-Fr »). The normalised rules are then told in French when they use the common
subset (week days, time ranges, « off », public holidays, « 24/7 », a comment); anything
else (months, weeks, sunrise…) and any expression the parser refuses is shown as typed:
never an error on a venue's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import opening_hours
from django.utils.translation import gettext as _
from opening_hours import OpeningHours

# Raised by the parser but missing from the package's stub (opening-hours-py 2.1.4).
ParserError: type[Exception] = opening_hours.ParserError  # type: ignore[attr-defined]

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_RE = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_DAYS_RE = re.compile(rf"^{_DAY_RE}(?:,{_DAY_RE})*$")
_TIME_RE = r"\d\d:\d\d-\d\d:\d\d"
_TIMES_RE = re.compile(rf"^{_TIME_RE}(?:,{_TIME_RE})*$")
_CLOSED = ("off", "closed")


class Unsupported(ValueError):
    """A rule outside the subset told in French."""


@dataclass(frozen=True)
class OpeningHoursText:
    """`lines` in plain French, or `raw` (the text as typed) when it cannot be told."""

    lines: list[str]
    raw: str = ""


def _day_name(code: str) -> str:
    return {
        "Mo": _("lundi"),
        "Tu": _("mardi"),
        "We": _("mercredi"),
        "Th": _("jeudi"),
        "Fr": _("vendredi"),
        "Sa": _("samedi"),
        "Su": _("dimanche"),
    }[code]


def _hour(text: str) -> str:
    hours, minutes = (int(part) for part in text.split(":"))
    return f"{hours} h" if minutes == 0 else f"{hours} h {minutes:02d}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + _(" et ") + parts[-1]


def _days_text(selector: str) -> str:
    if selector in ("Mo-Su",):
        return _("tous les jours")
    parts = []
    for item in selector.split(","):
        if "-" in item:
            first, last = item.split("-")
            if DAYS.index(last) - DAYS.index(first) == 1:
                parts += [_("le %(day)s") % {"day": _day_name(day)} for day in (first, last)]
                continue
            parts.append(
                _("du %(first)s au %(last)s") % {"first": _day_name(first), "last": _day_name(last)}
            )
        else:
            parts.append(_("le %(day)s") % {"day": _day_name(item)})
    return _join(parts)


def _times_text(selector: str) -> str:
    spans = []
    for span in selector.split(","):
        start, end = span.split("-")
        if start == "00:00" and end == "24:00":
            return _("toute la journée")
        spans.append(_("de %(start)s à %(end)s") % {"start": _hour(start), "end": _hour(end)})
    return _join(spans)


def _comment(rule: str) -> tuple[str, str]:
    match = re.search(r'\s*"([^"]*)"\s*$', rule)
    if match is None:
        return rule, ""
    return rule[: match.start()].strip(), match.group(1).strip()


def _rule_text(rule: str) -> str:
    rule, comment = _comment(rule.strip())
    if rule == "24/7":
        text = _("tous les jours, 24 h sur 24")
    else:
        text = _selectors_text(rule.split())
    return f"{text} ({comment})" if comment else text


def _selectors_text(parts: list[str]) -> str:
    days = times = ""
    closed = False
    for part in parts:
        if part in _CLOSED:
            closed = True
        elif part == "PH" and not days:
            days = "PH"
        elif _DAYS_RE.match(part) and not days:
            days = part
        elif _TIMES_RE.match(part) and not times:
            times = part
        else:
            raise Unsupported(part)
    if days == "PH":
        if closed:
            return _("fermé les jours fériés")
        return (
            _("les jours fériés %(times)s") % {"times": _times_text(times)}
            if times
            else _("ouvert les jours fériés")
        )
    when = _days_text(days) if days else _("tous les jours")
    if closed:
        return _("fermé %(days)s") % {"days": when}
    if not times:
        return _("%(days)s, toute la journée") % {"days": when}
    return f"{when} {_times_text(times)}"


def opening_hours_text(raw: str) -> OpeningHoursText:
    """The venue's opening hours as French lines, or its raw text if they cannot be told
    (empty input: no line)."""
    raw = (raw or "").strip()
    if not raw:
        return OpeningHoursText(lines=[])
    try:
        normalized = str(OpeningHours(raw).normalize())
    except (ParserError, SyntaxError, ValueError, OverflowError):
        return OpeningHoursText(lines=[], raw=raw)
    try:
        lines = [_rule_text(rule) for rule in normalized.split(";") if rule.strip()]
    except (Unsupported, KeyError, ValueError):
        return OpeningHoursText(lines=[], raw=raw)
    return OpeningHoursText(lines=lines)
