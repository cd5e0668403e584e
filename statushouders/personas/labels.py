"""Words for the persona report and the /personas page: what a municipal coordinator reads instead of codes.

Check ids, household kinds, routes, levels and language codes become Dutch words; amounts are Dutch euros
(``€ 1.234,56``) and dates ``dd-mm-jjjj``. The outcome of a journey (``outcome``) and the cells of the
personas × checks matrix (``matrix``) are decided here once, for both the report and the page.

The staff page's own words are marked with ``staff_message``; every function that writes them takes a
``translate`` function (the page passes ``_``, the Dutch report keeps the default).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from .. import languages, pip, plan_templates
from ..budget.config import HOUSEHOLD_KINDS
from ..catalogs import staff_message

if TYPE_CHECKING:
    from .runner import Journey

Translate = Callable[[str], str]


def dutch(message: str) -> str:
    """The report's ``translate``: the messages are Dutch already."""
    return message


# A short Dutch title per check id (checks.CHECKS, checks.RUNNER_CHECKS and the runner's newer checks).
CHECK_LABELS: dict[str, str] = {
    "letter_unreadable": "Brief onleesbaar voor de persoon",
    "letter_catalog_incomplete": "Brieven niet volledig vertaald",
    "mother_tongue_unsupported": "Moedertaal is geen brieftaal",
    "guidance_inconsistent": "Begeleiding past niet bij de zelfredzaamheid",
    "reticent_without_check": "Terughoudende persoon zonder controlemoment",
    "childcare_missing": "Geen kinderopvang tijdens de lessen",
    "action_without_owner": "Actie zonder eigenaar",
    "assertive_unowned_actions": "Mondige persoon met acties zonder ketenpartner",
    "pip_for_temporary_protection": "PIP bij tijdelijke bescherming",
    "b1_route_near_pension": "B1-route vlak voor de AOW-leeftijd",
    "household_change_not_in_plan": "Gezinshereniging niet in het plan",
    "koppeling_norm_exceeded": "Koppeling later dan de norm",
    "housing_norm_exceeded": "Woning later dan de norm",
    "pip_norm_exceeded": "PIP later dan de norm",
    "leefgeld_below_norm": "Te weinig om van te leven",
    "ontzorgen_declined_low_finance": "Geen ontzorgen bij lage financiële zelfredzaamheid",
    "ontzorgen_end_without_handback": "Ontzorgen stopt zonder teruggaveplan",
    "letter_not_sent": "Brief niet of in de verkeerde taal verstuurd",
    "payment_twice": "Vaste last dubbel betaald",
    "call_me_unanswered": "Terugbelverzoek niet opgepakt",
    "lessons_stopped": "Lessen gestopt",
    "attendance_risk": "Risico op verzuim: werk en lessen",
    "life_event_not_applied": "Levensgebeurtenis niet verwerkt",
    "letter_too_long": "Brief te lang voor de lezer",
    "letter_inconsistent": "Brief met negatief bedrag of datum in het verleden",
    "ontzorgen_declined_without_letter": "Ontzorgen geweigerd zonder besluit",
    "action_requirements_unmet": "Actie past niet bij de persoon",
    "callback_wrong_language": "Terugbellen in de verkeerde taal",
}

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")


# --- values in words ---------------------------------------------------------------------------------


def check_label(check_id: str) -> str:
    return CHECK_LABELS.get(check_id, check_id)


def euro(amount: Decimal | int | float) -> str:
    """Dutch euros: ``€ 1.234,56`` (``€ -12,00`` below zero)."""
    return f"€ {amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def date_nl(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def month_nl(key: str) -> str:
    """A ``YYYY-MM`` key as ``juli 2026``."""
    year, month = key.split("-")
    return f"{MONTHS_NL[int(month) - 1]} {year}"


def household_label(kind: str | None) -> str:
    return HOUSEHOLD_KINDS.get(kind, kind) if kind else ""


def route_label(route: str | None, translate: Translate = dutch) -> str:
    return pip.ROUTES.get(route, route) if route else translate(staff_message("geen PIP"))


def level_label(level: str | None, translate: Translate = dutch) -> str:
    return translate(plan_templates.LEVELS[level]) if level in plan_templates.LEVELS else (level or "")


def language_name(code: str) -> str:
    try:
        return languages.get(code).name_nl
    except languages.UnknownLanguage:
        return code


def letter_language_label(journey: Journey) -> str:
    """``Arabisch``, or ``Arabisch (ar_YE → ar)`` when the persona file's code maps to another catalog."""
    name = language_name(journey.letter_language)
    given = journey.language_input
    return f"{name} ({given} → {journey.letter_language})" if given and given != journey.letter_language else name


def area_label(step: str) -> str:
    """A finding's step (``budget``, ``PIP``) as a heading word."""
    return step[:1].upper() + step[1:]


def counted(n: int, one: str, many: str, translate: Translate = dutch, **values) -> str:
    """``one`` or ``many`` (messages with ``{count}`` and ``values``) for ``n``: the Dutch singular or plural."""
    return translate(one if n == 1 else many).format(count=n, **values)


def days_label(n: int, translate: Translate = dutch) -> str:
    return counted(n, staff_message("{count} dag"), staff_message("{count} dagen"), translate)


# --- the outcome of one journey ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The journey's banner: ``tone`` is one of the page's notice tones (success, warning, error)."""

    tone: str
    text: str


def _blocking_clause(journey: Journey, translate: Translate) -> str:
    blocking = sum(1 for f in journey.findings if f.blocking)
    unexpected = len(journey.unexpected_blocking)
    if unexpected == blocking:
        return counted(blocking, staff_message("{count} onverwachte blokkerende bevinding"),
                       staff_message("{count} onverwachte blokkerende bevindingen"), translate)
    text = counted(blocking, staff_message("{count} blokkerende bevinding"),
                   staff_message("{count} blokkerende bevindingen"), translate)
    if unexpected:
        return text + translate(staff_message(" (waarvan {count} onverwacht)")).format(count=unexpected)
    return text + translate(staff_message(", verwacht voor deze persona") if blocking == 1
                            else staff_message(", alle verwacht voor deze persona"))


def _findings_clause(journey: Journey, translate: Translate) -> str:
    """``3 blokkerende bevindingen (waarvan 1 onverwacht); 1 niet-blokkerende bevinding``."""
    blocking = sum(1 for f in journey.findings if f.blocking)
    others = len(journey.findings) - blocking
    clauses = [_blocking_clause(journey, translate)] if blocking else []
    if others:
        clauses.append(counted(others, staff_message("{count} niet-blokkerende bevinding"),
                               staff_message("{count} niet-blokkerende bevindingen"), translate))
    return "; ".join(clauses) if clauses else translate(staff_message("Geen bevindingen"))


def outcome(journey: Journey, translate: Translate = dutch) -> Outcome:
    """Red with any blocking finding, amber with other findings or a difference from the expectation,
    green only when there is nothing to report: the banner never contradicts the findings below it."""
    parts = [_findings_clause(journey, translate)]
    if journey.differences:
        parts.append(counted(len(journey.differences), staff_message("{count} afwijking van de verwachting"),
                             staff_message("{count} afwijkingen van de verwachting"), translate))
    if journey.missing:
        parts.append(counted(len(journey.missing), staff_message("{count} verwachte bevinding niet gevonden"),
                             staff_message("{count} verwachte bevindingen niet gevonden"), translate))
    if any(f.blocking for f in journey.findings):
        tone = "error"
    elif journey.findings or journey.differences or journey.missing:
        tone = "warning"
    else:
        tone = "success"
    return Outcome(tone, "; ".join(parts))


# --- personas × checks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    tone: str  # error (blocking), warning (not blocking, or expected and not found), none
    text: str
    note: str = ""  # "verwacht" when the persona file expects this finding


@dataclass(frozen=True)
class Matrix:
    checks: list[tuple[str, str]]  # (check id, Dutch title) of every check found or expected in a journey
    rows: list[tuple[Journey, Outcome, list[Cell]]]  # per journey its outcome and one cell per check


def _cell(journey: Journey, check_id: str, translate: Translate) -> Cell:
    expected = check_id in journey.expected
    note = translate(staff_message("verwacht")) if expected else ""
    found = [f for f in journey.findings if f.check == check_id]
    if any(f.blocking for f in found):
        return Cell("error", translate(staff_message("blokkerend")), note)
    if found:
        return Cell("warning", translate(staff_message("niet blokkerend")), note)
    if expected:
        return Cell("warning", translate(staff_message("verwacht, niet gevonden")))
    return Cell("none", "—")


def matrix(journeys: Sequence[Journey], translate: Translate = dutch) -> Matrix:
    """Which check fails for whom: one row per journey, one column per check that occurs in any of them."""
    seen = {c for j in journeys for c in (*j.found_ids, *j.expected)}
    ids = [c for c in CHECK_LABELS if c in seen] + sorted(seen - set(CHECK_LABELS))
    return Matrix([(c, check_label(c)) for c in ids],
                  [(j, outcome(j, translate), [_cell(j, c, translate) for c in ids]) for j in journeys])
