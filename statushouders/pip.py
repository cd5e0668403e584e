"""The PIP (persoonlijk plan inburgering en participatie): versioned, with the rules on change.

A PIP is a formal decision, so it is never edited: every change adds a version with a
reason and the old one stays readable. A route switch is only allowed within 18 months
of the term start; lowering B1 to A2 only after 600 lesson hours, half of them in
person; a move keeps the route. Temporary-protection holders get no PIP at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, plan_policy
from .catalogs import staff_message
from .catalogs import staff_text as _
from .models import Person, Pip
from .plan_templates import norms as default_norms
from .register import FormErrors, display_name
from .validation import max_length, parse_id, parse_int, screen_form, text_problem

ROUTES = {"b1": "B1-route", "onderwijs": "Onderwijsroute", "z": "Z-route"}
LANGUAGE_LEVELS = {"B1": "B1", "A2": "A2 (verlaagd)"}
CHANGE_KINDS = {
    "eerste": "Eerste PIP",
    "route": "Wissel van leerroute",
    "a2": "Verlaging B1 naar A2",
    "verhuizing": "Verhuizing (nieuwe gemeente, zelfde route)",
    "huishouden": "Wijziging in het huishouden",
    "anders": "Andere wijziging",
}
TEXT_FIELDS = ("preconditions", "guidance", "map_intensity", "pvt_intensity", "ontzorgen", "monitoring", "vve")
TEXT_LABELS = {
    "preconditions": staff_message("Randvoorwaarden"), "guidance": staff_message("Begeleiding en ondersteuning"),
    "map_intensity": staff_message("Intensiteit MAP"), "pvt_intensity": staff_message("Intensiteit PVT"),
    "ontzorgen": staff_message("Ontzorgen"), "monitoring": staff_message("Voortgang volgen"),
    "vve": staff_message("VVE voor ouders"), "reason": staff_message("Toelichting"),
}


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later (clamped to the month's end)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def no_pip_reason(person: Person) -> str | None:
    """Why this person can have no PIP, or None."""
    if person.residence_status == "temporary_protection":
        return _("Tijdelijke bescherming geeft geen inburgeringsplicht: voor deze persoon wordt geen PIP opgesteld.")
    if not person.integration_duty:
        return _("Deze persoon is niet inburgeringsplichtig: er wordt geen PIP opgesteld.")
    return None


def _int(form: dict, key: str, label: str, errors: dict, low: int, high: int) -> int:
    value = parse_int(form.get(key, ""), low, high)
    if value is None:
        errors[key] = _("{label} moet een geheel getal van {low} tot en met {high} zijn.").format(
            label=label, low=low, high=high)
        return 0
    return value


def check_pip(
    form: dict, previous: Pip | None, person: Person, today: date, norms: dict[str, int] | None = None
) -> tuple[dict, dict[str, str]]:
    """The values of the next PIP version and the messages per field that refuse it."""
    n = norms or default_norms()
    errors: dict[str, str] = {}
    reason = no_pip_reason(person)
    if reason:
        return {}, {"form": reason}
    form, screened = screen_form(form)
    v: dict = {key: str(form.get(key, "") or "").strip() for key in (*TEXT_FIELDS, "reason")}
    for key in (*TEXT_FIELDS, "reason"):
        problem = text_problem(v[key], _(TEXT_LABELS[key]), max_length(key))
        if problem:
            errors[key], v[key] = problem, ""
    v["route"] = str(form.get("route", "") or "")
    if v["route"] not in ROUTES:
        errors["route"] = _("Kies de leerroute: B1-route, onderwijsroute of Z-route.")
    v["language_level"] = str(form.get("language_level", "") or "B1")
    if v["language_level"] not in LANGUAGE_LEVELS:
        errors["language_level"] = _("Taalniveau is B1 of A2.")
    elif v["language_level"] == "A2" and v["route"] != "b1":
        errors["language_level"] = _("Verlagen naar A2 kan alleen binnen de B1-route.")
    v["duration_months"] = _int(form, "duration_months", _("Duur van de leerroute (maanden)"), errors, 1,
                                n["term_years"] * 12)
    v["ontzorgen_months"] = _int(form, "ontzorgen_months", _("Duur ontzorgen (maanden)"), errors, 0, 60)
    if "ontzorgen_months" not in errors:
        if 0 < v["ontzorgen_months"] < n["ontzorgen_min_months"]:
            errors["ontzorgen_months"] = _(
                "Ontzorgen duurt minstens de eerste {months} maanden; "
                "kies 0 en beschrijf het alternatief op maat als het niet past."
            ).format(months=n["ontzorgen_min_months"])
        if v["ontzorgen_months"] == 0 and not v["ontzorgen"]:
            errors["ontzorgen"] = _("Zonder ontzorgen: beschrijf het alternatief op maat (bijvoorbeeld budgetcoach).")
    linked = str(form.get("linked_person_id", "") or "").strip()
    v["linked_person_id"] = parse_id(linked)
    if linked and v["linked_person_id"] is None:
        errors["linked_person_id"] = _("Koppel alleen aan een inburgeringsplichtig gezinslid in dezelfde gemeente.")
    if v["linked_person_id"] == person.id:
        errors["linked_person_id"] = _("Koppel het PIP aan een ander gezinslid, niet aan de persoon zelf.")
    v["change_kind"] = "eerste" if previous is None else str(form.get("change_kind", "") or "")
    if previous is not None:
        if v["change_kind"] not in CHANGE_KINDS or v["change_kind"] == "eerste":
            errors["change_kind"] = _("Kies waarom het PIP verandert (wissel, verlaging, verhuizing, huishouden, anders).")
        if not v["reason"] and "reason" not in errors:
            errors["reason"] = _("Een nieuwe PIP-versie heeft een reden nodig; de oude versie blijft leesbaar.")
        _check_change(v, previous, today, n, errors)
    errors.update(screened)
    return v, errors


def _check_change(v: dict, previous: Pip, today: date, n: dict[str, int], errors: dict[str, str]) -> None:
    route_changed = v["route"] in ROUTES and v["route"] != previous.route
    if route_changed:
        limit = add_months(previous.term_start, n["route_switch_months"])
        if today > limit:
            errors["route"] = _(
                "Een wissel van leerroute kan alleen binnen {months} maanden na de start van de "
                "inburgeringstermijn ({term_start}); die grens was {limit}."
            ).format(months=n["route_switch_months"], term_start=previous.term_start.isoformat(),
                     limit=limit.isoformat())
        elif v["change_kind"] not in ("route", "") and "change_kind" not in errors:
            errors["change_kind"] = _("De leerroute verandert: kies 'Wissel van leerroute' als reden.")
    if v["change_kind"] == "route" and not route_changed and "route" not in errors:
        errors["route"] = _("Kies de nieuwe leerroute: die is nu gelijk aan de vorige versie.")
    if v["change_kind"] == "verhuizing" and route_changed:
        errors["route"] = _("Bij een verhuizing schrijft de nieuwe gemeente een nieuw PIP met dezelfde leerroute.")
    if previous.language_level == "B1" and v["language_level"] == "A2":
        hours, in_person = previous.lesson_hours, previous.in_person_hours
        if hours < n["a2_min_hours"] or in_person * 100 < hours * n["a2_min_in_person_percent"]:
            errors["language_level"] = _(
                "Verlagen van B1 naar A2 kan pas na minstens {min_hours} lesuren, waarvan minstens "
                "{min_percent}% fysiek. Vastgelegd: {hours} uur, waarvan {in_person} fysiek."
            ).format(min_hours=n["a2_min_hours"], min_percent=n["a2_min_in_person_percent"], hours=hours,
                     in_person=in_person)
        elif v["change_kind"] != "a2" and "change_kind" not in errors:
            errors["change_kind"] = _("Het taalniveau gaat omlaag: kies 'Verlaging B1 naar A2' als reden.")


def current_pip(session: Session, person_id: int) -> Pip | None:
    return session.scalar(select(Pip).where(Pip.person_id == person_id, Pip.current.is_(True)))


def decide_pip(session, actor, person_id: int, form: dict, today: date, norms: dict | None = None) -> Pip:
    """Add the next PIP version (the first one included); raises ``FormErrors`` per field."""
    person, _groups = plan_policy.open_person(session, actor, person_id, today)
    plan_policy.require_regie(actor, person, _("het PIP vaststellen of wijzigen"))
    previous = current_pip(session, person_id)
    if previous is None and no_pip_reason(person) is None:
        from .models import Plan

        plan = session.scalar(select(Plan).where(Plan.person_id == person_id))
        if plan is None or plan.intake_held_at is None:
            raise FormErrors({"form": _(
                "Eerst de brede intake houden en als gehouden vastleggen (met de leerbaarheidstoets); "
                "daarna kan het PIP worden vastgesteld.")})
    values, errors = check_pip(form, previous, person, today, norms)
    if values.get("linked_person_id") and "linked_person_id" not in errors:
        other = session.get(Person, values["linked_person_id"])
        if other is None or other.municipality != person.municipality or no_pip_reason(other):
            errors["linked_person_id"] = _("Koppel alleen aan een inburgeringsplichtig gezinslid in dezelfde gemeente.")
    if errors:
        raise FormErrors(errors)
    if previous is not None:
        previous.current = False
        session.flush()
    pip = Pip(
        person_id=person_id,
        version=(previous.version + 1) if previous else 1,
        current=True,
        decided_on=today,
        term_start=previous.term_start if previous else today,
        lesson_hours=previous.lesson_hours if previous else 0,
        in_person_hours=previous.in_person_hours if previous else 0,
        # an extension of the term (a birth) and a pause of the lessons stay in every later version
        term_extension_months=previous.term_extension_months if previous else 0,
        lessons_paused_from=previous.lessons_paused_from if previous else None,
        lessons_paused_until=previous.lessons_paused_until if previous else None,
        created_at=datetime.now(timezone.utc),
        created_by=actor.user_id,
        **values,
    )
    session.add(pip)
    session.flush()
    from .budget import service as budget_service  # the PIP's ontzorgen term is the arrangement's term

    budget_service.follow_pip(session, person_id, pip.ontzorgen_months, pip.ontzorgen)
    if previous is None:
        from . import plans

        plans.close_on_pip(session, actor, person_id)
    audit.record(
        session, actor, audit.CHANGE, f"PIP versie {pip.version} vastgesteld ({CHANGE_KINDS[pip.change_kind]})",
        "PIP", person_id,
    )
    return pip


def record_hours(session, actor, person_id: int, lesson_hours: str, in_person_hours: str, today: date) -> Pip:
    """Progress, not a decision: the taalschool or regisseur updates hours on the current version."""
    plan_policy.require_record_hours(actor)
    plan_policy.open_person(session, actor, person_id, today)
    pip = current_pip(session, person_id)
    if pip is None:
        raise FormErrors({"lesson_hours": _("Er is nog geen PIP vastgesteld voor deze persoon.")})
    errors: dict[str, str] = {}
    hours = _int({"h": lesson_hours}, "h", _("Lesuren"), errors, 0, 5000)
    in_person = _int({"h": in_person_hours}, "h", _("Fysieke lesuren"), errors, 0, 5000)
    if errors:
        raise FormErrors({"lesson_hours": errors["h"]})
    if in_person > hours:
        raise FormErrors({"in_person_hours": _("Fysieke lesuren kunnen niet meer zijn dan het totaal aantal lesuren.")})
    pip.lesson_hours, pip.in_person_hours = hours, in_person
    audit.record(session, actor, audit.CHANGE, f"lesuren vastgelegd: {hours} ({in_person} fysiek)", "voortgang", person_id)
    return pip


@dataclass(frozen=True)
class PipSummary:
    """One PIP version in words, for the plan page and for letters."""

    person_id: int
    person_name: str
    version: int
    current: bool
    decided_on: str
    term_start: str
    term_end: str
    route: str
    language_level: str
    duration_months: int
    preconditions: str
    guidance: str
    map_intensity: str
    pvt_intensity: str
    ontzorgen: str
    monitoring: str
    vve: str
    lesson_hours: int
    in_person_hours: int
    change: str
    reason: str
    term_extension: str = ""  # "4 maanden verlengd" when a birth (or another reason) extended the term
    lessons_paused: str = ""  # "2027-03-01 t/m 2027-06-21"


def _summary(pip: Pip, person: Person, n: dict[str, int]) -> PipSummary:
    ontzorgen = (
        f"{pip.ontzorgen_months} maanden" + (f": {pip.ontzorgen}" if pip.ontzorgen else "")
        if pip.ontzorgen_months else f"geen ontzorgen; alternatief: {pip.ontzorgen}"
    )
    return PipSummary(
        person_id=person.id, person_name=display_name(person), version=pip.version, current=pip.current,
        decided_on=pip.decided_on.isoformat(), term_start=pip.term_start.isoformat(),
        term_end=add_months(pip.term_start, n["term_years"] * 12 + pip.term_extension_months).isoformat(),
        route=ROUTES[pip.route], language_level=LANGUAGE_LEVELS[pip.language_level] if pip.route == "b1" else "",
        duration_months=pip.duration_months, preconditions=pip.preconditions, guidance=pip.guidance,
        map_intensity=pip.map_intensity, pvt_intensity=pip.pvt_intensity, ontzorgen=ontzorgen,
        monitoring=pip.monitoring, vve=pip.vve, lesson_hours=pip.lesson_hours, in_person_hours=pip.in_person_hours,
        change=CHANGE_KINDS[pip.change_kind], reason=pip.reason,
        term_extension=f"{pip.term_extension_months} maanden verlengd" if pip.term_extension_months else "",
        lessons_paused=(f"{pip.lessons_paused_from.isoformat()} t/m {pip.lessons_paused_until.isoformat()}"
                        if pip.lessons_paused_from and pip.lessons_paused_until else ""),
    )


def pip_summary(session: Session, person_id: int) -> PipSummary | None:
    """The current PIP of a person in words (no access check: the caller has done it), for letters."""
    pip = current_pip(session, person_id)
    if pip is None:
        return None
    return _summary(pip, session.get(Person, person_id), default_norms())


def pip_versions(session: Session, person_id: int) -> list[PipSummary]:
    """Every version, newest first: old versions stay readable."""
    person = session.get(Person, person_id)
    rows = session.scalars(select(Pip).where(Pip.person_id == person_id).order_by(Pip.version.desc())).all()
    return [_summary(p, person, default_norms()) for p in rows]


def linked_pips(session: Session, person_id: int) -> list[PipSummary]:
    """The current PIPs of household members linked to this person's PIP (either direction)."""
    mine = current_pip(session, person_id)
    others = set(
        session.scalars(
            select(Pip.person_id).where(Pip.current.is_(True), Pip.linked_person_id == person_id)
        ).all()
    )
    if mine is not None and mine.linked_person_id:
        others.add(mine.linked_person_id)
    others.discard(person_id)
    return [s for s in (pip_summary(session, pid) for pid in sorted(others)) if s is not None]


__all__ = [
    "CHANGE_KINDS", "LANGUAGE_LEVELS", "ROUTES", "PipSummary", "check_pip", "current_pip", "decide_pip",
    "linked_pips", "no_pip_reason", "pip_summary", "pip_versions", "record_hours",
]
