"""Monthly payment runs: prepare (financien), approve by a second user (four-eyes), export pain.001.

Never twice: every payment has a unique end-to-end id and a unique (fixed cost, month) pair, so
preparing or approving the same month again adds nothing already paid or pending. Each step is
one transaction in the caller's session: a run interrupted at any point leaves nothing or a
complete step, and running it again completes it.
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit, policy
from ..catalogs import staff_text as _
from ..models import (
    Budget, BudgetDeduction, BudgetHousehold, BudgetLine, ExpectedAllowance, HouseholdMember, FixedCost, OntzorgenArrangement, OntzorgenCategory,
    Payment, PaymentRun, PaymentRunExclusion, Person, User,
)
from ..policy import AccessDenied, Actor
from ..register import FormErrors
from . import bank, checks, config, run_warnings, sepa
from .leefgeld import AllowanceItem, BudgetData, DeductionItem, FixedCostItem, Member
from .leefgeld import BudgetLine as LineItem
from .money import eur, from_cents
from .norms import HouseholdPeriod, add_months, month_start
from .ontzorgen import Arrangement, CategoryPlan
from .selection import select_payments
from ..validation import check_payment_month

PREPARED, APPROVED, CANCELLED = "prepared", "approved", "cancelled"
STATUS_LABELS = {PREPARED: "Voorbereid, wacht op goedkeuring", APPROVED: "Goedgekeurd", CANCELLED: "Geannuleerd"}
CHUNK = 5000

try:  # COPY on PostgreSQL raises the driver's own error, not SQLAlchemy's
    from psycopg.errors import IntegrityError as _PgIntegrityError

    _UNIQUE_CLASH: tuple[type[Exception], ...] = (IntegrityError, _PgIntegrityError)
except ImportError:  # pragma: no cover
    _UNIQUE_CLASH = (IntegrityError,)


class RunError(ValueError):
    """A refused run action; the message is shown to the user as is."""


_bulk_lock = threading.Lock()
_bulk_depth = 0
_gc_was_enabled = False


@contextmanager
def _bulk_step():
    """Pause Python's cyclic garbage collector while a run loads and checks every budget.

    A step builds ~200,000 small objects that all stay alive until it ends, so each automatic
    collection would walk them again for nothing (about a third of the step's time). Reference
    counting still frees everything as usual; only the search for reference cycles waits. Nested and
    simultaneous steps (worker threads) share one pause: the last to finish switches it back on.
    """
    global _bulk_depth, _gc_was_enabled
    with _bulk_lock:
        if _bulk_depth == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _bulk_depth += 1
    try:
        yield
    finally:
        with _bulk_lock:
            _bulk_depth -= 1
            if _bulk_depth == 0 and _gc_was_enabled:
                gc.enable()


def _checkpoint(stage: str, done: int = 0) -> None:
    """Hook between steps; tests replace it to simulate a crash at that point."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _month(value: date | str, today: date | None = None) -> date:
    """The first of the month a run is for; a typed month must lie within ``validation.check_payment_month``."""
    if isinstance(value, str):
        text = value.strip()
        try:
            if not (text.isascii() and len(text) in (7, 10)):
                raise ValueError(text)
            value = date.fromisoformat(text + "-01" if len(text) == 7 else text)
        except ValueError:
            raise RunError(_("Kies een geldige maand (JJJJ-MM).")) from None
        try:
            check_payment_month(month_start(value), today or date.today())
        except ValueError as exc:
            raise RunError(str(exc)) from None
    return month_start(value)


def load_budgets(session: Session, municipality: str) -> list[BudgetData]:
    """All budgets of a municipality as plain data, with one set-based query per table (fast).

    Core statements on the session's connection (after a flush, as the ORM's autoflush would):
    plain tuples, no ORM row processing, for ~150,000 rows per 10,000 budgets.
    """
    session.flush()
    conn = session.connection()
    people = conn.execute(
        select(Budget.id, Budget.person_id, Budget.benefit_start, Budget.supplement_cents,
               Person.given_names, Person.family_name, Person.iban)
        .join(Person, Person.id == Budget.person_id)
        .where(Person.municipality == municipality)
        .order_by(Budget.person_id)
    ).all()
    if not people:
        return []
    by_budget = lambda: defaultdict(list)  # noqa: E731
    households, costs, deductions, allowances = by_budget(), by_budget(), by_budget(), by_budget()
    in_budgets = lambda col: col.in_(select(Budget.id).join(Person, Person.id == Budget.person_id)  # noqa: E731
                                     .where(Person.municipality == municipality))
    for budget_id, valid_from, kind in conn.execute(
            select(BudgetHousehold.budget_id, BudgetHousehold.valid_from, BudgetHousehold.kind)
            .where(in_budgets(BudgetHousehold.budget_id))):
        households[budget_id].append(HouseholdPeriod(valid_from, kind))
    cost_columns = [FixedCost.budget_id, FixedCost.id, FixedCost.category, FixedCost.label, FixedCost.creditor_name,
                    FixedCost.creditor_iban, FixedCost.amount_cents, FixedCost.reference,
                    FixedCost.structured_reference, FixedCost.day_of_month, FixedCost.first_month,
                    FixedCost.ended_month]
    amounts: dict[int, Decimal] = {}  # cents -> Decimal, shared (Decimal is immutable): few distinct amounts
    for (budget_id, cost_id, category, label, creditor_name, creditor_iban, cents, reference, structured, day,
         first_month, ended_month) in conn.execute(
            select(*cost_columns).where(in_budgets(FixedCost.budget_id)).order_by(FixedCost.id)):
        amount = amounts.get(cents)
        if amount is None:
            amount = amounts[cents] = from_cents(cents)
        costs[budget_id].append(FixedCostItem(cost_id, category, label, creditor_name, creditor_iban, amount,
                                              reference, structured, day, first_month, ended_month))
    for budget_id, label, cents, start_month, months in conn.execute(
            select(BudgetDeduction.budget_id, BudgetDeduction.label, BudgetDeduction.amount_cents,
                   BudgetDeduction.start_month, BudgetDeduction.months)
            .where(in_budgets(BudgetDeduction.budget_id)).order_by(BudgetDeduction.id)):
        deductions[budget_id].append(DeductionItem(label, from_cents(cents), start_month, months))
    for budget_id, kind, cents, expected_from in conn.execute(
            select(ExpectedAllowance.budget_id, ExpectedAllowance.kind, ExpectedAllowance.amount_cents,
                   ExpectedAllowance.expected_from)
            .where(in_budgets(ExpectedAllowance.budget_id)).order_by(ExpectedAllowance.id)):
        allowances[budget_id].append(AllowanceItem(kind, from_cents(cents), expected_from))
    arrangements: dict[int, Arrangement] = {}
    arr_ids: dict[int, int] = {}
    for arr_id, budget_id, start_month, months, reason in conn.execute(
            select(OntzorgenArrangement.id, OntzorgenArrangement.budget_id, OntzorgenArrangement.start_month,
                   OntzorgenArrangement.months, OntzorgenArrangement.reason)
            .where(in_budgets(OntzorgenArrangement.budget_id))):
        arrangements[budget_id] = Arrangement(start_month, months, {}, reason)
        arr_ids[arr_id] = budget_id
    for arrangement_id, category, mode, hand_back, reason in conn.execute(
            select(OntzorgenCategory.arrangement_id, OntzorgenCategory.category, OntzorgenCategory.mode,
                   OntzorgenCategory.hand_back_month, OntzorgenCategory.reason)
            .where(OntzorgenCategory.arrangement_id.in_(select(OntzorgenArrangement.id).where(
                in_budgets(OntzorgenArrangement.budget_id))))
            .order_by(OntzorgenCategory.id)):
        arrangements[arr_ids[arrangement_id]].categories[category] = CategoryPlan(category, mode, hand_back, reason)
    lines, members = by_budget(), defaultdict(list)
    for budget_id, kind, label, cents, start_month, months in conn.execute(
            select(BudgetLine.budget_id, BudgetLine.kind, BudgetLine.label, BudgetLine.amount_cents,
                   BudgetLine.start_month, BudgetLine.months)
            .where(in_budgets(BudgetLine.budget_id)).order_by(BudgetLine.id)):
        lines[budget_id].append(LineItem(kind, label, from_cents(cents), start_month, months))
    for person_id, relationship, birth_date, arrived_on in conn.execute(
            select(HouseholdMember.person_id, HouseholdMember.relationship_kind, HouseholdMember.birth_date,
                   HouseholdMember.arrived_on)
            .join(Person, Person.id == HouseholdMember.person_id)
            .where(Person.municipality == municipality, HouseholdMember.abroad.is_(False))
            .order_by(HouseholdMember.id)):
        members[person_id].append(Member(relationship, birth_date, arrived_on))
    result = []
    names: dict[str, str] = {}
    for budget_id, person_id, benefit_start, supplement_cents, given_names, family_name, iban in people:
        full = f"{given_names} {family_name}"
        if full not in names:
            try:
                names[full] = checks.sepa_name(full)[0]
            except ValueError:
                names[full] = ""
        result.append(BudgetData(
            person_id, benefit_start, sorted(households[budget_id], key=lambda h: h.valid_from),
            from_cents(supplement_cents), costs[budget_id], deductions[budget_id], allowances[budget_id],
            arrangements.get(budget_id), names[full], iban or "", lines[budget_id], members[person_id],
        ))
    return result


def prepare_run(
    session: Session, actor: Actor, month: date | str, schema: str = config.DEFAULT_SCHEMA
) -> PaymentRun:
    """Prepare the month's run: every due fixed cost in ontzorgen plus leefgeld, minus what is paid.

    Idempotent: an open run for the month is returned as is. When the month already has an approved
    run, the new run is a visible correction run with only what was not yet paid.
    """
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("betaalruns voorbereiden"))
    m = _month(month)
    if schema not in config.SEPA_SCHEMAS:
        raise RunError(_("Kies pain.001.001.09 of pain.001.001.03."))
    municipality = actor.municipality or ""
    key = f"{municipality}:{m.isoformat()}"
    existing = session.scalar(select(PaymentRun).where(PaymentRun.open_key == key))
    if existing is not None:
        return existing
    already = set(session.scalars(select(Payment.end_to_end_id).where(Payment.month == m)))
    approved_before = session.scalar(select(func.count(PaymentRun.id)).where(
        PaymentRun.municipality == municipality, PaymentRun.month == m, PaymentRun.status == APPROVED))
    planned, problems = [], []
    with _bulk_step():
        for data in load_budgets(session, municipality):
            payments, issues = select_payments(data, m, already)
            planned.extend(payments)
            problems.extend(issues)
    again, held = bank.resends(session, municipality, m)  # returned payments, sent again with a new id
    problems = held + problems
    if not planned and not again:
        raise RunError(_("Er is niets (meer) te betalen voor {month}: alles is al betaald of er zijn geen budgetten.").format(
            month=f"{m:%m-%Y}"))
    run = PaymentRun(
        municipality=municipality, month=m, status=PREPARED, correction=bool(approved_before), open_key=key,
        schema=schema, prepared_by=actor.user_id, prepared_at=_now(), payment_count=len(planned) + len(again),
        total_cents=sum(p.amount_cents for p in planned) + sum(r.row["amount_cents"] for r in again),
        problems=problems[:500],
    )
    session.add(run)
    try:
        session.flush()
    except IntegrityError:
        raise RunError(_("Er wordt al een betaalrun voor {month} voorbereid. Vernieuw de pagina.").format(
            month=f"{m:%m-%Y}")) from None
    rows = [(run.id, p.person_id, p.fixed_cost_id, p.kind, p.category, m, p.amount_cents, p.creditor_name,
             p.creditor_iban, p.reference, p.structured_reference, p.due_date, p.end_to_end_id) for p in planned]
    try:
        for start in range(0, len(rows), CHUNK):
            _bulk_insert(session, rows[start:start + CHUNK])
            _checkpoint("payments", start + CHUNK)
        if again:
            session.execute(insert(Payment.__table__), [{"run_id": run.id, **r.row} for r in again])
    except _UNIQUE_CLASH:
        # Another run claimed one of these payments at the same moment: nothing of this run is kept.
        raise RunError(_("Een andere betaalrun heeft deze betalingen net vastgelegd. Vernieuw de pagina.")) from None
    audit.record(session, actor, audit.CHANGE,
                 f"betaalrun {m:%m-%Y} voorbereid (run {run.id}, {run.payment_count} betalingen)", "betaalrun")
    return run


PAYMENT_COLUMNS = ("run_id", "person_id", "fixed_cost_id", "kind", "category", "month", "amount_cents",
                   "creditor_name", "creditor_iban", "reference", "structured_reference", "due_date", "end_to_end_id")


def _bulk_insert(session: Session, rows: list[tuple]) -> None:
    """Insert payment tuples (PAYMENT_COLUMNS order) in the session's transaction, as one batch.

    COPY on PostgreSQL; the driver's executemany on SQLite (dates as the ISO text SQLAlchemy stores);
    SQLAlchemy Core elsewhere.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY payments ({', '.join(PAYMENT_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    if connection.dialect.name == "sqlite":
        month_index, bool_index, due_index = 5, 10, 11
        placeholders = ", ".join("?" for _ in PAYMENT_COLUMNS)
        connection.exec_driver_sql(
            f"INSERT INTO payments ({', '.join(PAYMENT_COLUMNS)}) VALUES ({placeholders})",
            [(*r[:month_index], r[month_index].isoformat(), *r[month_index + 1:bool_index], int(r[bool_index]),
              r[due_index].isoformat(), r[due_index + 1]) for r in rows],
        )
        return
    session.execute(insert(Payment.__table__), [dict(zip(PAYMENT_COLUMNS, r)) for r in rows])


def _load_run(session: Session, run_id: int) -> PaymentRun:
    """The run, its row locked on PostgreSQL so a simultaneous cancel cannot empty it while it is read.

    The lock is a no-op on SQLite, where the transaction's ``BEGIN IMMEDIATE`` already serializes;
    on both, ``_claim`` is what decides who wins.
    """
    run = session.get(PaymentRun, run_id, with_for_update=True)
    if run is None:
        raise RunError(_("Deze betaalrun bestaat niet."))
    return run


def _claim(session: Session, run: PaymentRun, expect: dict | None = None, **values) -> None:
    """Move a prepared run to its next status in one conditional update: exactly one caller wins.

    ``UPDATE … WHERE id = ? AND status = 'prepared'`` changes one row for the first caller and none
    for everyone who came at the same moment (approve against approve or against cancel), on
    SQLite and on PostgreSQL alike. The losers get a message and change nothing. ``expect`` adds
    column values the run must still have (approval: the count and total the file was built from, so
    a person taken out of the run at the same moment makes the approval fail, never the file stale).
    """
    conditions = [getattr(PaymentRun, k) == v for k, v in (expect or {}).items()]
    result = session.execute(
        update(PaymentRun).where(PaymentRun.id == run.id, PaymentRun.status == PREPARED, *conditions).values(**values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise RunError(_("Een collega heeft deze betaalrun net goedgekeurd, geannuleerd of gewijzigd. Vernieuw de pagina."))
    session.refresh(run)


def _own_municipality(actor: Actor, run: PaymentRun) -> None:
    if run.municipality != (actor.municipality or ""):
        raise AccessDenied(_("Deze betaalrun hoort bij een andere gemeente."))


def _persons_in(session: Session, run_id: int) -> list[int]:
    return list(session.scalars(select(Payment.person_id).where(Payment.run_id == run_id).distinct()
                                .order_by(Payment.person_id)))


def message_id(run: PaymentRun) -> str:
    return f"EP-{run.municipality[:10].upper().replace(' ', '')}-{run.month:%Y%m}-R{run.id}"[:35]


def approve_run(session: Session, actor: Actor, run_id: int, today: date) -> PaymentRun:
    """Second pair of eyes: approve, build and XSD-validate the pain.001 file, archive it with its hash.

    Approving an approved run changes nothing. The preparer can never approve their own run.
    """
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("betaalruns goedkeuren"))
    run = _load_run(session, run_id)
    _own_municipality(actor, run)
    if run.status == APPROVED:
        raise RunError(_("Deze betaalrun is al goedgekeurd; het SEPA-bestand staat klaar om te downloaden."))
    if run.status == CANCELLED:
        raise RunError(_("Deze betaalrun is geannuleerd en kan niet meer worden goedgekeurd."))
    if run.prepared_by == actor.user_id:
        raise AccessDenied(
            _("Vier-ogenprincipe: u heeft deze betaalrun zelf voorbereid. Een collega moet hem goedkeuren."))
    if run.payment_count == 0:
        raise RunError(_("Deze betaalrun bevat geen betalingen meer. Annuleer hem."))
    blocking = [w for w in _warnings(session, run) if w.blocking]
    if blocking:
        raise RunError(_(
            "Nog {n} blokkerende waarschuwing(en), bijvoorbeeld {person}: {message} Los ze op of haal de persoon "
            "met een reden uit de run.").format(n=len(blocking), person=blocking[0].person, message=blocking[0].message))
    with _bulk_step():
        transfers = [
            sepa.Transfer(e2e, cents, name, iban, reference, structured, max(due, today))
            for e2e, cents, name, iban, reference, structured, due in session.connection().execute(
                select(Payment.end_to_end_id, Payment.amount_cents, Payment.creditor_name, Payment.creditor_iban,
                       Payment.reference, Payment.structured_reference, Payment.due_date)
                .where(Payment.run_id == run.id).order_by(Payment.due_date, Payment.id)).all()
        ]
        if len(transfers) != run.payment_count:  # cancelled or changed by a colleague while this was read
            raise RunError(_(
                "Een collega heeft deze betaalrun net goedgekeurd, geannuleerd of gewijzigd. Vernieuw de pagina."))
        xml = sepa.build_pain001(config.debtor_for(run.municipality), transfers, message_id(run), run.schema)
    sepa.validate(xml, run.schema)
    _checkpoint("approve")
    _claim(session, run, expect={"payment_count": len(transfers), "total_cents": sum(t.amount_cents for t in transfers)},
           xml=xml, xml_sha256=sepa.sha256(xml), message_id=message_id(run), status=APPROVED,
           open_key=None, approved_by=actor.user_id, approved_at=_now())
    audit.record_many(session, actor, audit.EXPORT, f"opgenomen in SEPA-betaalrun {run.id} ({run.month:%m-%Y})",
                      "betaalrun", _persons_in(session, run.id))
    audit.record(session, actor, audit.EXPORT,
                 f"betaalrun {run.month:%m-%Y} goedgekeurd (run {run.id}, {len(transfers)} betalingen, "
                 f"sha256 {run.xml_sha256[:12]})", "betaalrun")
    return run


def _warnings(session: Session, run: PaymentRun) -> list[run_warnings.RunWarning]:
    """The run's warnings (see run_warnings): its payments, the persons' budgets and earlier payments."""
    with _bulk_step():
        return _warnings_now(session, run)


def _warnings_now(session: Session, run: PaymentRun) -> list[run_warnings.RunWarning]:
    session.flush()
    conn = session.connection()  # Core rows (plain tuples): one per payment of the run
    in_run: dict[int, list[run_warnings.PaidLine]] = defaultdict(list)
    paid_line, leefgeld_key = run_warnings.PaidLine, run_warnings.LEEFGELD_KEY
    for person_id, cost_id, month, iban, cents, e2e, attempt in conn.execute(
            select(Payment.person_id, Payment.fixed_cost_id, Payment.month, Payment.creditor_iban,
                   Payment.amount_cents, Payment.end_to_end_id, Payment.attempt)
            .where(Payment.run_id == run.id)).all():
        in_run[person_id].append(paid_line(cost_id or leefgeld_key, month, iban, cents, e2e, attempt > 1))
    if not in_run:
        return []
    approved_in = select(PaymentRun.id).where(PaymentRun.municipality == run.municipality,
                                              PaymentRun.status == APPROVED)
    before: dict[int, list[run_warnings.PaidLine]] = defaultdict(list)
    for person_id, cost_id, month, iban, cents in conn.execute(
            select(Payment.person_id, Payment.fixed_cost_id, Payment.month, Payment.creditor_iban,
                   Payment.amount_cents)
            .where(Payment.run_id.in_(approved_in), Payment.month < run.month,
                   Payment.month >= add_months(run.month, -12))).all():
        if person_id in in_run:
            before[person_id].append(paid_line(cost_id or leefgeld_key, month, iban, cents))
    already = set(conn.execute(select(Payment.end_to_end_id).where(
        Payment.month == run.month, Payment.run_id.in_(approved_in))).scalars())
    budgets = {b.person_id: b for b in load_budgets(session, run.municipality) if b.person_id in in_run}
    names = {person_id: f"{given} {family}" for person_id, given, family in conn.execute(
        select(Person.id, Person.given_names, Person.family_name).where(
            Person.id.in_(select(Payment.person_id).where(Payment.run_id == run.id))))}
    return run_warnings.warnings_for_run(budgets, run.month, in_run, before, already, names)


def approval_summary(session: Session, actor: Actor, run_id: int) -> dict:
    """What the confirmation shows: total, number of payments, every warning per person, exclusions.

    Returns {"run_id", "month", "total", "count", "warnings": [{"person_id", "person", "code", "message",
    "blocking"}], "blocking": n, "exclusions": [{"person", "reason", "count", "total"}], "may_approve"}.
    """
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("betaalruns goedkeuren"))
    run = _load_run(session, run_id)
    _own_municipality(actor, run)
    found = _warnings(session, run) if run.status == PREPARED else []
    excluded = session.execute(
        select(PaymentRunExclusion, Person.given_names, Person.family_name)
        .join(Person, Person.id == PaymentRunExclusion.person_id)
        .where(PaymentRunExclusion.run_id == run.id).order_by(PaymentRunExclusion.id)).all()
    audit.record(session, actor, audit.READ, f"waarschuwingen betaalrun {run.id} bekeken", "betaalrun")
    blocking = sum(w.blocking for w in found)
    return {
        "run_id": run.id, "month": f"{run.month:%m-%Y}", "total": eur(int(run.total_cents)),
        "count": run.payment_count,
        "warnings": [{"person_id": w.person_id, "person": w.person, "code": w.code, "message": w.message,
                      "blocking": w.blocking} for w in found],
        "blocking": blocking,
        "exclusions": [{"person": f"{g} {f}", "reason": e.reason, "count": e.payment_count,
                        "total": eur(int(e.total_cents))} for e, g, f in excluded],
        "may_approve": run.status == PREPARED and run.prepared_by != actor.user_id and blocking == 0
        and run.payment_count > 0,
    }


def exclude_person(session: Session, actor: Actor, run_id: int, person_id: int, reason: str) -> PaymentRunExclusion:
    """Take one person out of a prepared run, with a reason: their payments are payable again (audited).

    Conditional on the run still being prepared (the same update as ``_claim``); approval checks the
    count and total it built the file from, so exclusion and approval at the same moment never mix.
    """
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("personen uit een betaalrun halen"))
    text = " ".join(str(reason or "").split())
    if not text:
        raise FormErrors({"reason": _("Geef de reden waarom deze persoon uit de run gaat.")})
    if len(text) > 500:
        raise FormErrors({"reason": _("De reden is te lang (maximaal 500 tekens).")})
    run = _load_run(session, run_id)
    _own_municipality(actor, run)
    if run.status != PREPARED:
        raise RunError(_("Alleen uit een voorbereide betaalrun kan iemand worden gehaald."))
    count, total = session.execute(
        select(func.count(Payment.id), func.coalesce(func.sum(Payment.amount_cents), 0))
        .where(Payment.run_id == run.id, Payment.person_id == person_id)).one()
    if not count:
        raise RunError(_("Deze persoon heeft geen betalingen in deze betaalrun."))
    result = session.execute(
        update(PaymentRun).where(PaymentRun.id == run.id, PaymentRun.status == PREPARED)
        .values(payment_count=PaymentRun.payment_count - count, total_cents=PaymentRun.total_cents - total)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise RunError(_("Een collega heeft deze betaalrun net goedgekeurd of geannuleerd. Vernieuw de pagina."))
    session.execute(delete(Payment).where(Payment.run_id == run.id, Payment.person_id == person_id))
    exclusion = PaymentRunExclusion(run_id=run.id, person_id=person_id, reason=text, payment_count=count,
                                    total_cents=total, excluded_by=actor.user_id, excluded_at=_now())
    session.add(exclusion)
    try:
        session.flush()
    except IntegrityError:
        raise RunError(_("Deze persoon is net al uit de run gehaald. Vernieuw de pagina.")) from None
    session.refresh(run)
    audit.record(session, actor, audit.CHANGE,
                 f"uit betaalrun {run.id} ({run.month:%m-%Y}) gehaald: {count} betalingen, {eur(from_cents(total))}; "
                 f"reden: {text}", "betaalrun", person_id)
    return exclusion


def cancel_run(session: Session, actor: Actor, run_id: int) -> PaymentRun:
    """Drop a prepared run (its payments become payable again); an approved run can never be cancelled."""
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("betaalruns annuleren"))
    run = _load_run(session, run_id)
    _own_municipality(actor, run)
    if run.status == APPROVED:
        raise RunError(_("Een goedgekeurde betaalrun kan niet worden geannuleerd. Maak een correctierun voor wijzigingen."))
    if run.status == CANCELLED:
        raise RunError(_("Deze betaalrun is al geannuleerd."))
    _claim(session, run, status=CANCELLED, open_key=None, cancelled_at=_now())
    session.execute(delete(Payment).where(Payment.run_id == run.id))
    audit.record(session, actor, audit.CHANGE, f"betaalrun {run.id} geannuleerd", "betaalrun")
    return run


def download(session: Session, actor: Actor, run_id: int) -> tuple[str, bytes]:
    """(file name, pain.001 bytes) of an approved run, after checking the archived hash."""
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("SEPA-bestanden downloaden"))
    run = session.get(PaymentRun, run_id)
    if run is None:
        raise RunError(_("Deze betaalrun bestaat niet."))
    _own_municipality(actor, run)
    if run.status != APPROVED or run.xml is None:
        raise RunError(_("Alleen een goedgekeurde betaalrun heeft een SEPA-bestand."))
    if sepa.sha256(run.xml) != run.xml_sha256:
        raise RunError(_("Het gearchiveerde bestand klopt niet meer met de hash: niet downloaden, meld dit."))
    audit.record_many(session, actor, audit.EXPORT, f"SEPA-bestand betaalrun {run.id} gedownload", "betaalrun",
                      _persons_in(session, run.id))
    audit.record(session, actor, audit.EXPORT, f"SEPA-bestand gedownload (run {run.id})", "betaalrun")
    return f"{run.message_id}.xml", bytes(run.xml)


@dataclass(frozen=True)
class RunRow:
    run_id: int
    month: str
    status: str
    status_label: str
    correction: bool
    schema: str
    payments: int
    total: str
    prepared_by: str
    approved_by: str
    sha256: str
    may_approve: bool
    problems: list


def list_runs(session: Session, actor: Actor, limit: int = 50) -> list[RunRow]:
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("betaalruns inzien"))
    runs = session.scalars(select(PaymentRun).where(PaymentRun.municipality == (actor.municipality or ""))
                           .order_by(PaymentRun.id.desc()).limit(limit)).all()
    names = {u.id: u.full_name for u in session.scalars(select(User).where(
        User.id.in_({r.prepared_by for r in runs} | {r.approved_by for r in runs if r.approved_by})))}
    audit.record(session, actor, audit.READ, f"betaalruns bekeken ({len(runs)})", "betaalrun")
    return [RunRow(
        r.id, f"{r.month:%Y-%m}", r.status, STATUS_LABELS[r.status] + (" (correctierun)" if r.correction else ""),
        r.correction, r.schema, r.payment_count, eur(int(r.total_cents)), names.get(r.prepared_by, ""),
        names.get(r.approved_by, "") if r.approved_by else "", r.xml_sha256 or "",
        r.status == PREPARED and r.prepared_by != actor.user_id, list(r.problems or [])[:20],
    ) for r in runs]


def run_payments(session: Session, actor: Actor, run_id: int, limit: int = 200) -> dict:
    """What the approver checks: totals per category and the first ``limit`` payments of a run."""
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("betaalruns inzien"))
    run = session.get(PaymentRun, run_id)
    if run is None:
        raise RunError(_("Deze betaalrun bestaat niet."))
    _own_municipality(actor, run)
    totals = session.execute(
        select(Payment.category, func.count(Payment.id), func.sum(Payment.amount_cents))
        .where(Payment.run_id == run_id).group_by(Payment.category).order_by(Payment.category)
    ).all()
    rows = session.execute(
        select(Payment, Person.given_names, Person.family_name).join(Person, Person.id == Payment.person_id)
        .where(Payment.run_id == run_id).order_by(Payment.person_id, Payment.id).limit(limit)
    ).all()
    labels = {**config.CATEGORIES, "leefgeld": "Leefgeld"}
    audit.record(session, actor, audit.READ, f"betalingen van betaalrun {run_id} bekeken", "betaalrun")
    audit.record_many(session, actor, audit.READ, f"betaling getoond in betaalrun {run_id} (naam, IBAN, bedrag)",
                      "betaalrun", sorted({p.person_id for p, _given, _family in rows}))
    return {
        "totals": [{"category": labels.get(c, c), "count": str(n), "total": eur(int(t or 0))} for c, n, t in totals],
        "payments": [{
            "person": f"{given} {family}", "category": labels.get(p.category, p.category), "creditor": p.creditor_name,
            "iban": p.creditor_iban, "amount": eur(p.amount_cents), "due": p.due_date.isoformat(),
            "reference": p.reference, "end_to_end_id": p.end_to_end_id,
        } for p, given, family in rows],
        "shown": len(rows),
        "count": run.payment_count,
    }
