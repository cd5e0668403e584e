"""Checks: named rules that find where the chain flow fails a person (the klantreis findings).

Each check is a plain function over plain data (dates, codes, dicts), so the flow runner can
feed it from the plan, letters and budget modules without this module knowing them. A check
returns a ``Finding`` (what went wrong, the rule, what to change) or ``None``. A check is
*blocking* when the flow leaves the person without something they need (the CLI then exits
non-zero); the others are signals for the chain meeting. Norms are defaults from the
domain brief and can be passed in (plans/norms.yaml holds the configured values).

``static_findings(persona)`` runs the checks that need only the persona file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from .. import languages
from ..budget.money import eur
from .labels import month_nl

# Defaults (domain brief section 2); the runner passes the configured norms.
PERMIT_TO_KOPPELING_DAYS = 14
KOPPELING_TO_OFFER_DAYS = 70
OFFER_TO_MOVE_DAYS = 14
BRP_TO_PIP_DAYS = 70
TERM_YEARS = 3
PENSION_AGE_YEARS = 67  # AOW age 2024-2027 (check); it rises after 2027: pass the right one
CHILD_CARE_AGE = 4  # children under 4 need childcare while the parent is in lessons
LETTER_CHANNELS = {"letter", "email"}
CHILDCARE_WORDS = ("kinderopvang", "opvang", "vve", "peuterspeelzaal", "peuteropvang", "gastouder")
CHECK_MOMENT_KINDS = {"controle"}  # plan_templates.KINDS: a check moment (teach-back) in the domain


@dataclass(frozen=True)
class Finding:
    """Where the flow fails this person: the step, the rule, what happened and what to change."""

    check: str
    blocking: bool
    step: str
    rule: str
    detail: str
    fix: str


@dataclass(frozen=True)
class Check:
    id: str
    blocking: bool
    step: str
    summary: str  # the docstring's one line: what it finds and why it matters
    func: Callable[..., Finding | None]


CHECKS: dict[str, Check] = {}

# Checks the flow runner will implement once plan/letters/budget code is merged; valid in
# ``expected.findings`` already. id -> (blocking, one line).
RUNNER_CHECKS: dict[str, tuple[bool, str]] = {
    "letter_not_sent": (True, "A step the plan says ends in a letter produced no letter in the person's language."),
    "payment_twice": (True, "The same fixed cost was paid twice for the same month in a payment run."),
    "call_me_unanswered": (True, "Someone who reads little asked to be phoned, and the regisseur's list did not show it."),
}


def check(check_id: str, *, blocking: bool, step: str):
    """Register a check under its id; its docstring's first line documents it."""

    def register(func: Callable[..., Finding | None]) -> Callable[..., Finding | None]:
        CHECKS[check_id] = Check(check_id, blocking, step, (func.__doc__ or "").strip().splitlines()[0], func)
        return func

    return register


def _found(check_id: str, rule: str, detail: str, fix: str) -> Finding:
    c = CHECKS[check_id]
    return Finding(check_id, c.blocking, c.step, rule, detail, fix)


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _channel(channel: str) -> str:
    from ..validation import CHANNELS

    return str(CHANNELS.get(channel, channel)).lower()


def _name(code: str) -> str:
    try:
        return languages.get(code).name_nl
    except languages.UnknownLanguage:
        return code


# --- communication ---------------------------------------------------------------------------------


@check("letter_unreadable", blocking=True, step="communicatie")
def letter_unreadable(literacy: str, preferred_channel: str, letter_language: str,
                      read_languages: Iterable[str]) -> Finding | None:
    """Written channel (letter/e-mail) for someone who cannot read it: they miss every step announced on paper."""
    if preferred_channel not in LETTER_CHANNELS:
        return None
    read = {languages.spoken_code(c) for c in read_languages}
    letter = languages.normalise(letter_language)
    if literacy == "illiterate":
        why = "deze persoon kan niet lezen"
    elif literacy == "limited":
        why = "deze persoon leest beperkt"
    elif letter not in read:
        why = f"deze persoon leest geen {_name(letter)}"
    else:
        return None
    return _found("letter_unreadable", "Wie niet (goed) leest, krijgt informatie via een ander kanaal (telefoon of gesprek met tolk).",
                  f"Voorkeurskanaal is {_channel(preferred_channel)}, maar {why}.",
                  "Kies telefoon met tolk of een gesprek als kanaal en lees brieven samen voor; leg geletterdheid vast.")


@check("letter_catalog_incomplete", blocking=True, step="brieven")
def letter_catalog_incomplete(letter_language: str, catalog_complete: Callable[[str], bool]) -> Finding | None:
    """The person's letter language has an incomplete translation catalog: parts of their letters stay Dutch."""
    locale = languages.normalise(letter_language)
    if locale == "nl" or catalog_complete(locale):
        return None
    return _found("letter_catalog_incomplete", "Communicatie in eigen taal: elke brief ook in de brieftaal.",
                  f"De vertaalcatalogus voor {_name(locale)} ({locale}) is niet compleet.",
                  f"Laat de ontbrekende teksten in het {_name(locale)} vertalen en nakijken; tot dan mondelinge uitleg met tolk.")


@check("mother_tongue_unsupported", blocking=False, step="brieven")
def mother_tongue_unsupported(mother_tongue: str, letter_language: str) -> Finding | None:
    """The person's mother tongue is not a chain letter language: every letter comes in a second language."""
    try:
        languages.normalise(mother_tongue)
        return None
    except languages.UnknownLanguage:
        pass
    return _found("mother_tongue_unsupported", "Communicatie in eigen taal.",
                  f"Moedertaal '{mother_tongue}' wordt niet ondersteund; brieven gaan in het {_name(letter_language)}.",
                  "Bespreek of de tweede taal goed genoeg is; zet de taal op de lijst voor vertaling of plan mondelinge uitleg.")


# --- intake and plan -------------------------------------------------------------------------------


@check("guidance_inconsistent", blocking=False, step="intake")
def guidance_inconsistent(levels: Mapping[str, str], scores: Mapping[str, int],
                          reasons: Mapping[str, str] | None = None) -> Finding | None:
    """L3 with self-reliance <= 2 or L1 with >= 4, without a recorded reason: too little or too much help."""
    reasons = reasons or {}
    off = [f"{domain} (score {scores[domain]}, {level})" for domain, level in levels.items()
           if domain in scores and not (reasons.get(domain) or "").strip()
           and ((level == "L3" and scores[domain] <= 2) or (level == "L1" and scores[domain] >= 4))]
    if not off:
        return None
    return _found("guidance_inconsistent", "Score 1-2 past bij L1, 4-5 bij L3; de professional legt een afwijking uit.",
                  "Begeleidingsniveau past niet bij de zelfredzaamheid: " + ", ".join(off) + ".",
                  "Pas het niveau aan of leg per leefgebied vast waarom het afwijkt.")


@check("reticent_without_check", blocking=False, step="plan")
def reticent_without_check(attitude: str, levels: Mapping[str, str],
                           planned_actions: Sequence[Mapping]) -> Finding | None:
    """A reticent person on information only (L3) without a check moment: a polite 'yes' hides that nothing happened."""
    if attitude != "reticent":
        return None
    checked = {a.get("domain") for a in planned_actions if a.get("kind") in CHECK_MOMENT_KINDS}
    if any(a.get("kind") in CHECK_MOMENT_KINDS and a.get("covers") == "L3" for a in planned_actions):
        checked |= set(levels)  # the plan's one check moment goes through every L3 domain with the person
    bare = [d for d, level in levels.items() if level == "L3" and d not in checked]
    if not bare:
        return None
    return _found("reticent_without_check", "Afwachtende cliënten zeggen soms 'ja' zonder te begrijpen: controleer (teach-back).",
                  "Alleen informatie, geen controlemoment in: " + ", ".join(bare) + ".",
                  "Zorg voor een controlemoment dat deze leefgebieden nagaat of kies L2 coaching.")


@check("childcare_missing", blocking=True, step="plan")
def childcare_missing(household: Sequence[Mapping], planned_actions: Sequence[Mapping], on: date,
                      age_limit: int = CHILD_CARE_AGE) -> Finding | None:
    """Lessons planned for a parent of a child under 4 without childcare: the parent cannot attend."""
    young = [m for m in household if m.get("relationship") == "child" and m.get("birth_date")
             and _age_on(m["birth_date"], on) < age_limit]
    lessons = any(a.get("domain") == "inburgering" for a in planned_actions)
    if not young or not lessons:
        return None
    care = any(word in str(a.get("what", "")).lower() for a in planned_actions for word in CHILDCARE_WORDS
               if a.get("kind") != "informatie")  # information about childcare does not arrange it
    if care:
        return None
    names = ", ".join(str(m.get("name", "kind")) for m in young)
    return _found("childcare_missing", "Kinderopvang is een randvoorwaarde voor de lessen (PIP); ouders horen over VVE.",
                  f"Lessen gepland, maar geen kinderopvang of VVE voor {names} (jonger dan {age_limit}).",
                  "Voeg de actie 'Kinderopvang regelen als voorwaarde voor de lessen' toe (gemeente) en neem haar op in het PIP.")


@check("action_without_owner", blocking=True, step="plan")
def action_without_owner(planned_actions: Sequence[Mapping]) -> Finding | None:
    """A plan action nobody can do: its owner is missing or may not open the person's file (no consent, consent
    withdrawn, COA after the move), so nobody does it and the person does not know whom to ask."""
    orphans = [str(a.get("what", "?")) for a in planned_actions if not str(a.get("owner") or "").strip()]
    if not orphans:
        return None
    return _found("action_without_owner", "Eén plan zegt wie in de keten wat doet, en die partner mag het dossier zien.",
                  f"{len(orphans)} actie(s) zonder eigenaar die het dossier mag zien: " + "; ".join(orphans[:5])
                  + ("…" if len(orphans) > 5 else ""),
                  "Wijs deze acties toe aan een partner met toegang (meestal de gemeente) of vraag opnieuw toestemming.")


@check("assertive_unowned_actions", blocking=True, step="plan")
def assertive_unowned_actions(attitude: str, planned_actions: Sequence[Mapping],
                              partner_kinds: Iterable[str]) -> Finding | None:
    """An assertive person with actions no chain partner owns: they go round the chain and get different answers."""
    if attitude != "assertive":
        return None
    kinds = set(partner_kinds)
    loose = [str(a.get("what", "?")) for a in planned_actions if str(a.get("owner") or "") not in kinds]
    if not loose:
        return None
    return _found("assertive_unowned_actions", "Maak de eigenaar van elke actie zichtbaar: de keten spreekt met één stem.",
                  "Geen ketenpartner eigenaar van: " + "; ".join(loose[:5]) + ".",
                  "Geef elke actie een ketenpartner als eigenaar en deel het plan met de persoon.")


@check("pip_for_temporary_protection", blocking=True, step="PIP")
def pip_for_temporary_protection(residence_status: str, has_pip: bool) -> Finding | None:
    """A PIP for a temporary-protection holder: they have no integration duty, the decision is unlawful."""
    if residence_status != "temporary_protection" or not has_pip:
        return None
    return _found("pip_for_temporary_protection", "Tijdelijke bescherming geeft geen inburgeringsplicht: geen PIP.",
                  "Er is een PIP voor iemand met tijdelijke bescherming.",
                  "Trek het PIP in; bied vrijwillige taallessen en begeleiding aan zonder PIP.")


@check("b1_route_near_pension", blocking=False, step="PIP")
def b1_route_near_pension(birth_date: date, route: str | None, term_start: date, term_years: int = TERM_YEARS,
                          pension_age_years: int = PENSION_AGE_YEARS) -> Finding | None:
    """B1-route for someone who reaches pension age within the term: an exam route they will not need to finish."""
    if route != "b1":
        return None
    pension = _add_years(birth_date, pension_age_years)
    term_end = _add_years(term_start, term_years)
    if pension > term_end:
        return None
    return _found("b1_route_near_pension", "De inburgeringsplicht loopt tot de AOW-leeftijd; het PIP past bij wat haalbaar is.",
                  f"AOW-leeftijd op {pension:%d-%m-%Y}, vóór het einde van de termijn ({term_end:%d-%m-%Y}), toch de B1-route.",
                  "Overweeg de Z-route met participatie, of onderzoek ontheffing; leg de keuze vast in het PIP.")


@check("household_change_not_in_plan", blocking=False, step="plan")
def household_change_not_in_plan(arrivals: Iterable[date], plan_changes: Iterable[date],
                                 within_days: int = 30) -> Finding | None:
    """Family members arrived but the plan was not updated within a month: their needs (school, housing, money) wait."""
    changes = sorted(plan_changes)
    late = [a for a in sorted(arrivals)
            if not any(a <= c <= a + timedelta(days=within_days) for c in changes)]
    if not late:
        return None
    return _found("household_change_not_in_plan", "Een wijziging in het huishouden leidt tot een nieuwe versie van het plan.",
                  "Geen planwijziging binnen " + str(within_days) + " dagen na aankomst op "
                  + ", ".join(f"{d:%d-%m-%Y}" for d in late) + ".",
                  "Plan een gesprek na de aankomst; pas wonen, school, financiën en het PIP (reden: huishouden) aan.")


# --- norms -----------------------------------------------------------------------------------------


@check("koppeling_norm_exceeded", blocking=False, step="verblijf")
def koppeling_norm_exceeded(permit_date: date | None, koppeling_date: date | None,
                            days: int = PERMIT_TO_KOPPELING_DAYS) -> Finding | None:
    """Koppeling later than 14 days after the permit: the person waits in the AZC without a municipality."""
    if not permit_date or not koppeling_date or (koppeling_date - permit_date).days <= days:
        return None
    return _found("koppeling_norm_exceeded", f"Vergunning -> koppeling binnen {days} dagen.",
                  f"Koppeling {(koppeling_date - permit_date).days} dagen na de vergunning.",
                  "Bespreek de achterstand met het COA in het ketenoverleg.")


@check("housing_norm_exceeded", blocking=False, step="wonen")
def housing_norm_exceeded(koppeling_date: date | None, offer_date: date | None, move_date: date | None, today: date,
                          offer_days: int = KOPPELING_TO_OFFER_DAYS, move_days: int = OFFER_TO_MOVE_DAYS) -> Finding | None:
    """Housing offer later than 10 weeks after koppeling, or move later than 2 weeks after the offer: the plan stalls in the AZC."""
    if not koppeling_date:
        return None
    problems = []
    offer_due = koppeling_date + timedelta(days=offer_days)
    if (offer_date or today) > offer_due:
        problems.append(f"woningaanbod {'op ' + f'{offer_date:%d-%m-%Y}' if offer_date else 'nog niet gedaan'}"
                        f" (norm {offer_due:%d-%m-%Y})")
    if offer_date:
        move_due = offer_date + timedelta(days=move_days)
        if (move_date or today) > move_due:
            problems.append(f"verhuizing {'op ' + f'{move_date:%d-%m-%Y}' if move_date else 'nog niet gedaan'}"
                            f" (norm {move_due:%d-%m-%Y})")
    if not problems:
        return None
    return _found("housing_norm_exceeded", f"Koppeling -> aanbod binnen {offer_days // 7} weken, aanbod -> verhuizing binnen {move_days // 7} weken.",
                  "Te laat: " + "; ".join(problems) + ".",
                  "Start de brede intake en het plan al in het AZC; bespreek de woningcorporatie in het ketenoverleg.")


@check("pip_norm_exceeded", blocking=False, step="PIP")
def pip_norm_exceeded(registered_on: date, pip_decided_on: date | None, today: date,
                      days: int = BRP_TO_PIP_DAYS) -> Finding | None:
    """PIP later than 10 weeks after BRP registration: lessons and benefit conditions wait."""
    due = registered_on + timedelta(days=days)
    if (pip_decided_on or today) <= due:
        return None
    when = f"vastgesteld op {pip_decided_on:%d-%m-%Y}" if pip_decided_on else "nog niet vastgesteld"
    return _found("pip_norm_exceeded", f"Inschrijving BRP -> PIP binnen {days // 7} weken.",
                  f"PIP {when}; de norm was {due:%d-%m-%Y}.",
                  "Plan de brede intake eerder (desnoods in het AZC) en stel het PIP direct daarna vast.")


# --- money -----------------------------------------------------------------------------------------


class MonthMoney(NamedTuple):
    """One month of the persona's budget as the product computes it (``budget.leefgeld.month_picture``)."""

    leefgeld: Decimal  # the transfer: benefit - direct costs - deductions
    available: Decimal  # what the household lives on: leefgeld + allowances + wages + other income - own costs - debts
    norm: Decimal  # the configured leefgeld norm for this household in this month

    @property
    def short(self) -> bool:
        """Too little: a negative leefgeld, or less to live on than the household's norm."""
        return self.leefgeld < 0 or self.available < self.norm


@check("leefgeld_below_norm", blocking=True, step="budget")
def leefgeld_below_norm(months: Mapping[str, MonthMoney]) -> Finding | None:
    """A negative leefgeld, or less to live on than the household's norm (type, size, children by age)."""
    low = [(month, m) for month, m in sorted(months.items()) if m.short]
    if not low:
        return None
    shown = "; ".join(f"{month_nl(month)}: {eur(m.available)} om van te leven, norm {eur(m.norm)}"
                      + (f" (leefgeld {eur(m.leefgeld)})" if m.leefgeld < 0 else "") for month, m in low[:6])
    months_word = "maand" if len(months) == 1 else "maanden"
    return _found("leefgeld_below_norm",
                  "Na vaste lasten houdt het huishouden minstens de leefgeldnorm voor zijn samenstelling over "
                  "(config/budget.yaml), en het leefgeld is nooit negatief.",
                  f"Te weinig om van te leven in {len(low)} van de {len(months)} {months_word}: {shown}.",
                  "Vraag een voorschot op huur- en zorgtoeslag aan, verlaag de aflossing of vul aan met bijzondere bijstand.")


@check("ontzorgen_declined_low_finance", blocking=False, step="budget")
def ontzorgen_declined_low_finance(ontzorgen_wanted: bool, finance_score: int | None, reason: str = "",
                                   coach_planned: bool = False) -> Finding | None:
    """No ontzorgen while financial self-reliance is 1-2 and no budget coach: arrears on rent and insurance follow."""
    if ontzorgen_wanted or finance_score is None or finance_score > 2 or coach_planned:
        return None
    return _found("ontzorgen_declined_low_finance", "Ontzorgen ten minste de eerste 6 maanden; maatwerk alleen voor wie financieel zelfredzaam is.",
                  f"Geen ontzorgen bij zelfredzaamheid financiën {finance_score}" + (f" (reden: {reason})" if reason else "") + ".",
                  "Bied een budgetcoach aan en spreek een terugvaloptie af: bij één gemiste betaling alsnog rechtstreeks betalen.")


@check("ontzorgen_end_without_handback", blocking=True, step="budget")
def ontzorgen_end_without_handback(ontzorgen_end: date | None, handback_steps: Sequence, today: date) -> Finding | None:
    """Ontzorgen ends without a hand-back plan: the person suddenly pays everything and misses payments."""
    if ontzorgen_end is None or ontzorgen_end > today or handback_steps:
        return None
    return _found("ontzorgen_end_without_handback", "Na ontzorgen stapsgewijs teruggeven (energie, huur, verzekering) met de budgetcoach.",
                  f"Ontzorgen eindigt op {ontzorgen_end:%d-%m-%Y} zonder teruggaveplan.",
                  "Maak met de budgetcoach een teruggaveplan per vaste last, of verleng ontzorgen vrijwillig.")


# --- life events, letters and the own view (fed by the runner from the product's records) ----------

LESSON_CAUSE_FIXES = {
    "childcare": "Regel kinderopvang (VVE-plek, peuteropvang of gastouder) vóór de lessen beginnen, zet die als "
                 "randvoorwaarde in het PIP en stem lestijden af met de partner.",
    "work": "Stel avondles of een duaal traject voor, naast het werk; leg de afspraak vast in het PIP.",
    "health": "Bespreek met de persoon wat nodig is om weer te leren; overweeg een aangepast rooster, een PIP-wijziging "
              "of ontheffing.",
    "care": "Zoek hulp bij de zorg voor het gezinslid (VWN, wijkteam) zodat de lessen weer kunnen.",
    "pregnancy": "Plan de herstart na het verlof, regel kinderopvang en verleng de termijn in het PIP.",
    "other": "Voer een gesprek over wat nodig is om weer naar de les te gaan en leg het vast in het PIP.",
}
LESSON_CAUSE_WORDS = {"childcare": "geen kinderopvang", "work": "werk op lestijden", "health": "gezondheid",
                      "care": "zorg voor een gezinslid", "pregnancy": "zwangerschap", "other": "een andere reden"}


@check("lessons_stopped", blocking=True, step="inburgering")
def lessons_stopped(events: Sequence[Mapping]) -> Finding | None:
    """Lessons stopped, or paused for lack of childcare: the person falls behind on the term unless the chain
    removes the cause (events: on, kind lessons_stopped / lessons_paused, cause)."""
    hits = [e for e in events if e["kind"] == "lessons_stopped"
            or (e["kind"] == "lessons_paused" and e["cause"] == "childcare")]
    if not hits:
        return None
    detail = "; ".join(f"{'gestopt' if e['kind'] == 'lessons_stopped' else 'gepauzeerd'} op {e['on']:%d-%m-%Y} "
                       f"door {LESSON_CAUSE_WORDS.get(e['cause'], e['cause'])}" for e in hits)
    fixes = dict.fromkeys(LESSON_CAUSE_FIXES.get(e["cause"], LESSON_CAUSE_FIXES["other"]) for e in hits)
    return _found("lessons_stopped", "De keten neemt weg wat de lessen stopt; het PIP noemt de randvoorwaarden.",
                  f"Lessen {detail}.", " ".join(fixes))


@check("attendance_risk", blocking=False, step="inburgering")
def attendance_risk(jobs: Sequence[Mapping], limit: int) -> Finding | None:
    """Work plus lessons above the weekly load: the classic cause of absence (jobs: on, hours, lesson_hours,
    combine_planned)."""
    over = [j for j in jobs if j["lesson_hours"] and j["hours"] + j["lesson_hours"] > limit]
    if not over:
        return None
    detail = "; ".join(
        f"werk {j['hours']} uur per week vanaf {j['on']:%d-%m-%Y} + lessen {j['lesson_hours']} uur = "
        f"{j['hours'] + j['lesson_hours']} uur, meer dan {limit}"
        + ("" if j["combine_planned"] else " (geen actie om werk en lessen te combineren)") for j in over)
    return _found("attendance_risk", f"Werk en lessen samen passen in {limit} uur per week, of de lessen passen zich aan.",
                  detail[0].upper() + detail[1:] + ".",
                  "Stel avondles of een duaal traject voor (taalschool) en spreek met de werkgever lestijden af.")


@check("life_event_not_applied", blocking=True, step="plan")
def life_event_not_applied(gaps: Sequence[str]) -> Finding | None:
    """A life event that did not reach the household, the PIP, the budget or a partner's access (gaps: what
    the product's records lack after the event, in words)."""
    if not gaps:
        return None
    return _found("life_event_not_applied", "Een levensgebeurtenis verandert huishouden, PIP, budget en toegang in één keer.",
                  "Na de gebeurtenis ontbreekt: " + "; ".join(gaps) + ".",
                  "Leg de gebeurtenis vast als levensgebeurtenis in het plan, zodat huishouden, PIP, budget en "
                  "toegang meeveranderen; controleer de ontbrekende stap.")


PAGES_PER_LANGUAGE = {"illiterate": 2, "limited": 2, "literate": 4}


@check("letter_too_long", blocking=True, step="brieven")
def letter_too_long(literacy: str, letters: Sequence[Mapping]) -> Finding | None:
    """A letter longer than its reader can take: at most 2 pages per language for who reads little or not at
    all, 4 otherwise (letters: type, label, pages, languages)."""
    limit = PAGES_PER_LANGUAGE.get(literacy, 4)
    long = [f"{l['label']} ({l['pages']} pagina's in {l['languages']} talen)" for l in letters
            if l["pages"] > limit * l["languages"]]
    if not long:
        return None
    return _found("letter_too_long", f"Voor deze lezer hoogstens {limit} pagina's per taal.",
                  "Te lang: " + "; ".join(long) + ".",
                  "Kort de brief in tot wat de persoon zelf doet en wie belt; de rest bespreekt de regisseur met tolk.")


NEGATIVE_EURO = re.compile(r"(?:€\s*[-−–]\s*\d|[-−–]\s*€\s*\d)")
# What the person gets (leefgeld, benefit, a transfer): negative there is wrong. A paid bill in the payment
# table is printed as a deduction ("Huur € -690,00"), which is not an amount the person is told they get.
RECEIVED_WORDS = re.compile(r"leefgeld|uitkering|krijgt|ontvangt|maken .* over", re.IGNORECASE)
PAYOUT = re.compile(r"U krijgt het geld op (\d{1,2}) ([a-z]+) (\d{4})")
DUTCH_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                "oktober", "november", "december")


@check("letter_inconsistent", blocking=True, step="brieven")
def letter_inconsistent(letters: Sequence[Mapping]) -> Finding | None:
    """A letter that tells the person a negative amount, or a payout date before the letter's date (letters:
    label, date, text as printed)."""
    wrong = []
    for letter in letters:
        if any(NEGATIVE_EURO.search(line) and RECEIVED_WORDS.search(line) for line in letter["text"].splitlines()):
            wrong.append(f"{letter['label']} van {letter['date']:%d-%m-%Y}: een negatief bedrag")
        for day, month, year in PAYOUT.findall(" ".join(letter["text"].split())):  # a sentence may wrap
            if month in DUTCH_MONTHS and date(int(year), DUTCH_MONTHS.index(month) + 1, int(day)) < letter["date"]:
                wrong.append(f"{letter['label']} van {letter['date']:%d-%m-%Y}: uitbetaling op {day} {month} {year}")
    if not wrong:
        return None
    return _found("letter_inconsistent", "Een brief noemt nooit een negatief bedrag of een betaaldatum in het verleden.",
                  "; ".join(wrong) + ".",
                  "Laat de brief weigeren bij tegenstrijdige gegevens en herstel eerst de eerste maand of de betaaldatum.")


@check("ontzorgen_declined_without_letter", blocking=True, step="budget")
def ontzorgen_declined_without_letter(declined: bool, letter_types: Iterable[str]) -> Finding | None:
    """Ontzorgen declined without a written decision: the person never reads what was agreed instead."""
    if not declined or "ontzorgen_decision" in set(letter_types):
        return None
    return _found("ontzorgen_declined_without_letter", "Ook een geweigerd ontzorgen is een besluit, op schrift in beide talen.",
                  "Ontzorgen geweigerd, maar geen besluit ontzorgen verstuurd.",
                  "Verstuur het besluit ontzorgen met het alternatief op maat en wat de budgetcoach aanbiedt.")


@check("action_requirements_unmet", blocking=True, step="plan")
def action_requirements_unmet(unmet: Sequence[str]) -> Finding | None:
    """A plan action whose required facts do not hold for the person (any more): work nobody needs, or a wrong
    message (unmet: the action with the condition that fails, in words)."""
    if not unmet:
        return None
    return _found("action_requirements_unmet", "Elke actie past bij de feiten van de persoon.",
                  "; ".join(unmet[:5]) + ("…" if len(unmet) > 5 else "") + ".",
                  "Werk de intakegegevens bij of haal de actie uit het plan.")


@check("callback_wrong_language", blocking=True, step="eigen omgeving")
def callback_wrong_language(file_language: str, listed_language: str) -> Finding | None:
    """The call-back list names another language than the file: the worker calls without the right interpreter."""
    if not listed_language or listed_language == file_language:
        return None
    return _found("callback_wrong_language", "Terugbellen gebeurt in de taal van het dossier, met tolk als dat nodig is.",
                  f"De terugbellijst noemt {listed_language}; het dossier zegt {file_language}.",
                  "Toon op de terugbellijst de taal en tolkbehoefte uit het dossier (en apart de taal die de persoon koos).")


# --- the persona file alone --------------------------------------------------------------------------


def static_findings(persona, today: date | None = None) -> list[Finding]:
    """The findings that follow from the persona's facts alone (languages and dates), never its ``expected``."""
    p = persona
    res, lang = p.residence, p.languages
    today = today or max([res.registered_on, *(e.on for e in p.events)])
    budget = p.budget
    found = [
        letter_unreadable(lang.literacy, lang.preferred_channel, lang.letter, lang.read),
        mother_tongue_unsupported(lang.mother_tongue, lang.letter),
        koppeling_norm_exceeded(res.permit_date, res.koppeling_date),
        housing_norm_exceeded(res.koppeling_date, res.housing_offer_date, res.move_date, today)
        if res.status != "family_reunification" else None,
        ontzorgen_declined_low_finance(budget.ontzorgen.wanted, p.self_reliance.get("financien"),
                                       budget.ontzorgen.reason, budget.coach) if budget else None,
        ontzorgen_end_without_handback(budget.ontzorgen.end(budget.benefit_start),
                                       sorted(budget.ontzorgen.hand_back.items()), today) if budget else None,
    ]
    return [f for f in found if f is not None]


STATIC_CHECKS = frozenset({
    "letter_unreadable", "mother_tongue_unsupported", "koppeling_norm_exceeded", "housing_norm_exceeded", "ontzorgen_declined_low_finance",
    "ontzorgen_end_without_handback",
})
