"""money that is right: income lines, commitments and advances; the declined-ontzorgen alternative

Revision ID: 0020_money
Revises: 0013_payment_once
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_money"
down_revision = "0013_payment_once"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("start_month", sa.Date(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["budget_id"], ["budgets.id"], name=op.f("fk_budget_lines_budget_id_budgets")),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name=op.f("fk_budget_lines_recorded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
    )
    op.create_index(op.f("ix_budget_lines_budget_id"), "budget_lines", ["budget_id"], unique=False)
    # Plain ADD COLUMN (no table rebuild on SQLite: the dashboard triggers reference this table).
    op.add_column("ontzorgen_arrangements", sa.Column("alternative", sa.Text(), nullable=False, server_default=""))
    op.add_column("ontzorgen_arrangements", sa.Column("coach_offer", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("ontzorgen_arrangements", "coach_offer")
    op.drop_column("ontzorgen_arrangements", "alternative")
    op.drop_index(op.f("ix_budget_lines_budget_id"), table_name="budget_lines")
    op.drop_table("budget_lines")
