"""Life events: something in the person's life that changes the plan, the PIP and the budget.

One form per event. ``preview`` returns what recording it will change, in words, without
changing anything; ``record`` makes exactly those changes in one transaction, keeps the
event with its changes on the plan's timeline, and says which letter the person gets.

- **birth**: the child joins the household; lessons pause (configurable weeks); a new PIP
  version extends the term and records the reason (the person gets the PIP change letter);
  the budget's household (kind and leefgeld norm per child) follows; actions for child benefit
  and for childcare after the pause.
- **work_start / work_end**: the net wages reach the budget (the benefit is reduced by the
  configured rules) or stop; work plus lessons above the configured weekly load is an
  attendance risk, with an action to combine (evening or dual lessons).
- **lessons_paused / lessons_stopped**: with the cause; an action for the partner who can
  remove it (no childcare: the gemeente arranges it).
- **family_arrival**: a family member arrives (reunification): household, budget, actions.
- **move**: to another municipality: the hand-over actions.

Only the regisseur records events. Every line of the timeline belongs to a field group, so
a partner reads only what its role may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, plan_policy, policy
from .catalogs import staff_message
from .catalogs import staff_text as _
from .models import HouseholdMember, LifeEvent, Person, Plan, PlanAction
from .plan_templates import facts_config, norms
from .policy import Actor
from .register import FormErrors
from .validation import (
    RELATIONSHIPS, check_birth_date, check_text, max_length, parse_date, parse_id, parse_int, screen_form,
)

KINDS = {
    "birth": staff_message("Geboorte van een kind"),
    "work_start": staff_message("Begint met werk"),
    "work_end": staff_message("Stopt met werk"),
    "lessons_paused": staff_message("Lessen tijdelijk gestopt (pauze)"),
    "lessons_stopped": staff_message("Gestopt met de lessen"),
    "family_arrival": staff_message("Gezinslid aangekomen (gezinshereniging)"),
    "move": staff_message("Verhuizing naar een andere gemeente"),
}
CAUSES = {
    "childcare": staff_message("Geen kinderopvang"),
    "pregnancy": staff_message("Zwangerschap of bevalling"),
    "health": staff_message("Gezondheid"),
    "work": staff_message("Werk op lestijden"),
    "care": staff_message("Zorg voor een gezinslid"),
    "other": staff_message("Anders"),
}
NOT_TO_BLAME = ("pregnancy", "health")  # a pause for these extends the term with a new PIP version
# Who can remove the cause: (organisation kind, life domain, what they do).
CAUSE_ACTIONS = {
    "childcare": ("gemeente", "gezin", "Kinderopvang regelen zodat de lessen weer kunnen"),
    "pregnancy": ("gemeente", "gezin", "Na de bevalling bespreken wanneer de lessen weer beginnen"),
    "health": ("vwn", "gezondheid", "Bespreken wat nodig is om weer naar de les te gaan (huisarts, aanpassing)"),
    "work": ("taalschool", "inburgering", "Avondles of een duaal traject voorstellen, naast het werk"),
    "care": ("vwn", "gezin", "Hulp bij de zorg voor het gezinslid zoeken zodat de lessen weer kunnen"),
    "other": ("gemeente", "inburgering", "Gesprek over de lessen: wat is nodig om weer te gaan?"),
}
FIELDS = ("event_kind", "event_on", "member_id", "member_name", "member_relationship", "member_birth_date", "pause_until",
          "extension_months", "hours_per_week", "net_income", "employer", "cause", "note", "municipality")
GROUP_OF_DOMAIN = plan_policy.DOMAIN_GROUPS


@dataclass
class Change:
    """One line of what an event changes; ``group`` is the field group whose readers may see it."""

    group: str
    text: str
    apply: Callable[[], None] | None = field(default=None, compare=False, repr=False)


@dataclass
class Preview:
    kind: str
    on: date
    changes: list[Change]
    warnings: list[str]
    letter: str = ""  # letter type the person gets, "" for none
    details: dict = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _day(form: dict, key: str, label: str, errors: dict, today: date, required: bool = True,
         not_after_today: bool = False) -> date | None:
    from .plans import _parse_day

    return _parse_day(str(form.get(key, "") or ""), key, label, errors, today, required, not_after_today)


def _text(form: dict, key: str, label: str, errors: dict, required: bool = False) -> str:
    try:
        return check_text(form.get(key, ""), label, max_length(key), required=required,
                          required_message=_("{label} is verplicht.").format(label=label))
    except ValueError as exc:
        errors[key] = str(exc)
        return ""


def _number(form: dict, key: str, label: str, errors: dict, low: int, high: int, default: int | None = None) -> int:
    raw = str(form.get(key, "") or "").strip()
    if not raw and default is not None:
        return default
    value = parse_int(raw, low, high)
    if value is None:
        errors[key] = _("{label} is een geheel getal van {low} tot en met {high}.").format(label=label, low=low, high=high)
        return 0
    return value


class _Builder:
    """Collects the changes of one event against the database as it is now."""

    def __init__(self, session: Session, actor: Actor, person: Person, plan: Plan, today: date):
        self.s, self.actor, self.person, self.plan, self.today = session, actor, person, plan, today
        self.changes: list[Change] = []
        self.warnings: list[str] = []
        self.letter = ""

    def add(self, group: str, text: str, apply: Callable[[], None] | None = None) -> None:
        self.changes.append(Change(group, text, apply))

    # --- plan actions ---
    def action(self, owner_kind: str, domain: str, what: str, due: date, subject: str = "", reason: str = "") -> None:
        from .plans import _owner_for

        owner = _owner_for(self.s, self.person, self.plan, owner_kind)

        def apply() -> None:
            self.plan.actions.append(PlanAction(
                domain=domain, what=what, kind="begeleid", owner_id=owner.id, due_date=due, status="open",
                visible_to=[], template="", subject=subject, reason=reason, updated_at=_now(),
            ))

        label = what + (f" ({subject})" if subject else "")
        self.add(GROUP_OF_DOMAIN.get(domain, policy.IDENTITY),
                 _("Nieuwe actie voor {owner}: {what}, uiterlijk {due}").format(owner=owner.name, what=label,
                                                                              due=due.isoformat()), apply)

    # --- household ---
    def member(self, name: str, relationship: str, born: date, arrived_on: date | None = None) -> HouseholdMember:
        row = HouseholdMember(name=name, relationship_kind=relationship, birth_date=born, arrived_on=arrived_on)

        def apply() -> None:
            self.person.household.append(row)

        self.add(policy.FAMILY, _("Huishouden: {name} ({relationship}, geboren {born}) erbij").format(
            name=name, relationship=_(RELATIONSHIPS[relationship]).lower(), born=born.isoformat()), apply)
        return row

    def arrival(self, member: HouseholdMember, on: date) -> None:
        """A member on the file as abroad arrives: from ``on`` part of the household here."""
        def apply() -> None:
            member.abroad, member.arrived_on = False, on

        self.add(policy.FAMILY, _("Huishouden: {name} ({relationship}) aangekomen op {on}, stond in het dossier als "
                                  "in het buitenland").format(name=member.name, on=on.isoformat(),
                                                               relationship=_(RELATIONSHIPS[member.relationship_kind]).lower()),
                 apply)

    # --- budget ---
    def budget_follows_household(self, on: date, new_member: tuple[str, date]) -> None:
        """The budget's household kind and leefgeld norm with the new member, from ``on``."""
        from .budget import config as budget_config
        from .budget import service
        from .budget.leefgeld import Member, leefgeld_norm_for
        from .budget.money import eur
        from .budget.norms import HouseholdPeriod, household_on, month_start, suggest_household
        from .models import BudgetHousehold

        budget = service.budget_of(self.s, self.person.id)
        if budget is None:
            self.warnings.append(_("Er is nog geen budget vastgelegd: financiën legt het huishouden vast bij de uitkering."))
            return
        before = service.to_data(budget, self.person)
        members = [*before.members, Member(*new_member, here_from=on)]
        kind_before = household_on(before.periods, on) or budget_config.SINGLE
        kind_after = suggest_household(self.person.birth_date, [(m.relationship, m.birth_date) for m in members], on)
        changes_kind = kind_after in (budget_config.COUPLE, budget_config.SINGLE_PARENT) and kind_after != kind_before \
            and kind_before != budget_config.COUPLE
        periods = [p for p in before.periods if p.valid_from != on]
        after = replace(before, members=members,
                        periods=sorted([*periods, HouseholdPeriod(on, kind_after)], key=lambda p: p.valid_from)
                        if changes_kind else before.periods)
        month = month_start(max(on, before.benefit_start))
        norm_before, norm_after = leefgeld_norm_for(before, month), leefgeld_norm_for(after, month)
        if changes_kind:
            def apply() -> None:
                row = next((h for h in budget.households if h.valid_from == on), None)
                if row is None:
                    budget.households.append(BudgetHousehold(valid_from=on, kind=kind_after))
                else:
                    row.kind = kind_after
                audit.record(self.s, self.actor, audit.CHANGE, "leefsituatie gewijzigd (levensgebeurtenis)", "budget",
                             self.person.id)

            self.add(policy.FINANCES, _("Budget: leefsituatie vanaf {on} {after} (was {before})").format(
                on=on.isoformat(), after=_(budget_config.HOUSEHOLD_KINDS[kind_after]).lower(),
                before=_(budget_config.HOUSEHOLD_KINDS[kind_before]).lower()), apply)
        if norm_after != norm_before:
            self.add(policy.FINANCES, _("Budget: leefgeldnorm vanaf {month}: {before} → {after} per maand").format(
                month=f"{month:%m-%Y}", before=eur(norm_before), after=eur(norm_after)))

    # --- the PIP ---
    def pip_version(self, reason: str, extension_months: int = 0, paused: tuple[date, date] | None = None,
                    change_kind: str = "huishouden") -> None:
        from . import pip as pip_rules

        previous = pip_rules.current_pip(self.s, self.person.id)
        if previous is None:
            if pip_rules.no_pip_reason(self.person) is None:
                self.warnings.append(_("Er is nog geen PIP: neem dit mee bij het vaststellen van het PIP."))
            return
        total = previous.term_extension_months + extension_months
        term_end = pip_rules.add_months(previous.term_start, norms()["term_years"] * 12 + total)

        def apply() -> None:
            form = {key: getattr(previous, key) or "" for key in (*pip_rules.TEXT_FIELDS, "route", "language_level")}
            form.update(duration_months=str(previous.duration_months),
                        ontzorgen_months=str(previous.ontzorgen_months),
                        linked_person_id=str(previous.linked_person_id or ""), change_kind=change_kind, reason=reason)
            new = pip_rules.decide_pip(self.s, self.actor, self.person.id, form, self.today)
            new.term_extension_months = total
            if paused:
                new.lessons_paused_from, new.lessons_paused_until = paused

        text = _("PIP: nieuwe versie {version} ({kind}): {reason}").format(
            version=previous.version + 1, kind=_(pip_rules.CHANGE_KINDS[change_kind]).lower(), reason=reason)
        if extension_months:
            text += " " + _("Termijn {months} maanden langer: klaar vóór {end}.").format(
                months=extension_months, end=term_end.isoformat())
        self.add(policy.LEARNING, text, apply)
        self.letter = "pip_summary"

    def lesson_hours_per_week(self) -> int:
        return facts_config()["lesson_hours_per_week"]


def _open(session: Session, actor: Actor, person_id: int, today: date) -> tuple[Person, Plan]:
    from .plans import _require_plan

    person, _groups = plan_policy.open_person(session, actor, person_id, today)
    plan_policy.require_regie(actor, person, _("een levensgebeurtenis vastleggen"))
    return person, _require_plan(session, person_id)


def _build(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> tuple[_Builder, dict]:
    person, plan = _open(session, actor, person_id, today)
    form, screened = screen_form({k: form.get(k, "") for k in FIELDS if k in form})
    errors: dict[str, str] = dict(screened)
    kind = str(form.get("event_kind", "") or "")
    if kind not in KINDS:
        raise FormErrors({"event_kind": _("Kies wat er is gebeurd.")})
    on = _day(form, "event_on", _("Datum"), errors, today, not_after_today=kind in ("birth", "family_arrival"))
    note = _text(form, "note", _("Toelichting"), errors)
    b = _Builder(session, actor, person, plan, today)
    details: dict = {"note": note} if note else {}
    HANDLERS[kind](b, form, on or today, errors, details)  # every field's message at once, even without a date
    if errors:
        raise FormErrors(errors)
    if not b.changes:
        raise FormErrors({"event_kind": _("Deze gebeurtenis verandert niets aan plan, PIP of budget.")})
    return b, {"kind": kind, "on": on, "details": details}


def _birth(b: _Builder, form: dict, on: date, errors: dict, details: dict) -> None:
    name = _text(form, "member_name", _("Naam van het kind"), errors, required=True)
    weeks = norms()["birth_lesson_pause_weeks"]
    default_until = on + timedelta(weeks=weeks)
    until = _day(form, "pause_until", _("Lessen gepauzeerd tot"), errors, b.today, required=False) or default_until
    if until <= on:
        errors["pause_until"] = _("De pauze eindigt na de geboortedatum ({on}).").format(on=on.isoformat())
    months = _number(form, "extension_months", _("Termijn verlengen met (maanden)"), errors, 0, 24,
                     default=-(-(until - on).days // 30))
    if errors:
        return
    details.update(name=name, pause_until=until.isoformat(), extension_months=months)
    b.member(name, "child", on)
    b.add(policy.LEARNING, _("Lessen gepauzeerd van {on} tot en met {until}").format(
        on=on.isoformat(), until=until.isoformat()))
    b.pip_version(_("Geboorte van {name} op {on}: lessen gepauzeerd tot en met {until}, termijn {months} maanden "
                    "verlengd.").format(name=name, on=on.isoformat(), until=until.isoformat(), months=months),
                  months, (on, until))
    b.budget_follows_household(on, ("child", on))
    b.action("gemeente", "financien", "Kinderbijslag (SVB) en kindgebonden budget aanvragen", on + timedelta(days=14),
             subject=f"{name} (0 jaar)", reason=_("Levensgebeurtenis: geboorte."))
    b.action("taalschool", "inburgering", "Lessen pauzeren en de herstart plannen", until, reason=_(
        "Levensgebeurtenis: geboorte; lessen gepauzeerd tot {until}.").format(until=until.isoformat()))
    b.action("gemeente", "gezin", "Kinderopvang regelen voor als de lessen weer beginnen",
             until - timedelta(days=28), subject=f"{name} (0 jaar)",
             reason=_("Levensgebeurtenis: geboorte; de lessen beginnen weer op {until}.").format(until=until.isoformat()))


def _work_start(b: _Builder, form: dict, on: date, errors: dict, details: dict) -> None:
    from .budget import checks, config as budget_config, service
    from .budget.money import eur

    hours = _number(form, "hours_per_week", _("Uren per week"), errors, 1, 60)
    employer = _text(form, "employer", _("Werkgever"), errors)
    raw_income = str(form.get("net_income", "") or "").strip()
    income = None
    if raw_income:
        checked = checks.check_budget_line({"line_kind": budget_config.WORK, "line_amount": raw_income,
                                            "line_from": f"{on:%Y-%m}"}, {budget_config.WORK: "werk"}, b.today)
        if "line_amount" in checked.errors:
            errors["net_income"] = checked.errors["line_amount"]
        income = checked.values.get("amount")
    if errors:
        return
    details.update(hours_per_week=hours, employer=employer, net_income=str(income) if income is not None else "")
    b.add(policy.LEARNING, _("Werk: {hours} uur per week vanaf {on}{employer}").format(
        hours=hours, on=on.isoformat(), employer=f" bij {employer}" if employer else ""))
    budget = service.budget_of(b.s, b.person.id)
    if income is not None and budget is not None:
        def apply() -> None:
            service.record_work_income(b.s, b.actor, b.person.id, {
                "line_amount": raw_income, "line_from": f"{on:%Y-%m}", "line_label": employer}, b.today)

        b.add(policy.FINANCES, _("Budget: inkomsten uit werk {amount} netto per maand vanaf {month}; de uitkering "
                                 "gaat omlaag volgens de regels voor inkomsten uit werk").format(
            amount=eur(income), month=f"{on:%m-%Y}"), apply)
    elif income is None and budget is not None:
        b.warnings.append(_("Netto loon onbekend: vraag de loonstrook, dan legt financiën het inkomen vast."))
    from . import pip as pip_rules

    no_lessons = _lessons_paused(b, on) or pip_rules.no_pip_reason(b.person) is not None  # e.g. temporary protection
    lessons = 0 if no_lessons else b.lesson_hours_per_week()
    limit = facts_config()["max_weekly_load_hours"]
    if hours + lessons > limit:
        b.warnings.append(_("Risico op verzuim: werk {hours} uur + lessen {lessons} uur = {total} uur per week, meer dan "
                            "{limit}. Stel avondles of een duaal traject voor.").format(
            hours=hours, lessons=lessons, total=hours + lessons, limit=limit))
        b.action("taalschool", "inburgering", "Lessen combineren met werk: avondles of duaal traject voorstellen",
                 on + timedelta(days=14), reason=_("Werk {hours} uur + lessen {lessons} uur per week is meer dan {limit}.")
                 .format(hours=hours, lessons=lessons, limit=limit))


def _lessons_paused(b: _Builder, on: date) -> bool:
    from . import pip as pip_rules

    current = pip_rules.current_pip(b.s, b.person.id)
    return bool(current and current.lessons_paused_from and current.lessons_paused_until
                and current.lessons_paused_from <= on <= current.lessons_paused_until)


def _work_end(b: _Builder, form: dict, on: date, errors: dict, details: dict) -> None:
    from .budget import config as budget_config, service
    from .budget.money import eur, from_cents
    from .budget.norms import month_start

    budget = service.budget_of(b.s, b.person.id)
    lines = [ln for ln in (budget.lines if budget else []) if ln.kind == budget_config.WORK and ln.months is None
             and ln.start_month <= month_start(on)]
    b.add(policy.LEARNING, _("Werk gestopt op {on}").format(on=on.isoformat()))
    last = month_start(on)
    for line in lines:
        months = (last.year - line.start_month.year) * 12 + last.month - line.start_month.month + 1

        def apply(line=line, months=months) -> None:
            line.months = months
            audit.record(b.s, b.actor, audit.CHANGE, "inkomsten uit werk gestopt (levensgebeurtenis)", "budget",
                         b.person.id)

        b.add(policy.FINANCES, _("Budget: inkomsten uit werk {amount} stoppen na {month}; de volledige uitkering "
                                 "vanaf de maand erna").format(amount=eur(from_cents(line.amount_cents)),
                                                               month=f"{last:%m-%Y}"), apply)


def _lessons(stopped: bool):
    kind = "lessons_stopped" if stopped else "lessons_paused"

    def handler(b: _Builder, form: dict, on: date, errors: dict, details: dict) -> None:
        cause = str(form.get("cause", "") or "")
        if cause not in CAUSES:
            errors["cause"] = _("Kies de reden: daarmee weet de keten wie de oorzaak kan wegnemen.")
        until = None if stopped else _day(form, "pause_until", _("Lessen gepauzeerd tot"), errors, b.today)
        if until is not None and until <= on:
            errors["pause_until"] = _("De pauze eindigt na de begindatum ({on}).").format(on=on.isoformat())
        if errors:
            return
        details.update(cause=cause, pause_until=until.isoformat() if until else "")
        text = (_("Gestopt met de lessen op {on}: {cause}") if stopped
                else _("Lessen gepauzeerd van {on} tot en met {until}: {cause}"))
        b.add(policy.LEARNING, text.format(on=on.isoformat(), until=until.isoformat() if until else "",
                                           cause=_(CAUSES[cause]).lower()))
        if until is not None and cause in NOT_TO_BLAME:  # the municipality extends the term (domain brief)
            months = -(-(until - on).days // 30)
            b.pip_version(_("Lessen gepauzeerd van {on} tot en met {until} ({cause}): termijn {months} maanden "
                            "verlengd.").format(on=on.isoformat(), until=until.isoformat(),
                                                cause=_(CAUSES[cause]).lower(), months=months),
                          months, (on, until), change_kind="anders")
        owner_kind, domain, what = CAUSE_ACTIONS[cause]
        b.action(owner_kind, domain, what, on + timedelta(days=14),
                 reason=_("Levensgebeurtenis: {kind} ({cause}).").format(kind=_(KINDS[kind]).lower(),
                                                                        cause=_(CAUSES[cause]).lower()))
        if stopped:
            b.warnings.append(_("Gestopt met de lessen: beoordeel of het PIP moet veranderen (termijn of route) en of "
                                "de inburgeringstermijn in gevaar komt."))
    return handler


def _family_arrival(b: _Builder, form: dict, on: date, errors: dict, details: dict) -> None:
    from .budget.norms import age_on

    abroad = [m for m in b.person.household if m.abroad]
    waiting = None
    if str(form.get("member_id", "") or "").strip():  # a member on the file as abroad
        wanted = parse_id(form.get("member_id"))
        waiting = next((m for m in abroad if m.id == wanted), None)
        if waiting is None:
            errors["member_id"] = _("Kies een gezinslid dat in het dossier als 'in het buitenland' staat.")
            return
        name, relationship, born = waiting.name, waiting.relationship_kind, waiting.birth_date
    else:
        name = _text(form, "member_name", _("Naam van het gezinslid"), errors, required=True)
        relationship = str(form.get("member_relationship", "") or "")
        if relationship not in RELATIONSHIPS:
            errors["member_relationship"] = _("Kies de relatie (partner, kind, ouder, anders).")
        born = None
        try:
            born = check_birth_date(parse_date(str(form.get("member_birth_date", "") or ""),
                                               _("Geboortedatum gezinslid")), _("Geboortedatum gezinslid"), b.today)
        except ValueError as exc:
            errors["member_birth_date"] = str(exc)
        if errors:
            return
        # The same person typed in again: the member waiting abroad arrives, no second row.
        waiting = next((m for m in abroad if m.name.casefold() == name.casefold() and m.birth_date == born), None)
    details.update(name=name, relationship=relationship, birth_date=born.isoformat())
    if waiting is None:
        b.member(name, relationship, born, arrived_on=on)
    else:
        b.arrival(waiting, on)
    b.budget_follows_household(on, (relationship, born))
    age = age_on(born, on)
    b.action("gemeente", "verblijf", "Inschrijving in de BRP en een eigen brede intake", on + timedelta(days=14),
             subject=f"{name} ({age} jaar)", reason=_("Levensgebeurtenis: gezinshereniging."))
    if 4 <= age < 18:
        b.action("gemeente", "gezin", "Inschrijving op een school (leerplicht)", on + timedelta(days=14),
                 subject=f"{name} ({age} jaar)", reason=_("Levensgebeurtenis: gezinshereniging; kind van {age} jaar.")
                 .format(age=age))
    still_abroad = [m.name for m in abroad if m is not waiting]
    if still_abroad:
        b.warnings.append(_("Nog in het buitenland volgens het dossier: {names}.").format(names=", ".join(still_abroad)))
    elif b.plan.family_reunification:
        def apply() -> None:
            b.plan.family_reunification = False

        b.add(policy.FAMILY, _("Gezinshereniging: niet meer open na de aankomst van {name}").format(name=name), apply)


def _move(b: _Builder, form: dict, on: date, errors: dict, details: dict) -> None:
    from .budget import service

    municipality = _text(form, "municipality", _("Nieuwe gemeente"), errors, required=True)
    if municipality and municipality.lower() == b.person.municipality.lower():
        errors["municipality"] = _("Kies de gemeente waar de persoon naartoe verhuist (niet {municipality}).").format(
            municipality=b.person.municipality)
    if errors:
        return
    details.update(municipality=municipality)
    b.action("gemeente", "verblijf", f"Warme overdracht aan gemeente {municipality}: dossier, plan en PIP",
             on - timedelta(days=14) if on - timedelta(days=14) >= b.today else on,
             reason=_("Levensgebeurtenis: verhuizing."))
    if service.budget_of(b.s, b.person.id) is not None:
        b.action("gemeente", "financien", "Uitkering en directe betalingen beëindigen per de verhuisdatum", on,
                 reason=_("Levensgebeurtenis: verhuizing; de nieuwe gemeente betaalt de uitkering."))
    b.warnings.append(_("Na de verhuizing stelt {municipality} een nieuw PIP vast met dezelfde leerroute.").format(
        municipality=municipality))


HANDLERS = {
    "birth": _birth, "work_start": _work_start, "work_end": _work_end, "lessons_paused": _lessons(False),
    "lessons_stopped": _lessons(True), "family_arrival": _family_arrival, "move": _move,
}


def preview(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> Preview:
    """What recording this event would change; changes nothing. Raises ``FormErrors`` per field."""
    b, event = _build(session, actor, person_id, form, today)
    return Preview(event["kind"], event["on"], b.changes, b.warnings, b.letter, event["details"])


def record(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> Preview:
    """Make the changes the preview showed, keep the event on the timeline, and audit it."""
    from .plans import _log

    b, event = _build(session, actor, person_id, form, today)
    for change in b.changes:
        if change.apply is not None:
            change.apply()
            session.flush()
    session.add(LifeEvent(
        person_id=person_id, kind=event["kind"], on=event["on"], details=event["details"],
        changes=[{"group": c.group, "text": c.text} for c in b.changes] + [
            {"group": policy.IDENTITY, "text": w, "warning": True} for w in b.warnings],
        created_at=_now(), created_by=actor.user_id,
    ))
    _log(session, actor, b.plan, f"levensgebeurtenis {KINDS[event['kind']].lower()} op {event['on'].isoformat()}: "
         f"{len(b.changes)} wijziging(en)")
    session.flush()
    return Preview(event["kind"], event["on"], b.changes, b.warnings, b.letter, event["details"])


def timeline(session: Session, actor: Actor, person_id: int, groups: frozenset[str]) -> list[dict]:
    """The events, newest first, with only the lines the actor's field groups may read."""
    is_regie = plan_policy.is_regie(actor, session.get(Person, person_id))
    rows = session.scalars(select(LifeEvent).where(LifeEvent.person_id == person_id)
                           .order_by(LifeEvent.on.desc(), LifeEvent.id.desc())).all()
    out = []
    for row in rows:
        lines = [c["text"] for c in row.changes if is_regie or c.get("group") in groups]
        out.append({"on": row.on.isoformat(), "kind": _(KINDS.get(row.kind, row.kind)), "lines": lines,
                    "hidden": len(row.changes) - len(lines)})
    return out


def kinds_options() -> list[tuple[str, str]]:
    return [(k, _(v)) for k, v in KINDS.items()]


def causes_options() -> list[tuple[str, str]]:
    return [(k, _(v)) for k, v in CAUSES.items()]
