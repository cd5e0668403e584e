"""What each letter prints: one dataclass per letter type, holding exactly the data on the page.

Builders (``sources.py``) fill these from the database; tests and the bench build them
by hand. Templates read only these fields, so a letter can never leak other file data.
Amounts are ``Decimal`` (never float); dates are ``date``/``datetime`` and are formatted
per language at render time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..catalogs import staff_message

# Fixed-cost kinds the letters can name in every language (labels live in the templates).
COST_KINDS = ("rent", "energy", "water", "health_insurance", "contents_insurance", "loan", "advance_repayment")
ROUTES = ("b1", "onderwijs", "z")
BRING_ITEMS = ("permit", "bank_card", "letters")


@dataclass(frozen=True)
class Sender:
    """The sending organisation as printed in the letterhead and the contact lines."""

    name: str
    address: str = ""
    phone: str = ""
    phone_hours: str = ""
    email: str = ""
    staff_name: str = ""  # who signs


@dataclass(frozen=True)
class Recipient:
    """The statushouder the letter is addressed to."""

    name: str  # Latin spelling as in the BRP
    name_own_script: str = ""
    address: str = ""


@dataclass(frozen=True)
class LetterBase:
    """Fields every letter has. ``language`` is the person's letter language (locale code)."""

    recipient: Recipient
    sender: Sender
    language: str
    letter_date: date
    reference: str

    letter_type = ""  # set on each subclass
    staff_only = False  # a staff document: Dutch only, never sent to the person


@dataclass(frozen=True)
class IntakeInvitation(LetterBase):
    at: datetime = datetime(2026, 1, 1, 10, 0)
    place: str = ""
    partners: tuple[str, ...] = ()  # organisation names at the table
    interpreter: bool = False
    bring: tuple[str, ...] = BRING_ITEMS
    has_partner: bool = False  # only then the letter mentions the part without the partner

    letter_type = "intake_invitation"


@dataclass(frozen=True)
class PlanAction:
    what: str  # Dutch text from the plan, printed as is
    who: str  # owner: the person ("U") or an organisation name
    due: date | None = None
    by_person: bool = False  # the statushouder does this action
    with_whom: str = ""  # for the person's own part: the organisation that helps


@dataclass(frozen=True)
class PlanSummary(LetterBase):
    """The person's plan letter: only what they do and what is done for them soon, by date."""

    actions: tuple[PlanAction, ...] = ()
    next_talk: date | None = None
    horizon_end: date | None = None  # the letter covers actions due up to this date
    more: int = 0  # open actions further ahead or beyond the item limit: not listed, said in one line

    letter_type = "plan_summary"


@dataclass(frozen=True)
class PlanFullLine:
    domain: str  # Dutch domain label
    what: str
    owner: str
    kind: str
    own_part: str = ""
    due: date | None = None
    status: str = ""


@dataclass(frozen=True)
class PlanFull(LetterBase):
    """The whole plan with every partner action: a staff document in Dutch, never sent to the person."""

    lines: tuple[PlanFullLine, ...] = ()
    plan_status: str = ""  # Dutch label (Concept, Actief)
    draft: bool = False

    letter_type = "plan_full"
    staff_only = True


@dataclass(frozen=True)
class PipSummary(LetterBase):
    route: str = "b1"  # ROUTES
    decision_date: date | None = None
    term_end: date | None = None
    school: str = ""
    support: tuple[str, ...] = ()  # Dutch lines from the PIP: preconditions and guidance
    objection_before: date | None = None
    version: int = 1
    change_kind: str = "eerste"  # pip.CHANGE_KINDS
    reason: str = ""  # Dutch free text: why it changed
    changes: tuple[str, ...] = ()  # what changed against the previous version: "route", "term", "support"

    letter_type = "pip_summary"


@dataclass(frozen=True)
class TemporaryProtection(LetterBase):
    """Why a person under temporary protection has no PIP, and what the municipality does offer."""

    children: bool = False  # school and childcare help for the children
    school: str = ""  # a linked language school, else the letter says lessons can be arranged
    case_owner: str = ""  # the named contact person (regisseur)

    letter_type = "temporary_protection"


@dataclass(frozen=True)
class CostLine:
    kind: str  # COST_KINDS
    payee: str
    amount: Decimal
    until: date | None = None  # ontzorgen decision: paid directly up to and including this day
    self_from: date | None = None  # ontzorgen decision: the person pays it from this day


def money_problems(context: LetterBase) -> list[str]:
    """Staff messages naming what makes a money letter wrong; empty when it may be sent.

    Never sent: a negative amount anywhere, a payout date before the letter's date, a leefgeld
    that does not match what was transferred.
    """
    from ..budget.money import eur
    from ..catalogs import staff_text as _

    problems = []
    amounts = [(line.payee, line.amount) for name in ("costs", "payments", "returned", "deductions")
               for line in getattr(context, name, ())]
    amounts += [(name, getattr(context, name)) for name in ("benefit", "advance", "work_income", "leefgeld")
                if isinstance(getattr(context, name, None), Decimal)]
    for what, amount in amounts:
        if amount < 0:
            problems.append(_("Brief niet gemaakt: het bedrag '{what}' is negatief ({amount}). "
                              "Los dit eerst op in het budget (eerste maand, vaste lasten, inhoudingen).").format(
                what=what, amount=eur(amount)))
    payout = getattr(context, "leefgeld_date", None)
    if payout is not None and payout < context.letter_date:
        problems.append(_("Brief niet gemaakt: de uitbetaaldatum ({payout}) ligt vóór de briefdatum ({letter}). "
                          "Een brief mag geen datum in het verleden als uitbetaaldatum noemen.").format(
            payout=f"{payout:%d-%m-%Y}", letter=f"{context.letter_date:%d-%m-%Y}"))
    transferred = getattr(context, "transferred", None)
    if transferred is not None and getattr(context, "leefgeld", transferred) != transferred:
        problems.append(_("Brief niet gemaakt: het leefgeld in de brief ({letter}) is niet wat de betaalrun "
                          "overmaakt ({transferred}).").format(letter=eur(context.leefgeld), transferred=eur(transferred)))
    return problems


@dataclass(frozen=True)
class OntzorgenDecision(LetterBase):
    start: date | None = None
    end: date | None = None
    costs: tuple[CostLine, ...] = ()  # with ``until`` and ``self_from`` per cost
    objection_before: date | None = None
    declined: bool = False  # no direct payment: the tailored alternative instead
    alternative: str = ""  # Dutch text from the budget: what was agreed instead
    coach_offer: str = ""  # Dutch text: what the budget coach offers
    coach: str = ""  # budget coach organisation / name and phone

    letter_type = "ontzorgen_decision"

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.costs), Decimal("0"))


@dataclass(frozen=True)
class PaymentOverview(LetterBase):
    month: date = date(2026, 1, 1)  # first day of the month
    benefit: Decimal = Decimal("0")  # after the reduction for work income
    payments: tuple[CostLine, ...] = ()  # bills paid directly (the only lines counted as "rekening betaald")
    leefgeld_iban: str = ""
    leefgeld_date: date | None = None  # the execution date in the SEPA file
    deductions: tuple[CostLine, ...] = ()  # withheld (furnishing loan, advance repayment): not bills paid
    advance: Decimal = Decimal("0")  # voorschot paid with this month's leefgeld
    first_month_start: date | None = None  # set when the first month's costs were prorated
    work_income: Decimal = Decimal("0")  # net wages that reduced the benefit
    returned: tuple[CostLine, ...] = ()  # bills the bank sent back: set aside, paid again (not "betaald")
    transferred: Decimal | None = None  # what the approved run transferred as leefgeld (builders set it)

    letter_type = "payment_overview"

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0"))

    @property
    def deducted(self) -> Decimal:
        return sum((d.amount for d in self.deductions), Decimal("0"))

    @property
    def set_aside(self) -> Decimal:
        return sum((r.amount for r in self.returned), Decimal("0"))

    @property
    def leefgeld(self) -> Decimal:
        return self.benefit + self.advance - self.paid - self.set_aside - self.deducted


@dataclass(frozen=True)
class SchoolEnrolment(LetterBase):
    school: str = ""
    school_address: str = ""
    first_lesson: datetime = datetime(2026, 1, 1, 9, 0)
    weekdays: tuple[int, ...] = ()  # 0 = Monday
    hours_per_week: int = 0

    letter_type = "school_enrolment"


@dataclass(frozen=True)
class ProgressTalkInvitation(LetterBase):
    at: datetime = datetime(2026, 1, 1, 10, 0)
    place: str = ""
    topics: tuple[str, ...] = ()  # Dutch lines
    interpreter: bool = False

    letter_type = "progress_talk"


@dataclass(frozen=True)
class HandBackStep:
    kind: str  # COST_KINDS
    from_date: date


@dataclass(frozen=True)
class OntzorgenEnd(LetterBase):
    end: date | None = None
    steps: tuple[HandBackStep, ...] = ()
    coach: str = ""  # budget coach organisation / name and phone

    letter_type = "ontzorgen_end"


LETTER_TYPES: dict[str, type[LetterBase]] = {
    cls.letter_type: cls
    for cls in (
        IntakeInvitation,
        PlanSummary,
        PlanFull,
        PipSummary,
        TemporaryProtection,
        OntzorgenDecision,
        PaymentOverview,
        SchoolEnrolment,
        ProgressTalkInvitation,
        OntzorgenEnd,
    )
}

# Dutch names for the staff UI and the batch summary.
TYPE_LABELS_NL = {
    "intake_invitation": staff_message("Uitnodiging brede intake"),
    "plan_summary": staff_message("Samenvatting plan van aanpak"),
    "plan_full": staff_message("Volledig plan van aanpak (intern, niet versturen)"),
    "pip_summary": staff_message("Samenvatting PIP-besluit"),
    "temporary_protection": staff_message("Tijdelijke bescherming: geen PIP, wel hulp"),
    "ontzorgen_decision": staff_message("Besluit ontzorgen"),
    "payment_overview": staff_message("Maandoverzicht betalingen"),
    "school_enrolment": staff_message("Inschrijving taalschool"),
    "progress_talk": staff_message("Uitnodiging voortgangsgesprek"),
    "ontzorgen_end": staff_message("Einde ontzorgen / teruggave"),
}
