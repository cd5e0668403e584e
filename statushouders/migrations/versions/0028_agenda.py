"""agenda and e-mail: meetings with a stable calendar uid, the e-mail outbox, partners' answers to the intake

Revision ID: 0028_agenda
Revises: 0027_mother_tongue
"""

import sqlalchemy as sa
from alembic import op

revision = "0028_agenda"
down_revision = "0027_mother_tongue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("uid", sa.String(length=120), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("open_key", sa.String(length=40), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("outside_hours_reason", sa.Text(), nullable=False),
        sa.Column("interpreter_email", sa.String(length=200), nullable=False),
        sa.Column("organizer_email", sa.String(length=200), nullable=False),
        sa.Column("organizer_name", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], name=op.f("fk_meetings_plan_id_plans")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_meetings_created_by_users")),
        sa.ForeignKeyConstraint(["cancelled_by"], ["users.id"], name=op.f("fk_meetings_cancelled_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("uid", name=op.f("uq_meetings_uid")),
        sa.UniqueConstraint("open_key", name=op.f("uq_meetings_open_key")),
    )
    op.create_index(op.f("ix_meetings_plan_id"), "meetings", ["plan_id"], unique=False)
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("sender_organisation_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("reply_to", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ics", sa.Text(), nullable=False),
        sa.Column("ics_method", sa.String(length=10), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["sender_organisation_id"], ["organisations.id"],
                                name=op.f("fk_outbox_sender_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_outbox_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_outbox_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_dedupe_key")),
    )
    op.create_index(op.f("ix_outbox_status"), "outbox", ["status"], unique=False)
    op.create_index(op.f("ix_outbox_sender_organisation_id"), "outbox", ["sender_organisation_id"], unique=False)
    op.create_index(op.f("ix_outbox_organisation_id"), "outbox", ["organisation_id"], unique=False)
    with op.batch_alter_table("plan_participants") as batch:
        batch.add_column(sa.Column("response", sa.String(length=10), server_default="", nullable=False))
        batch.add_column(sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("responded_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_participants") as batch:
        batch.drop_column("responded_by")
        batch.drop_column("responded_at")
        batch.drop_column("response")
    op.drop_index(op.f("ix_outbox_organisation_id"), table_name="outbox")
    op.drop_index(op.f("ix_outbox_sender_organisation_id"), table_name="outbox")
    op.drop_index(op.f("ix_outbox_status"), table_name="outbox")
    op.drop_table("outbox")
    op.drop_index(op.f("ix_meetings_plan_id"), table_name="meetings")
    op.drop_table("meetings")
