"""chain dashboard: person_milestones (housing offer, first lesson) and KPI indexes

Revision ID: 0008_dashboard
Revises: 0002_plans, 0003_budget, 0004_letters, 0005_own_view
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_dashboard"
down_revision = ("0002_plans", "0003_budget", "0004_letters", "0005_own_view")
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_dash_persons_koppeling", "persons", ["koppeling_date", "permit_date", "municipality"]),
    ("ix_dash_persons_move", "persons", ["move_date", "municipality"]),
    ("ix_dash_plans_status", "plans", ["status", "agreed_at"]),
    ("ix_dash_pips_decided", "pips", ["decided_on", "version", "person_id"]),
    ("ix_dash_actions_open", "plan_actions", ["status", "owner_id", "worker_id", "due_date", "plan_id"]),
    ("ix_dash_actions_plan", "plan_actions", ["plan_id", "status", "owner_id", "worker_id", "due_date"]),
    ("ix_dash_letters_produced", "letters", ["produced_at", "person_id", "language"]),
    ("ix_dash_payments_kind_month", "payments", ["kind", "month", "person_id", "amount_cents"]),
    ("ix_dash_payments_kind_person", "payments", ["kind", "person_id", "due_date"]),
    ("ix_dash_payments_person_month", "payments", ["person_id", "month", "kind", "amount_cents", "due_date", "run_id"]),
    ("ix_dash_ontzorgen_hand_back", "ontzorgen_categories", ["hand_back_month"]),
    ("ix_dash_consents_access", "consents", ["person_id", "organisation_id", "purpose", "withdrawn_at"]),
    ("ix_dash_partner_links_access", "partner_links", ["person_id", "organisation_id", "ended_at"]),
]


def upgrade() -> None:
    op.create_table(
        "person_milestones",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("housing_offer_date", sa.Date(), nullable=True),
        sa.Column("first_lesson_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_milestones_person_id_persons")),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_milestones")),
    )
    op.create_index(op.f("ix_person_milestones_housing_offer_date"), "person_milestones", ["housing_offer_date"])
    op.create_index(op.f("ix_person_milestones_first_lesson_date"), "person_milestones", ["first_lesson_date"])
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index(op.f("ix_person_milestones_first_lesson_date"), table_name="person_milestones")
    op.drop_index(op.f("ix_person_milestones_housing_offer_date"), table_name="person_milestones")
    op.drop_table("person_milestones")
