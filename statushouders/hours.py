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
from babel.lists import format_list

from .catalogs import staff_text as _

DAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")  # 0 = Monday, as Babel's day names
_DAY = "|".join(DAYS_NL)
_TIME = r"(\d{1,2})[.:](\d{2})"
_PATTERN = re.compile(rf"^\s*(.+?)\s*,?\s+{_TIME}\s*(?:-|–|tot)\s*{_TIME}\s*(?:uur)?\s*$", re.IGNORECASE)
_RANGE = re.compile(rf"^({_DAY})\s*(?:-|–|t/m|tot en met)\s*({_DAY})$", re.IGNORECASE)
_LIST_SEP = re.compile(r"\s*(?:,|\ben\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Hours:
    days: tuple[int, ...]  # weekdays, 0 = Monday, ascending
    start: time
    end: time

    @property
    def is_range(self) -> bool:
        """Three or more consecutive days read as a range ("Monday – Friday")."""
        return len(self.days) >= 3 and self.days == tuple(range(self.days[0], self.days[-1] + 1))

    def canonical(self) -> str:
        """The Dutch form stored in the database: ``ma-vr 9.00-17.00`` or ``di en do 9.00-12.00``."""
        if self.is_range:
            days = f"{DAYS_NL[self.days[0]]}-{DAYS_NL[self.days[-1]]}"
        else:
            names = [DAYS_NL[d] for d in self.days]
            days = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
        return f"{days} {self.start.hour}.{self.start.minute:02d}-{self.end.hour}.{self.end.minute:02d}"


class HoursError(ValueError):
    """The text is not a weekday range with times; the message says how to write it (Dutch)."""


def parse(text: str) -> Hours | None:
    """``Hours`` for a line like ``ma-vr 9.00-17.00`` / ``ma t/m do 09:00-12:30``; None when it is not one."""
    match = _PATTERN.match(text or "")
    if not match:
        return None
    day_text, h1, m1, h2, m2 = match.groups()
    try:
        start, end = time(int(h1), int(m1)), time(int(h2), int(m2))
    except ValueError:
        return None
    day_text = day_text.strip().lower()
    ranged = _RANGE.match(day_text)
    if ranged:
        first, last = DAYS_NL.index(ranged.group(1).lower()), DAYS_NL.index(ranged.group(2).lower())
        if last < first:
            return None
        days = tuple(range(first, last + 1))
    else:
        parts = [part for part in _LIST_SEP.split(day_text) if part]
        if not parts or any(part not in DAYS_NL for part in parts):
            return None
        days = tuple(sorted({DAYS_NL.index(part) for part in parts}))
    if end <= start:
        return None
    return Hours(days, start, end)


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
    if hours.is_range:
        days = pattern.format(names[hours.days[0]], names[hours.days[-1]])
    else:
        days = format_list([names[d] for d in hours.days], locale=locale)
    return FormattedHours(days, format_time(hours.start, "HH:mm", locale=locale),
                          format_time(hours.end, "HH:mm", locale=locale), pattern)


def format_hours(text: str, locale: Locale) -> str | None:
    """The stored hours line in the locale's words and digits; None when it cannot be parsed."""
    hours = parse(text)
    return format_parts(hours, locale).text() if hours else None
