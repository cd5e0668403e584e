"""Personas: composite statushouders kept as YAML files in ``personas/``, read into checked data.

Coordinators test the chain flow against personas (domain brief section 8). A persona
file is data a coordinator edits, so loading checks every field and names the file and
the field of each mistake ("personas/x.yaml: household[1].birth_date: ..."). The
registration part is checked by the real register's ``check_registration``: a persona
the register would refuse is refused here with the register's own message.

This module knows nothing of the database or Reflex; the flow runner feeds the loaded
``Persona`` into the real code paths (``registration_args`` gives what
``register.register`` takes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from .. import languages, life_events, validation
from ..budget.config import ALLOWANCES, CATEGORIES as COST_CATEGORIES, HOUSEHOLD_KINDS
from ..catalogs import staff_text as _
from ..config import ROOT
from ..pip import ROUTES
from ..plan_templates import DOMAINS, LEVELS
from .yamlreader import MISSING, Loader, Reader

PERSONAS_DIR = ROOT / "personas"

# The vocabulary a persona file uses is the product's own: plans, PIP and budget define it.
ATTITUDES = {"reticent": "Afwachtend", "assertive": "Assertief"}

# Events the flow replays, with the fields each kind needs (besides on/kind/note).
EVENT_KINDS: dict[str, dict[str, str]] = {
    "family_arrives": {"members": "names", "household_kind": "kind"},
    "moves_house": {"address": "text"},
    "moves_municipality": {"municipality": "text", "address": "text"},
    "exam_failed": {"exam": "text"},
    "exam_passed": {"exam": "text"},
    "finds_job": {"hours_per_week": "int", "net_income": "money"},
    "loses_job": {},
    "falls_ill": {"limitation": "text"},
    "recovers": {},
    "missed_payment": {"category": "category", "amount": "money"},
    "income_change": {"net_income": "money"},
    "child_born": {"name": "text"},
    "stops_lessons": {"cause": "cause"},
    "pauses_lessons": {"cause": "cause", "until": "date"},
    "pregnancy": {"due_on": "date"},
    "consent_withdrawn": {"organisation": "partner"},
    "ontzorgen_starts": {},
    "ontzorgen_ends": {},
}
LESSON_CAUSES = dict(life_events.CAUSES)
CONSENT_PARTNERS = {"vwn": "VluchtelingenWerk", "budgetcoach": "Budgetcoach"}  # the consents registration records
# Words that name a diagnosis: health holds functional limitations only (AVG; domain brief 7).
DIAGNOSIS_WORDS = (
    "diabetes", "suikerziekte", "hartziekte", "hartfalen", "hartaandoening", "hartkwaal", "ptss", "ptsd",
    "depressie", "depressief", "psychose", "trauma", "kanker", "hiv", "aids", "epilepsie", "astma",
    "schizofrenie", "autisme", "adhd", "hepatitis", "tuberculose", "tbc",
)
# Check ids the flow runner will add (they need plan, letters or budget results).
# The implemented checks are in checks.CHECKS; both sets are valid in ``expected.findings``.


class PersonaError(ValueError):
    """A persona file is wrong: every message names the file and the field."""

    def __init__(self, path: str, errors: list[tuple[str, str]]):
        self.path = path
        self.errors = errors
        super().__init__("\n".join(f"{path}: {where}: {message}" if where else f"{path}: {message}"
                                   for where, message in errors))


@dataclass(frozen=True)
class Identity:
    given_names: str  # Latin spelling as in the BRP (SEPA names use it)
    family_name: str
    name_own_script: str
    birth_date: date
    country_of_origin: str  # ISO 3166 alpha-2
    v_number: str  # 10 digits
    bsn: str  # valid per elfproef, or "" when not known yet


@dataclass(frozen=True)
class Residence:
    status: str  # validation.RESIDENCE_STATUSES
    integration_duty: bool
    permit_date: date | None
    koppeling_date: date | None
    housing_offer_date: date | None
    move_date: date | None
    registered_on: date  # BRP registration in the municipality: the day the flow registers the person
    municipality: str
    azc: str
    address: str


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    iban: str  # the person's own account for leefgeld (compact)


@dataclass(frozen=True)
class Languages:
    spoken: tuple[str, ...]  # input codes as a form would get them (tir, prs, ar, kmr)
    read: tuple[str, ...]
    letter: str  # input code; ``letter_locale`` is the locale letters are written in
    mother_tongue: str  # ISO 639 code, also one the chain cannot write in (uk)
    literacy: str  # validation.LITERACY
    interpreter_needed: bool
    preferred_channel: str  # validation.CHANNELS
    own_view: str = ""  # the language the person sets in the own view, when not the letter language

    @property
    def letter_locale(self) -> str:
        return languages.normalise(self.letter)

    @property
    def read_locales(self) -> tuple[str, ...]:
        return tuple(languages.spoken_code(code) for code in self.read)


@dataclass(frozen=True)
class Education:
    years: int | None
    history: tuple[str, ...]
    work: tuple[str, ...]
    learnability_score: int | None  # learnability test, 0-40 correct (28 = B1 feasible)
    learning_limitations: tuple[str, ...]  # functional, no diagnoses


@dataclass(frozen=True)
class Member:
    name: str
    relationship: str  # validation.RELATIONSHIPS
    birth_date: date
    arrives_on: date | None  # later arrival through family reunification; None: already here


@dataclass(frozen=True)
class Goal:
    own: str  # the goal in the person's own words and language
    language: str  # locale of ``own``
    nl: str  # Dutch rendering
    domain: str = ""  # the life domain it belongs to (the intake records goals per domain)


@dataclass(frozen=True)
class FixedCost:
    category: str  # COST_CATEGORIES
    creditor: str  # name as the bank gets it
    iban: str
    amount: Decimal  # EUR per month
    day_of_month: int
    reference: str  # 16-digit betalingskenmerk, or free text, or ""


@dataclass(frozen=True)
class Deduction:
    label: str
    amount: Decimal
    months: int


@dataclass(frozen=True)
class Allowance:
    kind: str  # ALLOWANCES
    amount: Decimal
    expected_on: date


@dataclass(frozen=True)
class Ontzorgen:
    wanted: bool
    reason: str  # why (required when not wanted or longer than the minimum)
    months: int | None  # None: the minimum (6)
    hand_back: dict[str, str] = field(default_factory=dict)  # category -> "YYYY-MM" the person pays it again

    def end(self, benefit_start: date) -> date | None:
        """First day after ontzorgen (benefit start + months), or None without ontzorgen."""
        if not self.wanted:
            return None
        month = benefit_start.month - 1 + (self.months or 6)
        return date(benefit_start.year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class Budget:
    household_kind: str  # HOUSEHOLD_KINDS
    benefit_start: date
    supplement: Decimal  # monthly supplementary assistance (youth norm)
    fixed_costs: tuple[FixedCost, ...]
    deductions: tuple[Deduction, ...]
    allowances: tuple[Allowance, ...]
    ontzorgen: Ontzorgen
    coach: bool  # a budget coach is planned
    other_income: Decimal  # net monthly household income besides the benefit (a partner's wage)
    remittances: Decimal  # monthly money sent to family abroad (told at the intake)
    informal_debts: Decimal  # total owed to friends or family


@dataclass(frozen=True)
class Event:
    on: date
    kind: str  # EVENT_KINDS
    note: str
    data: dict = field(default_factory=dict)  # the kind's own fields, checked and typed


@dataclass(frozen=True)
class Expected:
    """What the coordinator expects the chain to decide (optional, every field): compared after the run,
    never read while it runs. ``None`` / empty means no expectation."""

    integration_duty: bool | None
    pip: bool | None
    route: str | None  # ROUTES, None without PIP
    guidance: dict[str, str]  # domain -> L1/L2/L3
    guidance_reasons: dict[str, str]  # domain -> why the level differs from the score's suggestion
    overall: str | None
    letter_language: str  # locale code, "" without an expectation
    household_kind: str | None
    findings: tuple[str, ...]  # check ids the flow should report


@dataclass(frozen=True)
class Persona:
    id: str
    path: str
    title: str
    description: str
    attitude: str  # ATTITUDES
    identity: Identity
    residence: Residence
    contact: Contact
    languages: Languages
    education: Education
    household: tuple[Member, ...]
    shares_household_with: str  # id of another persona in the same household (two PIPs), or ""
    living_situation: str
    functional_limitations: tuple[str, ...]
    self_reliance: dict[str, int]  # domain -> 1..5, only the domains that matter
    domain_notes: dict[str, dict[str, str]]  # domain -> {"relevance", "situation"} for the intake, optional
    goals: tuple[Goal, ...]
    budget: Budget | None  # None only for the partner whose household budget is in the other file
    events: tuple[Event, ...]
    expected: Expected

    @property
    def display_name(self) -> str:
        return f"{self.identity.given_names} {self.identity.family_name}"

    def members_on(self, day: date) -> tuple[Member, ...]:
        """Household members living here on ``day`` (later arrivals not yet)."""
        return tuple(m for m in self.household if m.arrives_on is None or m.arrives_on <= day)


# --- sections -------------------------------------------------------------------------------------

_TOP = {
    "id", "title", "description", "attitude", "identity", "residence", "contact", "languages", "education",
    "household", "shares_household_with", "living_situation", "health", "self_reliance", "goals", "budget",
    "events", "expected",
}


def _identity(r: Reader, raw: object) -> Identity:
    d = r.section(raw, "identity", {"given_names", "family_name", "name_own_script", "birth_date",
                                    "country_of_origin", "v_number", "bsn"})
    return Identity(
        given_names=r.text(d, "given_names", "identity.given_names", required=True),
        family_name=r.text(d, "family_name", "identity.family_name", required=True),
        name_own_script=r.text(d, "name_own_script", "identity.name_own_script"),
        birth_date=r.day(d, "birth_date", "identity.birth_date", required=True),
        country_of_origin=r.text(d, "country_of_origin", "identity.country_of_origin", required=True),
        v_number=r.digits(d, "v_number", "identity.v_number", required=True),
        bsn=r.digits(d, "bsn", "identity.bsn"),
    )


def _residence(r: Reader, raw: object) -> Residence:
    d = r.section(raw, "residence", {"status", "integration_duty", "permit_date", "koppeling_date",
                                     "housing_offer_date", "move_date", "registered_on", "municipality", "azc",
                                     "address"})
    status = r.choice(d, "status", "residence.status", validation.RESIDENCE_STATUSES)
    return Residence(
        status=status,
        integration_duty=r.flag(d, "integration_duty", "residence.integration_duty",
                                default=status != "temporary_protection"),
        permit_date=r.day(d, "permit_date", "residence.permit_date"),
        koppeling_date=r.day(d, "koppeling_date", "residence.koppeling_date"),
        housing_offer_date=r.day(d, "housing_offer_date", "residence.housing_offer_date"),
        move_date=r.day(d, "move_date", "residence.move_date"),
        registered_on=r.day(d, "registered_on", "residence.registered_on", required=True),
        municipality=r.text(d, "municipality", "residence.municipality", required=True),
        azc=r.text(d, "azc", "residence.azc"),
        address=r.text(d, "address", "residence.address"),
    )


def _contact(r: Reader, raw: object) -> Contact:
    d = r.section(raw, "contact", {"phone", "email", "iban"}, required=False)
    return Contact(r.text(d, "phone", "contact.phone"), r.text(d, "email", "contact.email"),
                   r.text(d, "iban", "contact.iban"))


def _languages(r: Reader, raw: object) -> Languages:
    d = r.section(raw, "languages", {"spoken", "read", "letter", "mother_tongue", "literacy",
                                     "interpreter_needed", "preferred_channel", "own_view"})
    spoken = r.codes(d, "spoken", "languages.spoken")
    own_view = r.text(d, "own_view", "languages.own_view")
    if own_view:
        try:
            own_view = languages.normalise(own_view)
        except languages.UnknownLanguage as exc:
            r.fail("languages.own_view", str(exc))
    mother = r.text(d, "mother_tongue", "languages.mother_tongue") or (spoken[0] if spoken else "")
    return Languages(
        spoken=spoken,
        read=r.codes(d, "read", "languages.read"),
        letter=r.text(d, "letter", "languages.letter", required=True),
        mother_tongue=mother,
        literacy=r.choice(d, "literacy", "languages.literacy", validation.LITERACY),
        interpreter_needed=r.flag(d, "interpreter_needed", "languages.interpreter_needed", default=False),
        preferred_channel=r.choice(d, "preferred_channel", "languages.preferred_channel", validation.CHANNELS),
        own_view=own_view,
    )


def _lines(r: Reader, data: dict, key: str, where: str) -> tuple[str, ...]:
    out = []
    for i, item in enumerate(r.items(data, key, where)):
        if not isinstance(item, str) or not item.strip():
            r.fail(f"{where}[{i}]", _("moet een regel tekst zijn"))
        else:
            out.append(item.strip())
    return tuple(out)


def _education(r: Reader, raw: object) -> Education:
    d = r.section(raw, "education", {"years", "history", "work", "learnability_score", "learning_limitations"})
    limitations = _lines(r, d, "learning_limitations", "education.learning_limitations")
    _no_diagnoses(r, limitations, "education.learning_limitations")
    return Education(
        years=r.number(d, "years", "education.years", 0, 30),
        history=_lines(r, d, "history", "education.history"),
        work=_lines(r, d, "work", "education.work"),
        learnability_score=r.number(d, "learnability_score", "education.learnability_score", 0, 40),
        learning_limitations=limitations,
    )


def _household(r: Reader, raw: object) -> tuple[Member, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        r.fail("household", _("moet een lijst met gezinsleden zijn"))
        return ()
    members = []
    for i, item in enumerate(raw):
        where = f"household[{i}]"
        d = r.section(item, where, {"name", "relationship", "birth_date", "arrives_on"})
        if not d:
            continue
        members.append(Member(
            name=r.text(d, "name", f"{where}.name", required=True),
            relationship=r.choice(d, "relationship", f"{where}.relationship", validation.RELATIONSHIPS),
            birth_date=r.day(d, "birth_date", f"{where}.birth_date", required=True),
            arrives_on=r.day(d, "arrives_on", f"{where}.arrives_on"),
        ))
    return tuple(members)


def _no_diagnoses(r: Reader, lines: tuple[str, ...], where: str) -> None:
    for i, line in enumerate(lines):
        words = set(re.findall(r"\w+", line.lower()))
        named = next((w for w in DIAGNOSIS_WORDS if w in words), None)
        if named:
            r.fail(f"{where}[{i}]", _("noem geen diagnose ('{word}'); beschrijf wat iemand wel of niet kan").format(
                word=named))


def _health(r: Reader, raw: object) -> tuple[str, ...]:
    d = r.section(raw, "health", {"functional_limitations"}, required=False)
    lines = _lines(r, d, "functional_limitations", "health.functional_limitations")
    _no_diagnoses(r, lines, "health.functional_limitations")
    return lines


def _self_reliance(r: Reader, raw: object) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    """Scores per domain; a domain is a score (``financien: 1``) or a block with score, relevance, situation."""
    d = r.section(raw, "self_reliance", set(DOMAINS))
    scores, notes = {}, {}
    for key in DOMAINS:
        if key not in d:
            continue
        where = f"self_reliance.{key}"
        item = d[key]
        if isinstance(item, dict):
            block = r.section(item, where, {"score", "relevance", "situation"})
            notes[key] = {"relevance": r.text(block, "relevance", f"{where}.relevance"),
                          "situation": r.text(block, "situation", f"{where}.situation")}
            score = r.number(block, "score", f"{where}.score", 1, 5, required=True)
        else:
            score = r.number(d, key, where, 1, 5, required=True)
        if score is not None:
            scores[key] = score
    if isinstance(raw, dict) and not d:
        r.fail("self_reliance", _("geef minstens één leefgebied een score van 1 tot en met 5"))
    return scores, notes


def _goals(r: Reader, raw: object, mother_tongue: str) -> tuple[Goal, ...]:
    if not isinstance(raw, list) or not raw:
        r.fail("goals", _("noem minstens één doel in de eigen woorden van de persoon"))
        return ()
    goals = []
    for i, item in enumerate(raw):
        where = f"goals[{i}]"
        d = r.section(item, where, {"own", "language", "nl", "domain"})
        lang = r.text(d, "language", f"{where}.language", required=True)
        if lang and lang != mother_tongue:  # the own words may be in a mother tongue the chain cannot write
            try:
                lang = languages.normalise(lang)
            except languages.UnknownLanguage as exc:
                r.fail(f"{where}.language", str(exc))
        goals.append(Goal(r.text(d, "own", f"{where}.own", required=True), lang,
                          r.text(d, "nl", f"{where}.nl", required=True),
                          r.choice(d, "domain", f"{where}.domain", DOMAINS, required=False)))
    return tuple(goals)


def _iban(r: Reader, data: dict, key: str, where: str, required: bool = False) -> str:
    raw = r.text(data, key, where, required)
    try:
        return validation.check_iban(raw)
    except ValueError as exc:
        r.fail(where, str(exc))
        return ""


_KENMERK_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)


def betalingskenmerk_ok(reference: str) -> bool:
    """A 16-digit Dutch betalingskenmerk: the first digit checks the other 15 (weights mod 11)."""
    if not (reference.isdigit() and len(reference) == 16):
        return False
    total = sum(int(d) * _KENMERK_WEIGHTS[i % 10] for i, d in enumerate(reversed(reference[1:])))
    check = 11 - total % 11
    return int(reference[0]) == {10: 1, 11: 0}.get(check, check)


def _budget(r: Reader, raw: object) -> Budget | None:
    if raw is None:
        return None
    d = r.section(raw, "budget", {"household_kind", "benefit_start", "supplement", "fixed_costs", "deductions",
                                  "allowances", "ontzorgen", "coach", "other_income", "remittances",
                                  "informal_debts"})
    costs = []
    for i, item in enumerate(r.items(d, "fixed_costs", "budget.fixed_costs")):
        where = f"budget.fixed_costs[{i}]"
        c = r.section(item, where, {"category", "creditor", "iban", "amount", "day_of_month", "reference"})
        reference = r.text(c, "reference", f"{where}.reference")
        compact = re.sub(r"[\s.\-]", "", reference)
        if compact.isdigit() and len(compact) == 16 and not betalingskenmerk_ok(compact):
            r.fail(f"{where}.reference", _("betalingskenmerk '{reference}' klopt niet (controlecijfer)").format(
                reference=reference))
        elif len(reference) > 140:
            r.fail(f"{where}.reference", _("te lang (maximaal 140 tekens)"))
        costs.append(FixedCost(
            category=r.choice(c, "category", f"{where}.category", COST_CATEGORIES),
            creditor=r.text(c, "creditor", f"{where}.creditor", required=True),
            iban=_iban(r, c, "iban", f"{where}.iban", required=True),
            amount=r.money(c, "amount", f"{where}.amount", required=True),
            day_of_month=r.number(c, "day_of_month", f"{where}.day_of_month", 1, 31) or 1,
            reference=compact if compact.isdigit() and len(compact) == 16 else reference,
        ))
    deductions = []
    for i, item in enumerate(r.items(d, "deductions", "budget.deductions")):
        where = f"budget.deductions[{i}]"
        c = r.section(item, where, {"label", "amount", "months"})
        deductions.append(Deduction(r.text(c, "label", f"{where}.label", required=True),
                                    r.money(c, "amount", f"{where}.amount", required=True),
                                    r.number(c, "months", f"{where}.months", 1, 120, required=True) or 1))
    allowances = []
    for i, item in enumerate(r.items(d, "allowances", "budget.allowances")):
        where = f"budget.allowances[{i}]"
        c = r.section(item, where, {"kind", "amount", "expected_on"})
        allowances.append(Allowance(r.choice(c, "kind", f"{where}.kind", ALLOWANCES),
                                    r.money(c, "amount", f"{where}.amount", required=True),
                                    r.day(c, "expected_on", f"{where}.expected_on", required=True)))
    o = r.section(d.get("ontzorgen", MISSING), "budget.ontzorgen", {"wanted", "reason", "months", "hand_back"})
    core = {k: COST_CATEGORIES[k] for k in ("rent", "energy", "water", "health_insurance")}
    h = r.section(o.get("hand_back", MISSING), "budget.ontzorgen.hand_back", set(core), required=False)
    hand_back = {}
    for key in core:
        if key in h:
            month = r.text(h, key, f"budget.ontzorgen.hand_back.{key}")
            if not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", month):
                r.fail(f"budget.ontzorgen.hand_back.{key}", _("'{month}' is geen maand (JJJJ-MM)").format(month=month))
            else:
                hand_back[key] = month
    ontzorgen = Ontzorgen(r.flag(o, "wanted", "budget.ontzorgen.wanted"),
                          r.text(o, "reason", "budget.ontzorgen.reason"),
                          r.number(o, "months", "budget.ontzorgen.months", 1, 60), hand_back)
    if ontzorgen.months is not None and ontzorgen.months < 6 and ontzorgen.wanted:
        r.fail("budget.ontzorgen.months", _("ontzorgen duurt ten minste de eerste 6 maanden van de uitkering"))
    if o and not ontzorgen.wanted and not ontzorgen.reason:
        r.fail("budget.ontzorgen.reason", _("leg vast waarom geen ontzorgen (maatwerk sinds april 2023)"))
    return Budget(
        household_kind=r.choice(d, "household_kind", "budget.household_kind", HOUSEHOLD_KINDS),
        benefit_start=r.day(d, "benefit_start", "budget.benefit_start", required=True),
        supplement=r.money(d, "supplement", "budget.supplement"),
        fixed_costs=tuple(costs),
        deductions=tuple(deductions),
        allowances=tuple(allowances),
        ontzorgen=ontzorgen,
        coach=r.flag(d, "coach", "budget.coach", default=False),
        other_income=r.money(d, "other_income", "budget.other_income"),
        remittances=r.money(d, "remittances", "budget.remittances"),
        informal_debts=r.money(d, "informal_debts", "budget.informal_debts"),
    )


def _events(r: Reader, raw: object) -> tuple[Event, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        r.fail("events", _("moet een lijst met gebeurtenissen zijn"))
        return ()
    events = []
    for i, item in enumerate(raw):
        where = f"events[{i}]"
        kind = item.get("kind") if isinstance(item, dict) else None
        fields = EVENT_KINDS.get(kind, {}) if isinstance(kind, str) else {}
        d = r.section(item, where, {"on", "kind", "note"} | set(fields))
        if not d:
            continue
        kind = r.choice(d, "kind", f"{where}.kind", EVENT_KINDS)
        data = {}
        for key, typ in fields.items():
            at = f"{where}.{key}"
            if typ == "text":
                data[key] = r.text(d, key, at, required=key != "address" or kind == "moves_house")
            elif typ == "int":
                data[key] = r.number(d, key, at, 1, 60, required=True)
            elif typ == "money":
                data[key] = r.money(d, key, at, required=True)
            elif typ == "category":
                data[key] = r.choice(d, key, at, COST_CATEGORIES)
            elif typ == "kind":
                data[key] = r.choice(d, key, at, HOUSEHOLD_KINDS, required=False)
            elif typ == "cause":  # why the lessons stop: the product plans an action for whoever can remove it
                data[key] = r.choice(d, key, at, LESSON_CAUSES)
            elif typ == "date":
                data[key] = r.day(d, key, at, required=True)
            elif typ == "partner":
                data[key] = r.choice(d, key, at, CONSENT_PARTNERS)
            elif typ == "names":
                names = d.get(key)
                if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
                    r.fail(at, _("noem de namen van de gezinsleden die aankomen"))
                    names = []
                data[key] = tuple(names)
        events.append(Event(r.day(d, "on", f"{where}.on", required=True), kind, r.text(d, "note", f"{where}.note"),
                            data))
    return tuple(events)


def _expected(r: Reader, raw: object, known_findings: set[str]) -> Expected:
    d = r.section(raw, "expected", {"integration_duty", "pip", "route", "guidance", "guidance_reasons", "overall",
                                    "letter_language", "household_kind", "findings"}, required=False)
    guidance = {}
    g = r.section(d.get("guidance", MISSING), "expected.guidance", set(DOMAINS), required=False)
    for key in DOMAINS:
        if key in g:
            level = r.choice(g, key, f"expected.guidance.{key}", LEVELS)
            if level:
                guidance[key] = level
    reasons_raw = r.section(d.get("guidance_reasons", MISSING), "expected.guidance_reasons", set(DOMAINS),
                            required=False)
    reasons = {k: r.text(reasons_raw, k, f"expected.guidance_reasons.{k}") for k in DOMAINS if k in reasons_raw}
    letter = r.text(d, "letter_language", "expected.letter_language")
    if letter and letter not in languages.LANGUAGES:
        r.fail("expected.letter_language", _("'{code}' is geen briefcode van de keten (kies uit {choices})").format(
            code=letter, choices=", ".join(languages.LANGUAGES)))
    findings = []
    for i, item in enumerate(r.items(d, "findings", "expected.findings")):
        if item not in known_findings:
            r.fail(f"expected.findings[{i}]", _("onbekende controle '{check}' (zie docs/personas.md)").format(check=item))
        else:
            findings.append(item)
    return Expected(
        integration_duty=None if d.get("integration_duty") is None else r.flag(d, "integration_duty",
                                                                              "expected.integration_duty"),
        pip=None if d.get("pip") is None else r.flag(d, "pip", "expected.pip"),
        route=r.choice(d, "route", "expected.route", ROUTES, required=False) or None,
        guidance=guidance,
        guidance_reasons=reasons,
        overall=r.choice(d, "overall", "expected.overall", LEVELS, required=False) or None,
        letter_language=letter,
        household_kind=r.choice(d, "household_kind", "expected.household_kind", HOUSEHOLD_KINDS,
                                required=False) or None,
        findings=tuple(findings),
    )


# --- the registration as the real register takes it -----------------------------------------------

# Register form keys -> persona field paths, so the register's messages name the persona field.
_FORM_FIELDS = {
    "given_names": "identity.given_names", "family_name": "identity.family_name",
    "name_own_script": "identity.name_own_script", "birth_date": "identity.birth_date",
    "country_of_origin": "identity.country_of_origin", "v_number": "identity.v_number", "bsn": "identity.bsn",
    "residence_status": "residence.status", "integration_duty": "residence.integration_duty",
    "permit_date": "residence.permit_date", "koppeling_date": "residence.koppeling_date",
    "move_date": "residence.move_date", "municipality": "residence.municipality", "azc": "residence.azc",
    "address": "residence.address", "spoken_languages": "languages.spoken", "read_languages": "languages.read",
    "mother_tongue": "languages.mother_tongue",
    "letter_language": "languages.letter", "literacy": "languages.literacy",
    "interpreter_needed": "languages.interpreter_needed", "preferred_channel": "languages.preferred_channel",
    "phone": "contact.phone", "email": "contact.email", "iban": "contact.iban",
    "functional_limitations": "health.functional_limitations", "education_years": "education.years",
    "education_history": "education.history", "learning_limitations": "education.learning_limitations",
}


def _on(flag: bool) -> str:
    return "on" if flag else ""


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def registration_form(persona: Persona) -> dict:
    """The registration form exactly as ``register.register`` takes it (all values strings)."""
    i, r, lang, edu = persona.identity, persona.residence, persona.languages, persona.education
    history = [*edu.history, *(f"Werk: {w}" for w in edu.work)]
    moved = r.move_date is None or r.move_date <= r.registered_on  # else still in the AZC: address comes later
    return {
        "given_names": i.given_names, "family_name": i.family_name, "name_own_script": i.name_own_script,
        "birth_date": _iso(i.birth_date), "country_of_origin": i.country_of_origin, "v_number": i.v_number,
        "bsn": i.bsn, "residence_status": r.status, "integration_duty": _on(r.integration_duty),
        "permit_date": _iso(r.permit_date), "koppeling_date": _iso(r.koppeling_date),
        "move_date": _iso(r.move_date) if moved else "",
        "municipality": r.municipality, "azc": r.azc, "address": r.address if moved else "",
        "spoken_languages": ", ".join(lang.spoken), "read_languages": ", ".join(lang.read),
        "mother_tongue": lang.mother_tongue,
        "letter_language": lang.letter, "literacy": lang.literacy, "interpreter_needed": _on(lang.interpreter_needed),
        "preferred_channel": lang.preferred_channel, "phone": persona.contact.phone, "email": persona.contact.email,
        "functional_limitations": "; ".join(persona.functional_limitations), "iban": persona.contact.iban,
        "education_years": "" if edu.years is None else str(edu.years),
        "education_history": "\n".join(history), "learning_limitations": "; ".join(edu.learning_limitations),
    }


def registration_household(persona: Persona, on: date | None = None) -> list[dict]:
    """Household members present on ``on`` (default: the registration day), as the register takes them."""
    day = on or persona.residence.registered_on
    return [{"name": m.name, "relationship": m.relationship, "birth_date": m.birth_date.isoformat()}
            for m in persona.members_on(day)]


def registration_args(persona: Persona) -> tuple[dict, list[dict], date]:
    """``(form, household, today)`` for ``register.register(session, actor, *args)``: the members who
    arrive later are on the form as abroad (gezinshereniging)."""
    day = persona.residence.registered_on
    here = registration_household(persona)
    later = [{"name": m.name, "relationship": m.relationship, "birth_date": m.birth_date.isoformat(), "abroad": "on"}
             for m in persona.household if m.arrives_on is not None and m.arrives_on > day]
    return registration_form(persona), here + later, day


def _check_registration(r: Reader, persona: Persona) -> None:
    form, household, today = registration_args(persona)
    checked = validation.check_registration(form, household, today)
    if isinstance(checked, validation.Registration):
        return
    present = persona.members_on(today)
    for key, message in checked.items():
        if key.startswith("household."):
            _prefix, index, name = key.split(".", 2)
            where = f"household[{persona.household.index(present[int(index)])}].{name}"
        else:
            where = _FORM_FIELDS.get(key, key)
        r.fail(where, message)


# --- cross-field rules ------------------------------------------------------------------------------


def _consistency(r: Reader, p: Persona) -> None:
    res = p.residence
    if res.move_date and res.move_date > res.registered_on and not res.azc:
        r.fail("residence.azc", _("vul het AZC in: de persoon woont daar nog op de registratiedatum"))
    order = [("permit_date", res.permit_date), ("koppeling_date", res.koppeling_date),
             ("housing_offer_date", res.housing_offer_date), ("move_date", res.move_date)]
    known = [(k, d) for k, d in order if d]
    for (k1, d1), (k2, d2) in zip(known, known[1:]):
        if d2 < d1:
            r.fail(f"residence.{k2}", _("ligt vóór residence.{field} ({day})").format(field=k1, day=d1.isoformat()))
    for i, e in enumerate(p.events):
        if e.on and e.on < res.registered_on:
            r.fail(f"events[{i}].on", _("ligt vóór de registratie (residence.registered_on {day})").format(
                day=res.registered_on))
    for i, (a, b) in enumerate(zip(p.events, p.events[1:])):
        if a.on and b.on and b.on < a.on:
            r.fail(f"events[{i + 1}].on", _("zet de gebeurtenissen op datumvolgorde"))
    names = {m.name: (i, m) for i, m in enumerate(p.household)}
    announced = set()
    for i, e in enumerate(p.events):
        for name in e.data.get("members", ()) if e.kind == "family_arrives" else ():
            if name not in names:
                r.fail(f"events[{i}].members", _("'{name}' staat niet in household").format(name=name))
            elif names[name][1].arrives_on != e.on:
                r.fail(f"events[{i}].members", _("household[{index}].arrives_on moet {day} zijn").format(
                    index=names[name][0], day=e.on))
            announced.add(name)
    for i, m in enumerate(p.household):
        if m.arrives_on and m.arrives_on > res.registered_on and m.name not in announced:
            r.fail(f"household[{i}].arrives_on", _("voeg een gebeurtenis family_arrives toe voor dit gezinslid"))
    for i, g in enumerate(p.goals):
        if g.domain and g.domain not in p.self_reliance:
            r.fail(f"goals[{i}].domain", _("geen score voor dit leefgebied in self_reliance"))
    for k in p.expected.guidance:
        if k not in p.self_reliance:
            r.fail(f"expected.guidance.{k}", _("geen score voor dit leefgebied in self_reliance"))
    if p.expected.integration_duty is not None and p.expected.integration_duty != res.integration_duty:
        r.fail("expected.integration_duty", _("wijkt af van residence.integration_duty"))
    if p.expected.pip and not p.expected.route:
        r.fail("expected.route", _("kies de leerroute bij een PIP (b1, onderwijs, z)"))
    if p.expected.pip is False and p.expected.route:
        r.fail("expected.route", _("geen leerroute zonder PIP"))
    if p.budget is None and not p.shares_household_with:
        r.fail("budget", _("ontbreekt (alleen weglaten bij een gedeeld huishouden: shares_household_with)"))


# --- entry points ------------------------------------------------------------------------------------


def display_path(path: Path) -> str:
    """The path as messages show it: relative to the working directory when it lies below it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _known_findings() -> set[str]:
    from . import checks

    return set(checks.CHECKS) | set(checks.RUNNER_CHECKS)


def parse(text: str, path: str, stem: str) -> Persona:
    """A persona from YAML text; ``path`` names the file in messages, ``stem`` is its expected id."""
    try:
        raw = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("regel {line}").format(line=mark.line + 1) if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise PersonaError(path, [(where, _("geen geldige YAML ({problem})").format(problem=problem))]) from None
    r = Reader()
    d = r.section(raw, "", _TOP)
    if not d:
        raise PersonaError(path, r.errors or [("", _("leeg bestand"))])
    pid = r.text(d, "id", "id") or stem
    if pid != stem:
        r.fail("id", _("'{id}' moet gelijk zijn aan de bestandsnaam '{stem}'").format(id=pid, stem=stem))
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", stem):
        r.fail("id", _("bestandsnaam '{stem}' mag alleen kleine letters, cijfers, - en _ bevatten").format(stem=stem))
    lang = _languages(r, d.get("languages", MISSING))
    scores, notes = _self_reliance(r, d.get("self_reliance", MISSING))
    persona = Persona(
        id=stem,
        path=path,
        title=r.text(d, "title", "title", required=True),
        description=r.text(d, "description", "description"),
        attitude=r.choice(d, "attitude", "attitude", ATTITUDES),
        identity=_identity(r, d.get("identity", MISSING)),
        residence=_residence(r, d.get("residence", MISSING)),
        contact=_contact(r, d.get("contact", MISSING)),
        languages=lang,
        education=_education(r, d.get("education", MISSING)),
        household=_household(r, d.get("household")),
        shares_household_with=r.text(d, "shares_household_with", "shares_household_with"),
        living_situation=r.text(d, "living_situation", "living_situation"),
        functional_limitations=_health(r, d.get("health", MISSING)),
        self_reliance=scores,
        domain_notes=notes,
        goals=_goals(r, d.get("goals"), lang.mother_tongue),
        budget=_budget(r, d.get("budget")),
        events=_events(r, d.get("events")),
        expected=_expected(r, d.get("expected", MISSING), _known_findings()),
    )
    if not r.errors:  # field-level mistakes first; the register and cross-field rules need clean fields
        _check_registration(r, persona)
    if not r.errors:
        _consistency(r, persona)
    if r.errors:
        raise PersonaError(path, r.errors)
    return persona


def load(path: str | Path) -> Persona:
    """Read and check one persona file; raises ``PersonaError`` naming the file and each field."""
    path = Path(path)
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PersonaError(shown, [("", _("kan het bestand niet lezen ({problem})").format(problem=exc))]) from None
    return parse(text, shown, path.stem)


def persona_files(directory: str | Path = PERSONAS_DIR) -> list[Path]:
    """The persona files in a directory, sorted by name (``*.yaml``)."""
    return sorted(Path(directory).glob("*.yaml"))


def load_all(directory: str | Path = PERSONAS_DIR) -> list[Persona]:
    """Every persona in ``directory``, checked alone and together (unique V-number and BSN, shared households).

    Raises one ``PersonaError`` per first failing file; use ``validate_all`` to get every file's result.
    """
    personas, problems = validate_all(directory)
    if problems:
        raise problems[0]
    return personas


def validate_all(directory: str | Path = PERSONAS_DIR) -> tuple[list[Persona], list[PersonaError]]:
    """``(valid personas, errors)`` for every file in ``directory``; never stops at the first mistake."""
    personas, problems = [], []
    for path in persona_files(directory):
        try:
            personas.append(load(path))
        except PersonaError as exc:
            problems.append(exc)
    problems.extend(_together(personas))
    bad = {p.path for p in problems}
    return [p for p in personas if p.path not in bad], problems


def _together(personas: list[Persona]) -> list[PersonaError]:
    problems: dict[str, list[tuple[str, str]]] = {}
    by_id = {p.id: p for p in personas}
    seen: dict[tuple[str, str], str] = {}
    for p in personas:
        for field_name, value in (("identity.v_number", p.identity.v_number), ("identity.bsn", p.identity.bsn)):
            if value and (field_name, value) in seen:
                problems.setdefault(p.path, []).append(
                    (field_name, _("'{value}' hoort al bij persona '{persona}'").format(
                        value=value, persona=seen[(field_name, value)])))
            seen.setdefault((field_name, value), p.id)
        other_id = p.shares_household_with
        if not other_id:
            continue
        other = by_id.get(other_id)
        if other is None:
            problems.setdefault(p.path, []).append(
                ("shares_household_with", _("geen persona '{persona}'").format(persona=other_id)))
        elif other.shares_household_with != p.id:
            problems.setdefault(p.path, []).append(
                ("shares_household_with", _("persona '{persona}' moet ook shares_household_with: {id} hebben").format(
                    persona=other_id, id=p.id)))
        elif (p.budget is None) == (other.budget is None):
            problems.setdefault(p.path, []).append(
                ("budget", _("precies één van '{persona}' en '{other}' houdt het budget van het huishouden").format(
                    persona=p.id, other=other_id)))
    return [PersonaError(path, errors) for path, errors in problems.items()]
