"""plan fitted to the person: intake facts, overall level, regisseur, intake held, action reasons, life events

Revision ID: 0022_plan
Revises: 0020_money
"""

import sqlalchemy as sa
from alembic import op


revision = "0022_plan"
down_revision = "0021_bank"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plans", sa.Column("diplomas", sa.String(10), nullable=False, server_default=""))
    op.add_column("plans", sa.Column("occupation", sa.String(200), nullable=False, server_default=""))
    op.add_column("plans", sa.Column("goal", sa.String(10), nullable=False, server_default=""))
    op.add_column("plans", sa.Column("health_shared", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("plans", sa.Column("intake_outside_hours_reason", sa.Text(), nullable=False, server_default=""))
    op.add_column("plans", sa.Column("intake_held_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("plans", sa.Column("overall_level", sa.String(2), nullable=False, server_default=""))
    op.add_column("plans", sa.Column("overall_reason", sa.Text(), nullable=False, server_default=""))
    op.add_column("plans", sa.Column("regisseur_id", sa.Integer(), nullable=True))
    op.add_column("plan_actions", sa.Column("subject", sa.String(200), nullable=False, server_default=""))
    op.add_column("plan_actions", sa.Column("reason", sa.Text(), nullable=False, server_default=""))
    op.add_column("pips", sa.Column("term_extension_months", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("pips", sa.Column("lessons_paused_from", sa.Date(), nullable=True))
    op.add_column("pips", sa.Column("lessons_paused_until", sa.Date(), nullable=True))
    op.create_table(
        "life_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    )
    op.create_index("ix_life_events_person_id", "life_events", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_life_events_person_id", "life_events")
    op.drop_table("life_events")
    for table, names in (
        ("pips", ("lessons_paused_until", "lessons_paused_from", "term_extension_months")),
        ("plan_actions", ("reason", "subject")),
        ("plans", ("regisseur_id", "overall_reason", "overall_level", "intake_held_at", "intake_outside_hours_reason",
                   "health_shared", "goal", "occupation", "diplomas")),
    ):
        for name in names:
            op.drop_column(table, name)
