"""State for /budget (one person's budget, ontzorgen, coach) and /betaalruns (monthly SEPA runs).

The actor is resolved on the server on every event; the budget modules decide and log access.
"""

from __future__ import annotations

import time

import reflex as rx

from .. import db, notify, policy
from ..budget import bank, runs, service, views
from ..policy import AccessDenied
from ..register import FormErrors
from .auth_state import LOGIN_PAGE, AuthState
from ..validation import id_or_zero, parse_id
from .i18n import _


def _strs(rows: list[dict]) -> list[dict[str, str]]:
    return [{k: ("1" if v is True else "" if v is False else str(v)) for k, v in row.items()} for row in rows]


def _no_notices(func):
    """Service functions that return a row: the page only needs to know it worked."""

    def call(*args):
        func(*args)
        return {}

    return call


def _work_income(*args):
    try:
        service.record_work_income(*args)
    except FormErrors as exc:
        raise FormErrors({key.replace("line_", "work_"): msg for key, msg in exc.errors.items()}) from None
    return {}


class BudgetState(AuthState):
    """One person's budget page."""

    person_id: int = 0
    name: str = ""
    denied: str = ""
    has_budget: bool = False
    benefit_start: str = ""
    household_kind: str = ""
    supplement: str = ""
    leefgeld_iban: str = ""
    households: list[dict[str, str]] = []
    costs: list[dict[str, str]] = []
    deductions: list[dict[str, str]] = []
    allowances: list[dict[str, str]] = []
    months: list[dict[str, str]] = []
    lines: list[dict[str, str]] = []
    advance_proposal: str = ""
    warnings: list[str] = []
    bank: list[dict[str, str]] = []
    arrangement_start: str = ""
    arrangement_end: str = ""
    arrangement_last: str = ""
    arrangement_months: str = "6"
    arrangement_reason: str = ""
    arrangement_alternative: str = ""
    arrangement_coach_offer: str = ""
    arrangement_tailored: bool = False
    categories: list[dict[str, str]] = []
    schedule: list[dict[str, str]] = []
    coach_name: str = ""
    coach_org: str = ""
    coach_since: str = ""
    notes: list[dict[str, str]] = []
    checklist: list[dict[str, str]] = []
    coach_choices: list[list[str]] = []
    errors: dict[str, str] = {}
    notices: dict[str, str] = {}
    notice: str = ""
    form_key: str = "0"
    can_edit: bool = False
    can_arrange: bool = False
    can_assign: bool = False
    can_coach: bool = False

    async def _load(self, actor):
        self.can_edit = actor.key in policy.MAY_EDIT_BUDGET
        self.can_arrange = actor.key in policy.MAY_SET_ONTZORGEN
        self.can_assign = actor.key in policy.MAY_ASSIGN_COACH
        self.can_coach = actor.key in policy.MAY_COACH
        try:
            page = await db.call(views.budget_page, actor, self.person_id, self.today())
        except AccessDenied as exc:
            self.denied, self.name, self.has_budget = str(exc), "", False
            return
        self.denied = ""
        self.name, self.has_budget = page.name, page.has_budget
        self.benefit_start, self.household_kind, self.supplement = page.benefit_start, page.household_kind, page.supplement
        self.leefgeld_iban = page.leefgeld_iban
        self.households, self.costs = _strs(page.households), _strs(page.costs)
        self.deductions, self.allowances, self.months = _strs(page.deductions), _strs(page.allowances), _strs(page.months)
        self.warnings = page.warnings
        self.lines, self.advance_proposal = _strs(page.lines), page.advance_proposal
        self.bank = _strs(page.bank)
        arr = page.arrangement or {}
        self.arrangement_start, self.arrangement_end = arr.get("start", ""), arr.get("end", "")
        self.arrangement_months = str(arr.get("months", 6))
        self.arrangement_last = arr.get("last_direct", "")
        self.arrangement_reason, self.arrangement_tailored = arr.get("reason", ""), bool(arr.get("tailored"))
        self.categories = _strs(arr.get("categories", []))
        self.arrangement_alternative = arr.get("alternative", "")
        self.arrangement_coach_offer = arr.get("coach_offer", "")
        self.schedule = _strs(page.schedule)
        coach = page.coach
        self.coach_name, self.coach_org, self.coach_since = coach["coach"], coach["organisation"], coach["since"]
        self.notes, self.checklist = _strs(coach["notes"]), _strs(coach["checklist"])
        if self.can_assign and not self.coach_choices:
            self.coach_choices = await db.call(service.coach_options)
        self.form_key = str(time.monotonic_ns())  # remount forms so their defaults show the saved values

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.person_id = self.person_id_from_url()
        self.errors, self.notices, self.notice = {}, {}, ""
        await self._load(actor)

    async def _change(self, func, *args, notice: str):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            notices = await db.call(func, actor, self.person_id, *args, self.today())
        except FormErrors as exc:
            self.errors, self.notices = exc.errors, {}
            self.notice = ""
            return
        except AccessDenied as exc:
            self.errors, self.notice = {"form": str(exc)}, ""
            return
        self.errors, self.notices, self.notice = {}, dict(notices or {}), notice
        await self._load(actor)

    @rx.event
    async def save_benefit(self, form: dict):
        return await self._change(service.save_benefit, form, notice=_("Uitkering opgeslagen."))

    @rx.event
    async def add_household_change(self, form: dict):
        return await self._change(service.add_household_change, form, notice=_("Wijziging leefsituatie opgeslagen."))

    @rx.event
    async def add_cost(self, form: dict):
        return await self._change(service.add_fixed_cost, form, notice=_("Vaste last toegevoegd."))

    @rx.event
    async def end_cost(self, cost_id: str):
        return await self._change(service.end_fixed_cost, id_or_zero(cost_id), notice=_("Vaste last stopt na deze maand."))

    @rx.event
    async def add_deduction(self, form: dict):
        return await self._change(service.add_deduction, form, notice=_("Inhouding toegevoegd."))

    @rx.event
    async def record_work_income(self, form: dict):
        # The work form's fields are work_*, the service takes line_*: errors go back next to the work fields.
        line_form = {f"line_{k[5:]}": v for k, v in form.items() if str(k).startswith("work_")}
        return await self._change(_work_income, line_form, notice=_("Inkomsten uit werk vastgelegd."))

    @rx.event
    async def add_line(self, form: dict):
        return await self._change(_no_notices(service.add_budget_line), form, notice=_("Regel toegevoegd."))

    @rx.event
    async def book_advance(self):
        return await self._change(_no_notices(service.book_advance), notice=_("Voorschot geboekt."))

    @rx.event
    async def add_allowance(self, form: dict):
        return await self._change(service.add_allowance, form, notice=_("Verwachte toeslag toegevoegd."))

    @rx.event
    async def save_arrangement(self, form: dict):
        return await self._change(service.save_arrangement, form, notice=_("Ontzorgregeling opgeslagen."))

    @rx.event
    async def assign_coach(self, form: dict):
        coach = parse_id(form.get("coach", ""))
        if coach is None:
            self.errors = {"coach": _("Kies een budgetcoach.")}
            return
        return await self._change(service.assign_coach, coach, notice=_("Budgetcoach toegewezen."))

    @rx.event
    async def add_note(self, form: dict):
        return await self._change(service.add_coach_note, str(form.get("note", "")), notice=_("Notitie opgeslagen."))

    @rx.event
    async def correct_iban(self, form: dict):
        """A returned payment: the new IBAN; the next run sends it again (checked in budget.bank)."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            await db.call(bank.correct_return, actor, str(form.get("end_to_end_id", "")), str(form.get("iban", "")))
        except FormErrors as exc:
            self.errors, self.notice = exc.errors, ""
            return
        except AccessDenied as exc:
            self.errors, self.notice = {"form": str(exc)}, ""
            return
        self.errors, self.notice = {}, _("IBAN aangepast; de betaling gaat mee in de volgende betaalrun.")
        await self._load(actor)

    @rx.event
    async def toggle_check(self, item: str, done: bool):
        return await self._change(service.set_checklist, item, bool(done), notice=_("Checklist bijgewerkt."))


class RunsState(AuthState):
    """The financien role's payment runs: prepare, approve as the second user, download."""

    rows: list[dict] = []
    errors: dict[str, str] = {}
    notice: str = ""
    denied: str = ""
    detail_run: str = ""
    detail_totals: list[dict[str, str]] = []
    detail_payments: list[dict[str, str]] = []
    detail_note: str = ""
    confirm_open: bool = False
    confirm_run: str = ""
    confirm_month: str = ""
    confirm_total: str = ""
    confirm_count: str = ""
    confirm_blocking: int = 0
    confirm_may: bool = False
    confirm_warnings: list[dict[str, str]] = []
    confirm_exclusions: list[dict[str, str]] = []
    statements: list[dict[str, str]] = []
    unmatched: list[dict[str, str]] = []
    import_notice: str = ""

    async def _load(self, actor):
        try:
            rows = await db.call(runs.list_runs, actor)
        except AccessDenied as exc:
            self.denied, self.rows = str(exc), []
            return
        self.denied = ""
        self.rows = [{
            "run_id": str(r.run_id), "month": r.month, "status": r.status, "status_label": r.status_label,
            "schema": r.schema, "payments": str(r.payments), "total": r.total, "prepared_by": r.prepared_by,
            "approved_by": r.approved_by, "sha256": r.sha256, "may_approve": r.may_approve,
            "approved": r.status == runs.APPROVED, "prepared": r.status == runs.PREPARED,
            "problems": "; ".join(r.problems),
        } for r in rows]

        try:
            listing = await db.call(bank.statements, actor)
        except AccessDenied:
            listing = {"statements": [], "unmatched": []}
        self.statements, self.unmatched = listing["statements"], listing["unmatched"]

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.errors, self.notice, self.confirm_open = {}, "", False
        await self._load(actor)

    async def _summary(self, actor, run_id: str) -> bool:
        try:
            summary = await db.call(runs.approval_summary, actor, int(run_id))
        except (runs.RunError, AccessDenied, ValueError) as exc:
            self.errors, self.confirm_open = {"run": str(exc)}, False
            return False
        self.confirm_run, self.confirm_month = str(summary["run_id"]), summary["month"]
        self.confirm_total, self.confirm_count = summary["total"], str(summary["count"])
        self.confirm_blocking, self.confirm_may = summary["blocking"], summary["may_approve"]
        self.confirm_warnings = _strs(summary["warnings"])
        self.confirm_exclusions = _strs(summary["exclusions"])
        return True

    @rx.event
    async def open_approval(self, run_id: str):
        """The confirmation before approving: total, count and every warning per person (from the server)."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        self.errors = {}
        if await self._summary(actor, run_id):
            self.confirm_open = True

    @rx.event
    def close_approval(self):
        self.confirm_open, self.errors = False, {}

    @rx.event
    async def exclude(self, form: dict):
        """Take a person out of the run with a reason; the server checks role, run and person."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        raw = str(form.get("person_id", ""))
        try:
            await db.call(runs.exclude_person, actor, int(self.confirm_run or 0), int(raw) if raw.isdigit() else 0,
                          str(form.get("reason", "")))
        except FormErrors as exc:
            self.errors = {f"reason-{raw}": msg for msg in exc.errors.values()}
            return
        except (runs.RunError, AccessDenied) as exc:
            self.errors = {"confirm": str(exc)}
            return
        self.errors = {}
        await self._summary(actor, self.confirm_run)
        await self._load(actor)

    @rx.event
    async def confirm_approve(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            await db.call(runs.approve_run, actor, int(self.confirm_run or 0), self.today())
        except (runs.RunError, AccessDenied, ValueError) as exc:
            self.errors = {"confirm": str(exc)}
            return
        self.confirm_open, self.errors = False, {}
        self.notice = _("Betaalrun goedgekeurd; het SEPA-bestand is gecontroleerd en gearchiveerd.")
        await self._load(actor)

    @rx.event
    async def import_statement(self, files: list[rx.UploadFile]):
        """Upload a camt.053/054 file; a refused file gets its message next to the field and changes nothing."""
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        if not files:
            self.errors, self.import_notice = {"statement": _("Kies eerst het camt.053-bestand van de bank.")}, ""
            return
        upload = files[0]
        data = await upload.read()
        try:
            result = await db.call(bank.import_statement, actor, data, str(upload.filename or "")[:200])
        except (bank.StatementError, AccessDenied) as exc:
            self.errors, self.import_notice = {"statement": str(exc)}, ""
            return
        self.errors = {}
        self.import_notice = _("Afschrift {ref} geïmporteerd: {lines} regels, {booked} geboekt, {returned} teruggekomen, "
                               "{income} ontvangsten, {unmatched} niet gekoppeld.").format(
            ref=result.statement_ref, lines=result.lines, booked=result.booked, returned=result.returned,
            income=result.income, unmatched=result.unmatched)
        await self._load(actor)

    @rx.event
    async def match_line(self, form: dict):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        raw = str(form.get("line_id", ""))
        try:
            await db.call(bank.match_line, actor, int(raw) if raw.isdigit() else 0, str(form.get("end_to_end_id", "")))
        except (bank.StatementError, AccessDenied) as exc:
            self.errors = {f"match-{raw}": str(exc)}
            return
        self.errors, self.import_notice = {}, _("Bankregel gekoppeld.")
        await self._load(actor)

    async def _act(self, func, *args, notice: str):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            await db.call(func, actor, *args)
        except (runs.RunError, AccessDenied) as exc:
            self.errors, self.notice = {"run": str(exc)}, ""
            return
        self.errors, self.notice = {}, notice
        await self._load(actor)

    @rx.event
    async def prepare(self, form: dict):
        month = str(form.get("month", "")).strip()
        if not month:
            self.errors = {"month": _("Kies de maand van de betaalrun.")}
            return
        schema = str(form.get("schema", "") or "pain.001.001.09")
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            # the run and the e-mail to the other financien staff that it waits for approval, in one transaction
            run = await db.call(notify.prepare_run, actor, month, schema)
        except (runs.RunError, AccessDenied) as exc:
            self.errors, self.notice = {"month": str(exc)}, ""
            return
        self.errors = {}
        self.notice = _("Betaalrun {id} voor {month} voorbereid: {n} betalingen. Een collega moet hem goedkeuren.").format(
            id=run.id, month=month, n=run.payment_count)
        await self._load(actor)

    @rx.event
    async def show(self, run_id: str):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            detail = await db.call(runs.run_payments, actor, id_or_zero(run_id))
        except (runs.RunError, AccessDenied) as exc:
            self.errors = {"run": str(exc)}
            return
        self.detail_run = str(run_id)
        self.detail_totals, self.detail_payments = detail["totals"], detail["payments"]
        self.detail_note = _("{shown} van {count} betalingen getoond.").format(shown=detail["shown"], count=detail["count"])

    @rx.event
    async def approve(self, run_id: str):
        return await self._act(runs.approve_run, id_or_zero(run_id), self.today(),
                               notice=_("Betaalrun goedgekeurd; het SEPA-bestand is gecontroleerd en gearchiveerd."))

    @rx.event
    async def cancel(self, run_id: str):
        return await self._act(runs.cancel_run, id_or_zero(run_id), notice=_("Betaalrun geannuleerd."))

    @rx.event
    async def download(self, run_id: str):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        try:
            name, xml = await db.call(runs.download, actor, id_or_zero(run_id))
        except (runs.RunError, AccessDenied) as exc:
            self.errors = {"run": str(exc)}
            return
        return rx.download(data=xml, filename=name, mime_type="application/xml")
