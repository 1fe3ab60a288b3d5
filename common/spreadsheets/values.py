"""Cell values as people type them: French dates and times, decimal commas. They raise
`ValueError`; the caller words the message."""

from __future__ import annotations

import datetime
import re

_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})(?:[:hH](\d{2})?)?(?::(\d{2}))?$")


def date_parse(value: str) -> datetime.date:
    """`25/03/2024`, `25/03/24` (20xx, or 19xx when that would be in the future),
    `25-03-2024`, `25.03.2024`, `2024-03-25`; a trailing time is ignored."""
    text = value.strip().replace("T", " ")
    text = text.split(" ", 1)[0]
    match = _DATE_ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    match = _DATE_DMY.match(text)
    if not match:
        raise ValueError(value)
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        today = datetime.date.today()
        year += 2000
        if year > today.year:
            year -= 100
    return datetime.date(year, month, day)


def time_parse(value: str) -> datetime.time:
    """`14:30`, `14h30`, `14h`, `14:30:00`, `9`."""
    match = _TIME.match(value.strip())
    if not match:
        raise ValueError(value)
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    return datetime.time(hour, minute, second)


def datetime_split(value: str) -> tuple[str, str]:
    """ "25/03/2024 14:30" → ("25/03/2024", "14:30"); the time part may be empty."""
    text = value.strip().replace("T", " ")
    date_part, _sep, time_part = text.partition(" ")
    return date_part, time_part.strip()


def decimal_parse(value: str) -> float:
    """`46,67`, `46.67`, `-1,43`, `1 234,5` → float."""
    text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    return float(text.replace(",", "."))
