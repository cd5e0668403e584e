"""Budget, ontzorgen arrangement, budget coach and the monthly SEPA payment runs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON, BigInteger, CheckConstraint, Date, ForeignKey, LargeBinary, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UtcDateTime


class Budget(Base):
    """One statushouder's benefit: start date and supplement; the norm follows the household periods."""

    __tablename__ = "budgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), unique=True)
    benefit_start: Mapped[date] = mapped_column(Date)
    supplement_cents: Mapped[int] = mapped_column(default=0)  # e.g. aanvullende bijstand for youth
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    households: Mapped[list[BudgetHousehold]] = relationship(
        cascade="all, delete-orphan", order_by="BudgetHousehold.valid_from"
    )
    fixed_costs: Mapped[list[FixedCost]] = relationship(cascade="all, delete-orphan", order_by="FixedCost.id")
    deductions: Mapped[list[BudgetDeduction]] = relationship(cascade="all, delete-orphan", order_by="BudgetDeduction.id")
    allowances: Mapped[list[ExpectedAllowance]] = relationship(
        cascade="all, delete-orphan", order_by="ExpectedAllowance.id"
    )
    arrangement: Mapped[OntzorgenArrangement | None] = relationship(cascade="all, delete-orphan", uselist=False)
    lines: Mapped[list[BudgetLine]] = relationship(cascade="all, delete-orphan", order_by="BudgetLine.id")


class BudgetLine(Base):
    """Income (work, other), a commitment (informal debt, remittance, loan) or a booked first-month advance."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100), default="")
    amount_cents: Mapped[int]
    start_month: Mapped[date] = mapped_column(Date)
    months: Mapped[int | None]
    recorded_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class BudgetHousehold(Base):
    """From ``valid_from`` the household has this kind (single, couple, single parent, youth)."""

    __tablename__ = "budget_households"
    __table_args__ = (UniqueConstraint("budget_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))


class FixedCost(Base):
    """A monthly fixed cost with its creditor; paid directly while the arrangement says so."""

    __tablename__ = "fixed_costs"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    creditor_name: Mapped[str] = mapped_column(String(70))  # SEPA Latin set only
    creditor_iban: Mapped[str] = mapped_column(String(34))
    amount_cents: Mapped[int]
    reference: Mapped[str] = mapped_column(String(140), default="")
    structured_reference: Mapped[bool] = mapped_column(default=False)
    day_of_month: Mapped[int]
    first_month: Mapped[date] = mapped_column(Date)
    ended_month: Mapped[date | None] = mapped_column(Date)
    added_on: Mapped[date] = mapped_column(Date)
    added_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class BudgetDeduction(Base):
    """A monthly amount withheld from the benefit, e.g. the furnishing-loan repayment."""

    __tablename__ = "budget_deductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    amount_cents: Mapped[int]
    start_month: Mapped[date] = mapped_column(Date)
    months: Mapped[int | None]


class ExpectedAllowance(Base):
    """Huurtoeslag or zorgtoeslag the person should get, and the month it is expected to arrive."""

    __tablename__ = "expected_allowances"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int]
    expected_from: Mapped[date] = mapped_column(Date)


class OntzorgenArrangement(Base):
    """How long and for which costs the municipality pays directly (PIP ontzorgen element)."""

    __tablename__ = "ontzorgen_arrangements"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), unique=True)
    start_month: Mapped[date] = mapped_column(Date)
    months: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    # Declined (PIP: 0 months): what was agreed instead, and what the budget coach offers.
    alternative: Mapped[str] = mapped_column(Text, default="")
    coach_offer: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    categories: Mapped[list[OntzorgenCategory]] = relationship(
        cascade="all, delete-orphan", order_by="OntzorgenCategory.id"
    )


class OntzorgenCategory(Base):
    """Per cost category: direct payment, coaching instead (with reason) and the hand-back month."""

    __tablename__ = "ontzorgen_categories"
    __table_args__ = (UniqueConstraint("arrangement_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("ontzorgen_arrangements.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    hand_back_month: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")


class CoachAssignment(Base):
    """The budget coach organisation (and coach) working with a person; needs recorded consent."""

    __tablename__ = "coach_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    coach_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    since: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    assigned_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class CoachNote(Base):
    """A dated note by the budget coach (finances only; never health)."""

    __tablename__ = "coach_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    written_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)


class CoachChecklistItem(Base):
    """One item of the coach's checklist (paperwork, allowances, buffer plan, hand-back readiness)."""

    __tablename__ = "coach_checklist_items"
    __table_args__ = (UniqueConstraint("person_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    done: Mapped[bool] = mapped_column(default=False)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PaymentRun(Base):
    """A month's run: prepared by one financien user, approved by another; then the file is archived.

    ``open_key`` is set while the run is prepared and cleared on approval or cancellation, so the
    unique constraint allows one open run per municipality and month on every database.
    """

    __tablename__ = "payment_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(100))
    month: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20))  # prepared, approved, cancelled
    correction: Mapped[bool] = mapped_column(default=False)
    open_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    schema: Mapped[str] = mapped_column(String(20))
    prepared_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    prepared_at: Mapped[datetime] = mapped_column(UtcDateTime())
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    message_id: Mapped[str | None] = mapped_column(String(35), unique=True)
    xml: Mapped[bytes | None] = mapped_column(LargeBinary)
    xml_sha256: Mapped[str | None] = mapped_column(String(64))
    payment_count: Mapped[int] = mapped_column(default=0)
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    problems: Mapped[list] = mapped_column(JSON, default=list)


class Payment(Base):
    """One transfer in a run. Never twice: unique per (fixed cost, month, attempt) and per end-to-end id.

    ``attempt`` is 1 for the first transfer; a payment the bank returned is sent again as a new row
    with attempt + 1, a new end-to-end id and ``resend_of`` pointing at the returned payment (unique:
    each returned payment is sent again at most once). The returned row itself stays as exported.
    """

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("fixed_cost_id", "month", "attempt"),
        CheckConstraint("(attempt = 1 AND resend_of IS NULL) OR (attempt > 1 AND resend_of IS NOT NULL)",
                        name="resend"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_runs.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    fixed_cost_id: Mapped[int | None] = mapped_column(ForeignKey("fixed_costs.id"))
    kind: Mapped[str] = mapped_column(String(20))  # fixed_cost, leefgeld
    category: Mapped[str] = mapped_column(String(20))
    month: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int]
    creditor_name: Mapped[str] = mapped_column(String(70))
    creditor_iban: Mapped[str] = mapped_column(String(34))
    reference: Mapped[str] = mapped_column(String(140))
    structured_reference: Mapped[bool] = mapped_column(default=False)
    due_date: Mapped[date] = mapped_column(Date)
    end_to_end_id: Mapped[str] = mapped_column(String(35), unique=True)
    attempt: Mapped[int] = mapped_column(default=1, server_default="1")
    resend_of: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)


class PaymentRunExclusion(Base):
    """A person taken out of a prepared run before approval, with the reason; their payments became payable again."""

    __tablename__ = "payment_run_exclusions"
    __table_args__ = (UniqueConstraint("run_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_runs.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    reason: Mapped[str] = mapped_column(Text)
    payment_count: Mapped[int]
    total_cents: Mapped[int] = mapped_column(BigInteger)
    excluded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    excluded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class BankStatement(Base):
    """An imported camt.053/camt.054 file of the municipality's account. Exactly once: unique hash and
    unique (account, statement id)."""

    __tablename__ = "bank_statements"
    __table_args__ = (UniqueConstraint("account_iban", "statement_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(100))
    account_iban: Mapped[str] = mapped_column(String(34))
    message_type: Mapped[str] = mapped_column(String(20))
    statement_ref: Mapped[str] = mapped_column(String(35))
    message_id: Mapped[str] = mapped_column(String(35))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    line_count: Mapped[int] = mapped_column(default=0)
    booked_count: Mapped[int] = mapped_column(default=0)
    returned_count: Mapped[int] = mapped_column(default=0)
    income_count: Mapped[int] = mapped_column(default=0)
    unmatched_count: Mapped[int] = mapped_column(default=0)


class BankStatementLine(Base):
    """One entry of an imported statement and what it was matched to (booked, returned, income, unmatched)."""

    __tablename__ = "bank_statement_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("bank_statements.id"), index=True)
    line_no: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(20))  # booked, returned, income, unmatched, not_booked
    credit: Mapped[bool]
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    booking_date: Mapped[date | None] = mapped_column(Date)
    end_to_end_id: Mapped[str] = mapped_column(String(35), default="")
    reason_code: Mapped[str] = mapped_column(String(4), default="")
    counterparty_name: Mapped[str] = mapped_column(String(140), default="")
    counterparty_iban: Mapped[str] = mapped_column(String(34), default="")
    remittance: Mapped[str] = mapped_column(String(140), default="")
    income_kind: Mapped[str] = mapped_column(String(30), default="")
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PaymentReturn(Base):
    """A payment the bank returned or rejected (ISO reason code). Once per payment, whatever the file.

    It is sent again in the next run (as a new payment, see ``Payment.resend_of``) unless the reason
    needs a correction first (closed account: a new IBAN) or finance closed it with a note.
    """

    __tablename__ = "payment_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("bank_statement_lines.id"))
    reason_code: Mapped[str] = mapped_column(String(4))
    returned_on: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    iban: Mapped[str] = mapped_column(String(34))  # where it bounced: a re-send to the same IBAN waits if needed
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, closed
    note: Mapped[str] = mapped_column(Text, default="")
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
