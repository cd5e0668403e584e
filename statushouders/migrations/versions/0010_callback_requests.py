"""own view: "call me" requests from a statushouder to one partner

Revision ID: 0010_callback_requests
Revises: 0009_dashboard_rollup
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_callback_requests"
down_revision = "0009_dashboard_rollup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("part_of_day", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("open_key", sa.String(length=40), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_callback_requests_person_id_persons")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_callback_requests_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["handled_by"], ["users.id"], name=op.f("fk_callback_requests_handled_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_requests")),
        sa.UniqueConstraint("open_key", name=op.f("uq_callback_requests_open_key")),
    )
    op.create_index(op.f("ix_callback_requests_person_id"), "callback_requests", ["person_id"], unique=False)
    op.create_index(op.f("ix_callback_requests_organisation_id"), "callback_requests", ["organisation_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_callback_requests_organisation_id"), table_name="callback_requests")
    op.drop_index(op.f("ix_callback_requests_person_id"), table_name="callback_requests")
    op.drop_table("callback_requests")
