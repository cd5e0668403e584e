"""Opening and phone hours as structured data (weekday range + times), formatted per locale.

Organisations record their phone hours as a short Dutch line ("ma-vr 9.00-17.00"). Printed as
is, that Dutch abbreviation leaks into every translation. ``parse`` turns the line into
``Hours`` (first and last weekday, start and end time); ``format_hours`` writes it in any
locale with Babel's own weekday names and interval pattern. The stored column keeps the
canonical Dutch form (``canonical``), so old rows and new rows read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from babel import Locale
from babel.dates import format_time, get_day_names

from .catalogs import staff_text as _

DAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")  # 0 = Monday, as Babel's day names
_DAY = "|".join(DAYS_NL)
_TIME = r"(\d{1,2})[.:](\d{2})"
_PATTERN = re.compile(
    rf"^\s*({_DAY})\s*(?:(?:-|–|t/m|tot en met)\s*({_DAY}))?\s*,?\s+{_TIME}\s*(?:-|–|tot)\s*{_TIME}\s*(?:uur)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hours:
    first_day: int  # 0 = Monday
    last_day: int
    start: time
    end: time

    def canonical(self) -> str:
        """The Dutch form stored in the database: ``ma-vr 9.00-17.00``."""
        days = DAYS_NL[self.first_day] + ("" if self.last_day == self.first_day else "-" + DAYS_NL[self.last_day])
        return f"{days} {self.start.hour}.{self.start.minute:02d}-{self.end.hour}.{self.end.minute:02d}"


class HoursError(ValueError):
    """The text is not a weekday range with times; the message says how to write it (Dutch)."""


def parse(text: str) -> Hours | None:
    """``Hours`` for a line like ``ma-vr 9.00-17.00`` / ``ma t/m do 09:00-12:30``; None when it is not one."""
    match = _PATTERN.match(text or "")
    if not match:
        return None
    first, last, h1, m1, h2, m2 = match.groups()
    try:
        start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
    except ValueError:
        return None
    first_day = DAYS_NL.index(first.lower())
    last_day = DAYS_NL.index((last or first).lower())
    if last_day < first_day or end <= start:
        return None
    return Hours(first_day, last_day, start, end)


def check(text: str) -> str:
    """Validate a phone-hours entry: '' stays '', else the canonical form; HoursError with a clear message."""
    if not (text or "").strip():
        return ""
    hours = parse(text)
    if hours is None:
        raise HoursError(_("Schrijf de telefoontijden als dagen en tijden, bijvoorbeeld: ma-vr 9.00-17.00 "
                           "(eerste dag vóór de laatste, begintijd vóór eindtijd)."))
    return hours.canonical()


@dataclass(frozen=True)
class FormattedHours:
    """The parts of formatted hours, so a right-to-left text can isolate only the times."""

    days: str
    start: str
    end: str
    pattern: str  # "{0} – {1}" of the locale

    def text(self) -> str:
        return f"{self.days} {self.pattern.format(self.start, self.end)}"


def format_parts(hours: Hours, locale: Locale) -> FormattedHours:
    names = get_day_names("wide", locale=locale)
    pattern = (locale.interval_formats.get(None) or "{0}–{1}").replace("\u2009", "\u00a0")
    days = names[hours.first_day] if hours.first_day == hours.last_day else pattern.format(
        names[hours.first_day], names[hours.last_day])
    return FormattedHours(days, format_time(hours.start, "HH:mm", locale=locale),
                          format_time(hours.end, "HH:mm", locale=locale), pattern)


def format_hours(text: str, locale: Locale) -> str | None:
    """The stored hours line in the locale's words and digits; None when it cannot be parsed."""
    hours = parse(text)
    return format_parts(hours, locale).text() if hours else None
