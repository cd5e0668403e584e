"""bank statements (camt.053/054), payment returns and re-sends, persons taken out of a run

Revision ID: 0021_bank
Revises: 0013_payment_once

A returned payment is sent again as a new payments row: ``attempt`` + 1, a new end-to-end id and
``resend_of`` = the returned payment (unique). The unique key becomes (fixed cost, month, attempt);
the CHECK ties attempt > 1 to a re-send. The returned row stays as exported (0013's triggers).
On SQLite the payments table is rebuilt (batch mode): every trigger on it (0009's dashboard markers,
0013's delete guard) is read from sqlite_master first and created again afterwards, and the rename
runs with legacy_alter_table so triggers of other tables that mention payments are not re-parsed
while the table is briefly gone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_bank"
down_revision = "0020_money"
branch_labels = None
depends_on = None

CHECK = "(attempt = 1 AND resend_of IS NULL) OR (attempt > 1 AND resend_of IS NOT NULL)"


def _rebuild_payments(change) -> None:
    """Run a batch change of payments; on SQLite keep the table's triggers across the rebuild."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        with op.batch_alter_table("payments") as batch:
            change(batch)
        return
    triggers = [r[0] for r in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'payments' ORDER BY name")]
    op.execute("PRAGMA legacy_alter_table = ON")
    with op.batch_alter_table("payments", recreate="always") as batch:
        change(batch)
    op.execute("PRAGMA legacy_alter_table = OFF")
    existing = {r[0] for r in bind.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'payments'")}
    for sql in triggers:
        name = sql.split()[2]
        if name not in existing:
            op.execute(sql)


def _upgrade_payments(batch) -> None:
    batch.add_column(sa.Column("attempt", sa.Integer(), server_default="1", nullable=False))
    batch.add_column(sa.Column("resend_of", sa.Integer(), nullable=True))
    batch.drop_constraint("uq_payments_fixed_cost_id", type_="unique")
    batch.create_unique_constraint("uq_payments_fixed_cost_id", ["fixed_cost_id", "month", "attempt"])
    batch.create_unique_constraint("uq_payments_resend_of", ["resend_of"])
    batch.create_foreign_key("fk_payments_resend_of_payments", "payments", ["resend_of"], ["id"])
    batch.create_check_constraint(op.f("ck_payments_resend"), CHECK)


def upgrade() -> None:
    _rebuild_payments(_upgrade_payments)

    op.create_table(
        "payment_run_exclusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payment_count", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("excluded_by", sa.Integer(), nullable=False),
        sa.Column("excluded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["payment_runs.id"], name=op.f("fk_payment_run_exclusions_run_id_payment_runs")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_payment_run_exclusions_person_id_persons")),
        sa.ForeignKeyConstraint(["excluded_by"], ["users.id"], name=op.f("fk_payment_run_exclusions_excluded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_run_exclusions")),
        sa.UniqueConstraint("run_id", "person_id", name=op.f("uq_payment_run_exclusions_run_id")),
    )
    op.create_index(op.f("ix_payment_run_exclusions_run_id"), "payment_run_exclusions", ["run_id"])

    op.create_table(
        "bank_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality", sa.String(length=100), nullable=False),
        sa.Column("account_iban", sa.String(length=34), nullable=False),
        sa.Column("message_type", sa.String(length=20), nullable=False),
        sa.Column("statement_ref", sa.String(length=35), nullable=False),
        sa.Column("message_id", sa.String(length=35), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("booked_count", sa.Integer(), nullable=False),
        sa.Column("returned_count", sa.Integer(), nullable=False),
        sa.Column("income_count", sa.Integer(), nullable=False),
        sa.Column("unmatched_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["imported_by"], ["users.id"], name=op.f("fk_bank_statements_imported_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statements")),
        sa.UniqueConstraint("account_iban", "statement_ref", name=op.f("uq_bank_statements_account_iban")),
        sa.UniqueConstraint("sha256", name=op.f("uq_bank_statements_sha256")),
    )
    op.create_table(
        "bank_statement_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("credit", sa.Boolean(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=True),
        sa.Column("end_to_end_id", sa.String(length=35), nullable=False),
        sa.Column("reason_code", sa.String(length=4), nullable=False),
        sa.Column("counterparty_name", sa.String(length=140), nullable=False),
        sa.Column("counterparty_iban", sa.String(length=34), nullable=False),
        sa.Column("remittance", sa.String(length=140), nullable=False),
        sa.Column("income_kind", sa.String(length=30), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["statement_id"], ["bank_statements.id"],
                                name=op.f("fk_bank_statement_lines_statement_id_bank_statements")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_bank_statement_lines_payment_id_payments")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_bank_statement_lines_person_id_persons")),
        sa.ForeignKeyConstraint(["handled_by"], ["users.id"], name=op.f("fk_bank_statement_lines_handled_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statement_lines")),
    )
    for column in ("statement_id", "payment_id", "person_id"):
        op.create_index(op.f(f"ix_bank_statement_lines_{column}"), "bank_statement_lines", [column])
    op.create_table(
        "payment_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("reason_code", sa.String(length=4), nullable=False),
        sa.Column("returned_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"], name=op.f("fk_payment_returns_payment_id_payments")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_payment_returns_person_id_persons")),
        sa.ForeignKeyConstraint(["line_id"], ["bank_statement_lines.id"],
                                name=op.f("fk_payment_returns_line_id_bank_statement_lines")),
        sa.ForeignKeyConstraint(["handled_by"], ["users.id"], name=op.f("fk_payment_returns_handled_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_returns")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_payment_returns_payment_id")),
    )
    op.create_index(op.f("ix_payment_returns_person_id"), "payment_returns", ["person_id"])


def downgrade() -> None:
    op.drop_table("payment_returns")
    op.drop_table("bank_statement_lines")
    op.drop_table("bank_statements")
    op.drop_table("payment_run_exclusions")
    def change(batch) -> None:
        batch.drop_constraint(op.f("ck_payments_resend"), type_="check")
        batch.drop_constraint("fk_payments_resend_of_payments", type_="foreignkey")
        batch.drop_constraint("uq_payments_resend_of", type_="unique")
        batch.drop_constraint("uq_payments_fixed_cost_id", type_="unique")
        batch.create_unique_constraint("uq_payments_fixed_cost_id", ["fixed_cost_id", "month"])
        batch.drop_column("resend_of")
        batch.drop_column("attempt")

    _rebuild_payments(change)
