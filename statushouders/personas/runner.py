"""The persona flow runner: replay a persona through the product's real code paths and report the klantreis.

The runner drives the same domain functions the app calls (register, joint intake, plan from the
templates, PIP, letters, budget, payment runs with four eyes, then the persona's events over time)
against a scratch SQLite database, never the production ``DATABASE_URL``. A change that breaks a real
flow breaks the persona run. The result is a ``Journey``: dated timeline steps (partner, letters with
language, leefgeld per month) and ``Finding``s from ``checks``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import auth, callbacks, db, languages, life_events, pip, plan_templates, plans, register, seed, validation
from ..catalogs import staff_text as _
from ..budget import leefgeld as budget_leefgeld
from ..budget import runs, service, views
from ..budget.config import CATEGORIES as COST_CATEGORIES, HOUSEHOLD_KINDS
from ..budget.norms import HouseholdPeriod, add_months, household_on, month_start
from ..models import (
    Consent, DomainAssessment, LetterRecord, LifeEvent, Organisation, Payment, Person, Pip, Plan, PlanAction, User,
)
from . import checks, forms, schema
from .checks import Finding
from .labels import euro

INTAKE_AFTER_DAYS = 14  # the joint intake two weeks after the BRP registration
BUDGET_MONTHS = 6  # payment runs for the first months of the benefit (the ontzorgen minimum)


class RunnerError(RuntimeError):
    """The flow stopped: a real code path refused the persona (the message says where)."""


@dataclass
class Step:
    """One dated step of the klantreis."""

    on: date
    step: str  # short Dutch label: "Registratie", "Brede intake", ...
    partner: str  # the organisation involved
    detail: str = ""
    letters: list[tuple[str, str]] = field(default_factory=list)  # (letter type, language)


@dataclass
class Journey:
    """The klantreis of one persona: timeline, money per month and findings."""

    persona_id: str
    name: str
    title: str
    letter_language: str
    route: str | None
    levels: dict[str, str]
    overall: str | None
    household_kind: str | None
    steps: list[Step] = field(default_factory=list)
    money: dict[str, checks.MonthMoney] = field(default_factory=dict)  # "YYYY-MM" -> leefgeld, available, norm
    transferred: dict[str, Decimal] = field(default_factory=dict)  # "YYYY-MM" -> paid by the approved run
    unpaid: dict[str, str] = field(default_factory=dict)  # "YYYY-MM" -> why the run was not approved (blocking warning)
    letters: list[tuple[str, str]] = field(default_factory=list)  # every letter produced (type, language)
    pip_versions: list[tuple[int, date, str]] = field(default_factory=list)  # (version, decided on, change kind)
    findings: list[Finding] = field(default_factory=list)
    expected: tuple[str, ...] = ()
    seconds: float = 0.0
    own_name: str = ""  # the name in the person's own script (Ge'ez, Arabic)
    language_input: str = ""  # the letter language as the persona file gives it (ar_YE), before the catalog (ar)

    differences: list[str] = field(default_factory=list)  # where the product decided otherwise than expected

    def compare(self, exp: schema.Expected) -> None:
        """After the run: the persona's expectations next to what the product decided (never the other way)."""
        def differs(label: str, decided, expected, show=str) -> None:
            if expected not in (None, "", {}) and decided != expected:
                self.differences.append(f"{label}: {show(decided) if decided else 'geen'}, verwacht {show(expected)}")

        self.expected = tuple(exp.findings)
        differs("Leerroute", self.route if self.route else None, exp.route if exp.pip is not False else None,
                lambda r: pip.ROUTES.get(r, r))
        if exp.pip is False and self.route:
            self.differences.append(f"PIP: {pip.ROUTES.get(self.route, self.route)}, verwacht geen PIP")
        differs("Begeleiding overall", self.overall, exp.overall)
        for domain, level in exp.guidance.items():
            differs(f"Begeleiding {plan_templates.DOMAINS.get(domain, domain)}", self.levels.get(domain), level)
        differs("Brieftaal", self.letter_language, exp.letter_language, lambda c: languages.get(c).name_nl)
        if self.money:  # the budget's household (a persona without a budget shares another's)
            differs("Huishouden", self.household_kind, exp.household_kind, lambda k: HOUSEHOLD_KINDS.get(k, k))

    @property
    def found_ids(self) -> list[str]:
        return [f.check for f in self.findings]

    @property
    def unexpected_blocking(self) -> list[Finding]:
        """Blocking findings the persona file does not expect: these make the CLI exit non-zero."""
        return [f for f in self.findings if f.blocking and f.check not in self.expected]

    @property
    def missing(self) -> list[str]:
        """Expected findings the flow did not produce (the persona file or the product changed)."""
        return [c for c in self.expected if c not in self.found_ids]

    @property
    def ok(self) -> bool:
        return not self.unexpected_blocking and not self.differences


# --- the scratch database ------------------------------------------------------------------------

_TEMPLATE: dict[str, Path] = {}


def _seed_chain(session: Session) -> None:
    """The chain organisations and users of ``seed`` (not the demo persons)."""
    orgs = {}
    for name, kind, municipality, address, phone, hours in seed.ORGANISATIONS:
        orgs[name] = Organisation(name=name, kind=kind, municipality=municipality, address=address, phone=phone,
                                  phone_hours=hours, email=f"info@{name.lower().replace(' ', '-')}.example.nl")
        session.add(orgs[name])
    password_hash = auth.hash_password(seed.DEMO_PASSWORD)
    for username, full_name, org, role in seed.USERS:
        session.add(User(username=username, full_name=full_name, password_hash=password_hash,
                         organisation=orgs[org], role=role))
    session.flush()


def _template_db() -> Path:
    """A migrated and seeded SQLite file, made once per process and copied for every persona."""
    path = _TEMPLATE.get("path")
    if path is None or not path.exists():
        folder = Path(tempfile.mkdtemp(prefix="personas-template-"))
        path = folder / "template.sqlite"
        url = f"sqlite:///{path}"
        db.migrate(url)
        with db.session_scope(url) as session:
            _seed_chain(session)
        db.engine_for(url).dispose()
        _TEMPLATE["path"] = path
    return path


def scratch_url(folder: Path, name: str) -> str:
    """A fresh scratch database for one persona (a copy of the migrated, seeded template)."""
    target = folder / f"{name}.sqlite"
    shutil.copyfile(_template_db(), target)
    return f"sqlite:///{target}"


# --- helpers ---------------------------------------------------------------------------------------


def _actor(session: Session, username: str):
    return auth.actor_for(session.scalars(select(User).where(User.username == username)).one())


def _still_sees(session: Session, user: User, person_id: int, day: date) -> bool:
    """Whether a partner's user can still open the person's file (after a consent was withdrawn)."""
    from .. import plan_policy
    from ..policy import AccessDenied

    try:
        plan_policy.open_person(session, auth.actor_for(user), person_id, day)
    except AccessDenied:
        return False
    return True


def _org(session: Session, kind: str) -> Organisation:
    return session.scalars(select(Organisation).where(Organisation.kind == kind).order_by(Organisation.id)).first()


def _month_key(day: date) -> str:
    return f"{day:%Y-%m}"


class _Flow:
    """The state of one persona's run: the session, the actors and the journey being written."""

    def __init__(self, session: Session, persona: schema.Persona):
        self.s = session
        self.p = persona
        self.regisseur = _actor(session, "regisseur")
        self.fin = _actor(session, "financien")
        self.fin2 = _actor(session, "financien2")
        self.gemeente = self.regisseur.organisation
        self.j = Journey(persona.id, persona.display_name, persona.title, "", None, {},
                         None, None, own_name=persona.identity.name_own_script)
        self.person: Person | None = None
        self.intake_day: date | None = None
        self.arrivals: list[date] = []
        self.letter_failures: list[str] = []
        self.households_at: list[tuple[date, list[dict]]] = []
        self.withdrawn: list[tuple[date, Organisation]] = []  # consents the person withdrew
        self.records: list[tuple[LetterRecord, date]] = []  # every letter produced, with the date it carries
        self.callback_language = ""  # the language the regisseur's call-back list named
        self.callback_unseen = ""  # why the regisseur did not find the person's "call me" request

    def step(self, on: date, label: str, partner: str, detail: str = "") -> Step:
        s = Step(on, label, partner, detail)
        self.j.steps.append(s)
        return s

    def letter(self, step: Step, letter_type: str, today: date, options: dict | None = None) -> None:
        """Produce one real letter (archive.produce: access check, render, store, audit)."""
        from ..letters import archive, sources

        try:
            record = archive.produce(self.s, self.regisseur, self.person.id, letter_type, options or {}, today)
        except sources.NotAvailable as exc:
            self.letter_failures.append(f"{letter_type}: {exc}")
            return
        step.letters.append((letter_type, record.language))
        self.j.letters.append((letter_type, record.language))
        self.records.append((record, today))

    # --- the chain steps -------------------------------------------------------------------------

    def register(self) -> None:
        p, r = self.p, self.p.residence
        if r.permit_date:
            self.step(r.permit_date, "Verblijfsvergunning", "IND", f"Status: {str(validation.RESIDENCE_STATUSES.get(r.status, r.status)).lower()}")
        if r.koppeling_date:
            self.step(r.koppeling_date, "Koppeling aan gemeente", "COA", f"Gekoppeld aan {r.municipality} ({r.azc or 'AZC'})")
        self.person = register.register(self.s, self.regisseur, *schema.registration_args(p))
        self.j.letter_language = self.person.letter_language
        self.j.language_input = p.languages.letter
        today = r.registered_on
        taalschool, vwn, coach = _org(self.s, "taalschool"), _org(self.s, "vwn"), _org(self.s, "budgetcoach")
        if self.person.integration_duty:
            register.link_partner(self.s, self.regisseur, self.person.id, taalschool.id, today)
        for org in (vwn, coach):
            register.record_consent(self.s, self.regisseur, self.person.id, org.id, self.person.letter_language,
                                    p.languages.interpreter_needed, today)
        self.households_at.append((today, schema.registration_household(p)))
        self.step(today, "Inschrijving BRP en registratie", self.gemeente,
                  f"Dossier aangemaakt; brieftaal {languages.get(self.person.letter_language).name_nl}, "
                  f"kanaal {str(validation.CHANNELS.get(p.languages.preferred_channel, '')).lower()}")
        if r.housing_offer_date:
            self.step(r.housing_offer_date, "Woningaanbod", self.gemeente, r.address)
        if r.move_date and r.move_date > r.registered_on:
            register.set_move_date(self.s, self.regisseur, self.person.id, r.move_date.isoformat(), r.move_date)
            self.step(r.move_date, "Verhuizing naar de gemeente", "COA", r.address)

    def intake(self) -> None:
        p = self.p
        self.intake_day = day = p.residence.registered_on + timedelta(days=INTAKE_AFTER_DAYS)
        pid = self.person.id
        plans.schedule_intake(self.s, self.regisseur, pid, f"{day.isoformat()}T10:00", "Stadhuis Hilversum",
                              p.residence.registered_on, reason="op verzoek van de persoon")
        invited = ["coa", "vwn", "budgetcoach"] + (["taalschool"] if self.person.integration_duty else [])
        for kind in invited:
            plans.invite(self.s, self.regisseur, pid, _org(self.s, kind).id, p.residence.registered_on)
        step = self.step(p.residence.registered_on, "Uitnodiging brede intake", self.gemeente, f"Intake op {day:%d-%m-%Y}")
        self.letter(step, "intake_invitation", p.residence.registered_on,
                    {"date": day.isoformat(), "time": "10:00", "place": "Stadhuis Hilversum"})
        for kind in invited:
            plans.set_presence(self.s, self.regisseur, pid, _org(self.s, kind).id, True, day)
        plans.save_intake_details(self.s, self.regisseur, pid, forms.intake_details_form(p), day)
        plans.mark_intake_held(self.s, self.regisseur, pid, day)
        for form in forms.assessment_forms(p):
            plans.save_assessment(self.s, self.regisseur, pid, form, day)
        count = plans.generate_draft(self.s, self.regisseur, pid, day)
        self.step(day, "Brede intake en conceptplan", self.gemeente,
                  f"{len(p.self_reliance)} leefgebieden; {count} acties uit de sjablonen")
        no_pip = pip.no_pip_reason(self.person)
        if no_pip:  # the product's own rule (temporary protection, no integration duty)
            step = self.step(day, "Geen PIP", self.gemeente, no_pip)
            if self.person.residence_status == "temporary_protection":  # the letter says why, in both languages
                self.letter(step, "temporary_protection", day)
        else:
            self.decide_pip(day, None, "")
        plans.agree(self.s, self.regisseur, pid, "Afspraken samengevat en teruggevraagd (teach-back)"
                    + (" met tolk." if p.languages.interpreter_needed else "."), day)
        step = self.step(day, "Plan van aanpak afgesproken", self.gemeente, "Plan actief")
        self.letter(step, "plan_summary", day)

    def call_me(self) -> None:
        """Someone who reads little, or prefers the phone, cannot go by the plan letter alone: two days
        later they press "Bel mij" at the gemeente in their own view, and the regisseur must find the
        request on their list and call back."""
        lang = self.p.languages
        if lang.literacy == "literate" and lang.preferred_channel != "phone":
            return
        day = self.intake_day + timedelta(days=2)
        asked_at = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
        org = self.regisseur.organisation_id
        tapped = lang.own_view or self.person.letter_language  # the language the person set in the own view
        asked = callbacks.request(self.s, self.person, org, "", tapped, asked_at)
        self.step(day, "Bel mij: uitleg over het plan gevraagd", self.gemeente, "Terugbelverzoek vanuit de eigen omgeving")
        listed = [r for r in callbacks.open_for_staff(self.s, self.regisseur, day) if r.request_id == asked.request_id]
        if not listed:
            self.callback_unseen = "het verzoek staat niet op de terugbellijst van de regisseur"
            return
        self.callback_language = listed[0].language
        callbacks.mark_handled(self.s, self.regisseur, asked.request_id, asked_at + timedelta(hours=3))
        self.step(day, "Teruggebeld", self.gemeente,
                  f"In het {listed[0].language}" + (", met tolk" if listed[0].interpreter_needed else ""))

    def decide_pip(self, day: date, change_kind: str | None, reason: str, **override) -> None:
        from .. import route_advice

        b = self.p.budget
        wanted = bool(b and b.ontzorgen.wanted)
        current = pip.current_pip(self.s, self.person.id)
        norms = plan_templates.norms()
        plan = plans._plan_of(self.s, self.person.id)
        months = norms["term_years"] * 12
        advice = route_advice.advise(self.person, plan, current.term_start if current else day, months, norms)
        form = {  # the regisseur takes the product's proposal
            "route": current.route if current is not None else advice.route, "duration_months": str(months),
            "preconditions": "Kinderopvang tijdens de lessen" if any(
                m.relationship == "child" for m in self.p.household) else "",
            "guidance": "Begeleiding volgens het plan van aanpak", "map_intensity": "volgens route",
            "pvt_intensity": "volgens route",
            "ontzorgen_months": str((b.ontzorgen.months or 6) if wanted else 0),
            "ontzorgen": "vaste lasten rechtstreeks" if wanted else (b.ontzorgen.reason if b else "huishouden elders"),
            "monitoring": "elke 3 maanden een voortgangsgesprek", "vve": "",
        }
        if current is not None:  # a later version keeps the route and the ontzorgen the PIP holds now
            form.update(ontzorgen_months=str(current.ontzorgen_months), ontzorgen=current.ontzorgen)
        form.update({k: str(v) for k, v in override.items()})
        if change_kind:
            form.update(change_kind=change_kind, reason=reason)
        try:
            row = pip.decide_pip(self.s, self.regisseur, self.person.id, form, day, plan_templates.norms())
        except register.FormErrors as exc:
            if "form" in exc.errors:  # no integration duty: the product refuses a PIP (as it should)
                self.step(day, "Geen PIP", self.gemeente, exc.errors["form"])
                return
            raise
        self.j.pip_versions.append((row.version, row.decided_on, row.change_kind))
        step = self.step(day, f"PIP versie {row.version}" + (f" ({change_kind})" if change_kind else ""),
                         self.gemeente, f"{pip.ROUTES[row.route]}" + (f"; {reason}" if reason else ""))
        self.letter(step, "pip_summary", day)

    def budget(self) -> None:
        p, b = self.p, self.p.budget
        if b is None:
            return
        data = forms.budget_forms(p)
        pid = self.person.id
        day = self.budget_day = max(b.benefit_start, self.intake_day or p.residence.registered_on)
        if not self.person.iban and p.contact.iban:
            data["benefit"]["leefgeld_iban"] = p.contact.iban
        service.save_benefit(self.s, self.fin, pid, data["benefit"], day)
        for cost in data["costs"]:
            service.add_fixed_cost(self.s, self.fin, pid, cost, day)
        for ded in data["deductions"]:
            service.add_deduction(self.s, self.fin, pid, ded, day)
        for allowance in data["allowances"]:
            service.add_allowance(self.s, self.fin, pid, allowance, day)
        service.save_arrangement(self.s, self.fin, pid, data["arrangement"], day)
        partner = self.gemeente + " (financiën)"
        if data["coach"]:
            coach_user = self.s.scalars(select(User).where(User.username == "budgetcoach")).one()
            service.assign_coach(self.s, self.fin, pid, coach_user.id, day)
            partner += ", budgetcoach"
        for line in data["lines"]:  # remittances, informal debts, other income: used in the leefgeld check
            line = {**line, "line_from": f"{day:%Y-%m}"}
            service.add_budget_line(self.s, self.fin, pid, line, day)
        step = self.step(day, "Uitkering en ontzorgen vastgelegd", partner,
                         ("ontzorgen " + str(b.ontzorgen.months or 6) + " maanden") if b.ontzorgen.wanted
                         else "geen ontzorgen: " + b.ontzorgen.reason)
        # the decision letter: what is paid directly until when, or (declined) the agreed alternative
        self.letter(step, "ontzorgen_decision", day)

    def payment_run(self, month: date, first: bool) -> None:
        """One month: prepare (financien) and approve (financien2, four eyes), then read what was paid."""
        today = max(month - timedelta(days=5), self.budget_day)
        try:
            run = runs.prepare_run(self.s, self.fin, month)
        except runs.RunError as exc:
            self.step(today, f"Betaalrun {month:%m-%Y}", self.gemeente + " (financiën)", str(exc))
            return
        blocking = [w for w in runs.approval_summary(self.s, self.fin2, run.id)["warnings"] if w["blocking"]]
        if blocking:  # the approver may not approve: the run is cancelled, nothing is paid this month
            runs.cancel_run(self.s, self.fin2, run.id)
            self.j.unpaid[_month_key(month)] = blocking[0]["message"]
            self.step(today, f"Betaalrun {month:%m-%Y}", self.gemeente + " (financiën)",
                      "Niet goedgekeurd: " + blocking[0]["message"])
            return
        runs.approve_run(self.s, self.fin2, run.id, today)
        overview = views.payment_overview(self.s, self.person.id, month)
        self.j.transferred[_month_key(month)] = overview["leefgeld"]
        step = self.step(today, f"Betaalrun {month:%m-%Y}", self.gemeente + " (financiën)",
                         f"{len(overview['paid'])} vaste lasten betaald; leefgeld € {overview['leefgeld']:.2f}".replace(".", ","))
        if first and overview["paid"]:  # "what we paid for you": only when bills were paid directly
            self.letter(step, "payment_overview", today, {"month": f"{month:%Y-%m}"})

    def money(self) -> None:
        """Leefgeld per month from the real budget rules (benefit - direct costs - deductions)."""
        budget = service.budget_of(self.s, self.person.id)
        if budget is None:
            return
        data = service.to_data(budget, self.s.get(Person, self.person.id))
        start = month_start(self.p.budget.benefit_start)
        for i in range(max(BUDGET_MONTHS, 12)):
            m = add_months(start, i)
            picture = budget_leefgeld.month_picture(data, m)
            self.j.money[_month_key(m)] = checks.MonthMoney(picture.leefgeld, picture.available, picture.norm)

    # --- events ----------------------------------------------------------------------------------

    def event(self, e: schema.Event) -> None:
        handler = getattr(self, f"_on_{e.kind}", None)
        label = EVENT_LABELS.get(e.kind, e.kind)
        if handler is None:
            self.step(e.on, label, "", e.note)
            return
        handler(e, label)

    def _on_family_arrives(self, e: schema.Event, label: str) -> None:
        """Each arriving member through the app's life event: the one waiting abroad on the file, or a new one."""
        names = list(e.data.get("members", []))
        waiting = {m.name: m.id for m in self.s.get(Person, self.person.id).household if m.abroad}
        for m in self.p.household:
            if m.name in names:
                self._life_event(e, label, {"event_kind": "family_arrival", "member_id": str(waiting[m.name])}
                                 if m.name in waiting else
                                 {"event_kind": "family_arrival", "member_name": m.name,
                                  "member_relationship": m.relationship, "member_birth_date": m.birth_date.isoformat()})
        self.arrivals.append(e.on)
        self.households_at.append((e.on, schema.registration_household(self.p, e.on)))
        kind = e.data.get("household_kind")
        budget = service.budget_of(self.s, self.person.id)
        if kind and budget is not None and household_on(
                [HouseholdPeriod(h.valid_from, h.kind) for h in budget.households], e.on) != kind:
            service.add_household_change(self.s, self.fin, self.person.id,
                                         {"change_from": e.on.isoformat(), "change_kind": kind}, e.on)
            self.step(e.on, "Uitkeringsnorm aangepast", self.gemeente + " (financiën)", f"Norm: {HOUSEHOLD_KINDS.get(kind, kind).lower()}")
        if pip.current_pip(self.s, self.person.id) is not None:
            self.decide_pip(e.on + timedelta(days=14), "huishouden", "Gezin herenigd: " + ", ".join(names))

    def _life_event(self, e: schema.Event, label: str, form: dict) -> None:
        """The app's own life event form (``life_events.record``), as the regisseur fills it in: what it
        changed (household, lessons, PIP, budget, actions) and its warnings go on the klantreis."""
        done = life_events.record(self.s, self.regisseur, self.person.id,
                                  {"event_on": e.on.isoformat(), "note": e.note, **form}, e.on)
        step = self.step(e.on, label, self.gemeente, "; ".join([c.text for c in done.changes] + done.warnings))
        row = pip.current_pip(self.s, self.person.id)
        if row is not None and row.decided_on == e.on and (row.version, row.decided_on, row.change_kind) \
                not in self.j.pip_versions:
            self.j.pip_versions.append((row.version, row.decided_on, row.change_kind))
        if done.letter:
            self.letter(step, done.letter, e.on)

    def _on_child_born(self, e: schema.Event, label: str) -> None:
        """Household, paused lessons, a PIP version with a longer term, budget, child benefit actions."""
        self._life_event(e, label, {"event_kind": "birth", "member_name": e.data.get("name", "")})

    def _on_pregnancy(self, e: schema.Event, label: str) -> None:
        """Pregnancy leave: the lessons pause from ``on`` until the due date (the birth pauses them further)."""
        self._life_event(e, label, {"event_kind": "lessons_paused", "cause": "pregnancy",
                                    "pause_until": e.data["due_on"].isoformat()})

    def _on_pauses_lessons(self, e: schema.Event, label: str) -> None:
        self._life_event(e, label, {"event_kind": "lessons_paused", "cause": e.data["cause"],
                                    "pause_until": e.data["until"].isoformat()})

    def _on_stops_lessons(self, e: schema.Event, label: str) -> None:
        self._life_event(e, label, {"event_kind": "lessons_stopped", "cause": e.data["cause"]})

    def _on_falls_ill(self, e: schema.Event, label: str) -> None:
        """Ill: the lessons pause for health until the persona's next ``recovers`` (three months without one)."""
        back = next((x.on for x in self.p.events if x.kind == "recovers" and x.on > e.on), e.on + timedelta(days=90))
        self._life_event(e, label, {"event_kind": "lessons_paused", "cause": "health",
                                    "pause_until": (back - timedelta(days=1)).isoformat(),
                                    "note": "; ".join(filter(None, [e.data.get("limitation", ""), e.note]))})

    def _on_finds_job(self, e: schema.Event, label: str) -> None:
        """Wages reach the budget (the benefit is reduced); work plus lessons above the weekly load is a risk."""
        self._life_event(e, label, {"event_kind": "work_start", "hours_per_week": str(e.data["hours_per_week"]),
                                    "net_income": forms.amount_nl(e.data["net_income"])})

    def _on_loses_job(self, e: schema.Event, label: str) -> None:
        self._life_event(e, label, {"event_kind": "work_end"})

    def _on_consent_withdrawn(self, e: schema.Event, label: str) -> None:
        """The person withdraws a partner's consent: that partner no longer sees the file."""
        org = _org(self.s, e.data["organisation"])
        consent = self.s.scalars(select(Consent).where(Consent.person_id == self.person.id,
                                                       Consent.organisation_id == org.id,
                                                       Consent.withdrawn_at.is_(None))).first()
        if consent is not None:
            register.withdraw_consent(self.s, self.regisseur, consent.id, e.on)
        self.withdrawn.append((e.on, org))
        self.step(e.on, label, self.gemeente, f"Toestemming ingetrokken voor {org.name}" + (f" — {e.note}" if e.note else ""))

    def _on_moves_municipality(self, e: schema.Event, label: str) -> None:
        to = e.data.get("municipality", "")
        self.step(e.on, label, self.gemeente, f"Naar {to}; overdracht van het dossier" + (f" — {e.note}" if e.note else ""))
        if pip.current_pip(self.s, self.person.id) is not None:
            self.decide_pip(e.on, "verhuizing", f"Verhuisd naar {to}; nieuwe gemeente neemt het PIP over")

    def _on_ontzorgen_starts(self, e: schema.Event, label: str) -> None:
        if service.budget_of(self.s, self.person.id) is None:
            self.step(e.on, label, "", e.note)
            return
        reason = e.note or "Alsnog ontzorgen na gemiste betalingen."
        if pip.current_pip(self.s, self.person.id) is not None:  # the PIP holds the term: a new version first
            self.decide_pip(e.on, "anders", reason, ontzorgen_months=6, ontzorgen=reason)
        form = {"ontzorgen_months": "6", "ontzorgen_reason": reason}
        for category in forms.CORE_COSTS:
            form[f"mode_{category}"] = "direct"
        service.save_arrangement(self.s, self.fin, self.person.id, form, e.on)
        self.step(e.on, label, self.gemeente + " (financiën)", e.note)

    def _on_missed_payment(self, e: schema.Event, label: str) -> None:
        self.step(e.on, label, "budgetcoach" if self.p.budget and self.p.budget.coach else "",
                  f"{COST_CATEGORIES.get(e.data['category'], e.data['category'])} {euro(e.data['amount'])}"
                  + (f" — {e.note}" if e.note else ""))

    # --- findings --------------------------------------------------------------------------------

    def findings(self) -> list[Finding]:
        s, p, pid = self.s, self.p, self.person.id
        today = max([p.residence.registered_on, *(e.on for e in p.events)])
        norms = plan_templates.norms()
        plan = s.scalars(select(Plan).where(Plan.person_id == pid)).one()
        kinds = dict(s.execute(select(Organisation.id, Organisation.kind)).all())
        rows = s.scalars(select(PlanAction).where(PlanAction.plan_id == plan.id)).all()
        able = {org_id for org_id in {a.owner_id for a in rows} if self._org_sees(org_id, today)}
        actions = [{"domain": a.domain, "what": a.what, "kind": a.kind,
                    "owner": kinds.get(a.owner_id, "") if a.owner_id in able else "",  # nobody there may open the file
                    "covers": "L3" if a.template == plan_templates.L3_CHECK.ref else ""} for a in rows]
        rows = s.scalars(select(DomainAssessment).where(DomainAssessment.plan_id == plan.id)).all()
        levels = {a.domain: a.level for a in rows}
        scores = {a.domain: a.score for a in rows}
        reasons = {a.domain: a.level_reason for a in rows}
        self.j.levels = levels
        pips = s.scalars(select(Pip).where(Pip.person_id == pid).order_by(Pip.version)).all()
        first_pip = pips[0] if pips else None
        current = pips[-1] if pips else None
        if current:
            self.j.route = current.route
        household = [{"name": m["name"], "relationship": m["relationship"],
                      "birth_date": date.fromisoformat(m["birth_date"])} for _, members in self.households_at for m in members]

        from ..letters import catalog

        found: list[Finding | None] = []
        static = {f.check: f for f in checks.static_findings(p)}
        for cid in ("letter_unreadable", "mother_tongue_unsupported", "koppeling_norm_exceeded",
                    "housing_norm_exceeded", "ontzorgen_declined_low_finance"):
            found.append(static.get(cid))
        found += [
            checks.letter_catalog_incomplete(self.person.letter_language, lambda loc: catalog.status(loc).complete),
            checks.guidance_inconsistent(levels, scores, reasons),
            checks.reticent_without_check(p.attitude, levels, actions),
            checks.childcare_missing(household, actions, self.intake_day),
            checks.action_without_owner(actions),
            checks.assertive_unowned_actions(p.attitude, actions, {"gemeente", "coa", "vwn", "taalschool", "budgetcoach"}),
            checks.pip_for_temporary_protection(self.person.residence_status, bool(pips)),
            checks.b1_route_near_pension(p.identity.birth_date, current.route, first_pip.term_start,
                                         norms.get("term_years", checks.TERM_YEARS)) if current else None,
            checks.household_change_not_in_plan(self.arrivals, [v.decided_on for v in pips]),
            checks.pip_norm_exceeded(p.residence.registered_on, first_pip.decided_on if first_pip else None, today,
                                     norms.get("brp_to_pip_days", checks.BRP_TO_PIP_DAYS))
            if self.person.integration_duty else None,
            checks.leefgeld_below_norm(self.j.money) if self.j.money else None,
        ]
        summary = views.ontzorgen_summary(s, pid)
        if summary and p.budget and p.budget.ontzorgen.wanted:
            end = add_months(summary["end"], 1)
            # the product's default schedule hands everything back at the end; a plan is a month recorded per cost
            budget = service.budget_of(s, pid)
            planned = [c for c in budget.arrangement.categories if c.hand_back_month is not None]
            found.append(checks.ontzorgen_end_without_handback(end, planned, today))
        found += self._event_findings(plan, actions, today)
        found += self._letter_findings()
        found.append(checks.callback_wrong_language(languages.get(self.person.letter_language).name_nl,
                                                    self.callback_language))
        found.append(self._letter_not_sent())
        found.append(self._payment_twice())
        found.append(self._call_me_unanswered())
        return [f for f in found if f is not None]

    def _event_findings(self, plan: Plan, actions: list[dict], today: date) -> list[Finding | None]:
        """Lessons stopped, work beside lessons, and whether each life event reached what it must change."""
        events = self.s.scalars(select(LifeEvent).where(LifeEvent.person_id == self.person.id)
                                .order_by(LifeEvent.on, LifeEvent.id)).all()
        facts = plan_templates.facts_config()
        pauses = [(e.on, date.fromisoformat(e.details["pause_until"])) for e in events
                  if e.kind in ("lessons_paused", "birth") and e.details.get("pause_until")]
        stopped = min((e.on for e in events if e.kind == "lessons_stopped"), default=None)
        has_lessons = self.person.integration_duty and self.p.residence.status != "temporary_protection"

        def lessons_on(day: date) -> int:
            if not has_lessons or (stopped and stopped <= day) or any(a <= day <= b for a, b in pauses):
                return 0
            return facts["lesson_hours_per_week"]

        combine = any(a["what"].startswith("Lessen combineren met werk") for a in actions)
        jobs = [{"on": e.on, "hours": int(e.details.get("hours_per_week") or 0), "lesson_hours": lessons_on(e.on),
                 "combine_planned": combine} for e in events if e.kind == "work_start"]
        lesson_events = [{"on": e.on, "kind": e.kind, "cause": e.details.get("cause", "other")} for e in events
                         if e.kind in ("lessons_stopped", "lessons_paused")]
        return [checks.lessons_stopped(lesson_events),
                checks.attendance_risk(jobs, facts["max_weekly_load_hours"]),
                checks.life_event_not_applied(self._event_gaps()),
                checks.action_requirements_unmet(self._unmet_requirements(plan))]

    def _org_sees(self, org_id: int, day: date) -> bool:
        user = self.s.scalars(select(User).where(User.organisation_id == org_id).order_by(User.id)).first()
        return user is not None and _still_sees(self.s, user, self.person.id, day)

    def _event_gaps(self) -> list[str]:
        """What the product's records lack after each of the persona's events (checked, not assumed)."""
        from ..budget import config as budget_config
        from ..budget.norms import month_start as first_of

        s, pid = self.s, self.person.id
        self.s.expire_all()
        person = s.get(Person, pid)
        members = {m.name for m in person.household_here}  # a member still abroad has not arrived
        budget = service.budget_of(s, pid)
        pips = s.scalars(select(Pip).where(Pip.person_id == pid).order_by(Pip.version)).all()
        gaps = []
        for e in self.p.events:
            names = [e.data.get("name", "")] if e.kind == "child_born" else list(e.data.get("members", ()))
            if e.kind in ("child_born", "family_arrives"):
                gaps += [f"{name} in het huishouden ({e.on:%d-%m-%Y})" for name in names if name not in members]
            kind = e.data.get("household_kind") if e.kind == "family_arrives" else None
            if kind and budget is not None and not any(h.kind == kind and h.valid_from <= add_months(first_of(e.on), 1)
                                                       for h in budget.households):
                gaps.append(f"de uitkering voor een huishouden '{HOUSEHOLD_KINDS[kind].lower()}' vanaf {e.on:%m-%Y}")
            before, after = f"{add_months(first_of(e.on), -1):%Y-%m}", f"{add_months(first_of(e.on), 1):%Y-%m}"
            if e.kind == "child_born" and before in self.j.money and after in self.j.money \
                    and self.j.money[after].norm <= self.j.money[before].norm:
                gaps.append(f"{names[0]} in de leefgeldnorm vanaf {after[5:]}-{after[:4]}")
            if e.kind == "child_born" and any(p.decided_on < e.on for p in pips) \
                    and not any(p.decided_on >= e.on for p in pips):
                gaps.append(f"een nieuwe PIP-versie na de geboorte van {names[0]}")
            if e.kind in ("pregnancy", "falls_ill") or (e.kind == "pauses_lessons" and e.data["cause"] in life_events.NOT_TO_BLAME):
                if any(p.decided_on < e.on for p in pips) and not any(p.decided_on >= e.on for p in pips):
                    gaps.append(f"een PIP-versie die de termijn verlengt na de lespauze van {e.on:%d-%m-%Y}")
            if e.kind == "finds_job" and budget is not None and not any(
                    ln.kind == budget_config.WORK and ln.start_month <= first_of(e.on) for ln in budget.lines):
                gaps.append(f"het loon ({e.data['net_income']} netto) in het budget vanaf {e.on:%m-%Y}")
        gaps += [f"{org.name} ziet het dossier nog na het intrekken van de toestemming" for day, org in self.withdrawn
                 if self._org_sees(org.id, day)]
        return gaps

    def _unmet_requirements(self, plan: Plan) -> list[str]:
        """Template actions in the plan whose ``requires`` do not hold for the facts at the intake."""
        by_ref = {t.ref: t for domain in plan_templates.templates().values() for t in domain}
        facts = plans.facts_for(self.person, plan)
        unmet = []
        for a in self.s.scalars(select(PlanAction).where(PlanAction.plan_id == plan.id)):
            template = by_ref.get(a.template)
            failing = [c for c in (template.requires if template else ()) if not facts.holds(c)]
            if failing:
                unmet.append(f"{a.what} (vereist: {', '.join(failing)})")
        return unmet

    def _letter_findings(self) -> list[Finding | None]:
        """Page counts and the printed text of every letter the run produced."""
        import io

        from pypdf import PdfReader

        from ..letters.contexts import TYPE_LABELS_NL

        printed = []
        for record, day in self.records:
            reader = PdfReader(io.BytesIO(record.pdf))
            printed.append({"type": record.letter_type, "label": TYPE_LABELS_NL.get(record.letter_type, record.letter_type),
                            "pages": len(reader.pages), "languages": 1 if record.language == "nl" else 2,
                            "date": day, "text": "\n".join(page.extract_text() or "" for page in reader.pages)})
        budget = service.budget_of(self.s, self.person.id)
        declined = bool(budget and budget.arrangement and not any(
            c.mode == "direct" for c in budget.arrangement.categories))
        return [checks.letter_too_long(self.person.literacy, printed), checks.letter_inconsistent(printed),
                checks.ontzorgen_declined_without_letter(declined, [t for t, _lang in self.j.letters])]

    def _letter_not_sent(self) -> Finding | None:
        wrong = [f"{t} in {lang}" for t, lang in self.j.letters if lang != self.person.letter_language]
        problems = self.letter_failures + wrong
        if not problems:
            return None
        return Finding("letter_not_sent", True, "brieven", "Elke stap die met een brief eindigt, levert een brief in de brieftaal.",
                       "Geen of verkeerde brief: " + "; ".join(problems) + ".",
                       "Zorg dat de bron van de brief beschikbaar is (plan, PIP, budget) en dat de brieftaal klopt.")

    def _call_me_unanswered(self) -> Finding | None:
        if not self.callback_unseen:
            return None
        return Finding("call_me_unanswered", True, "eigen omgeving",
                       "Wie niet goed leest en om een telefoontje vraagt, wordt teruggebeld door de regisseur.",
                       f"Bel mij na de intake: {self.callback_unseen}.",
                       "Zorg dat de regisseur terugbelverzoeken van zijn gemeente ziet (Mijn acties, dossier).")

    def _payment_twice(self) -> Finding | None:
        twice = self.s.execute(
            select(Payment.fixed_cost_id, Payment.month, func.count(Payment.id))
            .where(Payment.person_id == self.person.id, Payment.fixed_cost_id.is_not(None))
            .group_by(Payment.fixed_cost_id, Payment.month).having(func.count(Payment.id) > 1)).all()
        if not twice:
            return None
        return Finding("payment_twice", True, "budget", "Een vaste last wordt per maand één keer betaald.",
                       f"{len(twice)} {'vaste last' if len(twice) == 1 else 'vaste lasten'} dubbel betaald.", "Annuleer de dubbele betaling en vorder terug.")


EVENT_LABELS = {
    "family_arrives": "Gezin komt aan (gezinshereniging)", "moves_house": "Verhuizing binnen de gemeente",
    "moves_municipality": "Verhuizing naar andere gemeente", "exam_failed": "Examen niet gehaald",
    "exam_passed": "Examen gehaald", "finds_job": "Vindt werk", "income_change": "Inkomen verandert",
    "missed_payment": "Betaling gemist", "falls_ill": "Wordt ziek", "child_born": "Kind geboren",
    "loses_job": "Verliest werk", "recovers": "Hersteld", "stops_lessons": "Stopt met de lessen",
    "ontzorgen_starts": "Ontzorgen start alsnog", "ontzorgen_ends": "Ontzorgen eindigt",
    "pauses_lessons": "Lessen gepauzeerd", "pregnancy": "Zwangerschapsverlof", "consent_withdrawn": "Toestemming ingetrokken",
}


def _flow(session: Session, persona: schema.Persona) -> Journey:
    f = _Flow(session, persona)
    f.register()
    f.intake()
    f.call_me()
    f.budget()
    # payment runs and events in date order
    todo: list[tuple[date, int, object]] = [(e.on, 1, e) for e in persona.events]
    if persona.budget is not None:
        start = month_start(f.budget_day)
        for i in range(BUDGET_MONTHS):
            m = add_months(start, i)
            todo.append((max(m - timedelta(days=5), f.budget_day), 0, m))
    first = True
    for _day, _order, item in sorted(todo, key=lambda t: (t[0], t[1])):
        if isinstance(item, schema.Event):
            f.event(item)
        else:
            f.payment_run(item, first)
            first = False
    f.money()
    if persona.budget is not None:
        budget = service.budget_of(session, f.person.id)
        kinds = sorted(budget.households, key=lambda h: h.valid_from)
        f.j.household_kind = kinds[-1].kind if kinds else None
    # What the report shows comes from the database the flow built, never from the persona's expectations.
    from .. import overall_level

    plan = plans._plan_of(session, f.person.id)
    f.j.levels = {a.domain: a.level for a in plan.assessments} if plan is not None else {}
    f.j.overall = overall_level.overall_of(plan).level or None
    current = pip.current_pip(session, f.person.id)
    f.j.route = current.route if current is not None else None
    f.j.findings = f.findings()
    f.j.steps.sort(key=lambda s: s.on)
    return f.j


def decide(persona: schema.Persona, folder: Path | None = None) -> Journey:
    """Run one persona on its own scratch database: every decision through the product's code, never
    from ``persona.expected``. Raises ``RunnerError`` when a real code path refuses it."""
    started = time.perf_counter()
    own = folder is None
    folder = folder or Path(tempfile.mkdtemp(prefix="personas-run-"))
    url = scratch_url(folder, persona.id)
    try:
        with db.session_scope(url) as session:
            try:
                journey = _flow(session, persona)
            except (register.FormErrors, ValueError, PermissionError) as exc:
                detail = getattr(exc, "errors", None) or str(exc)
                raise RunnerError(_("{persona}: de keten weigert een stap: {detail}").format(
                    persona=persona.id, detail=detail)) from exc
    finally:
        db.engine_for(url).dispose()
        if own:
            shutil.rmtree(folder, ignore_errors=True)
    journey.seconds = time.perf_counter() - started
    return journey


def run_persona(persona: schema.Persona, folder: Path | None = None) -> Journey:
    """``decide``, then compare what the product decided with the persona's expectations."""
    journey = decide(persona, folder)
    journey.compare(persona.expected)
    return journey


def run_all(directory: str | Path = schema.PERSONAS_DIR, only: str | None = None) -> list[Journey]:
    """Run every persona (or the one with id ``only``) in file order."""
    personas = schema.load_all(directory)
    if only:
        personas = [p for p in personas if p.id == only]
        if not personas:
            raise RunnerError(_("Persona '{persona}' bestaat niet in {directory}.").format(
                persona=only, directory=schema.display_path(Path(directory))))
    folder = Path(tempfile.mkdtemp(prefix="personas-run-"))
    try:
        return [run_persona(p, folder) for p in personas]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_as(session: Session, actor, only: str | None = None, directory: str | Path = schema.PERSONAS_DIR) -> list[Journey]:
    """A coordinator's run from the app: access check and an audit line in the production log (no person data).

    ``session`` is the production session, used only for the audit entry; the flow runs on scratch databases.
    """
    from .. import audit, policy

    policy.require(actor, policy.MAY_RUN_PERSONAS, _("persona's doorrekenen"))
    journeys = run_all(directory, only)
    audit.record(session, actor, audit.READ, f"persona's gedraaid op een testdatabase: {', '.join(j.persona_id for j in journeys)}",
                 "ketentest met persona's")
    return journeys
